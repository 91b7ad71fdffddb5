"""Evidence through the API: upload checked by content, listing, and downloads in the custody chain."""

import hashlib

import pytest
from api_helpers import as_member, assert_problem, signed_in
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from ceasefire.incidents.models import CustodyEvent, Evidence, StoredFile
from ceasefire.ledger.models import LogEntry

pytestmark = pytest.mark.integration

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(200))
JPEG = b"\xff\xd8\xff\xe0" + b"JFIF" + bytes(300)


def _files(*pairs):
    return [SimpleUploadedFile(name, content, content_type="application/octet-stream") for name, content in pairs]


def _upload(client, complaint, *pairs, **fields):
    return client.post(f"/api/v1/complaints/{complaint.public_code}/evidence", data={"files": _files(*pairs), **fields})


def test_evidence_is_added_when_files_valid(af_complaint, af_liaison):
    log_size = LogEntry.objects.count()
    client = as_member(af_liaison)
    response = _upload(
        client,
        af_complaint,
        ("strike.png", PNG),
        ("house.jpg", JPEG),
        description="Photographs of the house",
        source="Khost provincial office",
    )
    assert response.status_code == 201, response.content
    items = response.json()
    assert [(e["filename"], e["media_type"]) for e in items] == [
        ("strike.png", "image/png"),
        ("house.jpg", "image/jpeg"),
    ]
    assert items[0]["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert items[0]["size"] == len(PNG)
    assert items[0]["description"] == "Photographs of the house"
    assert items[0]["source"] == "Khost provincial office"
    assert items[0]["added_by"] == "AF"
    assert items[0]["public_code"].startswith("EVD-")
    assert items[0]["download_url"] == f"/api/v1/evidence/{items[0]['public_code']}/download"
    assert LogEntry.objects.count() == log_size + 2
    assert set(CustodyEvent.objects.values_list("action", flat=True)) == {"added"}
    listed = client.get(f"/api/v1/complaints/{af_complaint.public_code}/evidence").json()
    assert [e["public_code"] for e in listed] == [e["public_code"] for e in items]
    assert client.get(f"/api/v1/complaints/{af_complaint.public_code}").json()["evidence_count"] == 2


def test_evidence_is_added_when_mediator_investigator(af_complaint, tr_investigator):
    response = _upload(as_member(tr_investigator), af_complaint, ("site.png", PNG))
    assert response.status_code == 201
    assert response.json()[0]["added_by"] == "TR"


def test_download_streams_original_and_records_custody_when_visible(af_complaint, af_liaison, tr_investigator):
    evidence = _upload(as_member(af_liaison), af_complaint, ("strike photo.png", PNG)).json()[0]
    log_size = LogEntry.objects.count()
    response = as_member(tr_investigator).get(evidence["download_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "strike photo.png" in response["Content-Disposition"]
    event = CustodyEvent.objects.get(action="downloaded")
    assert event.membership == tr_investigator
    assert event.evidence.public_code == evidence["public_code"]
    assert LogEntry.objects.count() == log_size + 1


def test_download_answers_404_when_complaint_not_visible(af_complaint, af_liaison, pk_liaison, admin):
    evidence = _upload(as_member(af_liaison), af_complaint, ("strike.png", PNG)).json()[0]
    assert_problem(as_member(pk_liaison).get(evidence["download_url"]), 404)
    assert_problem(signed_in(admin).get(evidence["download_url"]), 404)
    assert not CustodyEvent.objects.filter(action="downloaded").exists()


def test_evidence_upload_answers_404_when_complaint_not_visible(af_complaint, pk_liaison):
    assert_problem(_upload(as_member(pk_liaison), af_complaint, ("x.png", PNG)), 404)
    assert not Evidence.objects.exists()


def test_evidence_upload_is_forbidden_when_viewer(af_complaint, af_viewer):
    assert_problem(_upload(as_member(af_viewer), af_complaint, ("x.png", PNG)), 403)
    assert not Evidence.objects.exists()


def test_evidence_is_refused_when_file_oversize(af_complaint, af_liaison):
    with override_settings(EVIDENCE_MAX_BYTES=100):
        response = _upload(as_member(af_liaison), af_complaint, ("strike.png", PNG))
    body = assert_problem(response, 422, "files.0")
    assert "larger than the limit" in body["errors"]["files.0"]
    assert not Evidence.objects.exists() and not StoredFile.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("report.pdf", b"MZ\x90\x00" + bytes(100), "Windows executable"),
        ("photo.png", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "HTML"),
        ("empty.png", b"", "empty"),
    ],
)
def test_evidence_is_refused_when_content_disallowed(af_complaint, af_liaison, name, content, says):
    body = assert_problem(_upload(as_member(af_liaison), af_complaint, (name, content)), 422, "files.0")
    assert says in body["errors"]["files.0"]
    assert not Evidence.objects.exists() and not StoredFile.objects.exists()


def test_evidence_keeps_nothing_when_one_of_several_files_bad(af_complaint, af_liaison):
    response = _upload(as_member(af_liaison), af_complaint, ("ok.png", PNG), ("bad.exe", b"MZ" + bytes(50)))
    assert_problem(response, 422, "files.1")
    assert not Evidence.objects.exists()


def test_evidence_is_refused_when_no_files_sent(af_complaint, af_liaison):
    response = as_member(af_liaison).post(
        f"/api/v1/complaints/{af_complaint.public_code}/evidence", data={"description": "nothing attached"}
    )
    assert_problem(response, 422, "files")


def test_evidence_upload_needs_csrf_when_session(af_complaint, af_liaison):
    client = signed_in(af_liaison, enforce_csrf_checks=True)
    assert_problem(_upload(client, af_complaint, ("x.png", PNG)), 403)
    assert not Evidence.objects.exists()
