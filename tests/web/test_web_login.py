"""Sign-in, its rate limit, sign-out, and that every page but the login asks for it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from support import PASSWORD, login

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _attempt(client, username, password, address="10.0.0.1"):
    return client.post(reverse("web:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_login_succeeds_with_right_password(client, af_liaison):
    response = _attempt(client, "af-liaison", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("web:home")


def test_login_fails_with_wrong_password(client, af_liaison):
    response = _attempt(client, "af-liaison", "wrong-password")
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_login_refused_after_rate_limit_for_same_username(client, af_liaison, settings):
    settings.LOGIN_RATE_LIMIT = 3
    for i in range(3):
        _attempt(client, "af-liaison", "wrong", address=f"10.0.0.{i + 1}")
    response = _attempt(client, "af-liaison", PASSWORD, address="10.0.0.99")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_refused_after_rate_limit_from_same_address(client, af_liaison, pk_liaison, settings):
    settings.LOGIN_RATE_LIMIT = 3
    for name in ("nobody-1", "nobody-2", "nobody-3"):
        _attempt(client, name, "wrong")
    assert _attempt(client, "pk-liaison", PASSWORD).status_code == 429
    assert _attempt(client, "pk-liaison", PASSWORD, address="10.9.9.9").status_code == 302


def test_login_allowed_below_rate_limit(client, af_liaison, settings):
    settings.LOGIN_RATE_LIMIT = 3
    for _ in range(2):
        _attempt(client, "af-liaison", "wrong")
    assert _attempt(client, "af-liaison", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "name",
    [
        "web:home",
        "web:complaint-list",
        "web:complaint-new",
        "web:map",
        "web:map-complaints",
        "web:place-search",
    ],
)
def test_page_redirects_to_login_when_signed_out(client, mechanism, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("web:login"))


def test_logout_signs_out_on_post(client, af_liaison):
    login(client, "af-liaison")
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 302


def test_admin_login_goes_through_rate_limited_login(client, mechanism):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("web:login"))
