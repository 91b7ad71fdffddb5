"""One item's pages and operations, for every persona on the items of the intelligence world: the status the
oracle allows (200, or 404 exactly as for a made-up code — never 403, nothing that tells the item exists), and no
marker of an item, a complaint or a request exchange the persona may not see in any answer.

The API's item runs on every item (every TLP × originator × recipient set); the item's page, which reaches it
through the same lookup, on a sample holding every case once (each TLP, drafts, expiry, forwards, named people,
requests in every state, links to complaints); its other reads (bundle, log, entries, edit page) on a smaller one,
its files on every file. The web surface is SQLite-only (marker `matrix`): the rule it relies on is proven on both
databases by the query-level tests beside it. Each persona's openings are undone after its test.
"""

from __future__ import annotations

import re

import pytest
from perm_intel_matrix import MADE_UP, NO_SHA, SAMPLE, SMALL_SAMPLE, edit_status, in_exchange, read_status
from perm_world import PERSONAS, body_of, header_text, searchable

pytestmark = [pytest.mark.integration, pytest.mark.matrix]

_VOLATILE = re.compile(rb'(nonce="|data-csrf-token="|csrfmiddlewaretoken" value=")[^"]*')


def _normalised(body: bytes, code: str) -> bytes:
    return _VOLATILE.sub(rb"\1", body).replace(code.encode(), b"<code>")


class Cells:
    """Asks one persona's client for URLs of one item and collects every wrong cell."""

    def __init__(self, world, persona) -> None:
        self.world, self.persona = world, persona
        self.wrong: list[str] = []
        self.unknown: dict[str, bytes] = {}

    def check(self, client, route: str, url: str, expected: int, key: str | None, code: str) -> bytes:
        response = client.get(url)
        body = body_of(response)
        cell = f"{route} GET {url} as {self.persona.key} ({key or 'made-up'})"
        if response.status_code != expected:
            self.wrong.append(f"{cell}: expected {expected}, got {response.status_code} {body[:160]!r}")
            return body
        leaked = self.world.leaks(self.persona, body, header_text(response), sent=code)
        if leaked:
            self.wrong.append(f"{cell}: LEAKS {leaked}")
        if expected == 404:
            seen = _normalised(body, code)
            if key is None:
                self.unknown[route] = seen
            elif seen != self.unknown.get(route):
                self.wrong.append(f"{cell}: its 404 differs from a made-up code's")
        if expected == 200 and key is not None and route in NAMES_ITEM and code.encode() not in searchable(body):
            self.wrong.append(f"{cell}: the answer does not name its own item")
        return body


# Answers that carry the item itself, so must name it (the receipts and entries lists need not).
NAMES_ITEM = {"web:intel-detail", "api:get_intel_item", "web:intel-stix", "api:get_intel_stix", "web:intel-log"}
# (route, surface, path, which items): the API's item on every item; the page, which reaches the item through the
# same lookup (queries.get_visible_item), on the sample of every case; the other reads on the small sample.
ITEM_ROUTES = (
    ("api:get_intel_item", "api", "/api/v1/intel/items/{code}", "all"),
    ("web:intel-detail", "web", "/intel/{code}/", "sample"),
)
SAMPLE_ROUTES = (
    ("web:intel-stix", "web", "/intel/{code}/stix.json", "small"),
    ("web:intel-log", "web", "/intel/{code}/log/", "small"),
    ("api:list_intel_receipts", "api", "/api/v1/intel/items/{code}/receipts", "small"),
    ("api:get_intel_stix", "api", "/api/v1/intel/items/{code}/stix", "small"),
    ("api:list_intel_log_entries", "api", "/api/v1/intel/items/{code}/log", "small"),
)


def _items_for(world, persona, which: str):
    """The items a route is asked for. The admin, the outsider and anonymous are turned away before any item is
    looked up (sign-in, or the no-party notice), so a few items show that the item cannot change their answer."""
    keys = {"all": tuple(world.items), "sample": SAMPLE, "small": SMALL_SAMPLE}[which]
    keys = keys if persona.is_member else keys[:3]
    return [(key, world.items[key]) for key in keys]


