"""Error pages: 404, 403, CSRF failure and 500 in the site's layout and language, each with a way home."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import permission_denied, server_error
from support import login

pytestmark = pytest.mark.integration


def _in_pashto(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "ps", "next": "/"})


def test_unknown_address_gets_404_page_in_site_layout(client, af_liaison):
    login(client, "af-liaison")
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in body
    assert 'class="site-header"' in body and 'class="site-footer"' in body
    assert f'class="button primary" href="{reverse("web:home")}"' in body


def test_404_page_is_the_same_for_every_person_and_address(client, af_liaison, pk_liaison):
    # Nothing of who asked or what was asked for: no user name, no per-response CSRF token or CSP nonce.
    login(client, "af-liaison")
    first = client.get("/no-such-page/").content
    client.logout()
    login(client, "pk-liaison")
    second = client.get("/complaints/CMP-2025-ZZZZ/").content
    assert first == second
    assert b"af-liaison" not in first and b"csrfmiddlewaretoken" not in first and b"nonce" not in first


def test_404_page_in_pashto_is_translated_and_rtl(client, af_liaison):
    login(client, "af-liaison")
    _in_pashto(client)
    body = client.get("/no-such-page/").content.decode()
    assert '<html lang="ps" dir="rtl">' in body
    assert "پاڼه و نه موندل شوه" in body  # "Page not found"
    assert "Page not found" not in body


def test_404_page_for_signed_out_visitor_has_no_navigation(client, mechanism):
    body = client.get("/no-such-page/").content.decode()
    assert "Page not found" in body
    assert 'class="main-nav"' not in body


def test_api_keeps_problem_json_for_unknown_complaint(client, af_liaison):
    login(client, "af-liaison")
    response = client.get("/api/v1/complaints/CMP-2025-ZZZZ")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_403_page_is_translated_with_way_home(rf: RequestFactory):
    request = rf.get("/somewhere/")
    with translation.override("ps"):
        response = permission_denied(request, exception=None)
    body = response.content.decode()
    assert response.status_code == 403
    assert 'dir="rtl"' in body and "ستاسو رول دا کار نه پرېږدي" in body
    assert f'href="{reverse("web:home")}"' in body


def test_500_page_renders_without_database_or_request(rf: RequestFactory):
    # No `db` fixture: any database query while rendering would fail this test.
    with translation.override("ps"):
        response = server_error(rf.get("/broken/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="ps" dir="rtl">' in body
    assert "په سرور کې یوه ستونزه پېښه شوه" in body  # "Something went wrong on the server"
    assert f'href="{reverse("web:home")}"' in body
    assert "<script" not in body  # no CSP nonce exists there, so no script is offered


def test_500_page_in_english_is_ltr(rf: RequestFactory):
    with translation.override("en"):
        body = server_error(rf.get("/broken/")).content.decode()
    assert '<html lang="en" dir="ltr">' in body
    assert "Something went wrong on the server" in body


def test_csrf_failure_gets_translated_page_not_djangos(mechanism):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("web:login"), {"username": "af-liaison", "password": "x"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "The form has expired" in body and "nothing was saved" in body
    assert f'href="{reverse("web:home")}"' in body
