"""Reads of the workflow, each through the complaint's visibility rule and its stage rule: the timeline, the
reply, the investigation (mediators only), determinations (drafts to mediators only), the actions a member may
take now, and the secretariat's deadline board."""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from ceasefire.core.errors import NotVisible
from ceasefire.core.models import Membership
from ceasefire.core.rules import is_mediator
from ceasefire.incidents.enums import ComplaintState
from ceasefire.incidents.models import Complaint

from . import rules
from .enums import Stage
from .models import (
    Appeal,
    Assignment,
    Corroboration,
    Determination,
    EvidenceGrade,
    Findings,
    InvestigationNote,
    InvestigationTask,
    Reply,
    Transition,
)

S = ComplaintState


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    from_state: str
    to_state: str
    by: str
    party: str
    note: str
    round: int
    redacted: bool = False  # a party's view of a move inside the investigation: no person, no note


# Moves made inside the investigation: a party reads that they happened and which mediator party made them, not
# the person or the note (the secretariat's note on assigning is investigation material).
INVESTIGATION_MOVES = frozenset({S.UNDER_INVESTIGATION, S.FINDINGS_READY})


def timeline(complaint: Complaint, member: Membership | None) -> list[TimelineEntry]:
    """The complaint's history as `member` may read it, oldest first: filing, then every move. The caller has
    checked that the member sees the complaint."""
    entries = _timeline(complaint)
    if is_mediator(member):
        return entries
    return [
        dataclasses.replace(e, by="", note="", redacted=True) if e.to_state in INVESTIGATION_MOVES else e
        for e in entries
    ]


def _timeline(complaint: Complaint) -> list[TimelineEntry]:
    moves = list(Transition.objects.filter(complaint=complaint).select_related("by__user", "party"))
    # Filing is incidents' act, before the workflow's first move: it began as a draft if a move submitted it.
    drafted = any(move.from_state == S.DRAFT for move in moves) or complaint.state == S.DRAFT
    entries = [
        TimelineEntry(
            at=complaint.created_at,
            from_state="",
            to_state=S.DRAFT if drafted else S.SUBMITTED,
            by=complaint.filed_by.user.get_username(),
            party=complaint.complainant.code,
            note="",
            round=1,
        )
    ]
    for move in moves:
        entries.append(
            TimelineEntry(
                at=move.at,
                from_state=move.from_state,
                to_state=move.to_state,
                by=move.by.user.get_username() if move.by else "",
                party=move.party.code if move.party else "",
                note=move.note,
                round=move.round,
            )
        )
    return entries


def reply_of(complaint: Complaint) -> Reply | None:
    return Reply.objects.filter(complaint=complaint).select_related("by__user", "by__party").first()


@dataclass
class Investigation:
    assignments: list[Assignment]
    tasks: list[InvestigationTask]
    notes: list[InvestigationNote]
    grades: dict[int, EvidenceGrade]  # evidence pk -> latest grade
    corroborations: list[Corroboration]
    findings: list[Findings]


def investigation_of(member: Membership | None, complaint: Complaint) -> Investigation:
    """Everything of the investigation, for mediators only: anyone else gets NotVisible (404)."""
    if not is_mediator(member) or not Complaint.objects.visible_to(member).filter(pk=complaint.pk).exists():
        raise NotVisible("No such investigation.")
    grades: dict[int, EvidenceGrade] = {}
    for grade in EvidenceGrade.objects.filter(evidence__complaint=complaint).select_related("graded_by__user"):
        grades[grade.evidence_id] = grade  # ordered by time: the latest wins
    return Investigation(
        assignments=list(
            Assignment.objects.filter(complaint=complaint).select_related("investigator__user", "investigator__party")
        ),
        tasks=list(InvestigationTask.objects.filter(complaint=complaint).select_related("assigned_to__user")),
        notes=list(
            InvestigationNote.objects.filter(complaint=complaint).select_related("author__user", "author__party")
        ),
        grades=grades,
        corroborations=list(Corroboration.objects.filter(complaint=complaint).select_related("incident", "by__user")),
        findings=list(Findings.objects.filter(complaint=complaint).select_related("by__user")),
    )


