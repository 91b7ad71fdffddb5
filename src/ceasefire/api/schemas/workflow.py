"""Schemas of the complaint workflow: the body of each move, the workflow view every move answers with, and the
reads (timeline, reply, determinations, appeals, the mediators' investigation, notifications, the deadline board).

Outputs are built by the functions below from what verification/queries.py returned, so what a caller may see was
decided there (drafts and the investigation: mediators only); these functions only shape it.
"""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import AwareDatetime, ConfigDict, Field

from ceasefire.incidents.drafts import CasualtyFigure
from ceasefire.verification.enums import Credibility, Outcome, Reliability, ReplyKind, TaskKind
from ceasefire.verification.models import Appeal, Determination, Reply
from ceasefire.verification.queries import Board, Deadline, Investigation, TimelineEntry

from .complaints import CasualtyIn, _commitment_order


class _Body(Schema):
    # A misspelt field is refused rather than silently dropped.
    model_config = ConfigDict(extra="forbid")


# --- inputs -------------------------------------------------------------------------------------------------------


class NoteIn(_Body):
    note: str = Field("", description="Optional note kept in the complaint's history")


class ReasonIn(_Body):
    reason: str = Field("", description="Shown to the complainant in the history", examples=["Outside the mandate."])


class ReplyIn(_Body):
    kind: str = Field(
        description=f"{ReplyKind.ACCEPTED.value} or {ReplyKind.CONTESTED.value}", examples=[ReplyKind.CONTESTED.value]
    )
    account: str = Field("", description="The respondent's own account; required when contesting")
    casualties: list[CasualtyIn] = Field(default_factory=list, description="The respondent's own figures")

    def figures(self) -> list[CasualtyFigure]:
        return [
            CasualtyFigure(kind=c.kind, status=c.status, best=c.best, low=c.low, high=c.high) for c in self.casualties
        ]


class AssignIn(_Body):
    investigators: list[str] = Field(description="User names of mediators' investigators", examples=[["tr-inv"]])
    note: str = ""


class TaskIn(_Body):
    kind: str = Field(description=f"One of: {', '.join(TaskKind.values)}", examples=[TaskKind.SITE_VISIT.value])
    description: str = Field(examples=["Visit the house in Mughalgai and photograph the damage."])
    due_at: AwareDatetime = Field(description="With a time zone; in the future")
    assigned_to: str | None = Field(None, description="User name of an investigator assigned to the complaint")


class TaskDoneIn(_Body):
    result: str = Field(description="What the task found")


class GradeIn(_Body):
    reliability: str = Field(description="Admiralty source reliability, A to F", examples=[Reliability.B.value])
    credibility: str = Field(description="Admiralty item credibility, 1 to 6", examples=[Credibility.PROBABLY_TRUE])
    note: str = ""


class CorroborationIn(_Body):
    incident: str = Field(description="Public code of the related incident", examples=["INC-2025-7K3Q"])
    note: str = Field(description="How it bears on this complaint")


class InvestigationNoteIn(_Body):
    text: str


class FindingsIn(_Body):
    summary: str


class DeterminationIn(_Body):
    outcome: str = Field(description=f"One of: {', '.join(Outcome.values)}", examples=[Outcome.BREACH_CONFIRMED])
    reasons: str
    responsible_party: str | None = Field(None, description="Party code; a confirmed breach names it")
    commitments: list[str] = Field(default_factory=list, description="Codes of the commitments breached")
    measures: list[str] = Field(default_factory=list, description="Codes of the agreement's penalty types")


class DissentIn(_Body):
    text: str


class AppealIn(_Body):
    grounds: str


class ReadIn(_Body):
    ids: list[int] | None = Field(None, description="The notifications to mark read; absent: all of them")


# --- the workflow view ------------------------------------------------------------------------------------------


class CreatedOut(Schema):
    kind: str = Field(description="What the move created, e.g. task")
    ref: str = Field(description="How to name it in later operations, e.g. the task id")


class WorkflowOut(Schema):
    """Where a complaint stands and what the caller may do next; every move answers with it."""

    public_code: str
    state: str
    round: int = Field(description="Investigation round: 1, plus one per appeal that reopened it")
    reply_due_at: dt.datetime | None
    investigation_due_at: dt.datetime | None = Field(description="Mediators only; null for a party")
    appeal_until: dt.datetime | None = Field(description="End of the appeal window of the determination in effect")
    actions: list[str] = Field(description="The workflow actions the caller may take now")
    created: CreatedOut | None = None


