"""Downloads of the lists as CSV, GeoJSON and XLSX, and the ACLED-compatible CSV of determined incidents: every
format parses back, filters and visibility hold, spreadsheet formulas are neutralised, ACLED rows never leave."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from analytics_world import MARK, World, build_world
from django.test import Client
from openpyxl import load_workbook
from support import PASSWORD, khost_strike_draft

from ceasefire.analytics.exports_tables import COMPLAINT_COLUMNS, CROSSING_COLUMNS, EVENT_COLUMNS
from ceasefire.core.models import Membership
from ceasefire.core.services import issue_token
from ceasefire.geo.models import Crossing
from ceasefire.incidents.services import file_complaint
from ceasefire.ingest.models import ExternalEvent, ImportRun
from ceasefire.intel.exports import CSV_HEADER

pytestmark = pytest.mark.integration


@pytest.fixture
def world(mechanism) -> World:
    return build_world(mechanism)


def web(member: Membership) -> Client:
    client = Client()
    assert client.login(username=member.user.get_username(), password=PASSWORD)
    return client


def body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(data: bytes) -> tuple[list[str], list[list[str]], list[str]]:
    """(header, rows, comment lines) of a CSV download."""
    lines = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    comments = [line[0] for line in lines if line and line[0].startswith("# ")]
    rest = [line for line in lines if not (line and line[0].startswith("# "))]
    return rest[0], rest[1:], comments


def xlsx_rows(data: bytes) -> tuple[list[list[object]], list[list[object]]]:
    book = load_workbook(io.BytesIO(data))
    sheets = book.worksheets
    return [list(r) for r in sheets[0].iter_rows(values_only=True)], [
        list(r) for r in sheets[1].iter_rows(values_only=True)
    ]


def test_complaints_download_in_three_formats_parses_back(world):
    client = web(world.member("af-liaison"))
    header, rows, _ = csv_rows(body(client.get("/exports/complaints.csv")))
    assert header == COMPLAINT_COLUMNS
    codes = {row[0] for row in rows}
    # The list page's rows: AF's own complaints (its draft included) and P1, notified to it.
    assert codes == {world.a1.public_code, world.a2.public_code, world.a_draft.public_code, world.p1.public_code}
    a1 = dict(zip(header, next(r for r in rows if r[0] == world.a1.public_code), strict=True))
    assert a1["determination"] == "breach_confirmed"
    assert a1["casualties_claimed"] == "AF: killed civilian 10; PK: killed combatant 3"
    assert a1["commitments"] == "C2 C3"
    assert a1["occurred_at"] == "2025-11-24T20:00:00+00:00"

    geo = json.loads(body(client.get("/exports/complaints.geojson")))
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 4
    feature = next(f for f in geo["features"] if f["properties"]["public_code"] == world.a1.public_code)
    assert feature["geometry"] == {"type": "Point", "coordinates": [69.95, 33.28]}
    assert feature["properties"]["latitude"] == 33.28

    sheet, about = xlsx_rows(body(client.get("/exports/complaints.xlsx")))
    assert sheet[0] == COMPLAINT_COLUMNS and len(sheet) == 5
    assert about[0] == ["Complaints"]


def test_complaint_download_takes_the_list_filters(world):
    client = web(world.member("af-liaison"))
    _, rows, _ = csv_rows(body(client.get("/exports/complaints.csv?category=cross_border_fire")))
    assert [row[0] for row in rows] == [world.a2.public_code]
    _, rows, _ = csv_rows(body(client.get("/exports/complaints.csv?respondent=AF")))
    assert [row[0] for row in rows] == [world.p1.public_code]


def test_csv_and_geojson_are_streamed(world):
    client = web(world.member("tr-secretariat"))
    assert client.get("/exports/complaints.csv").streaming
    assert client.get("/exports/events.geojson").streaming
    assert client.get("/exports/crossings.xlsx")["Content-Type"].startswith("application/vnd.openxmlformats")


def test_spreadsheet_formulas_are_neutralised(world, af_liaison):
    file_complaint(af_liaison, khost_strike_draft(title='=HYPERLINK("http://evil.example","click")'))
    client = web(af_liaison)
    _, rows, _ = csv_rows(body(client.get("/exports/complaints.csv?q=hyperlink")))
    title = rows[0][COMPLAINT_COLUMNS.index("title")]
    assert title.startswith("'=HYPERLINK(")
    sheet, _ = xlsx_rows(body(client.get("/exports/complaints.xlsx?q=hyperlink")))
    book = load_workbook(io.BytesIO(body(client.get("/exports/complaints.xlsx?q=hyperlink"))))
    cell = book.worksheets[0].cell(row=2, column=COMPLAINT_COLUMNS.index("title") + 1)
    assert cell.data_type == "s" and str(cell.value).startswith("'=")
    assert isinstance(sheet[1][COMPLAINT_COLUMNS.index("latitude")], float)  # numbers stay numbers


def _events() -> None:
    run = ImportRun.objects.create(public_code="RUN-X", source="ucdp", filename="x", operator="t", status="succeeded")
    for i, source in enumerate(["ucdp", "gdelt", "acled"]):
        ExternalEvent.objects.create(
            source=source, source_id=f"{source}-{i}", starts_on="2025-11-04", ends_on="2025-11-04",
            date_precision="day", latitude=34.0, longitude=70.5, place_precision="exact", side="AF",
            distance_km=3.0, h3_cell=1, content_hash="x", last_run=run, location=f"{source.upper()} place",
        )  # fmt: skip


def test_events_download_carries_attribution_and_never_acled(world):
    _events()
    client = web(world.member("af-viewer"))
    header, rows, comments = csv_rows(body(client.get("/exports/events.csv")))
    assert header == EVENT_COLUMNS
    assert {row[0] for row in rows} == {"ucdp", "gdelt"}
    assert any(c.startswith("# ucdp: ") and "CC BY 4.0" in c for c in comments)
    assert any(c.startswith("# gdelt: ") for c in comments)
    _, rows, _ = csv_rows(body(client.get("/exports/events.csv?source=acled")))
    assert rows == []
    geo = json.loads(body(client.get("/exports/events.geojson")))
    assert len(geo["features"]) == 2 and any("UCDP" in line for line in geo["attribution"])
    sheet, about = xlsx_rows(body(client.get("/exports/events.xlsx")))
    assert len(sheet) == 3 and any("CC BY 4.0" in str(line[0]) for line in about)
    for fmt in ("csv", "geojson", "xlsx"):
        assert b"ACLED place" not in body(client.get(f"/exports/events.{fmt}"))


def test_crossings_download_has_the_state_now(world):
    header, rows, _ = csv_rows(body(web(world.member("pk-viewer")).get("/exports/crossings.csv")))
    assert header == CROSSING_COLUMNS
    assert len(rows) == Crossing.objects.count()
    torkham = dict(zip(header, next(r for r in rows if r[0] == "torkham"), strict=True))
    assert torkham["state_now"] == "closed" and torkham["declared_by"] == "PK"
    geo = json.loads(body(web(world.member("pk-viewer")).get("/exports/crossings.geojson")))
    missing = [f for f in geo["features"] if f["geometry"] is None]
    assert missing  # crossings without a published coordinate stay in, with no geometry


def test_intel_download_uses_the_intel_rows(world):
    client = web(world.member("af-liaison"))
    header, rows, _ = csv_rows(body(client.get("/exports/intel.csv")))
    assert header == CSV_HEADER
    assert {row[0] for row in rows} == {world.answered.public_code, world.overdue.public_code}
    geo = json.loads(body(client.get("/exports/intel.geojson")))
    assert {f["properties"]["public_code"] for f in geo["features"]} == {
        world.answered.public_code,
        world.overdue.public_code,
    }
    sheet, _ = xlsx_rows(body(client.get("/exports/intel.xlsx?tlp=AMBER")))
    assert sheet[0] == CSV_HEADER and len(sheet) == 3


def test_no_download_of_af_carries_a_record_af_may_not_see(world):
    _events()
    client = web(world.member("af-liaison"))
    hidden = [MARK.encode(), world.p3.public_code.encode(), world.p4.public_code.encode(),
              world.hidden_intel.public_code.encode()]  # fmt: skip
    urls = [f"/exports/{table}.{fmt}" for table in ("complaints", "events", "crossings", "intel")
            for fmt in ("csv", "geojson", "xlsx")] + ["/exports/determined-incidents.acled.csv"]  # fmt: skip
    for url in urls:
        data = body(client.get(url))
        if url.endswith(".xlsx"):
            data = json.dumps(xlsx_rows(data), default=str).encode()
        for marker in hidden:
            assert marker not in data, (url, marker)


def test_unknown_list_or_format_is_absent(world, outsider):
    client = web(world.member("af-viewer"))
    assert client.get("/exports/notifications.csv").status_code == 404
    assert client.get("/exports/complaints.pdf").status_code == 404
    stranger = Client()
    stranger.force_login(outsider)
    assert stranger.get("/exports/complaints.csv").status_code == 403
    assert Client().get("/exports/complaints.csv").status_code == 302


def test_api_downloads_match_the_web_and_refuse_an_unknown_format(world, outsider):
    client = Client(headers={"Authorization": f"Bearer {issue_token(world.member('pk-liaison'))[1]}"})
    _, rows, _ = csv_rows(body(client.get("/api/v1/exports/complaints.csv?category=trade_obstruction")))
    assert [row[0] for row in rows] == [world.p3.public_code]
    geo = json.loads(body(client.get("/api/v1/exports/crossings.geojson")))
    assert geo["type"] == "FeatureCollection"
    sheet, _ = xlsx_rows(body(client.get("/api/v1/exports/intel.xlsx")))
    assert sheet[0] == CSV_HEADER
    wrong = client.get("/api/v1/exports/complaints.pdf")
    assert wrong.status_code == 422 and wrong["Content-Type"].startswith("application/problem+json")
    assert client.get("/api/v1/exports/complaints.csv?state=lost").status_code == 422
    assert client.get("/api/v1/exports/events.csv?source=acled").status_code == 422
    stranger = Client()
    stranger.force_login(outsider)
    _, rows, _ = csv_rows(body(stranger.get("/api/v1/exports/complaints.csv")))
    assert rows == []


def test_export_queries_do_not_grow_with_rows(world, af_liaison):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = web(af_liaison)

    def count(url: str) -> int:
        body(client.get(url))
        with CaptureQueriesContext(connection) as captured:
            body(client.get(url))
        return len(captured)

    urls = ["/exports/complaints.csv", "/exports/complaints.geojson", "/exports/intel.csv"]
    before = [count(url) for url in urls]
    for _ in range(12):
        file_complaint(af_liaison, khost_strike_draft())
    assert [count(url) for url in urls] == before


def test_acled_csv_has_the_codebook_columns_and_reads_back(world, tmp_path: Path):
    from ceasefire.ingest.importer import stream_batches
    from ceasefire.ingest.sources import formats
    from ceasefire.ingest.sources.acled.layout import CODEBOOK_COLUMNS

    data = body(web(world.member("tr-secretariat")).get("/exports/determined-incidents.acled.csv"))
    header, rows, comments = csv_rows(data)
    assert header == list(CODEBOOK_COLUMNS) and comments == []
    assert len(rows) == 1  # A1's incident: the only determination in effect
    row = dict(zip(header, rows[0], strict=True))
    assert row["event_id_cnty"] == world.a1.incident.public_code
    assert (row["event_type"], row["sub_event_type"]) == ("Explosions/Remote violence", "Air/drone strike")
    assert row["event_date"] == "25-11-2025"  # 20:00 UTC on the 24th is the 25th in Kabul
    assert (row["country"], row["iso"], row["iso3"]) == ("Afghanistan", "4", "AFG")
    assert row["fatalities"] == "3"  # ACLED's rule: the lowest figure claimed (PK's 3, AF's 10)
    assert "Killed as claimed: AF 10; PK 3." in row["notes"]
    assert "Breach confirmed; responsible party PK; commitments C2" in row["notes"]
    assert (row["inter1"], row["inter2"], row["interaction"]) == ("1", "7", "17")
    path = tmp_path / "ours.csv"
    path.write_bytes(data)
    stream = stream_batches(formats()["acled"], path, path.name, 100)
    parsed = [parsed for batch in stream.batches for _line, parsed, _hash in batch.rows]
    assert len(parsed) == 1 and parsed[0].category == "air_strike"


def test_acled_types_exist_for_every_category():
    from ceasefire.analytics.exports_acled import acled_types
    from ceasefire.incidents.enums import Category
    from ceasefire.ingest.sources.acled.categories import SUB_EVENT_TYPES

    for category in Category.values:
        event_type, sub_event_type = acled_types(category)
        assert f"{event_type}/{sub_event_type}" in SUB_EVENT_TYPES


def test_acled_csv_for_a_party_holds_what_it_sees(world):
    _, rows, _ = csv_rows(body(web(world.member("af-viewer")).get("/exports/determined-incidents.acled.csv")))
    assert [r[2] for r in rows] == [world.a1.incident.public_code]
    api = Client(headers={"Authorization": f"Bearer {issue_token(world.member('pk-viewer'))[1]}"})
    _, rows, _ = csv_rows(body(api.get("/api/v1/exports/determined-incidents.acled.csv")))
    assert len(rows) == 1


def test_list_pages_link_their_downloads_with_their_filters(world):
    client = web(world.member("af-viewer"))
    html = client.get("/complaints/?category=air_strike").content.decode()
    assert 'href="/exports/complaints.csv?category=air_strike"' in html
    assert 'href="/exports/complaints.xlsx?category=air_strike"' in html
    assert 'href="/exports/events.geojson?source=ucdp"' in client.get("/events/?source=ucdp").content.decode()
    assert 'href="/exports/crossings.csv"' in client.get("/border/").content.decode()