def determinations_of(member: Membership | None, complaint: Complaint) -> list[Determination]:
    """This complaint's determinations the member may see (drafts to mediators only), oldest round first."""
    return list(
        Determination.objects.visible_to(member)
        .filter(complaint=complaint)
        .select_related("responsible_party", "drafted_by__user")
        .prefetch_related("commitments", "measures", "signatures__party", "signatures__by__user", "dissents__party")
    )


def appeals_of(complaint: Complaint) -> list[Appeal]:
    return list(Appeal.objects.filter(complaint=complaint).select_related("party", "by__user"))


def current_determination(complaint: Complaint) -> Determination | None:
    return Determination.objects.filter(complaint=complaint, round=complaint.round).first()


def actions_for(member: Membership | None, complaint: Complaint, *, now: dt.datetime | None = None) -> list[str]:
    """The workflow actions this member may take on this complaint now (what the page offers and the API lists).
    Services check the same rules again when the action is taken."""
    if member is None:
        return []
    now = now or timezone.now()
    state = complaint.state
    actions: list[str] = []
    if state == S.DRAFT and rules.is_complainant_liaison(member, complaint):
        actions.append("submit")
    if rules.is_secretariat(member):
        if state == S.SUBMITTED:
            actions.append("notify")
        if state in (S.SUBMITTED, S.NOTIFIED):
            actions.append("reject")
        if state in (S.NOTIFIED, S.UNDER_INVESTIGATION, S.APPEALED):
            actions.append("assign")
    if (
        rules.is_respondent_liaison(member, complaint)
        and state in (S.NOTIFIED, S.UNDER_INVESTIGATION)
        and complaint.reply_due_at is not None
        and now <= complaint.reply_due_at
        and not Reply.objects.filter(complaint=complaint).exists()
    ):
        actions.append("reply")
    if state == S.UNDER_INVESTIGATION and rules.can_investigate(member, complaint):
        actions += ["add_task", "grade", "corroborate", "findings"]
    if state not in (S.DRAFT, S.SUBMITTED) and (
        rules.can_investigate(member, complaint) or rules.is_adjudicator(member)
    ):
        actions.append("note")
    current = current_determination(complaint)
    unsigned = current is None or not current.signatures.exists()
    if state == S.FINDINGS_READY and rules.can_draft_determination(member) and unsigned:
        actions.append("draft_determination")
    if (
        state == S.FINDINGS_READY
        and current is not None
        and rules.is_adjudicator(member)
        and not current.signatures.filter(party_id=member.party_id).exists()
    ):
        actions.append("sign")
    if state in (S.SUBMITTED, S.NOTIFIED, S.UNDER_INVESTIGATION, S.FINDINGS_READY) and rules.is_complainant_liaison(
        member, complaint
    ):
        actions.append("withdraw")
    if current is not None and current.effective_at is not None and rules.is_named_party_liaison(member, complaint):
        if not current.dissents.filter(party_id=member.party_id).exists():
            actions.append("dissent")
        if (
            state == S.DETERMINED
            and (current.appeal_until is None or now <= current.appeal_until)
            and not Appeal.objects.filter(complaint=complaint, party_id=member.party_id).exists()
        ):
            actions.append("appeal")
    if (
        state == S.DETERMINED
        and rules.is_secretariat(member)
        and current is not None
        and (current.appeal_until is None or now > current.appeal_until)
    ):
        actions.append("close")
    return actions


# --- the deadline board -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    complaint: Complaint
    stage: str
    due_at: dt.datetime
    overdue: bool
    who: str  # the party that must act (the respondent for a reply, mediators for an investigation)
    task: InvestigationTask | None = None


@dataclass
class Board:
    now: dt.datetime
    overdue: list[Deadline] = field(default_factory=list)
    due_soon: list[Deadline] = field(default_factory=list)
    later: list[Deadline] = field(default_factory=list)
    per_stage: dict[str, dict[str, int]] = field(default_factory=dict)
    per_party: dict[str, dict[str, int]] = field(default_factory=dict)
    median_hours: dict[str, float | None] = field(default_factory=dict)