class TimelineEntryOut(Schema):
    at: dt.datetime
    from_state: str
    to_state: str
    by: str = Field(description="User name of who moved it; empty for the system or a mediator-only act")
    party: str
    note: str
    round: int
    redacted: bool = Field(
        description="True for a party's view of a move inside the investigation: by and note are withheld"
    )


class ReplyOut(Schema):
    kind: str
    account: str
    party: str
    by: str
    at: dt.datetime


class SignatureOut(Schema):
    party: str
    by: str
    at: dt.datetime


class DissentOut(Schema):
    party: str
    text: str
    at: dt.datetime


class DeterminationOut(Schema):
    round: int
    outcome: str
    reasons: str
    responsible_party: str | None
    commitments: list[str]
    measures: list[str]
    drafted_at: dt.datetime
    in_effect: bool = Field(description="false: a draft, shown to mediators only")
    effective_at: dt.datetime | None
    appeal_until: dt.datetime | None
    signatures: list[SignatureOut]
    dissents: list[DissentOut]


class AppealOut(Schema):
    party: str
    round: int = Field(description="The round of the determination appealed")
    grounds: str
    at: dt.datetime


class WorkflowDetailOut(WorkflowOut):
    timeline: list[TimelineEntryOut]
    reply: ReplyOut | None
    determinations: list[DeterminationOut] = Field(description="Those the caller may see, oldest round first")
    appeals: list[AppealOut]


def timeline_entry_out(entry: TimelineEntry) -> dict[str, object]:
    """An entry as queries.timeline gave it: already redacted for a party (investigation moves: no person, no note)."""
    return {
        "at": entry.at,
        "from_state": entry.from_state,
        "to_state": entry.to_state,
        "by": entry.by,
        "party": entry.party,
        "note": entry.note,
        "round": entry.round,
        "redacted": entry.redacted,
    }


def reply_out(reply: Reply) -> dict[str, object]:
    return {
        "kind": reply.kind,
        "account": reply.account,
        "party": reply.complaint.respondent.code,
        "by": reply.by.user.get_username() if reply.by else "",
        "at": reply.at,
    }


def determination_out(determination: Determination) -> dict[str, object]:
    """Expects responsible party, commitments, measures, signatures and dissents loaded (queries.determinations_of)."""
    return {
        "round": determination.round,
        "outcome": determination.outcome,
        "reasons": determination.reasons,
        "responsible_party": determination.responsible_party.code if determination.responsible_party else None,
        "commitments": sorted((c.code for c in determination.commitments.all()), key=_commitment_order),
        "measures": sorted(m.code for m in determination.measures.all()),
        "drafted_at": determination.drafted_at,
        "in_effect": determination.effective_at is not None,
        "effective_at": determination.effective_at,
        "appeal_until": determination.appeal_until,
        "signatures": [
            {"party": s.party.code, "by": s.by.user.get_username(), "at": s.at} for s in determination.signatures.all()
        ],
        "dissents": [{"party": d.party.code, "text": d.text, "at": d.at} for d in determination.dissents.all()],
    }


def appeal_out(appeal: Appeal) -> dict[str, object]:
    return {"party": appeal.party.code, "round": appeal.determination.round, "grounds": appeal.grounds, "at": appeal.at}


# --- the investigation (mediators only) -------------------------------------------------------------------------


class AssignmentOut(Schema):
    investigator: str
    party: str
    round: int
    at: dt.datetime


class TaskOut(Schema):
    id: int = Field(description="Names the task in tasks/{id}/complete")
    round: int
    kind: str
    description: str
    due_at: dt.datetime
    assigned_to: str | None
    done_at: dt.datetime | None
    result: str


class NoteOut(Schema):
    round: int
    author: str
    party: str
    text: str
    at: dt.datetime


class GradeOut(Schema):
    evidence: str
    reliability: str
    credibility: str
    note: str
    graded_by: str
    at: dt.datetime


class CorroborationOut(Schema):
    incident: str
    note: str
    by: str
    at: dt.datetime


class FindingsOut(Schema):
    round: int
    summary: str
    by: str
    at: dt.datetime


