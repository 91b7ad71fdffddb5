"""Every act on an item (acknowledge, forward, record an action, rate) and every write (share, revise, import), by
every persona, web and API, on items of every kind: the status perm_intel_matrix.py declares, and a refused
attempt changes nothing — no receipt, acknowledgement, forward, recipient, action, rating, file, notification or
log entry. An item one may not see answers 404 (never 403) to each act, exactly as a made-up code.

Each cell runs in a savepoint rolled back after it, so an allowed act never changes what the next cell sees. The
exhaustive POST matrix runs once, in the SQLite pass (marker `matrix`, like the workflow's move matrix): the
services it drives are tested on both databases directly.
"""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.utils import timezone
from perm_intel_matrix import MADE_UP, act_status, forward_target, write_status
from perm_world import PERSONAS

from ceasefire.intel.models import ActionTaken, IntelFile, IntelForward, IntelItem, IntelRecipient, Receipt
from ceasefire.ledger.models import LogEntry
from ceasefire.verification.models import Notification

pytestmark = [pytest.mark.integration, pytest.mark.matrix]

# Items of every kind an act can meet: each TLP, drafts, expiry, forwardable or not, forwarded, a RED item naming
# a colleague of its author, and requests open, answered, rated, overdue and on an expired item.
ACT_SAMPLE = (
    "AF_green",
    "TR_strict_AF_PK",
    "PK_red_2",
    "AF_draft_amber",
    "PK_fwd_to_TR",
    "TR_fwd_to_QA",
    "PK_fwd_expired",
    "PK_req_open",
    "PK_req_answered",
    "PK_req_red",
    "PK_req_overdue",
    "AF_req_expired",
)
ACTS = ("acknowledge", "forward", "action", "rate")
WEB_PATH = {"acknowledge": "acknowledge/", "forward": "forward/", "action": "action/", "rate": "rate/"}
API_PATH = {"acknowledge": "acknowledge", "forward": "forward", "action": "actions", "rate": "rating"}


def state() -> dict[str, int]:
    """What a refused attempt must leave unchanged."""
    return {
        "log entries": LogEntry.objects.count(),
        "notifications": Notification.objects.count(),
        "receipts": Receipt.objects.count(),
        "acknowledged": Receipt.objects.filter(acknowledged_at__isnull=False).count(),
        "forwards": IntelForward.objects.count(),
        "recipients": IntelRecipient.objects.count(),
        "actions": ActionTaken.objects.count(),
        "rated": IntelItem.objects.filter(request__rating__gt="").count(),
        "files": IntelFile.objects.count(),
        "items": IntelItem.objects.count(),
        "drafts": IntelItem.objects.filter(state="draft").count(),
    }


