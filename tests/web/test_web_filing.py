"""Filing a complaint in the browser: the happy path with evidence, each bad input next to its field, 403s."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from support import login
from web_helpers import filing_form, png_bytes

from ceasefire.incidents.models import Complaint, Evidence, Incident
from ceasefire.ledger.models import LogEntry

pytestmark = pytest.mark.integration


def _post(client, data):
    return client.post(reverse("web:complaint-new"), data)


def test_filing_form_shown_to_liaison(client, af_liaison):
    login(client, "af-liaison")
    response = client.get(reverse("web:complaint-new"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="killed_civilian_best"' in body
    assert 'id="pick-map"' in body


def test_filing_with_evidence_creates_complaint_and_redirects(client, af_liaison):
    login(client, "af-liaison")
    data = filing_form(evidence=[SimpleUploadedFile("house.png", png_bytes(), content_type="image/png")])
    response = _post(client, data)
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("web:complaint-detail", args=[complaint.public_code])
    assert complaint.complainant.code == "AF" and complaint.respondent.code == "PK"
    assert sorted(c.code for c in complaint.commitments.all()) == ["C2", "C3"]
    assert complaint.incident.province == "Khost"
    # 00:30 in Asia/Kabul is 20:00 UTC the day before.
    assert complaint.incident.starts_at.isoformat() == "2025-11-24T20:00:00+00:00"
    claim = complaint.casualty_claims.get()
    assert (claim.kind, claim.status, claim.best) == ("killed", "civilian", 10)
    evidence = Evidence.objects.get(complaint=complaint)
    assert evidence.filename == "house.png" and evidence.stored_file.media_type == "image/png"


def test_filing_with_gazetteer_place_records_place(client, af_liaison):
    from ceasefire.geo.models import Place

    place = Place.objects.filter(admin1="Khowst").first()
    login(client, "af-liaison")
    response = _post(
        client,
        filing_form(place_id=str(place.pk), latitude=str(place.latitude), longitude=str(place.longitude)),
    )
    assert response.status_code == 302
    assert Complaint.objects.get().incident.place == place


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"category": ""}, "category", "This field is required."),
        ({"narrative": "   "}, "narrative", "This field is required."),
        (
            {"starts_at": "2025-11-25T06:30", "ends_at": "2025-11-25T00:30"},
            "ends_at",
            "The end of the time window is before its start.",
        ),
        (
            {"starts_at": "2099-01-01T00:00", "ends_at": ""},
            "starts_at",
            "The incident cannot start in the future.",
        ),
        ({"latitude": "48.85", "longitude": "2.35"}, "latitude", "outside the mechanism&#x27;s area"),
        ({"latitude": "abc"}, "latitude", "Enter a number."),
        ({"commitments": []}, "commitments", "This field is required."),
        ({"commitments": ["C99"]}, "commitments", "Select a valid choice."),
        ({"respondent": "AF"}, "respondent", "Select a valid choice."),
        (
            {"killed_civilian_best": "5", "killed_civilian_low": "9"},
            "killed_civilian_best",
            "The low estimate is above the best estimate.",
        ),
        (
            {"killed_civilian_best": "", "killed_civilian_high": "9"},
            "killed_civilian_best",
            "Give a best estimate",
        ),
        ({"injured_unknown_best": "-3"}, "injured_unknown_best", "greater than or equal to 0"),
        ({"place_id": "999999"}, "place_id", "Unknown gazetteer place."),
        ({"title": "x" * 201}, "title", "at most 200 characters"),
    ],
)
def test_filing_bad_input_shows_message_next_to_field_and_saves_nothing(client, af_liaison, overrides, field, message):
    login(client, "af-liaison")
    entries = LogEntry.objects.count()
    response = _post(client, filing_form(**overrides))
    assert response.status_code == 422
    assert message in str(response.context["form"].errors.get(field)) or message in " ".join(
        response.context["form"].errors.get(field, [])
    )
    body = response.content.decode()
    assert message in body
    assert "nothing was saved" in body
    assert not Complaint.objects.exists() and not Incident.objects.exists()
    assert LogEntry.objects.count() == entries


def test_filing_bad_evidence_file_shows_message_and_saves_nothing(client, af_liaison):
    login(client, "af-liaison")
    bad = SimpleUploadedFile("page.html", b"<html><script>alert(1)</script></html>", content_type="image/png")
    response = _post(client, filing_form(evidence=[bad]))
    assert response.status_code == 422
    assert "page.html" in " ".join(response.context["form"].errors["evidence"])
    assert not Complaint.objects.exists()
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("username", ["af-viewer", "tr-investigator", "pk-analyst"])
def test_filing_forbidden_for_non_liaison(client, mechanism, username):
    login(client, username)
    assert client.get(reverse("web:complaint-new")).status_code == 403
    assert _post(client, filing_form()).status_code == 403
    assert not Complaint.objects.exists()


def test_filing_link_hidden_for_viewer(client, af_viewer):
    login(client, "af-viewer")
    assert reverse("web:complaint-new") not in client.get(reverse("web:home")).content.decode()


def test_place_search_returns_matching_places(client, af_liaison):
    login(client, "af-liaison")
    response = client.get(reverse("web:place-search"), {"place_search": "Khost"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "place-choice" in body
    assert "data-lat=" in body and "data-place-id=" in body
    assert "<html" not in body


def test_filing_form_isolates_commitment_and_actor_labels(client, af_liaison):
    login(client, "af-liaison")
    body = client.get(reverse("web:complaint-new")).content.decode()
    # English data text on a right-to-left page keeps its punctuation: each choice's text is in its own <bdi>.
    assert re.search(r'value="C1"[^>]*>\s*<bdi>C1 — [^<]+\.</bdi>', body)
    assert re.search(r'value="pk-forces"[^>]*>\s*<bdi>Pakistani security forces</bdi>', body)


def test_refused_filing_with_files_says_to_attach_them_again(client, af_liaison):
    login(client, "af-liaison")
    files = [
        SimpleUploadedFile("a.png", png_bytes(), content_type="image/png"),
        SimpleUploadedFile("b.png", png_bytes(3, 3), content_type="image/png"),
    ]
    response = _post(client, filing_form(narrative="", evidence=files))
    body = response.content.decode()
    assert response.status_code == 422
    assert "The 2 files you chose were not kept: attach them again before you submit." in body
    assert not Complaint.objects.exists()


def test_refused_filing_without_files_does_not_mention_files(client, af_liaison):
    login(client, "af-liaison")
    body = _post(client, filing_form(narrative="")).content.decode()
    assert "attach" not in body


def test_refused_evidence_upload_says_to_choose_files_again(client, af_complaint):
    login(client, "af-liaison")
    bad = SimpleUploadedFile("tool.exe", b"MZ\x90\x00rest", content_type="application/octet-stream")
    response = client.post(reverse("web:complaint-add-evidence", args=[af_complaint.public_code]), {"files": [bad]})
    assert response.status_code == 422
    assert "Browsers cannot keep chosen files after a refused form: choose them again." in response.content.decode()