class InvestigationOut(Schema):
    public_code: str
    round: int
    investigation_due_at: dt.datetime | None
    assignments: list[AssignmentOut]
    tasks: list[TaskOut]
    notes: list[NoteOut]
    grades: list[GradeOut] = Field(description="The latest grade of each graded evidence item")
    corroborations: list[CorroborationOut]
    findings: list[FindingsOut]


def investigation_out(
    public_code: str, round_: int, due: dt.datetime | None, found: Investigation
) -> dict[str, object]:
    return {
        "public_code": public_code,
        "round": round_,
        "investigation_due_at": due,
        "assignments": [
            {
                "investigator": a.investigator.user.get_username(),
                "party": a.investigator.party.code,
                "round": a.round,
                "at": a.at,
            }
            for a in found.assignments
        ],
        "tasks": [
            {
                "id": t.pk,
                "round": t.round,
                "kind": t.kind,
                "description": t.description,
                "due_at": t.due_at,
                "assigned_to": t.assigned_to.user.get_username() if t.assigned_to else None,
                "done_at": t.done_at,
                "result": t.result,
            }
            for t in found.tasks
        ],
        "notes": [
            {
                "round": n.round,
                "author": n.author.user.get_username(),
                "party": n.author.party.code,
                "text": n.text,
                "at": n.at,
            }
            for n in found.notes
        ],
        "grades": [
            {
                "evidence": g.evidence.public_code,
                "reliability": g.reliability,
                "credibility": g.credibility,
                "note": g.note,
                "graded_by": g.graded_by.user.get_username(),
                "at": g.at,
            }
            for g in found.grades.values()
        ],
        "corroborations": [
            {"incident": c.incident.public_code, "note": c.note, "by": c.by.user.get_username(), "at": c.at}
            for c in found.corroborations
        ],
        "findings": [
            {"round": f.round, "summary": f.summary, "by": f.by.user.get_username(), "at": f.at} for f in found.findings
        ],
    }


# --- notifications ----------------------------------------------------------------------------------------------


class NotificationQuery(Schema):
    unread: bool = Field(False, description="Only the unread ones")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


class NotificationOut(Schema):
    id: int
    kind: str
    complaint: str | None
    message: str = Field(description="In the caller's language")
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationPage(Schema):
    unread: int = Field(description="How many of the caller's notifications are unread (all pages)")
    count: int = Field(description="How many match the query (all pages)")
    items: list[NotificationOut]


class ReadOut(Schema):
    marked: int
    unread: int


# --- the deadline board (mediators only) ------------------------------------------------------------------------


class DeadlineOut(Schema):
    complaint: str
    stage: str
    due_at: dt.datetime
    overdue: bool
    hours_late: float | None = Field(description="Hours past the due time; null when not overdue")
    who: str = Field(description="Who must act: the respondent's party code, or the investigator")
    task: int | None


class StageCounts(Schema):
    overdue: int
    due_soon: int
    later: int


class BoardOut(Schema):
    now: dt.datetime
    overdue: list[DeadlineOut]
    due_soon: list[DeadlineOut] = Field(description="Due within 48 hours")
    later: list[DeadlineOut]
    per_stage: dict[str, StageCounts]
    per_party: dict[str, StageCounts]
    median_hours: dict[str, float | None] = Field(description="Median hours a complaint spent in each state")


def hours_late(deadline: Deadline, now: dt.datetime) -> float | None:
    return round((now - deadline.due_at).total_seconds() / 3600, 1) if deadline.overdue else None


def deadline_out(deadline: Deadline, now: dt.datetime) -> dict[str, object]:
    return {
        "complaint": deadline.complaint.public_code,
        "stage": deadline.stage,
        "due_at": deadline.due_at,
        "overdue": deadline.overdue,
        "hours_late": hours_late(deadline, now),
        "who": deadline.who,
        "task": deadline.task.pk if deadline.task else None,
    }


def board_out(board: Board) -> dict[str, object]:
    return {
        "now": board.now,
        "overdue": [deadline_out(d, board.now) for d in board.overdue],
        "due_soon": [deadline_out(d, board.now) for d in board.due_soon],
        "later": [deadline_out(d, board.now) for d in board.later],
        "per_stage": board.per_stage,
        "per_party": board.per_party,
        "median_hours": board.median_hours,
    }