@contextmanager
def undone():
    """One cell: whatever it changes is rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _data(act: str, spec) -> dict[str, str]:
    today = timezone.localdate().isoformat()
    return {
        "acknowledge": {},
        "forward": {"to_party": forward_target(spec) or "AF", "note": "matrix forward"},
        "action": {"text": "matrix action taken", "taken_on": today},
        "rate": {"rating": "partial", "note": "matrix rating"},
    }[act]


def _items(world, persona):
    keys = ACT_SAMPLE if persona.is_member else ACT_SAMPLE[:3]
    return [(key, world.items[key]) for key in keys]


def _run(world, persona, surface: str, post) -> list[str]:
    wrong: list[str] = []
    success = {"web": 302, "api": 200}[surface]
    for act in ACTS:
        for key, item in [(None, None), *_items(world, persona)]:
            spec = item.spec if item else None
            code = item.code if item else MADE_UP
            expected = act_status(persona, spec, act, surface)
            with undone():
                before = state()
                response = post(act, code, _data(act, spec))
                after = state()
            cell = f"{surface} {act} {key or 'made-up'} as {persona.key}"
            status = response.status_code
            if status != expected:
                wrong.append(f"{cell}: expected {expected}, got {status} {response.content[:200]!r}")
            elif persona.is_member and status in (success, 201):
                if after["log entries"] <= before["log entries"]:
                    wrong.append(f"{cell}: allowed, but nothing was logged")
            elif after != before:
                changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
                wrong.append(f"{cell}: refused ({status}) yet changed {changed}")
    return wrong


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.key)
def test_web_acts_answer_each_persona_on_each_item(intel_world, persona):
    client = intel_world.web(persona)
    wrong = _run(
        intel_world, persona, "web", lambda act, code, data: client.post(f"/intel/{code}/{WEB_PATH[act]}", data)
    )
    assert not wrong, f"{len(wrong)} wrong cells:\n" + "\n".join(wrong)


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.key)
def test_api_acts_answer_each_persona_on_each_item(intel_world, persona):
    client = intel_world.api(persona)

    def post(act, code, data):
        url = f"/api/v1/intel/items/{code}/{API_PATH[act]}"
        return client.post(url, json.dumps(data) if data else None, content_type="application/json")

    wrong = _run(intel_world, persona, "api", post)
    assert not wrong, f"{len(wrong)} wrong cells:\n" + "\n".join(wrong)


def _share_form() -> dict[str, str]:
    """The share form, filled for a GREEN note without places or request, to share now."""
    return {
        "title": "matrix share",
        "body": "A GREEN note shared by the permission matrix.",
        "tlp": "GREEN",
        "places-TOTAL_FORMS": "0",
        "places-INITIAL_FORMS": "0",
        "places-MIN_NUM_FORMS": "0",
        "places-MAX_NUM_FORMS": "50",
        "share": "1",
    }


def _share_body(share: bool) -> str:
    return json.dumps({"title": "matrix share", "body": "A GREEN note by the matrix.", "tlp": "GREEN", "share": share})


WRITE_SAMPLE = ("AF_draft_amber", "PK_draft_red", "TR_draft_clear", "TR_revised_draft", "PK_green", "AF_red_1")


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.key)
def test_web_writing_is_for_sharers_only(intel_world, persona):
    world = intel_world
    client = world.web(persona)
    wrong: list[str] = []
    cells = [("new", None, "/intel/new/"), ("edit", None, f"/intel/{MADE_UP}/edit/")]
    cells += [("edit", key, f"/intel/{world.items[key].code}/edit/") for key in WRITE_SAMPLE]
    for kind, key, url in cells:
        spec = world.items[key].spec if key else None
        expected = write_status(persona, spec, kind, "web")
        with undone():
            before = state()
            response = client.post(url, _share_form())
            after = state()
        cell = f"POST {url} as {persona.key} ({key or kind})"
        if response.status_code != expected:
            wrong.append(f"{cell}: expected {expected}, got {response.status_code} {response.content[:300]!r}")
        elif response.status_code != 302 or persona.kind != "member":
            if after != before:
                wrong.append(f"{cell}: refused yet changed {after} from {before}")
        elif after["log entries"] <= before["log entries"]:
            wrong.append(f"{cell}: allowed, but nothing was logged")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.key)
def test_api_writing_is_for_sharers_only(intel_world, persona):
    world = intel_world
    client = world.api(persona)
    wrong: list[str] = []
    cells = [("new", None, "post", "/api/v1/intel/items"), ("edit", None, "put", f"/api/v1/intel/items/{MADE_UP}")]
    cells += [("edit", k, "put", f"/api/v1/intel/items/{world.items[k].code}") for k in WRITE_SAMPLE]
    for kind, key, method, url in cells:
        spec = world.items[key].spec if key else None
        expected = write_status(persona, spec, kind, "api")
        with undone():
            before = state()
            response = getattr(client, method)(url, _share_body(False), content_type="application/json")
            after = state()
        cell = f"{method.upper()} {url} as {persona.key} ({key or kind})"
        if response.status_code != expected:
            wrong.append(f"{cell}: expected {expected}, got {response.status_code} {response.content[:300]!r}")
        elif response.status_code >= 400 and after != before:
            wrong.append(f"{cell}: refused yet changed {after} from {before}")
    # Importing a STIX bundle: a draft for those who share, nothing for anyone else.
    with undone():
        before = state()
        response = client.post("/api/v1/intel/import/stix", b"{}", content_type="application/json")
        after = state()
    expected = write_status(persona, None, "import", "api")
    if response.status_code != expected:
        wrong.append(f"import as {persona.key}: expected {expected}, got {response.status_code}")
    elif after != before:
        wrong.append(f"import as {persona.key}: refused yet changed state")
    assert not wrong, "\n".join(wrong)