SOON = dt.timedelta(hours=48)


def open_deadlines(member: Membership | None) -> list[Deadline]:
    """Every running clock on complaints the member may see: replies awaited, investigations, open tasks."""
    visible = Complaint.objects.visible_to(member)
    found: list[Deadline] = []
    now = timezone.now()
    awaiting_reply = (
        visible.filter(state__in=(S.NOTIFIED, S.UNDER_INVESTIGATION), reply_due_at__isnull=False, reply__isnull=True)
        .select_related("respondent", "complainant")
        .order_by("reply_due_at")
    )
    for c in awaiting_reply:
        assert c.reply_due_at is not None
        found.append(Deadline(c, Stage.REPLY, c.reply_due_at, c.reply_due_at < now, c.respondent.code))
    if not is_mediator(member):
        return found  # investigations and their tasks are the mediators' business
    investigating = (
        visible.filter(state=S.UNDER_INVESTIGATION, investigation_due_at__isnull=False)
        .select_related("respondent", "complainant")
        .order_by("investigation_due_at")
    )
    for c in investigating:
        assert c.investigation_due_at is not None
        found.append(Deadline(c, Stage.INVESTIGATION, c.investigation_due_at, c.investigation_due_at < now, "—"))
    tasks = InvestigationTask.objects.filter(
        complaint__in=visible.filter(state=S.UNDER_INVESTIGATION), done_at__isnull=True
    ).select_related("complaint__respondent", "complaint__complainant", "assigned_to__user")
    for t in tasks:
        who = t.assigned_to.user.get_username() if t.assigned_to else "—"
        found.append(Deadline(t.complaint, Stage.TASK, t.due_at, t.due_at < now, who, task=t))
    return sorted(found, key=lambda d: d.due_at)


def deadline_board(member: Membership | None) -> Board:
    now = timezone.now()
    board = Board(now=now)
    for deadline in open_deadlines(member):
        if deadline.overdue:
            board.overdue.append(deadline)
        elif deadline.due_at - now <= SOON:
            board.due_soon.append(deadline)
        else:
            board.later.append(deadline)
        bucket = "overdue" if deadline.overdue else ("due_soon" if deadline.due_at - now <= SOON else "later")
        board.per_stage.setdefault(deadline.stage, {"overdue": 0, "due_soon": 0, "later": 0})[bucket] += 1
        for code in {deadline.complaint.complainant.code, deadline.complaint.respondent.code}:
            board.per_party.setdefault(code, {"overdue": 0, "due_soon": 0, "later": 0})[bucket] += 1
    board.median_hours = median_stage_hours(Complaint.objects.visible_to(member))
    return board


# The time a complaint spends in each state: from entering it to leaving it, over complaints that left it.
STAGES_MEASURED = (S.SUBMITTED, S.NOTIFIED, S.UNDER_INVESTIGATION, S.FINDINGS_READY, S.DETERMINED)


def median_stage_hours(complaints: QuerySet[Complaint]) -> dict[str, float | None]:
    entered: dict[int, dict[str, dt.datetime]] = defaultdict(dict)
    durations: dict[str, list[float]] = {state: [] for state in STAGES_MEASURED}
    submitted = complaints.filter(submitted_at__isnull=False).values_list("pk", "submitted_at")
    for pk, at in submitted:
        if at is not None:
            entered[pk][S.SUBMITTED] = at
    moves = Transition.objects.filter(complaint__in=complaints).order_by("complaint_id", "at", "pk")
    for move in moves.values("complaint_id", "from_state", "to_state", "at"):
        start = entered[move["complaint_id"]].pop(move["from_state"], None)
        if start is not None and move["from_state"] in durations:
            durations[move["from_state"]].append((move["at"] - start).total_seconds() / 3600)
        entered[move["complaint_id"]][move["to_state"]] = move["at"]
    return {state: (round(statistics.median(values), 1) if values else None) for state, values in durations.items()}


def overdue(member: Membership | None) -> list[Deadline]:
    return [d for d in open_deadlines(member) if d.overdue]
