"""External event data in Chromium, as the issue tells it: the mediators' secretariat uploads a small UCDP GED file,
the background task imports it (run by `ceasefire worker --once --job tasks`, as production's worker would) and
the run's page, polling, shows it succeeded with its counts and SHA-256 → a wrong file is refused naming file, line
and column, and stores nothing → every member finds the events with UCDP's licence, and on the map's events layer
→ a Turkish investigator sees the candidates for the complaint af-liaison filed in Ghazni, with their reasons, and
confirms one → af-liaison sees the confirmed corroboration on the complaint's page, never the candidates, and can
neither reach the upload form nor upload.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import e2e_server
import h3.api.basic_int as h3
import pytest
from e2e_support import FiledComplaint, Tab, screenshot
from ingest.ingest_helpers import acled_csv, acled_row, ucdp_csv, ucdp_row
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.e2e

OpenAs = Callable[[str | None], Tab]
RUN_URL = re.compile(r"/events/imports/(IMP-\d{4}-[0-9A-Z]{4,})/$")
# The filed complaint's incident (e2e_pages.ComplaintInput): 24 Nov 2025, 20:00 to 02:00 in Kabul.
SAME_DAY, NEXT_DAY = "2025-11-24", "2025-11-25"
# Names an alias of the complaint's actor (pk-forces: "Pakistan Air Force"), so the actors count in the score.
STRIKER = "Government of Pakistan (Pakistan Air Force)"
NOTE = "E2E: the UCDP event is the strike the complaint describes."


def ghazni_events(complaint: FiledComplaint) -> list[dict[str, str]]:
    """Five GED rows: two corroborate the Ghazni air strike (one-sided violence by its actor on its day beside it,
    a state-based clash the next day 9 km away); a non-state clash there (incompatible with an air strike), one in
    Khost (too far) and one there six weeks earlier (too early) do not."""
    lat, lon = complaint.latitude, complaint.longitude

    def row(event_id: str, violence: str, day: str, dlat: float, dlon: float, **values: str) -> dict[str, str]:
        given = {
            "id": event_id, "type_of_violence": violence, "date_start": day, "date_end": day,
            "latitude": f"{lat + dlat:.4f}", "longitude": f"{lon + dlon:.4f}", "adm_1": "Ghazni province",
            "adm_2": "Ghazni district",
        }  # fmt: skip
        return ucdp_row(**{**given, **values})

    return [
        row("990001", "3", SAME_DAY, 0.01, 0.01, side_a=STRIKER, side_b="Civilians",
            where_coordinates="Ghazni city east", best="4", low="4", high="6",
            source_headline="E2E: drone strike on a compound east of Ghazni"),
        row("990002", "1", NEXT_DAY, 0.05, -0.07, where_coordinates="Ghazni road", best="2", low="2", high="3"),
        row("990003", "2", SAME_DAY, 0.0, 0.0, side_a="IS", side_b="Taleban", where_coordinates="Ghazni bazaar"),
        row("990004", "1", SAME_DAY, 0.0, 0.0, where_coordinates="Khost town", adm_1="Khost province",
            adm_2="Khost district", latitude="33.3338", longitude="69.9205"),
        row("990005", "3", "2025-10-10", 0.0, 0.0, where_coordinates="Ghazni city west"),
    ]  # fmt: skip


def event_count(page: Page, query: str = "") -> int:
    """The events list's "N events" line."""
    page.goto("/events/" + (f"?{query}" if query else ""))
    text = page.locator("#event-table .result-count").inner_text()
    found = re.search(r"[\d,]+", text)
    assert found is not None, f"no count in {text!r}"
    return int(found.group().replace(",", ""))


def upload(page: Page, source: str, path: Path) -> None:
    page.goto("/events/imports/")
    page.get_by_label("Source").select_option(source)
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_role("button", name="Upload and import").click()


