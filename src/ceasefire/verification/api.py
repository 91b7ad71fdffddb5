"""API v1 of the complaint workflow: one operation per move, the workflow and investigation reads, the caller's
notifications and the mediators' deadline board.

Thin over services.py (every move checks its own visibility, rule, state and input again) and queries.py (every
read). Codes in a body (investigators, parties, commitments, measures, incidents) are resolved here, after the
move's rule, so an unknown one is a 422 naming its field and a caller who may not make the move learns nothing
about codes. The investigation and draft determinations reach mediators only; to anyone else they are absent.
No `from __future__ import annotations` in router modules: ninja reads the handlers' annotations at import.
"""

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from ceasefire.agreements.models import Commitment, PenaltyType
from ceasefire.api.auth import acting
from ceasefire.api.schemas.workflow import (
    AppealIn,
    AssignIn,
    BoardOut,
    CorroborationIn,
    DeterminationIn,
    DissentIn,
    FindingsIn,
    GradeIn,
    InvestigationNoteIn,
    InvestigationOut,
    NoteIn,
    NotificationPage,
    NotificationQuery,
    ReadIn,
    ReadOut,
    ReasonIn,
    ReplyIn,
    TaskDoneIn,
    TaskIn,
    WorkflowDetailOut,
    WorkflowOut,
    appeal_out,
    board_out,
    determination_out,
    investigation_out,
    reply_out,
    timeline_entry_out,
)
from ceasefire.core.enums import PartyKind, Role
from ceasefire.core.errors import Conflict, NotPermitted, NotVisible, ValidationFailed
from ceasefire.core.models import Membership, Party
from ceasefire.core.rules import is_mediator
from ceasefire.incidents.models import Complaint, Incident
from ceasefire.incidents.queries import complaint_evidence, get_visible_complaint

from . import queries, rules, services
from .models import Determination, InvestigationTask, Notification
from .notify import describe, mark_read

router = Router(tags=["workflow"])

# Moves whose history entry belongs to the investigation (who investigates, the assignment note): a party reads
# the move and the mediator party that made it.


def _absent() -> NotVisible:
    return NotVisible(_("No such complaint."))


def _target(request: HttpRequest, public_code: str) -> tuple[Membership, Complaint]:
    member = acting(request)
    complaint = get_visible_complaint(member, public_code)
    if complaint is None or member is None:
        raise _absent()
    return member, complaint


def _appeal_until(complaint: Complaint) -> object:
    current = queries.current_determination(complaint)
    # Only a determination in effect has a window, and one in effect is seen by whoever sees the complaint.
    return current.appeal_until if current is not None and current.effective_at is not None else None


def _summary(member: Membership, complaint: Complaint) -> dict[str, object]:
    return {
        "public_code": complaint.public_code,
        "state": complaint.state,
        "round": complaint.round,
        "reply_due_at": complaint.reply_due_at,
        "investigation_due_at": complaint.investigation_due_at if is_mediator(member) else None,
        "appeal_until": _appeal_until(complaint),
        "actions": queries.actions_for(member, complaint),
    }


def _view(member: Membership, complaint: Complaint, created: tuple[str, object] | None = None) -> dict[str, object]:
    """The workflow view after a move, read again: the move changed the row under the object the handler holds."""
    fresh = Complaint.objects.visible_to(member).get(pk=complaint.pk)
    body = _summary(member, fresh)
    if created is not None:
        body["created"] = {"kind": created[0], "ref": str(created[1])}
    return body


