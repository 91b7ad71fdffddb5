"""Journey through every page a liaison officer uses, in English and in Pashto, watching the console: no
JavaScript error and no Content Security Policy violation (the policy is sent, so a violation would show).

Every other journey is watched the same way by the `open_as` fixture; this one makes the claim on its own.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from e2e_pages import COMPLAINT_MARKER, LINE_PATH
from e2e_support import FiledComplaint, Tab
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

OpenAs = Callable[[str | None], Tab]


def test_pages_log_no_script_error_or_csp_violation_when_browsed_in_two_languages(
    open_as: OpenAs, filed_complaint: FiledComplaint
) -> None:
    tab = open_as("af-liaison")
    page = tab.page
    pages = ["/", "/complaints/", "/complaints/?q=Ghazni", filed_complaint.url, "/complaints/new/", "/map/"]
    for language in ("en", "ps"):
        if language == "ps":
            page.goto("/")
            page.locator("#language").select_option("ps")
            expect(page.locator("html")).to_have_attribute("lang", "ps")
        for path in pages:
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            policy = response.headers.get("content-security-policy", "")
            assert "script-src 'self' 'nonce-" in policy, path
            if path == "/map/":
                expect(page.locator(f"#overview-map {LINE_PATH}")).to_have_count(1)
                expect(page.locator(f"#overview-map {COMPLAINT_MARKER}").first).to_be_visible()
            if path == "/complaints/new/":
                expect(page.locator(f"#pick-map {LINE_PATH}")).to_have_count(1)
            page.wait_for_load_state("networkidle")
    assert tab.watch.errors == []