def run_fact(page: Page, term: str) -> Locator:
    """The run page's <dd> after the <dt> naming `term`."""
    term_re = re.compile("^" + re.escape(term) + "$")
    return page.locator("#run-progress dl.facts dt", has_text=term_re).locator("xpath=following-sibling::dd[1]")


def refused_upload(page: Page, path: Path, message: str) -> None:
    """An upload refused at once: 422, the reason under the file field, no run listed, nothing kept."""
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/events/imports/")) as answer:
        upload(page, "ucdp", path)
    assert answer.value.status == 422
    expect(page.locator(".field.has-error .field-error")).to_have_text(message)
    expect(page.locator("main table tbody tr", has_text=path.name)).to_have_count(0)


def import_and_wait(page: Page, server: e2e_server.Server, path: Path, status: str) -> str:
    """Upload as the page's user; the run's page polls while queued; the worker runs it; the page turns `status`."""
    upload(page, "ucdp", path)
    expect(page).to_have_url(RUN_URL)
    found = RUN_URL.search(page.url)
    assert found is not None
    code = found.group(1)
    expect(page.locator("ul.messages")).to_contain_text("The file was uploaded; its import runs in the background")
    expect(page.locator("#run-progress .state")).to_have_text("Queued")
    expect(page.locator("#run-progress")).to_have_attribute("hx-trigger", "every 1s")
    output = e2e_server.run_worker_once(server)
    assert "Ran: tasks" in output, output
    # The polling swaps the finished run in (and stops polling): no reload.
    expect(page.locator("#run-progress .state")).to_have_text(status)
    expect(page.locator("#run-progress")).not_to_have_attribute("hx-trigger", "every 1s")
    return code