def _clients(world, persona):
    return {"web": world.web(persona), "api": world.api(persona)}


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.key)
def test_item_page_and_api_item_answer_exactly_when_allowed(intel_world, persona):
    world = intel_world
    cells, clients = Cells(world, persona), _clients(world, persona)
    for route, surface, path, which in ITEM_ROUTES:
        made_up = read_status(persona, _NONE, surface)
        cells.check(clients[surface], route, path.format(code=MADE_UP), made_up, None, MADE_UP)
        for key, item in _items_for(world, persona, which):
            expected = read_status(persona, item.spec, surface)
            body = cells.check(clients[surface], route, path.format(code=item.code), expected, key, item.code)
            if expected == 200 and f"{item.word}title".encode() not in body:
                cells.wrong.append(f"{route} {key} as {persona.key}: the title is missing")
    assert not cells.wrong, f"{len(cells.wrong)} wrong cells:\n" + "\n".join(cells.wrong)


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.key)
def test_item_reads_answer_exactly_when_allowed_on_the_sample(intel_world, persona):
    world = intel_world
    cells, clients = Cells(world, persona), _clients(world, persona)
    for route, surface, path, which in SAMPLE_ROUTES:
        made_up = read_status(persona, _NONE, surface)
        cells.check(clients[surface], route, path.format(code=MADE_UP), made_up, None, MADE_UP)
        for key, item in _items_for(world, persona, which):
            expected = read_status(persona, item.spec, surface)
            cells.check(clients[surface], route, path.format(code=item.code), expected, key, item.code)
    web = clients["web"]
    cells.check(web, "web:intel-edit", f"/intel/{MADE_UP}/edit/", read_status(persona, _NONE, "web"), None, MADE_UP)
    for key, item in _items_for(world, persona, "small"):
        cells.check(web, "web:intel-edit", f"/intel/{item.code}/edit/", edit_status(persona, item.spec), key, item.code)
    assert not cells.wrong, f"{len(cells.wrong)} wrong cells:\n" + "\n".join(cells.wrong)


def _file_status(persona, spec, exchange: bool) -> int:
    status = read_status(persona, spec, "web")
    if status == 200 and exchange and not in_exchange(persona, spec):
        return 404  # an action's file is the request exchange's, as its text is
    return status


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.key)
def test_files_download_exactly_when_allowed(intel_world, persona):
    world = intel_world
    cells, web = Cells(world, persona), world.web(persona)
    cells.check(
        web, "web:intel-file", f"/intel/{MADE_UP}/files/{NO_SHA}", read_status(persona, _NONE, "web"), None, MADE_UP
    )
    downloads = 0
    for key, item in world.items.items():
        shas = [(m, False) for m in item.files[1::2]] + [(m, True) for m in item.action_files[1::2]]
        for sha, exchange in shas:
            expected = _file_status(persona, item.spec, exchange)
            url = f"/intel/{item.code}/files/{sha}"
            response = web.get(url)
            cell = f"GET {url} as {persona.key} ({key}{', action' if exchange else ''})"
            if response.status_code != expected:
                cells.wrong.append(f"{cell}: expected {expected}, got {response.status_code}")
            downloads += response.status_code == 200
            # The file's name must not be sent to anyone who may not see it (Content-Disposition).
            leaked = world.leaks(
                persona,
                b"" if response.status_code == 200 else body_of(response),
                header_text(response),
                sent=item.code,
            )
            leaked = [m for m in leaked if m != sha]
            if leaked:
                cells.wrong.append(f"{cell}: LEAKS {leaked}")
    assert not cells.wrong, "\n".join(cells.wrong)
    if persona.key == "pk_liaison":
        assert downloads >= 4, "the originator downloads its own files: the cells above bite"


class _Nothing:
    """A stand-in spec for the made-up code: nobody sees it."""

    tlp = "RED"
    author = ""
    originator = ""
    state = "draft"
    expired = True
    people: frozenset[str] = frozenset()
    recipients: frozenset[str] = frozenset()
    forwarded_to: frozenset[str] = frozenset()
    request = ""
    request_to = ""


_NONE = _Nothing()
