"""API v1 of external events: UCDP and GDELT rows with attribution (never ACLED), imports, correlations."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from ingest_helpers import UCDP_SAMPLE, acled_csv, acled_row

from ceasefire.core.services import issue_token
from ceasefire.core.taskqueue import run_ready_tasks
from ceasefire.ingest.models import CorrelationLink, ImportRun
from ceasefire.ingest.services import import_events, refresh_correlations

pytestmark = pytest.mark.integration


def api(member) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_token(member, name='t')[1]}"})


@pytest.fixture
def events(db, tmp_path):
    import_events(None, source="ucdp", path=UCDP_SAMPLE)
    import_events(None, source="acled", path=acled_csv(tmp_path / "a.csv", [acled_row()]))


def test_events_list_serves_exportable_sources_with_attribution(events, pk_viewer):
    body = api(pk_viewer).get("/api/v1/events?limit=5").json()

    assert body["count"] == 310
    assert {e["source"] for e in body["items"]} == {"ucdp"}
    assert body["items"][0]["attribution"].startswith("UCDP Georeferenced Event Dataset")
    assert body["attribution"] == [body["items"][0]["attribution"]]


def test_acled_rows_are_not_served(events, pk_viewer):
    client = api(pk_viewer)

    assert client.get("/api/v1/events?source=acled").status_code == 422
    assert client.get("/api/v1/events/acled/AFG70001").status_code == 404
    assert client.get("/api/v1/events/ucdp/146881").json()["actor2"] == "UIFSA"


def test_upload_through_api_then_poll_the_run(secretariat, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client = api(secretariat)

    response = client.post(
        "/api/v1/imports", {"source": "ucdp", "file": SimpleUploadedFile("ged.csv", UCDP_SAMPLE.read_bytes())}
    )

    assert response.status_code == 202 and response.json()["status"] == "queued"
    run_ready_tasks()
    polled = client.get(response["Location"]).json()
    assert (polled["status"], polled["inserted"], polled["progress_percent"]) == ("succeeded", 310, 100)


def test_upload_refused_for_parties_and_bad_files(af_liaison, secretariat, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    file = SimpleUploadedFile("ged.csv", UCDP_SAMPLE.read_bytes())

    assert api(af_liaison).post("/api/v1/imports", {"source": "ucdp", "file": file}).status_code == 403
    wrong = api(secretariat).post(
        "/api/v1/imports", {"source": "acled", "file": SimpleUploadedFile("g.csv", UCDP_SAMPLE.read_bytes())}
    )
    assert wrong.status_code == 422 and "ceasefire import ucdp" in wrong.json()["errors"]["file"]
    assert ImportRun.objects.count() == 0


def test_correlations_decided_through_the_api(af_complaint, tmp_path, tr_investigator, af_liaison):
    import_events(None, source="acled", path=acled_csv(tmp_path / "k.csv", [acled_row(event_id_cnty="AFGK1")]))
    refresh_correlations(None)
    link = CorrelationLink.objects.get()
    investigator = api(tr_investigator)
    url = f"/api/v1/complaints/{af_complaint.public_code}/correlations"

    assert [item["code"] for item in investigator.get(url).json()] == [link.public_code]
    assert api(af_liaison).get(url).json() == []
    denied = api(af_liaison).post(
        f"/api/v1/correlations/{link.public_code}/decision", {"confirm": True}, content_type="application/json"
    )
    assert denied.status_code == 404

    decided = investigator.post(
        f"/api/v1/correlations/{link.public_code}/decision",
        {"confirm": True, "note": "ok"},
        content_type="application/json",
    )

    assert decided.status_code == 200 and decided.json()["status"] == "confirmed"
    assert [item["event"] for item in api(af_liaison).get(url).json()] == ["acled:AFGK1"]
    refreshed = investigator.post(f"{url}/refresh")
    assert refreshed.status_code == 200 and refreshed.json() == {"candidates": 0}
