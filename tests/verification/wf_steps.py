"""Shared steps of the workflow tests: the cast, driving a complaint to any state through the services, and the
checks every move shares (what a refusal must leave untouched, the history and log entries a move writes).

Plain helpers (not fixtures); the fixtures that use them are in tests/verification/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from support import islamabad_attack_draft

from ceasefire.core.errors import Conflict, DomainError
from ceasefire.core.models import Membership
from ceasefire.demo.mechanism import Mechanism
from ceasefire.incidents.drafts import EvidenceUpload
from ceasefire.incidents.enums import ComplaintState
from ceasefire.incidents.models import CasualtyClaim, Complaint, Evidence
from ceasefire.incidents.services import file_complaint
from ceasefire.incidents.versions import complaint_version, is_sealed
from ceasefire.ledger.models import LogEntry
from ceasefire.ledger.versions import domain_problems
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

S = ComplaintState
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64)

PERSONAS = (
    "af_liaison",
    "pk_liaison",
    "af_viewer",
    "pk_viewer",
    "analyst",
    "tr_investigator",
    "qa_investigator",
    "tr_adjudicator",
    "qa_adjudicator",
    "secretariat",
)


@dataclass
class Cast:
    """The conftest personas, by attribute. pk_complaint-style complaints: PK complains, AF responds."""

    mechanism: Mechanism
    af_liaison: Membership
    pk_liaison: Membership
    af_viewer: Membership
    pk_viewer: Membership
    analyst: Membership
    tr_investigator: Membership
    qa_investigator: Membership
    tr_adjudicator: Membership
    qa_adjudicator: Membership
    secretariat: Membership

    @classmethod
    def of(cls, mechanism: Mechanism) -> Cast:
        m = mechanism.members
        return cls(
            mechanism=mechanism,
            af_liaison=m["af-liaison"],
            pk_liaison=m["pk-liaison"],
            af_viewer=m["af-viewer"],
            pk_viewer=m["pk-viewer"],
            analyst=m["pk-analyst"],
            tr_investigator=m["tr-investigator"],
            qa_investigator=m["qa-investigator"],
            tr_adjudicator=m["tr-adjudicator"],
            qa_adjudicator=m["qa-adjudicator"],
            secretariat=m["tr-secretariat"],
        )

    def persona(self, name: str) -> Membership:
        member: Membership = getattr(self, name)
        return member

    def everyone(self) -> dict[str, Membership]:
        return {name: self.persona(name) for name in PERSONAS}


# --- driving a complaint -------------------------------------------------------------------------------------------


def new_complaint(cast: Cast, *, submit: bool = True, **overrides: Any) -> Complaint:
    """A Pakistani complaint against Afghanistan (the respondent is AF), with one evidence file."""
    overrides.setdefault("evidence", [EvidenceUpload(file=io.BytesIO(JPEG), filename="photo.jpg")])
    return file_complaint(cast.pk_liaison, islamabad_attack_draft(**overrides), submit=submit)


def determine(cast: Cast, complaint: Complaint, **kwargs: Any) -> Determination:
    d = draft(cast, complaint, **kwargs)
    services.sign_determination(cast.tr_adjudicator, d)
    services.sign_determination(cast.qa_adjudicator, d)
    d.refresh_from_db()
    return d


def draft(cast: Cast, complaint: Complaint, **kwargs: Any) -> Determination:
    agreement = cast.mechanism.agreement
    kwargs.setdefault("outcome", "breach_confirmed")
    kwargs.setdefault("reasons", "Two independent sources confirm the planning.")
    if kwargs["outcome"] == "breach_confirmed":
        kwargs.setdefault("responsible_party", complaint.respondent)
        kwargs.setdefault("commitments", [agreement.commitments.get(code="C4")])
        kwargs.setdefault("measures", [agreement.penalty_types.get(code="formal-warning")])
    return services.draft_determination(cast.tr_adjudicator, complaint, **kwargs)


def after_appeal_window(complaint: Complaint) -> dt.datetime:
    d = Determination.objects.get(complaint=complaint, round=complaint.round)
    assert d.appeal_until is not None
    return d.appeal_until + dt.timedelta(minutes=1)


def step(cast: Cast, complaint: Complaint, target: str) -> None:
    """One move from the complaint's state towards `target`."""
    state = complaint.state
    if state == S.DRAFT:
        services.submit_complaint(cast.pk_liaison, complaint)
    elif target == S.WITHDRAWN:
        services.withdraw_complaint(cast.pk_liaison, complaint, reason="Resolved bilaterally.")
    elif target == S.REJECTED_INADMISSIBLE:
        services.reject_complaint(cast.secretariat, complaint, reason="The incident predates the agreement.")
    elif state == S.SUBMITTED:
        services.notify_respondent(cast.secretariat, complaint)
    elif state in (S.NOTIFIED, S.APPEALED):
        services.assign_investigators(cast.secretariat, complaint, [cast.tr_investigator])
    elif state == S.UNDER_INVESTIGATION:
        services.record_findings(cast.tr_investigator, complaint, summary="The attackers crossed at Kunar.")
    elif state == S.FINDINGS_READY:
        determine(cast, complaint)
    elif state == S.DETERMINED and target == S.CLOSED:
        with time_machine.travel(after_appeal_window(complaint), tick=True):
            services.close_complaint(cast.secretariat, complaint)
    elif state == S.DETERMINED:
        services.appeal_determination(cast.af_liaison, complaint, grounds="The sources are one and the same.")
    else:
        raise AssertionError(f"no way from {state} to {target}")
    complaint.refresh_from_db()


