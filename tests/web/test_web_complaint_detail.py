"""A complaint's page: incident facts in the user's time zone and precision, claims apart, evidence, 404s."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from support import khost_strike_draft, login
from web_helpers import png_bytes

from ceasefire.incidents.models import Evidence
from ceasefire.incidents.services import file_complaint

pytestmark = pytest.mark.integration


def _detail(client, complaint):
    return client.get(reverse("web:complaint-detail", args=[complaint.public_code]))


def test_detail_shows_incident_facts_to_complainant(client, af_complaint):
    login(client, "af-liaison")
    response = _detail(client, af_complaint)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Khost" in body
    assert "Afghan side" in body
    assert "reference line" in body
    assert "Natural Earth" in body
    assert "C2" in body and "Pakistani security forces" in body
    # 20:00 UTC in Asia/Kabul (UTC+4:30), hour precision: 25 Nov 2025, 00:30 – 06:30
    assert "25 Nov 2025, 00:30 – 06:30" in body


def test_detail_shows_only_date_for_day_precision(client, af_liaison):
    complaint = file_complaint(
        af_liaison,
        khost_strike_draft(
            time_precision="day",
            starts_at=dt.datetime(2025, 11, 24, 20, 0, tzinfo=dt.UTC),
            ends_at=dt.datetime(2025, 11, 24, 21, 0, tzinfo=dt.UTC),
        ),
    )
    login(client, "af-liaison")
    body = _detail(client, complaint).content.decode()
    assert "25 Nov 2025" in body
    assert "00:30" not in body


def test_detail_not_found_for_respondent_before_notice(client, af_complaint, pk_liaison):
    login(client, "pk-liaison")
    assert _detail(client, af_complaint).status_code == 404


def test_detail_not_found_for_unknown_code(client, af_liaison):
    login(client, "af-liaison")
    assert client.get(reverse("web:complaint-detail", args=["CMP-2025-XXXX"])).status_code == 404


def test_detail_groups_casualty_claims_by_claimant(client, af_complaint, tr_investigator):
    login(client, "tr-investigator")
    response = _detail(client, af_complaint)
    groups = response.context["claims_by_party"]
    assert [party.code for party, _ in groups] == ["AF"]
    assert "Claimed by Afghanistan" in response.content.decode()


def test_detail_add_evidence_stores_file_and_shows_it(client, af_complaint):
    login(client, "af-liaison")
    upload = SimpleUploadedFile("crater.png", png_bytes(), content_type="image/png")
    response = client.post(reverse("web:complaint-add-evidence", args=[af_complaint.public_code]), {"files": [upload]})
    assert response.status_code == 302
    evidence = Evidence.objects.get(complaint=af_complaint)
    assert evidence.stored_file.media_type == "image/png"
    body = _detail(client, af_complaint).content.decode()
    assert "crater.png" in body
    assert evidence.stored_file.sha256[:12] in body
    assert "Chain of custody" in body


def test_detail_add_evidence_refuses_executable_and_saves_nothing(client, af_complaint):
    login(client, "af-liaison")
    upload = SimpleUploadedFile("tool.exe", b"MZ\x90\x00" + b"\x00" * 60, content_type="image/png")
    response = client.post(reverse("web:complaint-add-evidence", args=[af_complaint.public_code]), {"files": [upload]})
    assert response.status_code == 422
    assert "Windows executable" in response.content.decode()
    assert not Evidence.objects.filter(complaint=af_complaint).exists()


def test_detail_htmx_request_returns_only_evidence_partial(client, af_complaint):
    login(client, "af-liaison")
    response = client.get(reverse("web:complaint-detail", args=[af_complaint.public_code]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="evidence"')
    assert "<html" not in body
