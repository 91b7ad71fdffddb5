"""Languages: Pashto pages are right-to-left and in Pashto, down to month names, file sizes and service errors."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation
from support import khost_strike_draft, login
from web_helpers import filing_form, png_bytes

from ceasefire.core.errors import ValidationFailed
from ceasefire.incidents.drafts import EvidenceUpload
from ceasefire.incidents.services import file_complaint

pytestmark = pytest.mark.integration


def test_page_is_ltr_in_english(client, af_liaison):
    login(client, "af-liaison")
    body = client.get(reverse("web:home")).content.decode()
    assert '<html lang="en" dir="ltr">' in body


def test_language_switch_to_pashto_gives_rtl(client, af_liaison):
    login(client, "af-liaison")
    response = client.post("/i18n/setlang/", {"language": "ps", "next": reverse("web:complaint-list")})
    assert response.status_code == 302
    body = client.get(reverse("web:complaint-list")).content.decode()
    assert '<html lang="ps" dir="rtl">' in body
    assert "شکایتونه" in body  # "Complaints" in the navigation


def test_login_page_in_pashto_is_rtl(client, mechanism):
    client.post("/i18n/setlang/", {"language": "ps", "next": "/login/"})
    body = client.get(reverse("web:login")).content.decode()
    assert 'dir="rtl"' in body


@pytest.mark.parametrize("language", ["fa", "ur", "ar"])
def test_other_rtl_languages_are_rtl(client, af_liaison, language):
    login(client, "af-liaison")
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert 'dir="rtl"' in client.get(reverse("web:home")).content.decode()


def _pashto(client):
    client.post("/i18n/setlang/", {"language": "ps", "next": "/"})


def test_detail_in_pashto_shows_pashto_month_names(client, af_complaint):
    login(client, "af-liaison")
    _pashto(client)
    body = client.get(reverse("web:complaint-detail", args=[af_complaint.public_code])).content.decode()
    # 20:00 UTC on 24 Nov 2025 is 00:30 on 25 Nov in Asia/Kabul.
    assert "25 نومبر 2025, 00:30" in body
    assert "Nov" not in body


def test_list_in_pashto_shows_pashto_month_names(client, af_complaint):
    login(client, "af-liaison")
    _pashto(client)
    body = client.get(reverse("web:complaint-list")).content.decode()
    assert "<bdi>25 نومبر 2025, 00:30</bdi>" in body


def test_file_size_unit_in_pashto_is_translated_and_isolated(client, af_liaison):
    upload = EvidenceUpload(file=io.BytesIO(png_bytes()), filename="house.png")
    complaint = file_complaint(af_liaison, khost_strike_draft(evidence=[upload]))
    size = len(png_bytes())
    login(client, "af-liaison")
    _pashto(client)
    body = client.get(reverse("web:complaint-detail", args=[complaint.public_code])).content.decode()
    assert f"<bdi>{size}\xa0بایټه</bdi>" in body
    assert "bytes" not in body


def test_service_error_in_pashto_is_translated(client, af_liaison):
    login(client, "af-liaison")
    _pashto(client)
    response = client.post(reverse("web:complaint-new"), filing_form(ends_at="2025-11-24T00:00"))
    body = response.content.decode()
    assert response.status_code == 422
    assert "د وخت د مودې پای له پیل څخه مخکې دی." in body  # "The end of the time window is before its start."


def test_service_error_stays_english_in_english(af_liaison):
    with pytest.raises(ValidationFailed) as failure:
        file_complaint(af_liaison, khost_strike_draft(narrative="", commitments=["C99"]))
    assert failure.value.errors["narrative"] == "The narrative is empty: say what happened."
    assert failure.value.errors["commitments"] == "Unknown commitment(s) of doha-istanbul-2025: C99."


def test_refused_file_message_in_pashto_is_translated(af_liaison):
    upload = EvidenceUpload(file=io.BytesIO(b"MZ\x90\x00rest"), filename="tool.exe")
    with translation.override("ps"), pytest.raises(ValidationFailed) as failure:
        file_complaint(af_liaison, khost_strike_draft(evidence=[upload]))
    assert failure.value.errors["evidence[0]"] == (
        "tool.exe: دوتنه د وینډوز اجرايي پروګرام ده، چې د شاهد په توګه نه منل کېږي."
    )
