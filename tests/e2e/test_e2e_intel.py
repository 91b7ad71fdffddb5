"""Intelligence sharing in Chromium, as the issue tells it: the Pakistani liaison shares TLP:AMBER intelligence on a
TTP group with a request for action to Afghanistan → the Afghan liaison opens it (the receipt), acknowledges and
records the action taken → the Pakistani liaison sees who read it and rates the response → a Turkish investigator,
not a recipient, finds no such item. The pages are photographed in English and in Pashto.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_support import Tab, screenshot, tiny_png
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

OpenAs = Callable[[str | None], Tab]
INTEL_CODE = re.compile(r"/intel/(INT-\d{4}-[0-9A-Z]{4,})/$")
TITLE = "E2E TTP group at a compound near Khost"
BODY = "A TTP group of about **40** fighters was seen at a compound east of Khost town.\n\n- two pick-ups\n- one mortar"
ACTION = "E2E: a patrol searched the compound and detained two men."
NOTE = "E2E: the commanders were not found."


def _later(days: int) -> str:
    return (dt.datetime.now() + dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def share_amber_with_request(page: Page, photo: Path) -> str:
    """Fill and send the share form as the Pakistani liaison; returns the new item's code."""
    page.goto("/intel/new/")
    expect(page.locator("#intel-pick-map path[stroke='#b0413e']")).to_have_count(1)  # the map drew its line
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("What you know").fill(BODY)
    page.get_by_label("TLP", exact=True).select_option("AMBER")
    # Only the recipient parties show for AMBER; named people are for RED.
    expect(page.locator("#id_people")).to_be_hidden()
    page.locator("#id_recipients input[value=AF]").check()
    page.locator("#id_actors input[value=ttp]").check()
    page.get_by_label("Search the gazetteer").fill("Khost")
    choice = page.locator("#intel-place-results .place-choice", has_text=re.compile("^Khōst"))
    choice.first.click()
    expect(page.locator("#id_places-0-name")).to_have_value(re.compile("^Khōst"))
    assert abs(float(page.locator("#id_places-0-latitude").input_value()) - 33.33) < 0.2
    page.locator("#id_files").set_input_files([str(photo)])
    page.get_by_label("Party asked to act").select_option("AF")
    page.get_by_label("Due by").fill(_later(7))
    page.get_by_label("Action requested").fill("Disperse the group and detain its commanders.")
    page.get_by_label("Where", exact=True).fill("Compound east of Khost town")
    page.locator("#id_request_against input[value=ttp]").check()
    screenshot(page, "30-intel-share-form-pk-liaison")
    page.get_by_role("button", name="Share now").click()
    expect(page).to_have_url(INTEL_CODE)
    found = INTEL_CODE.search(page.url)
    assert found is not None
    return found.group(1)


def test_amber_intelligence_with_a_request_for_action_from_sharing_to_rating(open_as: OpenAs, tmp_path: Path) -> None:
    photo = tmp_path / "compound.png"
    photo.write_bytes(tiny_png(seed=5))
    pk = open_as("pk-liaison").page
    code = share_amber_with_request(pk, photo)
    url = f"/intel/{code}/"
    expect(pk.locator("h1")).to_contain_text(TITLE)
    expect(pk.locator(".tlp-banner")).to_contain_text("TLP:AMBER")
    expect(pk.locator(".markdown-body strong")).to_have_text("40")
    expect(pk.locator("#receipts")).to_contain_text("No recipient has opened it yet.")
    expect(pk.locator("#intel-places-map path[fill='#7b5cc4']")).to_have_count(1)  # the place on the small map

    # The Afghan liaison is told, opens the item (its receipt), acknowledges it and records the action taken.
    af = open_as("af-liaison").page
    af.goto("/notifications/")
    af.get_by_role("link", name=re.compile(f"PK shared intelligence {code}")).click()
    expect(af).to_have_url(re.compile(re.escape(url) + "$"))
    receipt = af.locator("#receipt")
    expect(receipt).to_contain_text("First opened for AF")
    expect(receipt.get_by_role("link", name="Download receipt")).to_be_visible()
    receipt.get_by_role("button", name="Acknowledge").click()
    expect(af.locator("#receipt .acknowledged")).to_contain_text("Acknowledged on")
    expect(af.locator("#files")).to_contain_text(photo.name)
    action = af.locator("#action-form")
    action.get_by_label("Action taken").fill(ACTION)
    action.get_by_label("Date of the action").fill(dt.date.today().isoformat())
    action.get_by_role("button", name="Record the action").click()
    expect(af.locator("#request")).to_contain_text(ACTION)
    expect(af.locator("#request")).to_contain_text("Action recorded")
    screenshot(af, "31-intel-detail-af-liaison")
    af.goto("/intel/requests/")
    expect(af.locator("#to-answer")).to_contain_text(code)
    expect(af.locator("#to-answer")).to_contain_text("Action recorded")
    screenshot(af, "38-intel-requests-af-liaison")

    # The Pakistani liaison sees who read it and when it was acknowledged, and rates the response.
    pk.goto(url)
    readers = pk.locator("#receipts tbody tr")
    expect(readers).to_have_count(1)
    expect(readers).to_contain_text("Afghanistan")
    expect(readers).to_contain_text("af-liaison")
    expect(readers.locator("td").nth(2)).not_to_contain_text("not yet")
    rating = pk.locator("#rating-form")
    rating.get_by_label("Rating", exact=True).select_option("partial")
    rating.get_by_label("Why this rating").fill(NOTE)
    rating.get_by_role("button", name="Rate").click()
    expect(pk.locator("#request")).to_contain_text("Partial")
    expect(pk.locator("#request")).to_contain_text(NOTE)
    expect(pk.locator("#rating-form")).to_have_count(0)
    screenshot(pk, "32-intel-detail-pk-liaison")
    pk.get_by_role("link", name="Log entries").click()
    expect(pk.locator("main table")).to_contain_text("intel_receipt.acknowledged")
    expect(pk.locator("main table")).to_contain_text("intel_request.rated")
    screenshot(pk, "39-intel-log-pk-liaison")
    pk.goto("/intel/")
    expect(pk.locator("#intel-table")).to_contain_text(code)
    screenshot(pk, "33-intel-list-pk-liaison")
    # The overview map has a layer of the intelligence places one may see; a marker opens its item.
    pk.goto("/map/")
    expect(pk.locator("#overview-map path[fill='#7b5cc4']").first).to_be_visible()
    screenshot(pk, "37-map-intel-layer-pk-liaison", full_page=False)

    # A Turkish investigator is no recipient of this AMBER item: for them it does not exist.
    tr = open_as("tr-investigator")
    tr.watch.allow_status(404)
    response = tr.page.goto(url)
    assert response is not None and response.status == 404
    tr.page.goto("/intel/")
    expect(tr.page.locator("#intel-table")).not_to_contain_text(code)

    # In Pashto the pages turn right to left, and the item's own text keeps its direction.
    pk.goto(url)
    pk.locator("#language").select_option("ps")
    expect(pk.locator("html")).to_have_attribute("dir", "rtl")
    expect(pk.locator("h1 .code")).to_have_text(code)
    screenshot(pk, "34-intel-detail-pk-liaison-pashto")
    pk.goto("/intel/")
    screenshot(pk, "35-intel-list-pk-liaison-pashto")
    pk.goto("/intel/new/")
    expect(pk.locator("html")).to_have_attribute("dir", "rtl")
    screenshot(pk, "36-intel-share-form-pashto")
    pk.locator("#language").select_option("en")
    expect(pk.locator("html")).to_have_attribute("dir", "ltr")
