"""Languages: switching to Pashto gives a right-to-left page in Pashto; English stays left-to-right."""

from __future__ import annotations

import pytest
from django.urls import reverse
from web_helpers import sign_in

pytestmark = pytest.mark.integration


def test_page_is_ltr_in_english(client, af_liaison):
    sign_in(client, "af-liaison")
    body = client.get(reverse("web:home")).content.decode()
    assert '<html lang="en" dir="ltr">' in body


def test_language_switch_to_pashto_gives_rtl(client, af_liaison):
    sign_in(client, "af-liaison")
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
    sign_in(client, "af-liaison")
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert 'dir="rtl"' in client.get(reverse("web:home")).content.decode()
