"""Every workflow move (web POST and API operation) by every persona on every record of the full world: a
complaint in every state, both ways. Expectations: perm_wf_matrix.expected_move (written by hand).

Each attempt runs inside a savepoint that is rolled back, so the world is the same for every cell, allowed moves
included. A refused attempt (404/403/409/422) must change nothing at all; an allowed one must change something.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from perm_matrix import UNKNOWN, UNKNOWN_CODES
from perm_wf_matrix import ACTIONS, API_MOVE_PATHS, HAS_TASK, expected_move, stage_of
from perm_world import AF_NOTIFIED, PERSONAS, World

from ceasefire.incidents.models import Complaint
from ceasefire.verification import models as wf

# The exhaustive move matrix runs in the SQLite pass only (marker `matrix`, scripts/test): it exercises the same
# services and queries the PostgreSQL pass tests directly, and would double that pass's time.
pytestmark = [pytest.mark.integration, pytest.mark.matrix]

_WF_MODELS = (
    wf.Transition,
    wf.Reply,
    wf.Assignment,
    wf.InvestigationTask,
    wf.InvestigationNote,
    wf.EvidenceGrade,
    wf.Corroboration,
    wf.Findings,
    wf.Determination,
    wf.Signature,
    wf.Dissent,
    wf.Appeal,
    wf.Notification,
)
NO_TASK = 999_999


def _snapshot_sql() -> str:
    """One query for everything a move could change: the row count of every table it writes, the complaints per
    state, their rounds and clocks, the tasks' completion and the determinations' drafts and effect."""
    from ceasefire.incidents.models import CustodyEvent, Evidence, Incident, StoredFile
    from ceasefire.ledger.models import LogEntry

    models = (LogEntry, Complaint, Incident, Evidence, StoredFile, CustodyEvent, *_WF_MODELS)
    complaint, task = Complaint._meta.db_table, wf.InvestigationTask._meta.db_table
    determination = wf.Determination._meta.db_table
    states = ("draft", "submitted", "notified", "under_investigation", "findings_ready", "determined", "appealed")
    asked = [("COUNT(*)", m._meta.db_table, "") for m in models]
    asked += [("COUNT(*)", complaint, f"state = '{state}'") for state in (*states, "closed", "withdrawn")]
    asked += [
        ("SUM(round)", complaint, ""),
        ("MAX(updated_at)", complaint, ""),
        ("COUNT(*)", complaint, "reply_due_at IS NOT NULL"),
        ("COUNT(*)", task, "done_at IS NOT NULL"),
        ("COUNT(*)", determination, "effective_at IS NOT NULL"),
        ("MAX(drafted_at)", determination, ""),
    ]
    # Table and column names come from the models and the constants above: no input reaches this SQL.
    parts = [f"(SELECT {what} FROM {table}{' WHERE ' + where if where else ''})" for what, table, where in asked]  # noqa: S608
    return "SELECT " + ", ".join(parts)


def snapshot(evidence_dir: Path) -> tuple[object, ...]:
    """What a refused move must leave as it was (and an allowed one change): see _snapshot_sql, and the blobs."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_snapshot_sql())
        row = cursor.fetchone()
    blobs = sum(1 for p in evidence_dir.rglob("*") if p.is_file()) if evidence_dir.exists() else 0
    return (*row, blobs)


