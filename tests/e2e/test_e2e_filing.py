"""Journeys of a party's liaison officer filing complaints in Chromium: placed by a click on the map or from the
gazetteer, found again in the list and on the map; a bad submission is refused next to its field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_pages import (
    COMPLAINT_MARKER,
    PUBLIC_CODE,
    ComplaintInput,
    choose_from_gazetteer,
    click_map_at,
    fact,
    fill_complaint,
    list_count,
    open_filing_form,
    submit_complaint,
)
from e2e_server import Server
from e2e_support import FiledComplaint, Tab, screenshot, tiny_png
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

OpenAs = Callable[[str | None], Tab]


def test_filed_complaint_shows_code_side_and_evidence_when_placed_by_map_click(
    open_as: OpenAs, filed_complaint: FiledComplaint
) -> None:
    page = open_as("af-liaison").page
    page.goto(filed_complaint.url)

    assert PUBLIC_CODE.fullmatch(filed_complaint.code)
    expect(page.locator("h1 .code")).to_have_text(filed_complaint.code)
    expect(page.locator("h1")).to_contain_text(filed_complaint.title)
    # The click landed where it was aimed (one pixel is about 0.03 degrees at the fitted zoom).
    assert abs(filed_complaint.latitude - 33.55) < 0.15
    assert abs(filed_complaint.longitude - 68.42) < 0.15
    assert fact(page, "Side of the reference line") == "Afghan side"
    assert "Ghazni" in fact(page, "Province")
    assert fact(page, "Category") == "Air or drone strike"
    assert "24 Nov 2025, 20:00" in fact(page, "When")
    assert "Asia/Kabul" in fact(page, "When")
    assert f"{filed_complaint.latitude:.4f}" in fact(page, "Place")
    commitments = fact(page, "Commitments allegedly breached")
    assert "C1" in commitments and "C2" in commitments
    assert "Pakistani security forces" in fact(page, "Actors")

    claims = page.locator("section.card", has=page.get_by_role("heading", name="Casualty claims"))
    expect(claims.get_by_role("heading", name="Claimed by Afghanistan")).to_be_visible()
    row = claims.locator("tbody tr", has_text="Civilian")
    expect(row.locator("td.num").first).to_have_text("4")

    evidence = page.locator("#evidence")
    expect(evidence.locator("tbody tr")).to_have_count(1)
    expect(evidence.locator("tbody tr")).to_contain_text(filed_complaint.evidence_name)
    expect(evidence.locator("tbody tr")).to_contain_text("image/png")
    expect(evidence.locator("ol.custody")).to_contain_text("af-liaison")
    screenshot(page, "03-complaint-detail-af-liaison")


def test_filed_complaint_is_found_when_list_is_filtered(open_as: OpenAs, filed_complaint: FiledComplaint) -> None:
    page = open_as("af-liaison").page
    page.goto("/complaints/")
    page.get_by_label("Text").fill("Ghazni drone")
    page.get_by_label("Text").press("Enter")
    table = page.locator("#complaint-table")
    # Wait for the text filter's swap: HTMX drops a second request made while the first is in flight.
    expect(page).to_have_url(re.compile(r"q=Ghazni\+drone"))
    expect(table.locator(".result-count")).to_have_text("1 complaint")
    expect(table.get_by_role("link", name=filed_complaint.code)).to_be_visible()
    page.get_by_label("Category").select_option("air_strike")  # a change alone re-filters through HTMX
    expect(page).to_have_url(re.compile(r"category=air_strike"))
    expect(table.locator(".result-count")).to_have_text("1 complaint")
    row = table.locator("tbody tr")
    expect(row).to_contain_text(filed_complaint.title)
    expect(row).to_contain_text("Afghan side")
    expect(row).to_contain_text("AF → PK")
    screenshot(page, "04-complaint-list-filtered")
    row.get_by_role("link", name=filed_complaint.code).click()
    expect(page).to_have_url(filed_complaint.url)


def test_filed_complaint_marker_popup_links_to_it_when_map_is_filtered(
    open_as: OpenAs, filed_complaint: FiledComplaint
) -> None:
    page = open_as("af-liaison").page
    page.goto("/map/?q=Ghazni+drone")
    marker = page.locator(f"#overview-map {COMPLAINT_MARKER}")
    expect(marker).to_have_count(1)
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup.get_by_role("link", name=filed_complaint.code)).to_be_visible()
    expect(popup).to_contain_text("AF → PK")
    screenshot(page, "05-map-marker-popup", full_page=False)
    popup.get_by_role("link", name=filed_complaint.code).click()
    expect(page).to_have_url(filed_complaint.url)


def test_filed_complaint_is_placed_at_chosen_place_when_found_in_gazetteer(
    open_as: OpenAs, server: Server, tmp_path: Path
) -> None:
    photo = tmp_path / "khost-report.png"
    photo.write_bytes(tiny_png(seed=11))
    page = open_as("af-liaison").page
    open_filing_form(page, server.url)
    fill_complaint(page, ComplaintInput(title="E2E shelling of Khost town", evidence=[photo]))
    choose_from_gazetteer(page, "Khost", "Khōst")  # GeoNames spells it with a macron
    expect(page.locator("#id_place_description")).to_have_value(re.compile("^Khōst"))
    assert abs(float(page.locator("#id_latitude").input_value()) - 33.33) < 0.2
    assert abs(float(page.locator("#id_longitude").input_value()) - 69.92) < 0.2
    assert page.locator("#id_place_id").input_value().isdigit()
    expect(page.locator("#pick-map path[fill='#d9534f']")).to_have_count(1)  # the picker shows the choice
    screenshot(page, "06-filing-form-gazetteer")
    submit_complaint(page)

    expect(page).to_have_url(PUBLIC_CODE)
    expect(page.locator("h1")).to_contain_text("E2E shelling of Khost town")
    assert fact(page, "Place").startswith("Khōst")
    assert fact(page, "Province") in ("Khost", "Khowst")
    assert fact(page, "Side of the reference line") == "Afghan side"
    expect(page.locator("#evidence tbody tr")).to_contain_text("khost-report.png")
    screenshot(page, "07-complaint-detail-gazetteer")


def test_filing_refused_next_to_field_and_nothing_saved_when_end_is_before_start(
    open_as: OpenAs, server: Server
) -> None:
    tab = open_as("af-liaison")
    page = tab.page
    before = list_count(page, server.url)
    open_filing_form(page, server.url)
    bad = ComplaintInput(title="E2E window backwards", starts_at="2025-11-24T20:00", ends_at="2025-11-24T18:00")
    fill_complaint(page, bad)
    click_map_at(page, 33.0, 68.0)
    tab.watch.allow_status(422)  # the refused form comes back as 422 Unprocessable Content
    submit_complaint(page)

    expect(page).to_have_url(server.url + "/complaints/new/")
    expect(page.get_by_role("alert").first).to_contain_text("nothing was saved")
    ends_field = page.locator(".field", has=page.locator("#id_ends_at"))
    expect(ends_field.locator(".field-error")).to_have_text("The end of the time window is before its start.")
    expect(page.locator("#id_title")).to_have_value("E2E window backwards")  # what was typed is kept
    screenshot(page, "08-filing-refused-end-before-start")
    assert list_count(page, server.url) == before
    assert list_count(page, server.url, "q=backwards") == 0
