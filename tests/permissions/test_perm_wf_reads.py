"""Every GET route and API read, by every persona, on the full world (a complaint in every workflow state, both
ways): the status declared in perm_matrix.py, and no leak in any answer.

A leak is any marker of a record the persona may not see (code, incident, evidence, file name, title, narrative)
and, for anyone but a mediator, any marker of mediator-only material of ANY record (investigation notes, tasks and
their results, grades, corroborations, findings, the secretariat's assignment note, draft determinations signed
once or superseded): perm_world.assert_no_leak. Then the surfaces that count: lists, totals, the map, home,
notifications (list, unread count, the private Atom feed) and the deadline board.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from perm_matrix import API_OPERATIONS, UNKNOWN, WEB_ROUTES, concrete, sent_code
from perm_states import WORKFLOW_RECORDS
from perm_wf_matrix import BASE_STAGES
from perm_world import PERSONAS, assert_no_leak, body_of, header_text, leaks_in, searchable

from ceasefire.verification.models import Notification
from ceasefire.verification.notify import feed_key_of

pytestmark = pytest.mark.integration

COMPLAINT_CODE = re.compile(rb"CMP-\d{4}-[0-9A-Z]{4,}")
_VOLATILE = re.compile(rb'(nonce="|data-csrf-token="|csrfmiddlewaretoken" value=")[^"]*')
# Notification kinds only mediators are told of (written here, not read from the code under test).
MEDIATOR_ONLY_KINDS = {"submitted", "assigned", "task_added", "findings", "draft_determination", "signed"}


def _state_of(key: str) -> str:
    if key in BASE_STAGES:
        return {"draft": "draft", "submitted": "submitted", "notified": "notified"}[BASE_STAGES[key][1]]
    return WORKFLOW_RECORDS[key].state


def _normalised(body: bytes, code: str) -> bytes:
    body = _VOLATILE.sub(rb"\1", body)
    return body.replace(code.encode(), b"<code>") if code else body


def _get_routes():
    web = [(n, r.path, r.expect, r.record, "web") for n, r in WEB_ROUTES.items() if r.expect is not None]
    api = [(f"{m} {p}", o.path, o.expect, o.record, "api") for (m, p), o in API_OPERATIONS.items() if m == "GET"]
    return web + api


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.key)
def test_every_read_answers_as_declared_without_leak_on_every_state(full_world, persona):
    world = full_world
    clients = {"web": world.web(persona), "api": world.api(persona)}
    wrong: list[str] = []
    for name, path, expect, kind, surface in _get_routes():
        records = [UNKNOWN, *world.records] if kind else [None]
        unknown_404 = None
        for record in records:
            url = concrete(path, world, kind, record)
            code = sent_code(world, kind, record)
            response = clients[surface].get(url)
            body = body_of(response)
            expected = expect(persona, record)
            cell = f"{name} GET {url} as {persona.key} ({record or '-'})"
            if response.status_code != expected:
                wrong.append(f"{cell}: expected {expected}, got {response.status_code}")
                continue
            leaked = leaks_in(world, persona, body, header_text(response), sent=code)
            if leaked:
                wrong.append(f"{cell}: LEAKS {leaked}")
            if expected == 404 and record == UNKNOWN:
                unknown_404 = _normalised(body, code)
            elif expected == 404 and unknown_404 is not None and record is not None and record not in persona.sees:
                # An invisible record reads exactly as a made-up code (a visible one may say what is absent).
                wrong += (
                    [f"{cell}: 404 differs from a made-up code's"] if _normalised(body, code) != unknown_404 else []
                )
            own_page = expected == 200 and record not in (None, UNKNOWN) and kind == "complaint" and surface == "web"
            if own_page and code.encode() not in searchable(body):
                wrong.append(f"{cell}: the page does not show its own record")
    assert not wrong, f"{len(wrong)} wrong cells:\n" + "\n".join(wrong)


@pytest.mark.parametrize("name", sorted(n for n, r in WEB_ROUTES.items() if r.expect is None))
def test_public_routes_leak_nothing_on_every_state(full_world, name):
    url = concrete(WEB_ROUTES[name].path, full_world, None, None)
    anonymous = PERSONAS[-1]
    for persona in PERSONAS:
        body = body_of(full_world.web(persona).get(url))
        assert_no_leak(full_world, anonymous, f"{name} GET {url} as {persona.key}", body)


def test_lists_totals_map_and_home_are_exactly_the_visible_set_on_every_state(full_world):
    world = full_world
    for persona in PERSONAS:
        if persona.kind == "anonymous":
            continue
        visible = world.visible(persona)
        codes = world.codes(visible)
        page = world.api(persona).get("/api/v1/complaints?limit=100").json()
        where = f"as {persona.key}"
        assert {i["public_code"] for i in page["items"]} == codes, f"API list {where}"
        assert page["count"] == len(visible), f"API count {where}"
        for state, n in Counter(_state_of(k) for k in visible).items():
            filtered = world.api(persona).get(f"/api/v1/complaints?state={state}&limit=100").json()
            assert filtered["count"] == n, f"API count of state {state} {where}"
        if not persona.is_member:
            continue
        listed: set[str] = set()
        for number in (1, 2):  # 25 a page; the full world has at most 31 records
            listing = body_of(world.web(persona).get(f"/complaints/?page={number}"))
            assert_no_leak(world, persona, f"/complaints/?page={number} {where}", listing)
            listed |= {m.decode() for m in COMPLAINT_CODE.findall(listing)}
        assert listed == codes, f"/complaints/ {where}"
        geo = json.loads(body_of(world.web(persona).get("/map/complaints.geojson")))
        assert {f["properties"]["code"] for f in geo["features"]} == codes, f"map {where}"
        home = body_of(world.web(persona).get("/"))
        shown = {s.decode(): int(n) for s, n in re.findall(rb'state=(\w+)"><span class="count-number">(\d+)<', home)}
        assert {s: n for s, n in shown.items() if n} == dict(Counter(_state_of(k) for k in visible)), f"home {where}"


def _expected_notifications(world, persona) -> list[Notification]:
    """The member's notifications it may read, by the hand-written rule: about a complaint it sees, and never a
    mediator-only kind for a party."""
    codes = world.codes(world.visible(persona))
    rows = Notification.objects.filter(recipient=world.member(persona)).select_related("complaint")
    return [
        n
        for n in rows
        if (n.complaint is None or n.complaint.public_code in codes)
        and (persona.mediator or n.kind not in MEDIATOR_ONLY_KINDS)
    ]


def test_notifications_count_and_show_only_what_is_visible_on_every_state(full_world):
    world = full_world
    told = 0
    for persona in (p for p in PERSONAS if p.is_member):
        expected = _expected_notifications(world, persona)
        unread = [n for n in expected if n.read_at is None]
        told += len(expected)
        client = world.api(persona)
        where = f"notifications of {persona.key}"
        items: list[dict] = []
        for offset in range(0, 1000, 100):  # at most 100 a page
            page = client.get(f"/api/v1/notifications?limit=100&offset={offset}").json()
            assert_no_leak(world, persona, where, json.dumps(page).encode())
            assert page["count"] == len(expected) and page["unread"] == len(unread), where
            items += page["items"]
            if len(items) >= page["count"]:
                break
        assert sorted(i["id"] for i in items) == sorted(n.pk for n in expected), where
        web = body_of(world.web(persona).get("/notifications/"))
        assert_no_leak(world, persona, f"/notifications/ {where}", web)
        feed = world.web(persona).get(f"/feeds/{feed_key_of(world.member(persona)).key}.atom")
        assert feed.status_code == 200, where
        atom = body_of(feed)
        assert_no_leak(world, persona, f"Atom feed {where}", atom)
        assert {m.decode() for m in COMPLAINT_CODE.findall(atom)} <= world.codes(world.visible(persona)), where
        # A party is never told of what only mediators are; nobody of a complaint it does not see.
        for n in Notification.objects.filter(recipient=world.member(persona)).select_related("complaint"):
            if not persona.mediator:
                assert n.kind not in MEDIATOR_ONLY_KINDS, f"{where}: a party told '{n.kind}'"
    assert told, "the world told nobody anything: the notification checks above prove nothing"


def test_deadline_board_shows_mediators_only_what_they_see(full_world):
    world = full_world
    for persona in PERSONAS:
        response = world.web(persona).get("/deadlines/")
        api = world.api(persona).get("/api/v1/deadlines")
        if persona.mediator:
            body = body_of(response)
            assert_no_leak(world, persona, f"/deadlines/ as {persona.key}", body)
            assert_no_leak(world, persona, f"/api/v1/deadlines as {persona.key}", body_of(api))
            # The reply clock of the notified records runs: the board shows them.
            for key in ("wf_af_notified", "wf_pk_notified"):
                assert world.records[key].code.encode() in body, f"/deadlines/ as {persona.key} misses {key}"


def test_mediators_read_the_secret_markers_so_the_leak_checks_bite(full_world):
    """Guards the leak checks: every kind of mediator-only marker is written, and a mediator reads each."""
    world = full_world
    investigator = next(p for p in PERSONAS if p.key == "qa_investigator")
    kinds = Counter()
    for key, markers in world.secret_markers.items():
        if not markers:
            continue
        code = world.records[key].code
        api = world.api(investigator)
        seen = body_of(api.get(f"/api/v1/complaints/{code}/investigation")) + body_of(
            api.get(f"/api/v1/complaints/{code}/workflow")
        )
        for kind, marker in markers.items():
            if kind == "draft" and WORKFLOW_RECORDS[key].stage != "findings_ready":
                continue  # a superseded draft is kept only in the sealed log
            assert marker.encode() in seen, f"{key}: a mediator does not read its {kind} ({marker})"
            kinds[kind] += 1
    assert set(kinds) == {
        "note",
        "task",
        "task_result",
        "grade",
        "corroboration",
        "findings",
        "draft",
        "round2_note",
        "assign_note",
    }, kinds
