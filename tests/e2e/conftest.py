"""Fixtures of the browser journeys: one real server and one Chromium for the whole pass, each persona signed in
once through the sign-in form, and the complaint af-liaison files by clicking on the map.

Nothing here touches pytest-django's test database: the journeys speak to the server over HTTP only. Every
persona signs in before any journey runs (the `sessions` fixture), because the rate-limit journey locks the
sign-in form for the whole address, as it should.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import e2e_server
import pytest
from e2e_pages import (
    PUBLIC_CODE,
    ComplaintInput,
    click_map_at,
    fill_complaint,
    open_filing_form,
    sign_in,
    submit_complaint,
)
from e2e_support import (
    CHROMIUM_ARGS,
    CSP_WATCH,
    VIEWPORT,
    ConsoleWatch,
    FiledComplaint,
    Tab,
    artifacts_dir,
    chromium_path,
    screenshot,
    tiny_png,
)
from playwright.sync_api import Browser, BrowserContext, expect, sync_playwright

PERSONAS = ("af-liaison", "pk-liaison", "tr-investigator", "tr-secretariat", "tr-adjudicator", "qa-adjudicator")
# Generous waits: the pass shares small machines with other work; Playwright returns as soon as the page is ready.
expect.set_options(timeout=15_000)
# Deep on the Afghan side (Ghazni province), far from every crossing, so its marker is never hidden by one.
MAP_CLICK = (33.55, 68.42)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[e2e_server.Server]:
    running = e2e_server.start(tmp_path_factory.mktemp("ceasefire-e2e"), artifacts_dir() / "server.log")
    yield running
    e2e_server.stop(running)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_context(chromium: Browser, server: e2e_server.Server, state: Any = None) -> BrowserContext:
    context = chromium.new_context(
        base_url=server.url, viewport=VIEWPORT, locale="en-US", storage_state=state, accept_downloads=True
    )
    context.add_init_script(CSP_WATCH)
    context.set_default_timeout(20_000)
    return context


def _fail_on_console(watches: list[ConsoleWatch]) -> None:
    errors = [error for watch in watches for error in watch.errors]
    if errors:
        pytest.fail("JavaScript errors or CSP violations:\n" + "\n".join(errors), pytrace=False)


@pytest.fixture(scope="session")
def sessions(chromium: Browser, server: e2e_server.Server) -> Iterator[dict[str, Any]]:
    """Each persona signed in through the form once; their cookies for every later context."""
    states: dict[str, Any] = {}
    watches = []
    for username in PERSONAS:
        context = _new_context(chromium, server)
        page = context.new_page()
        watch = ConsoleWatch(f"sign-in {username}")
        watch.attach(page)
        watches.append(watch)
        sign_in(page, server.url, username, e2e_server.PASSWORD)
        expect(page).to_have_url(server.url + "/")
        expect(page.get_by_role("heading", name="Overview")).to_be_visible()
        if username == "af-liaison":
            screenshot(page, "01-af-liaison-home")
        states[username] = context.storage_state()
        context.close()
    _fail_on_console(watches)
    yield states


@pytest.fixture
def open_as(
    chromium: Browser, server: e2e_server.Server, sessions: dict[str, Any]
) -> Iterator[Callable[[str | None], Tab]]:
    """open_as("pk-liaison") → a fresh signed-in tab; open_as(None) → signed out. Console errors fail the test."""
    contexts: list[BrowserContext] = []
    watches: list[ConsoleWatch] = []

    def open_tab(username: str | None) -> Tab:
        context = _new_context(chromium, server, sessions[username] if username else None)
        contexts.append(context)
        page = context.new_page()
        watch = ConsoleWatch(username or "signed out")
        watch.attach(page)
        watches.append(watch)
        return Tab(page, watch)

    yield open_tab
    for context in contexts:
        context.close()
    _fail_on_console(watches)


@pytest.fixture(scope="session")
def filed_complaint(
    chromium: Browser, server: e2e_server.Server, sessions: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> FiledComplaint:
    """af-liaison files an air strike, placed by clicking the map, with a PNG photo as evidence."""
    photo: Path = tmp_path_factory.mktemp("evidence") / "ghazni-strike-photo.png"
    photo.write_bytes(tiny_png(seed=7))
    data = ComplaintInput(
        title="E2E drone strike near Ghazni",
        place_description="Compound east of the Ghazni road",
        evidence=[photo],
        killed_civilian=4,
    )
    context = _new_context(chromium, server, sessions["af-liaison"])
    page = context.new_page()
    watch = ConsoleWatch("filing by map click")
    watch.attach(page)
    open_filing_form(page, server.url)
    fill_complaint(page, data)
    click_map_at(page, *MAP_CLICK)
    latitude = float(page.locator("#id_latitude").input_value())
    longitude = float(page.locator("#id_longitude").input_value())
    screenshot(page, "02-filing-form-map-click")
    submit_complaint(page)
    expect(page).to_have_url(PUBLIC_CODE)
    code = PUBLIC_CODE.search(page.url)
    assert code is not None
    download = page.get_by_role("link", name="Download")
    expect(download).to_have_count(1)
    filed = FiledComplaint(
        code=code.group(),
        title=data.title,
        url=page.url,
        evidence_name=photo.name,
        evidence_bytes=photo.read_bytes(),
        evidence_url=server.url + (download.get_attribute("href") or ""),
        latitude=latitude,
        longitude=longitude,
    )
    context.close()
    _fail_on_console([watch])
    return filed