def drive(cast: Cast, target: str, complaint: Complaint | None = None, *, round: int = 1, **filing: Any) -> Complaint:
    """A complaint brought to `target` (in `round`: 2 goes through an appeal) by the services alone."""
    if complaint is None:
        complaint = new_complaint(cast, submit=target != S.DRAFT, **filing)
    if round == 2:
        drive(cast, S.APPEALED, complaint)
    for _ in range(12):
        if complaint.state == target and complaint.round == round:
            return complaint
        step(cast, complaint, target if complaint.round == round else S.APPEALED)
    raise AssertionError(f"{complaint.public_code} stuck in {complaint.state}")


ALL_STATES = [s.value for s in ComplaintState]


# --- what a refusal must leave untouched ----------------------------------------------------------------------------

COUNTED = (
    Complaint,
    Transition,
    Reply,
    Assignment,
    InvestigationTask,
    InvestigationNote,
    EvidenceGrade,
    Corroboration,
    Findings,
    Determination,
    Signature,
    Dissent,
    Appeal,
    Notification,
    LogEntry,
    DBTaskResult,
    CasualtyClaim,
    Evidence,
)


def snapshot() -> dict[str, Any]:
    counts: dict[str, Any] = {model.__name__: model.objects.count() for model in COUNTED}
    counts["complaints"] = list(
        Complaint.objects.order_by("pk").values_list(
            "pk", "state", "round", "notified_at", "reply_due_at", "investigation_due_at", "updated_at"
        )
    )
    counts["determinations"] = list(
        Determination.objects.order_by("pk").values_list("pk", "outcome", "reasons", "effective_at", "appeal_until")
    )
    counts["tasks"] = list(InvestigationTask.objects.order_by("pk").values_list("pk", "done_at", "result"))
    return counts


def refused(error: type[DomainError], call: Callable[[], Any], match: str | None = None) -> DomainError:
    """`call` raises `error` (with `match` in its message) and changes nothing: no row, log entry, notification
    or task."""
    before = snapshot()
    with pytest.raises(error, match=match) as info:
        call()
    assert snapshot() == before
    return info.value