def _invalid(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationFailed(next(iter(errors.values())), errors=errors)


def _investigator(username: str) -> Membership | None:
    """The user's active membership as a mediator's investigator, whatever else they are."""
    return (
        Membership.objects.filter(
            user__username=username, is_active=True, role=Role.INVESTIGATOR, party__kind=PartyKind.MEDIATOR
        )
        .select_related("user", "party")
        .first()
    )


def _unknown_investigator(username: str) -> str:
    if get_user_model().objects.filter(username=username).exists():
        return _("%(name)s is not an investigator of a mediator party.") % {"name": username}
    return _("No user '%(name)s'.") % {"name": username}


# --- reads --------------------------------------------------------------------------------------------------------


@router.get("/complaints/{public_code}/workflow", response=WorkflowDetailOut, summary="A complaint's workflow")
def get_complaint_workflow(request: HttpRequest, public_code: str) -> dict[str, object]:
    """State, history, the respondent's reply, the determinations the caller may see (drafts: mediators only),
    appeals, and the actions the caller may take now."""
    member, complaint = _target(request, public_code)
    reply = queries.reply_of(complaint)
    return _summary(member, complaint) | {
        "timeline": [timeline_entry_out(e) for e in queries.timeline(complaint, member)],
        "reply": reply_out(reply) if reply is not None else None,
        "determinations": [determination_out(d) for d in queries.determinations_of(member, complaint)],
        "appeals": [appeal_out(a) for a in queries.appeals_of(complaint)],
    }


@router.get("/complaints/{public_code}/investigation", response=InvestigationOut, summary="A complaint's investigation")
def get_complaint_investigation(request: HttpRequest, public_code: str) -> dict[str, object]:
    """Assignments, tasks, notes, evidence grades, corroborating incidents and findings: mediators only (absent,
    404, for anyone else, before and after the determination)."""
    member, complaint = _target(request, public_code)
    if not is_mediator(member):
        # Absent, word for word as a code that does not exist: the answer tells nothing a made-up code would not.
        raise _absent()
    found = queries.investigation_of(member, complaint)
    return investigation_out(complaint.public_code, complaint.round, complaint.investigation_due_at, found)


@router.get("/notifications", response=NotificationPage, tags=["notifications"], summary="My notifications")
def list_notifications(request: HttpRequest, params: Query[NotificationQuery]) -> dict[str, object]:
    """The caller's notifications, newest first, each checked again against what the caller may see now."""
    member = acting(request)
    mine = Notification.objects.visible_to(member)
    unread = mine.filter(read_at__isnull=True)
    chosen = unread if params.unread else mine
    page = chosen.select_related("complaint")[params.offset : params.offset + params.limit]
    return {
        "unread": unread.count(),
        "count": chosen.count(),
        "items": [
            {
                "id": n.pk,
                "kind": n.kind,
                "complaint": n.complaint.public_code if n.complaint else None,
                "message": describe(n),
                "created_at": n.created_at,
                "read_at": n.read_at,
            }
            for n in page
        ],
    }


@router.post("/notifications/read", response=ReadOut, tags=["notifications"], summary="Mark notifications read")
def read_notifications(request: HttpRequest, payload: ReadIn | None = None) -> dict[str, int]:
    """Marks the given notifications of the caller read (all without `ids`); others' ids are ignored."""
    member = acting(request)
    if member is None:
        return {"marked": 0, "unread": 0}
    marked = mark_read(member, payload.ids if payload else None)
    return {"marked": marked, "unread": Notification.objects.visible_to(member).filter(read_at__isnull=True).count()}


@router.get("/deadlines", response=BoardOut, tags=["deadlines"], summary="The deadline board")
def get_deadline_board(request: HttpRequest) -> dict[str, object]:
    """Running clocks (replies, investigations, tasks): overdue, due within 48 hours, later; counts per stage and
    per party; median hours per state. Mediators only."""
    member = acting(request)
    if not is_mediator(member):
        raise NotVisible(_("No such record."))
    return board_out(queries.deadline_board(member))


# --- admission ----------------------------------------------------------------------------------------------------


@router.post("/complaints/{public_code}/submit", response=WorkflowOut, summary="Submit a draft complaint")
def submit_complaint(request: HttpRequest, public_code: str) -> dict[str, object]:
    """The complainant's liaison submits its draft (draft → submitted)."""
    member, complaint = _target(request, public_code)
    services.submit_complaint(member, complaint)
    return _view(member, complaint)


@router.post("/complaints/{public_code}/notify", response=WorkflowOut, summary="Notify the respondent")
def notify_complaint(request: HttpRequest, public_code: str, payload: NoteIn | None = None) -> dict[str, object]:
    """The secretariat notifies the respondent (submitted → notified); the reply time limit starts."""
    member, complaint = _target(request, public_code)
    services.notify_respondent(member, complaint, note=payload.note if payload else "")
    return _view(member, complaint)


@router.post("/complaints/{public_code}/reject", response=WorkflowOut, summary="Reject as inadmissible")
def reject_complaint(request: HttpRequest, public_code: str, payload: ReasonIn | None = None) -> dict[str, object]:
    """The secretariat rejects a submitted or notified complaint, with a reason shown to the complainant."""
    member, complaint = _target(request, public_code)
    services.reject_complaint(member, complaint, reason=payload.reason if payload else "")
    return _view(member, complaint)


@router.post("/complaints/{public_code}/withdraw", response=WorkflowOut, summary="Withdraw a complaint")
def withdraw_complaint(request: HttpRequest, public_code: str, payload: ReasonIn | None = None) -> dict[str, object]:
    """The complainant's liaison withdraws its complaint, at any time before the determination."""
    member, complaint = _target(request, public_code)
    services.withdraw_complaint(member, complaint, reason=payload.reason if payload else "")
    return _view(member, complaint)


# --- the reply ----------------------------------------------------------------------------------------------------


@router.post("/complaints/{public_code}/reply", response=WorkflowOut, summary="Reply to a complaint")
def reply_complaint(request: HttpRequest, public_code: str, payload: ReplyIn) -> dict[str, object]:
    """The respondent's liaison accepts or contests, once, before the time limit, with its own account and
    casualty figures. Its evidence goes through POST /complaints/{public_code}/evidence (open to the respondent
    once notified)."""
    member, complaint = _target(request, public_code)
    services.reply_to_complaint(
        member, complaint, kind=payload.kind, account=payload.account, casualties=payload.figures()
    )
    return _view(member, complaint)


# --- the investigation --------------------------------------------------------------------------------------------


@router.post("/complaints/{public_code}/assign", response=WorkflowOut, summary="Assign investigators")
def assign_complaint(request: HttpRequest, public_code: str, payload: AssignIn) -> dict[str, object]:
    """The secretariat assigns mediators' investigators: opens the investigation of a notified complaint,
    reopens an appealed one as a new round, or adds investigators to one under investigation."""
    member, complaint = _target(request, public_code)
    if not rules.is_secretariat(member):
        raise NotPermitted(_("Only the secretariat assigns investigators."))
    chosen: list[Membership] = []
    errors: dict[str, str] = {}
    for i, name in enumerate(payload.investigators):
        investigator = _investigator(name)
        if investigator is None:
            errors[f"investigators.{i}"] = _unknown_investigator(name)
        else:
            chosen.append(investigator)
    _invalid(errors)
    services.assign_investigators(member, complaint, chosen, note=payload.note)
    return _view(member, complaint)


@router.post("/complaints/{public_code}/tasks", response=WorkflowOut, summary="Add an investigation task")
def add_complaint_task(request: HttpRequest, public_code: str, payload: TaskIn) -> dict[str, object]:
    """A site visit, interview, imagery request, ... with its due time; `created.ref` is the task's id."""
    member, complaint = _target(request, public_code)
    if not rules.can_investigate(member, complaint):
        raise NotPermitted(_("Only the investigators assigned to this complaint, or the secretariat, do this."))
    assigned_to = None
    if payload.assigned_to:
        assigned_to = _investigator(payload.assigned_to)
        if assigned_to is None:
            _invalid({"assigned_to": _unknown_investigator(payload.assigned_to)})
    task = services.add_investigation_task(
        member,
        complaint,
        kind=payload.kind,
        description=payload.description,
        due_at=payload.due_at,
        assigned_to=assigned_to,
    )
    return _view(member, complaint, created=("task", task.pk))


@router.post(
    "/complaints/{public_code}/tasks/{task_id}/complete", response=WorkflowOut, summary="Complete an investigation task"
)
def complete_complaint_task(
    request: HttpRequest, public_code: str, task_id: int, payload: TaskDoneIn
) -> dict[str, object]:
    member, complaint = _target(request, public_code)
    # Tasks are the investigation's: to anyone but a mediator they do not exist.
    task = InvestigationTask.objects.filter(pk=task_id, complaint=complaint).first() if is_mediator(member) else None
    if task is None:
        raise NotVisible(_("No such task."))
    services.complete_investigation_task(member, task, result=payload.result)
    return _view(member, complaint)


@router.post(
    "/complaints/{public_code}/evidence/{evidence_code}/grade",
    response=WorkflowOut,
    tags=["evidence"],
    summary="Grade an evidence item",
)
def grade_complaint_evidence(
    request: HttpRequest, public_code: str, evidence_code: str, payload: GradeIn
) -> dict[str, object]:
    """An Admiralty grade: source reliability (A–F) and item credibility (1–6), separately."""
    member, complaint = _target(request, public_code)
    evidence = complaint_evidence(member, complaint).filter(public_code=evidence_code).first()
    if evidence is None:
        raise NotVisible(_("No such evidence."))
    services.grade_evidence(
        member, evidence, reliability=payload.reliability, credibility=payload.credibility, note=payload.note
    )
    return _view(member, complaint)


@router.post("/complaints/{public_code}/corroborations", response=WorkflowOut, summary="Link a corroborating incident")
def add_complaint_corroboration(request: HttpRequest, public_code: str, payload: CorroborationIn) -> dict[str, object]:
    """Link another incident (by public code) that bears on this complaint, with why."""
    member, complaint = _target(request, public_code)
    if not rules.can_investigate(member, complaint):
        raise NotPermitted(_("Only the investigators assigned to this complaint, or the secretariat, do this."))
    # An incident the caller may not see is answered exactly as one that does not exist.
    incident = Incident.objects.visible_to(member).filter(public_code=payload.incident.strip()).first()
    if incident is None:
        _invalid({"incident": _("No incident '%(code)s'.") % {"code": payload.incident}})
    assert incident is not None
    services.link_corroboration(member, complaint, incident, note=payload.note)
    return _view(member, complaint)


@router.post("/complaints/{public_code}/notes", response=WorkflowOut, summary="Add an investigation note")
def add_complaint_note(request: HttpRequest, public_code: str, payload: InvestigationNoteIn) -> dict[str, object]:
    """A mediator's working note: never shown to a party."""
    member, complaint = _target(request, public_code)
    services.add_investigation_note(member, complaint, text=payload.text)
    return _view(member, complaint)


@router.post("/complaints/{public_code}/findings", response=WorkflowOut, summary="Record the findings")
def record_complaint_findings(request: HttpRequest, public_code: str, payload: FindingsIn) -> dict[str, object]:
    """The findings summary closes the round (under_investigation → findings_ready)."""
    member, complaint = _target(request, public_code)
    services.record_findings(member, complaint, summary=payload.summary)
    return _view(member, complaint)


# --- the determination --------------------------------------------------------------------------------------------


def _determination_codes(
    complaint: Complaint, payload: DeterminationIn
) -> tuple[Party | None, list[Commitment], list[PenaltyType]]:
    errors: dict[str, str] = {}
    party = None
    if payload.responsible_party:
        party = Party.objects.filter(code=payload.responsible_party.strip().upper()).first()
        if party is None:
            errors["responsible_party"] = _("No party '%(code)s'.") % {"code": payload.responsible_party}
    commitments = {c.code: c for c in Commitment.objects.filter(agreement=complaint.agreement)}
    measures = {m.code: m for m in PenaltyType.objects.filter(agreement=complaint.agreement)}
    for i, code in enumerate(payload.commitments):
        if code not in commitments:
            errors[f"commitments.{i}"] = _("No commitment '%(code)s' in this complaint's agreement.") % {"code": code}
    for i, code in enumerate(payload.measures):
        if code not in measures:
            errors[f"measures.{i}"] = _("No penalty type '%(code)s' in this complaint's agreement.") % {"code": code}
    _invalid(errors)
    return party, [commitments[c] for c in payload.commitments], [measures[m] for m in payload.measures]


@router.post("/complaints/{public_code}/determination", response=WorkflowOut, summary="Draft the determination")
def draft_complaint_determination(
    request: HttpRequest, public_code: str, payload: DeterminationIn
) -> dict[str, object]:
    """Draft (or redraft, until the first signature) this round's determination; mediators only see it until
    the quorum of adjudicators has signed."""
    member, complaint = _target(request, public_code)
    if not rules.can_draft_determination(member):
        raise NotPermitted(_("Only a mediator's adjudicator or the secretariat drafts a determination."))
    party, commitments, measures = _determination_codes(complaint, payload)
    services.draft_determination(
        member,
        complaint,
        outcome=payload.outcome,
        reasons=payload.reasons,
        responsible_party=party,
        commitments=commitments,
        measures=measures,
    )
    return _view(member, complaint)


def _current_determination(member: Membership, complaint: Complaint) -> Determination | None:
    return Determination.objects.visible_to(member).filter(complaint=complaint, round=complaint.round).first()


@router.post("/complaints/{public_code}/determination/sign", response=WorkflowOut, summary="Sign the determination")
def sign_complaint_determination(request: HttpRequest, public_code: str) -> dict[str, object]:
    """An adjudicator signs for its mediator party; the signature completing the quorum puts it in effect."""
    member, complaint = _target(request, public_code)
    determination = _current_determination(member, complaint)
    if determination is None:
        if not rules.is_adjudicator(member):
            raise NotPermitted(_("Only a mediator party's adjudicator signs a determination."))
        raise Conflict(_("There is no draft determination to sign."), extensions={"state": complaint.state})
    services.sign_determination(member, determination)
    return _view(member, complaint)


@router.post(
    "/complaints/{public_code}/determination/dissent", response=WorkflowOut, summary="Add a dissenting statement"
)
def dissent_complaint_determination(request: HttpRequest, public_code: str, payload: DissentIn) -> dict[str, object]:
    """Each side may attach one dissenting statement to the determination in effect."""
    member, complaint = _target(request, public_code)
    determination = _current_determination(member, complaint)
    if determination is None or determination.effective_at is None:
        if not rules.is_named_party_liaison(member, complaint):
            raise NotPermitted(_("Only a liaison officer of one of the complaint's two sides adds a dissent."))
        raise Conflict(_("The determination is not in effect yet."), extensions={"state": complaint.state})
    services.add_dissent(member, determination, text=payload.text)
    return _view(member, complaint)


@router.post("/complaints/{public_code}/appeal", response=WorkflowOut, summary="Appeal the determination")
def appeal_complaint(request: HttpRequest, public_code: str, payload: AppealIn) -> dict[str, object]:
    """A side appeals once, within the agreement's appeal window (determined → appealed)."""
    member, complaint = _target(request, public_code)
    services.appeal_determination(member, complaint, grounds=payload.grounds)
    return _view(member, complaint)


@router.post("/complaints/{public_code}/close", response=WorkflowOut, summary="Close a determined complaint")
def close_complaint(request: HttpRequest, public_code: str, payload: NoteIn | None = None) -> dict[str, object]:
    """The secretariat closes a determined complaint once its appeal window has passed."""
    member, complaint = _target(request, public_code)
    services.close_complaint(member, complaint, note=payload.note if payload else "")
    return _view(member, complaint)