def _future_local() -> str:
    return timezone.localtime(timezone.now() + dt.timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")


def _refs(world: World, record: str) -> dict[str, Any]:
    """What the request names besides the complaint: its evidence, its open task, another incident, a person."""
    if record == UNKNOWN:
        return {"code": UNKNOWN_CODES["complaint"], "evidence": UNKNOWN_CODES["evidence"], "task": NO_TASK}
    rec = world.records[record]
    built = world.workflow.get(record)
    task = built.task_pk if built is not None and stage_of(record)[1] in HAS_TASK else NO_TASK
    return {"code": rec.code, "evidence": rec.evidence_code, "task": task}


def web_form(world: World, action: str, refs: dict[str, Any]) -> dict[str, Any]:
    text = "A text written by the permission matrix."
    forms: dict[str, dict[str, Any]] = {
        "submit": {},
        "notify": {"note": ""},
        "reject": {"reason": text},
        "withdraw": {"reason": text},
        "reply": {"kind": "accepted", "account": text},
        "assign": {"investigators": [str(world.mechanism.members["tr-investigator"].pk)], "note": ""},
        "add_task": {"kind": "site_visit", "description": text, "due_at": _future_local(), "assigned_to": ""},
        "complete_task": {"task": str(refs["task"]), "result": text},
        "grade": {"evidence": refs["evidence"], "reliability": "C", "credibility": "3", "note": ""},
        "corroborate": {"incident": world.records[AF_NOTIFIED].incident_code, "note": text},
        "note": {"text": text},
        "findings": {"summary": text},
        "draft_determination": {"outcome": "inconclusive", "reasons": text},
        "sign": {},
        "dissent": {"text": text},
        "appeal": {"grounds": text},
        "close": {"note": ""},
    }
    return forms[action]


def api_body(world: World, action: str, refs: dict[str, Any]) -> dict[str, Any]:
    text = "A text written by the permission matrix."
    due = (timezone.now() + dt.timedelta(days=4)).isoformat()
    bodies: dict[str, dict[str, Any]] = {
        "submit": {},
        "notify": {"note": ""},
        "reject": {"reason": text},
        "withdraw": {"reason": text},
        "reply": {"kind": "accepted", "account": text},
        "assign": {"investigators": ["tr-investigator"]},
        "add_task": {"kind": "site_visit", "description": text, "due_at": due},
        "complete_task": {"result": text},
        "grade": {"reliability": "C", "credibility": "3"},
        "corroborate": {"incident": world.records[AF_NOTIFIED].incident_code, "note": text},
        "note": {"text": text},
        "findings": {"summary": text},
        "draft_determination": {"outcome": "inconclusive", "reasons": text},
        "sign": {},
        "dissent": {"text": text},
        "appeal": {"grounds": text},
        "close": {"note": ""},
    }
    return bodies[action]


def _api_url(action: str, refs: dict[str, Any]) -> str:
    return (
        API_MOVE_PATHS[action]
        .replace("{public_code}", refs["code"])
        .replace("{evidence_code}", refs["evidence"])
        .replace("{task_id}", str(refs["task"]))
    )


def _attempt(cell: str, expected: int, allowed: bool, send: Any, evidence_dir: Path, wrong: list[str]) -> Any:
    """Send inside a savepoint, check the status and what changed, roll back."""
    savepoint = transaction.savepoint_create()
    try:
        before = snapshot(evidence_dir)
        response = send()
        if response.status_code != expected:
            wrong.append(f"{cell}: expected {expected}, got {response.status_code} {response.content[:240]!r}")
            return response
        after = snapshot(evidence_dir)
        if allowed:
            if after == before:
                wrong.append(f"{cell}: answered {expected} but changed nothing")
        elif after != before:
            changed = [i for i, (b, a) in enumerate(zip(before, after, strict=True)) if b != a]
            wrong.append(f"{cell}: a refused attempt ({expected}) changed snapshot fields {changed}")
        return response
    finally:
        transaction.savepoint_rollback(savepoint)


# The moves are asked of the workflow records (every state, both ways), of the four base records and of a made-up
# code (which must answer as an invisible record does).
@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.key)
def test_workflow_moves_by_persona_state_and_record(full_world, evidence_dir, persona):
    world = full_world
    web, api = world.web(persona), world.api(persona)
    wrong: list[str] = []
    records = [*world.records, UNKNOWN]
    if not persona.is_member:  # refused before any record is read: one direction of every state is enough
        records = [r for r in records if r.startswith("wf_af_") or r == UNKNOWN]
    for record in records:
        refs = _refs(world, record)
        for action in ACTIONS:
            slug = action.replace("_", "-")
            url = f"/complaints/{refs['code']}/{slug}/"
            expected = expected_move(action, "web", persona, record)
            form = web_form(world, action, refs)
            response = _attempt(
                f"web {action} as {persona.key} on {record} POST {url}",
                expected,
                expected == 302 and persona.is_member,
                lambda url=url, form=form: web.post(url, form),
                evidence_dir,
                wrong,
            )
            if expected == 302 and persona.is_member and response.status_code == 302:
                assert response["Location"].endswith(f"/complaints/{refs['code']}/"), (action, record)
            if expected == 302 and persona.kind == "anonymous" and response.status_code == 302:
                assert response["Location"].startswith("/login/?next="), (action, record)
            url = _api_url(action, refs)
            body = json.dumps(api_body(world, action, refs))
            expected = expected_move(action, "api", persona, record)
            response = _attempt(
                f"api {action} as {persona.key} on {record} POST {url}",
                expected,
                expected == 200,
                lambda url=url, body=body: api.post(url, body, content_type="application/json"),
                evidence_dir,
                wrong,
            )
            if expected >= 400 and response.status_code == expected:
                assert response["Content-Type"] == "application/problem+json", (action, record)
                if expected == 409:
                    state = Complaint.objects.get(public_code=refs["code"]).state
                    assert response.json().get("state") == state, f"{action} on {record}: 409 without the state"
    assert not wrong, f"{len(wrong)} wrong cells:\n" + "\n".join(wrong)


