"""Journey of guessing a password: after the limit of failed sign-ins, even the right password is refused with
the rate-limit message.

Every persona signed in before this runs (`sessions`), since the lock covers the whole address.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from e2e_pages import sign_in
from e2e_server import LOGIN_RATE_LIMIT, PASSWORD, Server
from e2e_support import Tab, screenshot
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

OpenAs = Callable[[str | None], Tab]
WRONG = "wrong-password-guess"


def test_sign_in_refused_with_message_when_wrong_passwords_repeat(
    open_as: OpenAs, server: Server, sessions: dict[str, Any]
) -> None:
    tab = open_as(None)
    page = tab.page
    for attempt in range(LOGIN_RATE_LIMIT):
        sign_in(page, server.url, "pk-viewer", f"{WRONG}-{attempt}")
        expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    screenshot(page, "15-login-wrong-password")

    tab.watch.allow_status(429)  # the refusal is 429 Too Many Requests
    with page.expect_response(lambda r: r.request.method == "POST" and "/login/" in r.url) as refused:
        sign_in(page, server.url, "pk-viewer", PASSWORD)  # the right password, too late
    assert refused.value.status == 429
    expect(page.get_by_role("alert")).to_have_text(
        "Too many failed sign-in attempts. Wait 15 minutes before trying again."
    )
    expect(page).to_have_url(server.url + "/login/")
    expect(page.get_by_role("button", name="Sign out (pk-viewer)")).to_have_count(0)
    screenshot(page, "16-login-rate-limited")
