"""Helpers of the workflow API tests: calling a move, bringing a complaint to a state through the services, and a
snapshot of everything a move could change (to prove a refused one changed nothing).

A module with its own name, not a conftest.py (see api_helpers.py)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from api_helpers import as_member, assert_problem
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ceasefire.core.models import Membership
from ceasefire.incidents.models import CasualtyClaim, Complaint, Evidence
from ceasefire.ledger.models import LogEntry
from ceasefire.verification import services
from ceasefire.verification.models import (
    Appeal,
    Assignment,
    Corroboration,
    Determination,
    Dissent,
    EvidenceGrade,
    Findings,
    InvestigationNote,
    InvestigationTask,
    Notification,
    Reply,
    Signature,
    Transition,
)

# Words put into mediator-only material, searched for in every response a party gets.
SECRET_NOTE = "zebrafinch-note"
SECRET_FINDINGS = "okapi-findings"
SECRET_DRAFT = "tapir-draft-reasons"
SECRET_TASK = "ibis-task"
SECRET_ASSIGN = "gecko-assignment-note"


def move(member: Membership, complaint: Complaint, action: str, body: Any = None) -> Any:
    """POST /complaints/{code}/{action} as `member`, with a JSON body or an empty one."""
    client = as_member(member)
    path = f"/api/v1/complaints/{complaint.public_code}/{action}"
    if body is None:
        return client.post(path, data="", content_type="application/json")
    return client.post_json(path, body)


def get(member: Membership, path: str) -> Any:
    return as_member(member).get(path)


def workflow(member: Membership, complaint: Complaint) -> dict[str, Any]:
    response = get(member, f"/api/v1/complaints/{complaint.public_code}/workflow")
    assert response.status_code == 200, response.content
    return response.json()


def assert_conflict(response: Any, state: str) -> dict[str, Any]:
    """409 problem+json carrying the complaint's current state as the `state` member."""
    body = assert_problem(response, 409)
    assert body["state"] == state, body
    assert body["type"] == "https://ceasefire.example/problems/conflict"
    return body


def snapshot() -> dict[str, Any]:
    """Every row a workflow move writes, counted or read back."""
    counted = (
        LogEntry,
        Transition,
        Notification,
        DBTaskResult,
        Reply,
        CasualtyClaim,
        Evidence,
        Assignment,
        InvestigationNote,
        EvidenceGrade,
        Corroboration,
        Findings,
        Signature,
        Dissent,
        Appeal,
    )
    state: dict[str, Any] = {model.__name__: model.objects.count() for model in counted}
    state["complaints"] = list(
        Complaint.objects.order_by("pk").values_list(
            "state", "round", "reply_due_at", "investigation_due_at", "notified_at", "updated_at"
        )
    )
    state["tasks"] = list(InvestigationTask.objects.order_by("pk").values_list("pk", "done_at", "result"))
    state["determinations"] = list(
        Determination.objects.order_by("pk").values_list(
            "outcome", "reasons", "responsible_party", "effective_at", "drafted_at"
        )
    )
    return state


# --- bringing a complaint to a state, through the services --------------------------------------------------------


def notified(c: Complaint, secretariat: Membership) -> Complaint:
    services.notify_respondent(secretariat, c)
    c.refresh_from_db()
    return c


def investigating(c: Complaint, secretariat: Membership, *investigators: Membership) -> Complaint:
    if c.state == "submitted":
        notified(c, secretariat)
    services.assign_investigators(secretariat, c, list(investigators), note=SECRET_ASSIGN)
    c.refresh_from_db()
    return c


def findings_ready(c: Complaint, secretariat: Membership, investigator: Membership) -> Complaint:
    investigating(c, secretariat, investigator)
    services.add_investigation_note(investigator, c, text=SECRET_NOTE)
    services.add_investigation_task(
        investigator, c, kind="site_visit", description=SECRET_TASK, due_at=timezone.now() + dt.timedelta(days=2)
    )
    services.record_findings(investigator, c, summary=SECRET_FINDINGS)
    c.refresh_from_db()
    return c


def drafted(c: Complaint, secretariat: Membership, investigator: Membership, adjudicator: Membership) -> Determination:
    findings_ready(c, secretariat, investigator)
    return services.draft_determination(
        adjudicator,
        c,
        outcome="breach_confirmed",
        reasons=SECRET_DRAFT,
        responsible_party=c.respondent,
        commitments=[c.commitments.order_by("code").first()],
    )


def determined(
    c: Complaint, secretariat: Membership, investigator: Membership, *adjudicators: Membership
) -> Determination:
    draft = drafted(c, secretariat, investigator, adjudicators[0])
    for adjudicator in adjudicators:
        services.sign_determination(adjudicator, draft)
    c.refresh_from_db()
    draft.refresh_from_db()
    return draft


def no_secret(response: Any, *, draft: bool = True) -> None:
    """None of the mediator-only words appears anywhere in the response (the draft's reasons stop being secret
    once the determination is in effect: pass draft=False then)."""
    text = response.content.decode()
    words = [SECRET_NOTE, SECRET_FINDINGS, SECRET_TASK, SECRET_ASSIGN] + ([SECRET_DRAFT] if draft else [])
    for word in words:
        assert word not in text, (word, json.loads(text) if text.startswith("{") else text)