def conflict(call: Callable[[], Any], state: str, match: str | None = None) -> Conflict:
    """`call` is refused 409 naming the complaint's current state, and changes nothing."""
    error = refused(Conflict, call, match)
    assert isinstance(error, Conflict)
    assert error.status == 409
    assert error.extensions["state"] == state, error.extensions
    return error


# --- the entries a move writes -----------------------------------------------------------------------------------


def log_since(sequence: int) -> list[LogEntry]:
    return list(LogEntry.objects.filter(sequence__gte=sequence).order_by("sequence"))


def log_size() -> int:
    return LogEntry.objects.count()


def assert_move(
    complaint: Complaint,
    entries: list[LogEntry],
    *,
    verb: str,
    by: Membership | None,
    from_state: str,
    to_state: str,
    note: str = "",
    round: int = 1,
) -> LogEntry:
    """The latest history entry is this move, and exactly one `complaint.<verb>` entry logged it, carrying the
    complaint's full version plus the workflow annotation, sealed exactly when the complaint is."""
    complaint.refresh_from_db()
    assert complaint.state == to_state
    move = Transition.objects.filter(complaint=complaint).order_by("at", "pk").last()
    assert move is not None
    assert (move.from_state, move.to_state, move.by, move.note, move.round) == (
        from_state,
        to_state,
        by,
        note,
        round,
    )
    assert move.party == (by.party if by is not None else None)
    mine = [e for e in entries if e.kind == f"complaint.{verb}"]
    assert len(mine) == 1, [e.kind for e in entries]
    entry = mine[0]
    assert entry.subject_code == complaint.public_code
    assert entry.party_code == (by.party.code if by is not None else "")
    workflow = entry.record["workflow"]
    assert {k: v for k, v in entry.record.items() if k != "workflow"} == complaint_version(complaint)
    assert workflow["verb"] == verb and workflow["round"] == round
    assert (workflow["from"], workflow["to"]) == (from_state, to_state)
    if to_state in (S.UNDER_INVESTIGATION, S.FINDINGS_READY) and note:
        # a note inside the investigation is the mediators': both sides read the entry, so it holds a digest
        assert "note" not in workflow
        assert workflow["note_sha256"] == hashlib.sha256(note.encode()).hexdigest()
    else:
        assert workflow["note"] == note
    assert workflow["by"] == (by.user.get_username() if by is not None else None)
    assert entry.sealed == is_sealed(complaint)
    return entry


def assert_log_consistent() -> None:
    _checked, problems = domain_problems()
    assert problems == []


def later(hours: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=hours)


# --- who may -----------------------------------------------------------------------------------------------------


def expect(ok: set[str], hidden: set[str] = frozenset()) -> dict[str, type[DomainError] | None]:  # type: ignore[assignment]
    """Each persona's answer: None (allowed) for `ok`, NotVisible (404) for `hidden`, NotPermitted (403) else."""
    from ceasefire.core.errors import NotPermitted, NotVisible

    assert ok <= set(PERSONAS) and hidden <= set(PERSONAS)
    return {name: None if name in ok else (NotVisible if name in hidden else NotPermitted) for name in PERSONAS}


def refuse_all_but(
    cast: Cast, call: Callable[[Membership], Any], expected: dict[str, type[DomainError] | None]
) -> list[str]:
    """Every persona not allowed is refused with its answer, changing nothing; returns the allowed ones."""
    for name, error in expected.items():
        if error is not None:
            try:
                refused(error, lambda name=name: call(cast.persona(name)))
            except BaseException as failure:
                raise AssertionError(f"{name}: expected {error.__name__}: {failure!r}") from failure
    return [name for name, error in expected.items() if error is None]


def reminders_queued() -> list[tuple[str, Any]]:
    """The deadline tasks queued: (run_after, args), oldest first."""
    rows = DBTaskResult.objects.filter(task_path__endswith="deadline_reminder").order_by("run_after")
    return [(row.run_after, row.args_kwargs["args"]) for row in rows]
