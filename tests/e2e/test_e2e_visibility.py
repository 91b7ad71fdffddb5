"""Journeys of who sees the complaint af-liaison filed: not the respondent's liaison before it is notified
(no list row, 404 for the page and the evidence, no map marker), but a mediator's investigator, who can
download the evidence byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_pages import COMPLAINT_MARKER, fact, list_count
from e2e_server import Server
from e2e_support import FiledComplaint, Tab, screenshot
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

OpenAs = Callable[[str | None], Tab]


def test_respondent_liaison_sees_no_trace_of_complaint_when_not_notified(
    open_as: OpenAs, server: Server, filed_complaint: FiledComplaint
) -> None:
    tab = open_as("pk-liaison")
    page = tab.page

    assert list_count(page, server.url, "q=Ghazni+drone") == 0
    page.goto("/complaints/")
    expect(page.locator("#complaint-table")).not_to_contain_text(filed_complaint.code)
    expect(page.locator("#complaint-table")).not_to_contain_text(filed_complaint.title)

    tab.watch.allow_status(404)
    response = page.goto(filed_complaint.url)
    assert response is not None and response.status == 404
    expect(page.locator("body")).not_to_contain_text(filed_complaint.title)
    screenshot(page, "09-pk-liaison-complaint-404")
    evidence = page.request.get(filed_complaint.evidence_url)
    assert evidence.status == 404
    assert filed_complaint.evidence_bytes not in evidence.body()

    with page.expect_response(lambda r: "/map/complaints.geojson" in r.url) as layer:
        page.goto("/map/")
    codes = [f["properties"]["code"] for f in layer.value.json()["features"]]
    assert filed_complaint.code not in codes
    # The markers drawn are exactly the layer's: none of them is the hidden complaint's.
    expect(page.locator(f"#overview-map {COMPLAINT_MARKER}")).to_have_count(len(codes))
    with page.expect_response(lambda r: "/map/complaints.geojson" in r.url) as filtered:
        page.goto("/map/?q=Ghazni+drone")
    assert filtered.value.json()["features"] == []
    expect(page.locator(f"#overview-map {COMPLAINT_MARKER}")).to_have_count(0)
    screenshot(page, "10-pk-liaison-map-filtered-empty", full_page=False)


def test_mediator_investigator_downloads_evidence_bytes_when_complaint_is_submitted(
    open_as: OpenAs, server: Server, filed_complaint: FiledComplaint, tmp_path: Path
) -> None:
    page = open_as("tr-investigator").page
    page.goto("/complaints/?q=Ghazni+drone")
    link = page.locator("#complaint-table").get_by_role("link", name=filed_complaint.code)
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(filed_complaint.url)
    assert fact(page, "Side of the reference line") == "Afghan side"

    row = page.locator("#evidence tbody tr", has_text=filed_complaint.evidence_name)
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Download").click()
    download = download_info.value
    assert download.suggested_filename == filed_complaint.evidence_name
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes() == filed_complaint.evidence_bytes

    page.reload()
    custody = page.locator("#evidence ol.custody")
    expect(custody.locator("li", has_text="tr-investigator")).to_contain_text("downloaded")
    screenshot(page, "11-tr-investigator-detail-after-download")
