"""The web pages of external events: upload run as a background task with visible progress, lists, the map
layer's endpoints, the export (never ACLED) and a complaint's correlation page."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from ingest_helpers import UCDP_SAMPLE, acled_csv, acled_row
from support import login

from ceasefire.core.taskqueue import run_ready_tasks
from ceasefire.ingest.enums import RunStatus
from ceasefire.ingest.models import CorrelationLink, ExternalEvent, ImportRun
from ceasefire.ingest.services import import_events, refresh_correlations

pytestmark = pytest.mark.integration


def _upload(client: Client, source: str, name: str, content: bytes):
    return client.post("/events/imports/", {"source": source, "file": SimpleUploadedFile(name, content)})


def test_upload_is_imported_by_the_queued_task_with_progress(secretariat, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client = login(Client(), "tr-secretariat")

    response = _upload(client, "ucdp", "ged.csv", UCDP_SAMPLE.read_bytes())

    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/events/imports/{run.public_code}/"
    assert run.status == RunStatus.QUEUED and ExternalEvent.objects.count() == 0
    page = client.get(response["Location"], headers={"HX-Request": "true"})
    assert b'hx-trigger="every 1s"' in page.content  # polls while queued

    assert run_ready_tasks() == 1

    run.refresh_from_db()
    assert (run.status, run.inserted, run.membership) == (RunStatus.SUCCEEDED, 310, secretariat)
    page = client.get(f"/events/imports/{run.public_code}/", headers={"HX-Request": "true"})
    assert b"every 1s" not in page.content and b"310" in page.content
    assert not any((tmp_path / "ingest" / "uploads").iterdir())  # the upload is not kept after the run


def test_upload_of_wrong_format_is_refused_at_once(secretariat, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client = login(Client(), "tr-secretariat")

    response = _upload(client, "gdelt", "ged.csv", UCDP_SAMPLE.read_bytes())

    assert response.status_code == 422
    assert "ceasefire import ucdp" in response.content.decode()
    assert ImportRun.objects.count() == 0


def test_party_members_cannot_upload(af_liaison, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client = login(Client(), "af-liaison")

    assert b'type="file"' not in client.get("/events/imports/").content
    assert _upload(client, "ucdp", "ged.csv", UCDP_SAMPLE.read_bytes()).status_code == 403
    assert ImportRun.objects.count() == 0


@pytest.fixture
def events(db, tmp_path):
    import_events(None, source="ucdp", path=UCDP_SAMPLE)
    import_events(None, source="acled", path=acled_csv(tmp_path / "a.csv", [acled_row()]))


def test_event_list_and_detail_for_members(events, af_viewer):
    client = login(Client(), "af-viewer")

    listing = client.get("/events/?source=ucdp")
    detail = client.get("/events/ucdp/146881/")

    assert listing.status_code == 200 and b"311" not in listing.content and b"310 events" in listing.content
    assert detail.status_code == 200 and b"Government of Afghanistan" in detail.content
    assert b"CC BY 4.0" in detail.content
    assert client.get("/events/ucdp/0/").status_code == 404


def test_export_carries_attribution_and_never_acled(events, analyst):
    body = b"".join(login(Client(), "pk-analyst").get("/events/export.csv").streaming_content).decode()

    assert "UCDP Georeferenced Event Dataset" in body
    assert body.count("\nucdp,") == 310
    assert "acled" not in body.split("\n", 3)[-1] and "AFG70001" not in body


def test_map_layer_endpoints(events, af_viewer):
    client = login(Client(), "af-viewer")

    hexes = json.loads(client.get("/events/map/hexagons.geojson?res=4").content)
    points = json.loads(client.get("/events/map/points.geojson?source=ucdp&bbox=60,29,75,38").content)
    months = json.loads(client.get("/events/map/timeline.json").content)["months"]

    assert sum(f["properties"]["count"] for f in hexes["features"]) == 311
    assert hexes["features"][0]["geometry"]["type"] == "Polygon"
    assert len(points["features"]) == 310
    assert sum(m["count"] for m in months) == 311 and months[0]["month"] == "2001-01"


def test_map_page_carries_the_events_layer(af_viewer):
    page = login(Client(), "af-viewer").get("/map/")

    assert b'id="events-layer"' in page.content and b"events-map.js" in page.content


def test_correlation_page_shows_candidates_to_mediators_and_decides(af_complaint, events, tmp_path, tr_investigator):
    import_events(None, source="acled", path=acled_csv(tmp_path / "k.csv", [acled_row(event_id_cnty="AFGK1")]))
    refresh_correlations(None)
    link = CorrelationLink.objects.get(event__source_id="AFGK1")
    investigator, liaison = login(Client(), "tr-investigator"), login(Client(), "af-liaison")
    url = f"/complaints/{af_complaint.public_code}/correlations/"

    assert link.public_code.encode() in investigator.get(url).content
    assert b"AFGK1" not in liaison.get(url).content

    response = investigator.post(f"/correlations/{link.public_code}/decide/", {"action": "confirm", "note": "Same."})

    assert response.status_code == 302
    assert CorrelationLink.objects.get(pk=link.pk).status == "confirmed"
    assert b"AFGK1" in liaison.get(url).content
    assert (
        login(Client(), "af-liaison")
        .post(f"/correlations/{link.public_code}/decide/", {"action": "reject"})
        .status_code
        == 404
    )


def test_refresh_button_is_for_investigators(af_complaint, events, tr_investigator, af_liaison):
    url = f"/complaints/{af_complaint.public_code}/correlations/refresh/"

    assert login(Client(), "tr-investigator").post(url).status_code == 302
    assert login(Client(), "af-liaison").post(url).status_code == 403


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_event_list_queries_do_not_grow_with_rows(af_viewer, tmp_path):
    from ingest_helpers import ucdp_csv, ucdp_row

    client = login(Client(), "af-viewer")
    import_events(None, source="ucdp", path=ucdp_csv(tmp_path / "one.csv", [ucdp_row(id="1")]))
    one = _queries(client, "/events/")
    import_events(
        None, source="ucdp", path=ucdp_csv(tmp_path / "many.csv", [ucdp_row(id=str(i)) for i in range(2, 52)])
    )

    assert _queries(client, "/events/") == one


def test_corroboration_partial_renders_confirmed_links(af_complaint, tmp_path, tr_investigator, af_liaison):
    from django.template.loader import render_to_string

    from ceasefire.ingest.queries import corroboration_for_complaint
    from ceasefire.ingest.services import decide_link

    import_events(None, source="acled", path=acled_csv(tmp_path / "k.csv", [acled_row(event_id_cnty="AFGK1")]))
    refresh_correlations(None)
    decide_link(tr_investigator, CorrelationLink.objects.get(), confirm=True)

    html = render_to_string(
        "web/ingest/complaint_corroboration.html",
        {"complaint": af_complaint, "corroboration": corroboration_for_complaint(af_complaint, af_liaison)},
    )

    assert "/events/acled/AFGK1/" in html and "Armed Conflict Location" in html
    assert f"/complaints/{af_complaint.public_code}/correlations/" in html
