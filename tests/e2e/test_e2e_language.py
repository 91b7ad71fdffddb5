"""Journey of switching the interface to Pashto: the page turns right-to-left and its layout mirrors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from e2e_support import VIEWPORT, FiledComplaint, Tab, screenshot
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

OpenAs = Callable[[str | None], Tab]


def _box(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not displayed"
    return box


def test_layout_mirrors_right_to_left_when_pashto_is_chosen(open_as: OpenAs, filed_complaint: FiledComplaint) -> None:
    page = open_as("af-liaison").page
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    assert _box(page, ".brand")["x"] < VIEWPORT["width"] / 2

    page.locator("#language").select_option("ps")  # app.js submits the switcher on change

    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ps")
    expect(page.locator("#language")).to_have_value("ps")
    brand, nav, tools = _box(page, ".brand"), _box(page, ".main-nav"), _box(page, ".site-header .tools")
    # Mirrored: the brand starts at the right edge, the navigation follows to its left, the tools at the left.
    assert brand["x"] + brand["width"] > VIEWPORT["width"] * 0.9
    assert nav["x"] + nav["width"] <= brand["x"] + 1
    assert tools["x"] < nav["x"]
    assert tools["x"] < VIEWPORT["width"] / 2
    screenshot(page, "12-pashto-home-rtl")

    # The choice holds on the next pages, and the complaint's own text keeps its direction.
    page.goto(filed_complaint.url)
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.locator("h1 .code")).to_have_text(filed_complaint.code)
    screenshot(page, "13-pashto-complaint-detail-rtl")
    page.goto("/complaints/new/")
    expect(html).to_have_attribute("dir", "rtl")
    screenshot(page, "14-pashto-filing-form-rtl")