def test_ucdp_upload_imports_correlates_and_a_confirmed_link_reaches_the_filer(
    open_as: OpenAs, server: e2e_server.Server, filed_complaint: FiledComplaint, tmp_path: Path
) -> None:
    rows = ghazni_events(filed_complaint)
    good = ucdp_csv(tmp_path / "ged-ghazni-2025.csv", rows)
    sha256 = hashlib.sha256(good.read_bytes()).hexdigest()

    # --- The secretariat imports the file; the queued run is run by the worker and its page shows the counts. ---
    secretariat_tab = open_as("tr-secretariat")
    secretariat_tab.watch.allow_status(422)  # the refused upload's answer
    secretariat = secretariat_tab.page
    before = event_count(secretariat)
    secretariat.goto("/events/imports/")
    expect(secretariat.get_by_role("heading", name="Imports of event data")).to_be_visible()
    expect(secretariat.get_by_label("Source")).to_have_value("ucdp")
    screenshot(secretariat, "40-ingest-imports-tr-secretariat")
    code = import_and_wait(secretariat, server, good, "Succeeded")
    expect(secretariat.locator("h1")).to_contain_text(code)
    expect(secretariat.locator("h1")).to_contain_text(good.name)
    expect(secretariat.locator("#run-progress progress")).to_have_attribute("value", "100")
    expect(run_fact(secretariat, "SHA-256")).to_have_text(sha256)
    expect(run_fact(secretariat, "Rows read")).to_have_text("5")
    expect(run_fact(secretariat, "Inserted")).to_have_text("5")
    expect(run_fact(secretariat, "Rejected")).to_have_text("0")
    expect(run_fact(secretariat, "Held back (in a batch with a rejected row)")).to_have_text("0")
    expect(run_fact(secretariat, "Run by")).to_have_text(re.compile(r"^tr-secretariat, "))
    expect(secretariat.locator("#run-progress .error-box")).to_have_count(0)
    screenshot(secretariat, "41-ingest-run-succeeded")
    secretariat.get_by_role("link", name="Imports of event data").click()
    run_row = secretariat.locator("main table tbody tr", has_text=code)
    expect(run_row.locator("td")).to_have_text(
        [code, "UCDP GED", good.name, "tr-secretariat", re.compile(r"\d"), "Succeeded", "5", "0", "0"]
    )

    # --- Wrong files: an ACLED export given as UCDP, or a GED file split by semicolons, are refused at once, naming
    # the file, the line and the cause. ---
    uploads = server.data_dir / "ingest" / "uploads"
    refused_upload(
        secretariat,
        acled_csv(tmp_path / "acled-given-as-ucdp.csv", [acled_row()]),
        "acled-given-as-ucdp.csv:1: this is not in the UCDP GED format: it looks like ACLED data; "
        "import it as ACLED (`ceasefire import acled`)",
    )
    refused_upload(
        secretariat,
        ucdp_csv(tmp_path / "ged-semicolons.csv", rows, delimiter=";"),
        "ged-semicolons.csv:1: the header has a single column: a UCDP GED file is comma-separated "
        "(it looks semicolon-separated)",
    )
    assert list(uploads.iterdir()) == []  # neither file was kept
    screenshot(secretariat, "42-ingest-upload-refused")

    # A GED file with a bad row passes the format check; the worker holds its batch back and names line and column.
    bad_rows = [ucdp_row(id="990011", latitude="33.70"), ucdp_row(id="990012", date_start="2025-11-31")]
    bad = ucdp_csv(tmp_path / "ged-bad-date.csv", bad_rows)
    failed = import_and_wait(secretariat, server, bad, "Failed")
    expect(run_fact(secretariat, "Inserted")).to_have_text("0")
    expect(run_fact(secretariat, "Rejected")).to_have_text("1")
    expect(run_fact(secretariat, "Held back (in a batch with a rejected row)")).to_have_text("1")
    expect(secretariat.locator("#run-progress .error-box")).to_have_text(
        "1 row(s) rejected; their batches were not stored."
    )
    rejected = secretariat.locator("#run-progress table tbody tr")
    expect(rejected).to_have_count(1)
    expect(rejected.locator("td").nth(0)).to_have_text(bad.name)
    expect(rejected.locator("td").nth(1)).to_have_text("3")
    expect(rejected.locator("td").nth(2)).to_have_text("date_start")
    expect(rejected.locator("td").nth(3)).to_have_text("'2025-11-31' is not a date (YYYY-MM-DD)")
    screenshot(secretariat, "43-ingest-run-failed")
    assert failed != code
    assert list(uploads.iterdir()) == []  # the worker deleted both uploads after their runs
    # Only the good file's five events were stored.
    assert event_count(secretariat) == before + 5
    assert event_count(secretariat, "q=990011") == 0

    # --- Every member reads the events with UCDP's attribution; an event's page opens. ---
    af = open_as("af-liaison").page
    assert event_count(af, "date_from=2025-10-01&source=ucdp") == 5
    table = af.locator("#event-table tbody tr")
    expect(table.locator("td.code")).to_have_text(
        ["UCDP GED 990002", "UCDP GED 990001", "UCDP GED 990003", "UCDP GED 990004", "UCDP GED 990005"]
    )
    strike = table.filter(has_text="990001")
    expect(strike).to_contain_text("Militant attack with alleged cross-border origin")
    expect(strike).to_contain_text(f"{STRIKER} / Civilians")
    expect(strike.locator("td.num")).to_have_text("4")
    licences = af.locator("section.card", has_text="Sources and licences")
    expect(licences.locator("li", has_text="UCDP GED")).to_contain_text(
        "UCDP Georeferenced Event Dataset (GED), Uppsala Conflict Data Program; Sundberg & Melander 2013, "
        "Journal of Peace Research 50(4). CC BY 4.0."
    )
    screenshot(af, "44-ingest-events-af-liaison")
    strike.get_by_role("link", name="UCDP GED 990001").click()
    expect(af).to_have_url(re.compile(r"/events/ucdp/990001/$"))
    expect(af.locator("h1")).to_have_text("UCDP GED 990001")
    facts = af.locator("dl.facts")
    expect(facts).to_contain_text("Militant attack with alleged cross-border origin")
    expect(facts).to_contain_text("2025-11-24")
    expect(facts).to_contain_text("Ghazni city east")
    expect(facts).to_contain_text("4 / 4 / 6")
    expect(af.locator(".narrative")).to_contain_text("E2E: drone strike on a compound east of Ghazni")
    expect(af.locator("p.note", has_text="Source and licence:")).to_contain_text("CC BY 4.0")
    screenshot(af, "45-ingest-event-af-liaison")

    # --- The map's events layer: the timeline has the new months; choosing November shows their hexagons. ---
    af.goto("/map/")
    layer = af.locator("#events-layer")
    expect(layer.locator(".events-timeline button[title='2025-11: 4']")).to_have_count(1)
    expect(layer.locator(".events-timeline button[title='2025-10: 1']")).to_have_count(1)
    hexagons = af.locator("#overview-map .leaflet-external-events-hexagons-pane path")
    expect(hexagons.first).to_be_attached()
    with af.expect_response(lambda r: "hexagons.geojson" in r.url and "date_from=2025-11-01" in r.url) as answer:
        layer.locator(".events-timeline button[title='2025-11: 4']").click()
    expect(layer.get_by_label("From", exact=True)).to_have_value("2025-11-01")
    expect(layer.get_by_label("To", exact=True)).to_have_value("2025-11-30")
    # The hexagons are the H3 cells of the four November events (three in Ghazni, one in Khost), one path each:
    # each event's resolution-7 cell (ingest.geometry.H3_RESOLUTION), counted in its parent at the map's resolution.
    resolution = int(parse_qs(urlsplit(answer.value.url).query)["res"][0])
    november = [r for r in rows if r["date_start"].startswith("2025-11")]
    expected = Counter(
        h3.int_to_str(h3.cell_to_parent(h3.latlng_to_cell(float(r["latitude"]), float(r["longitude"]), 7), resolution))
        for r in november
    )
    features = answer.value.json()["features"]
    assert {f["properties"]["cell"]: f["properties"]["count"] for f in features} == dict(expected)
    assert len(expected) >= 2
    expect(hexagons).to_have_count(len(features))
    screenshot(af, "46-map-events-layer-af-liaison")

    # --- The investigator sees the candidates with their reasons, looks again, and confirms the strike. ---
    tr = open_as("tr-investigator").page
    tr.goto(filed_complaint.url)
    corroboration = tr.locator("#corroboration")
    expect(corroboration).to_contain_text("No corroboration has been confirmed yet.")
    corroboration.get_by_role("link", name="Candidates and decisions").click()
    expect(tr).to_have_url(re.compile(re.escape(f"/complaints/{filed_complaint.code}/correlations/") + "$"))
    tr.get_by_role("button", name="Look again").click()
    expect(tr.locator("ul.messages")).to_contain_text(re.compile(r"\d+ candidate link\(s\) found\."))
    events = tr.locator("#correlation-links section.card", has_text="External events").locator("tbody tr")
    expect(events).to_have_count(2)
    first, second = events.nth(0), events.nth(1)
    # 0.35 × (1 − 1.45/25) + 0.35 + 0.20 × 0.5 + 0.10 actors; 0.35 × (1 − 8.54/25) + 0.35 × (1 − 1/3) + 0.10
    expect(events.locator("td.num")).to_have_text(["0.88", "0.56"])
    expect(first.locator("td").nth(1)).to_contain_text("UCDP GED 990001")
    expect(second.locator("td").nth(1)).to_contain_text("UCDP GED 990002")
    first_reasons = first.locator("ul.reasons li")
    expect(first_reasons).to_have_text(
        [
            re.compile(r"^1\.4\d km apart \(window 25\.0 km\)$"),
            "dates overlap",
            "compatible category",
            "actors in common: Pakistani security forces",
        ]
    )
    second_reasons = second.locator("ul.reasons li")
    expect(second_reasons.nth(0)).to_have_text(re.compile(r"^8\.5\d km apart \(window 25\.0 km\)$"))
    expect(second_reasons.nth(1)).to_have_text("1 day between the dates (window ±2)")
    expect(second_reasons.nth(2)).to_have_text("compatible category")
    expect(tr.locator("#correlation-links")).not_to_contain_text("990003")  # a non-state clash: incompatible
    expect(tr.locator("#correlation-links")).not_to_contain_text("990004")  # Khost: too far
    expect(tr.locator("#correlation-links")).not_to_contain_text("990005")  # six weeks before: too early
    expect(tr.locator("#correlation-links section.card", has_text="External events")).to_contain_text("CC BY 4.0")
    screenshot(tr, "47-correlations-candidates-tr-investigator")
    first.get_by_label("Note").fill(NOTE)
    first.get_by_role("button", name="Confirm").click()
    expect(tr.locator("ul.messages")).to_contain_text("Confirmed.")
    decided = events.filter(has_text="990001")
    expect(decided.locator("td").nth(3)).to_have_text(f"Confirmed · tr-investigator — {NOTE}")
    expect(decided.get_by_role("button")).to_have_count(0)
    expect(events.filter(has_text="990002").get_by_role("button", name="Confirm")).to_be_visible()
    screenshot(tr, "48-correlations-confirmed-tr-investigator")

    # --- The filer sees the confirmed corroboration, with UCDP's attribution; never the candidate. ---
    af.goto(filed_complaint.url)
    corroboration = af.locator("#corroboration")
    items = corroboration.locator("li")
    expect(items).to_have_count(1)
    expect(items.get_by_role("link", name="UCDP GED 990001")).to_be_visible()
    expect(items).to_contain_text("2025-11-24")
    expect(items).to_contain_text("Ghazni city east")
    expect(items).to_contain_text(re.compile(r"1\.4\d km away"))
    expect(items).to_contain_text("CC BY 4.0")
    expect(items).to_contain_text("confirmed by Türkiye")
    screenshot(af, "49-complaint-corroboration-af-liaison")
    corroboration.get_by_role("link", name="Details").click()
    expect(af.locator("#correlation-links")).to_contain_text("UCDP GED 990001")
    expect(af.locator("#correlation-links")).not_to_contain_text("990002")
    expect(af.get_by_role("button", name="Look again")).to_have_count(0)
    expect(af.get_by_role("button", name="Confirm")).to_have_count(0)
    screenshot(af, "50-correlations-af-liaison")

    # --- A party liaison has no upload form, and a forged upload is refused and stores nothing. ---
    af.goto("/events/imports/")
    expect(af.get_by_role("heading", name="Imports of event data")).to_be_visible()
    expect(af.locator("input[type=file]")).to_have_count(0)
    expect(af.get_by_role("button", name="Upload and import")).to_have_count(0)
    expect(af.locator("main table tbody tr", has_text=code)).to_have_count(1)  # runs are reference data
    runs_before = af.locator("main table tbody tr").count()
    screenshot(af, "51-ingest-imports-af-liaison")
    token = af.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    assert token
    forged = af.request.post(
        "/events/imports/",
        multipart={
            "csrfmiddlewaretoken": token,
            "source": "ucdp",
            "file": {"name": "forged.csv", "mimeType": "text/csv", "buffer": good.read_bytes()},
        },
        headers={"Referer": server.url + "/events/imports/"},
    )
    assert forged.status == 403, forged.status
    assert "You cannot import event data." in forged.text()
    af.reload()
    expect(af.locator("main table tbody tr")).to_have_count(runs_before)
    expect(af.locator("main table tbody tr", has_text="forged.csv")).to_have_count(0)