def _notification_rows(member: Any) -> list[tuple[int, object]]:
    return list(wf.Notification.objects.filter(recipient=member).order_by("pk").values_list("pk", "read_at"))


def test_mark_read_touches_only_own_visible_notifications(full_world, evidence_dir):
    """Marking read (web and API), with another member's notification id or none: only one's own change, and
    nothing else at all (not a domain change: no log entry)."""
    world = full_world
    members = [p for p in PERSONAS if p.is_member]
    for persona in PERSONAS:
        others = [p for p in members if p.key != persona.key]
        foreign = {
            p.key: list(wf.Notification.objects.filter(recipient=world.member(p)).values_list("pk", flat=True))
            for p in others
        }
        foreign_id = next(ids[0] for ids in foreign.values() if ids)
        for surface in ("web", "api"):
            savepoint = transaction.savepoint_create()
            try:
                before = {p.key: _notification_rows(world.member(p)) for p in others}
                counts = snapshot(evidence_dir)
                if surface == "web":
                    client = world.web(persona)
                    one = client.post("/notifications/read/", {"notification": str(foreign_id)})
                    expected = {"anonymous": 302, "noparty": 403}.get(persona.kind, 404)
                    assert one.status_code == expected, (persona.key, one.status_code)
                    every = client.post("/notifications/read/")
                    assert every.status_code == (302 if persona.kind != "noparty" else 403), persona.key
                else:
                    client = world.api(persona)
                    one = client.post(
                        "/api/v1/notifications/read", json.dumps({"ids": [foreign_id]}), content_type="application/json"
                    )
                    assert one.status_code == (401 if persona.kind == "anonymous" else 200), persona.key
                    if one.status_code == 200:
                        assert one.json()["marked"] == 0, f"{persona.key} marked another member's notification"
                    every = client.post("/api/v1/notifications/read", "{}", content_type="application/json")
                    assert every.status_code == (401 if persona.kind == "anonymous" else 200), persona.key
                assert {p.key: _notification_rows(world.member(p)) for p in others} == before, (persona.key, surface)
                assert snapshot(evidence_dir) == counts, (persona.key, surface)
                if persona.is_member:
                    unread = wf.Notification.objects.filter(recipient=world.member(persona), read_at__isnull=True)
                    # What the member may no longer see stays as it was; everything it sees is read now.
                    visible = world.codes(persona.sees)
                    assert not [
                        n
                        for n in unread
                        if n.complaint
                        and n.complaint.public_code in visible
                        and (persona.mediator or not n.mediators_only)
                    ], f"{persona.key} {surface}: unread remain"
            finally:
                transaction.savepoint_rollback(savepoint)


def test_renew_feed_key_changes_only_own_key(full_world, evidence_dir):
    from ceasefire.verification.notify import feed_key_of

    world = full_world
    members = [p for p in PERSONAS if p.is_member]
    keys = {p.key: feed_key_of(world.member(p)).key for p in members}
    for persona in PERSONAS:
        before = snapshot(evidence_dir)
        response = world.web(persona).post("/notifications/feed-key/")
        expected = {"anonymous": 302, "noparty": 403}.get(persona.kind, 302)
        assert response.status_code == expected, persona.key
        assert snapshot(evidence_dir) == before, persona.key
        for other in members:
            now = wf.FeedKey.objects.get(membership=world.member(other)).key
            if other.key == persona.key:
                assert now != keys[other.key], f"{persona.key}: own key not renewed"
                old = world.web(persona).get(f"/feeds/{keys[other.key]}.atom")
                assert old.status_code == 404, f"{persona.key}: the old feed address still works"
                keys[other.key] = now
            else:
                assert now == keys[other.key], f"{persona.key} changed {other.key}'s feed key"
