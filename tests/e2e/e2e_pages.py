"""What a person does on Ceasefire's pages, as the journeys repeat it: signing in, filling the filing form,
choosing a place on the map or in the gazetteer, reading the complaint list's count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from e2e_support import map_point
from playwright.sync_api import Page, expect

PUBLIC_CODE = re.compile(r"CMP-\d{4}-[0-9A-Z]{4,}")
# Leaflet SVG paths: the reference line's stroke and the complaint markers' fill (web/static/web/map.js).
LINE_PATH = "path[stroke='#b0413e']"
COMPLAINT_MARKER = "path[fill='#d9534f']"
PICKER_SETTLED = """() => {
  const map = document.getElementById("pick-map");
  const marker = map && map.querySelector("path[fill='#d9534f']");
  if (!marker || map.classList.contains("leaflet-zoom-anim")) return false;
  const m = marker.getBoundingClientRect(), c = map.getBoundingClientRect();
  const dx = m.x + m.width / 2 - (c.x + c.width / 2), dy = m.y + m.height / 2 - (c.y + c.height / 2);
  return m.width < 30 && Math.abs(dx) < 3 && Math.abs(dy) < 3;
}"""


@dataclass
class ComplaintInput:
    """What the liaison officer types into the filing form (times in their own time zone)."""

    title: str
    category: str = "air_strike"
    starts_at: str = "2025-11-24T20:00"
    ends_at: str = "2025-11-25T02:00"
    time_precision: str = "hour"
    respondent: str = "PK"
    commitments: tuple[str, ...] = ("C1", "C2")
    actors: tuple[str, ...] = ("pk-forces",)
    narrative: str = "Drones struck a house after 20:00 local time; neighbours counted the dead at dawn."
    killed_civilian: int | None = 3
    place_description: str = ""
    evidence: list[Path] = field(default_factory=list)


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + "/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def open_filing_form(page: Page, base_url: str) -> None:
    page.goto(base_url + "/complaints/new/")
    # The picker is usable once Leaflet drew the bundled outlines and the reference line.
    expect(page.locator(f"#pick-map {LINE_PATH}")).to_have_count(1)


def click_map_at(page: Page, lat: float, lon: float) -> None:
    """Click the filing form's picker map where (lat, lon) is drawn."""
    picker = page.locator("#pick-map")
    width, height = picker.evaluate("node => [node.clientWidth, node.clientHeight]")
    picker.click(position=map_point(width, height, lat, lon))
    expect(page.locator("#id_latitude")).not_to_have_value("")


def choose_from_gazetteer(page: Page, text: str, choice: str) -> None:
    """Type in the gazetteer search, wait for the HTMX results, pick the first result starting with `choice`."""
    page.get_by_label("Search the gazetteer").fill(text)
    button = page.locator("#place-results .place-choice", has_text=re.compile("^" + re.escape(choice)))
    button.first.click()
    expect(page.locator("#place-results .chosen-place")).to_contain_text(choice)
    # The picker centres and zooms on the place; wait for Leaflet's animation to end (marker centred, unscaled).
    page.wait_for_function(PICKER_SETTLED)


def fill_complaint(page: Page, data: ComplaintInput) -> None:
    """Everything of the form except the place, which the journey chooses by map or gazetteer."""
    page.locator("#id_category").select_option(data.category)
    page.locator("#id_title").fill(data.title)
    page.locator("#id_starts_at").fill(data.starts_at)
    page.locator("#id_ends_at").fill(data.ends_at)
    page.locator("#id_time_precision").select_option(data.time_precision)
    if data.place_description:
        page.locator("#id_place_description").fill(data.place_description)
    page.locator("#id_respondent").select_option(data.respondent)
    for code in data.commitments:
        page.locator(f"input[name=commitments][value='{code}']").check()
    for actor in data.actors:
        page.locator(f"input[name=actors][value='{actor}']").check()
    page.locator("#id_narrative").fill(data.narrative)
    if data.killed_civilian is not None:
        page.locator("input[name=killed_civilian_best]").fill(str(data.killed_civilian))
    if data.evidence:
        page.locator("#id_evidence").set_input_files([str(p) for p in data.evidence])


def submit_complaint(page: Page) -> None:
    page.get_by_role("button", name="Submit the complaint").click()


def list_count(page: Page, base_url: str, query: str = "") -> int:
    """The complaint list's "N complaints" line for a query string."""
    page.goto(base_url + "/complaints/" + (f"?{query}" if query else ""))
    text = page.locator("#complaint-table .result-count").inner_text()
    found = re.search(r"\d+", text)
    assert found is not None, f"no count in {text!r}"
    return int(found.group())


def fact(page: Page, term: str) -> str:
    """The text of a detail page's <dd> after the <dt> naming `term`."""
    term_re = re.compile("^" + re.escape(term) + "$")
    return page.locator("dl.facts dt", has_text=term_re).locator("xpath=following-sibling::dd[1]").inner_text()
