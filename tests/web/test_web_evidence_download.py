"""Evidence download: the original bytes, safe headers, a custody entry; invisible evidence is absent."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from support import login
from web_helpers import png_bytes

from ceasefire.incidents.drafts import EvidenceUpload
from ceasefire.incidents.models import CustodyEvent
from ceasefire.incidents.services import add_evidence

pytestmark = pytest.mark.integration


@pytest.fixture
def evidence(af_liaison, af_complaint):
    upload = EvidenceUpload(file=SimpleUploadedFile("crater.png", png_bytes()), filename="crater.png")
    return add_evidence(af_liaison, af_complaint, [upload])[0]


def _download(client, evidence):
    return client.get(reverse("web:evidence-download", args=[evidence.public_code]))


def test_download_streams_original_and_records_custody(client, evidence, af_liaison):
    login(client, "af-liaison")
    response = _download(client, evidence)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    assert "crater.png" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    event = CustodyEvent.objects.filter(evidence=evidence, action="downloaded").get()
    assert event.membership == af_liaison


def test_download_by_mediator_records_its_membership(client, evidence, qa_investigator):
    login(client, "qa-investigator")
    assert _download(client, evidence).status_code == 200
    assert CustodyEvent.objects.filter(evidence=evidence, action="downloaded", membership=qa_investigator).exists()


def test_download_not_found_for_respondent_before_notice(client, evidence, pk_liaison):
    login(client, "pk-liaison")
    assert _download(client, evidence).status_code == 404
    assert not CustodyEvent.objects.filter(action="downloaded").exists()


def test_download_not_found_for_unknown_code(client, af_liaison):
    login(client, "af-liaison")
    assert client.get(reverse("web:evidence-download", args=["EVD-2025-XXXX"])).status_code == 404
