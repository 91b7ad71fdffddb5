"""The write path of the complaint workflow: one function per move or act, each with its rule.

A move is a compare-and-set on the complaint's state (`UPDATE ... WHERE state IN (allowed)`): of two concurrent
moves one wins and the other gets Conflict (409) with the state it found. Each function checks its rule, writes,
records the history entry, appends its transparency-log entry, queues notifications and deadline tasks, all in
ONE transaction. Moves log `complaint.<verb>` with the complaint's full version plus a `workflow` annotation (who,
from, to, what was decided); mediator-only material (notes, grades, findings, drafts) is logged sealed under
`investigation.*` / `determination.*`, and appears in a complaint entry only as a SHA-256 digest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from ceasefire.agreements.models import Agreement, Commitment, PenaltyType
from ceasefire.core.enums import PartyKind, Role
from ceasefire.core.errors import Conflict, NotPermitted, NotVisible, ValidationFailed
from ceasefire.core.models import Membership, Party
from ceasefire.incidents.drafts import CasualtyFigure, EvidenceUpload, casualty_problem
from ceasefire.incidents.enums import ComplaintState
from ceasefire.incidents.models import CasualtyClaim, Complaint, Evidence, Incident
from ceasefire.incidents.services import _attach, store_uploads
from ceasefire.incidents.versions import complaint_version, is_sealed
from ceasefire.ledger.services import record_change

from . import rules
from .enums import Credibility, EventKind, Outcome, Reliability, ReplyKind, Stage, TaskKind
from .models import (
    Appeal,
    Assignment,
    Corroboration,
    Determination,
    Dissent,
    EvidenceGrade,
    Findings,
    InvestigationNote,
    InvestigationTask,
    Reply,
    Signature,
    Transition,
)
from .notify import MOMENT_FORMAT, tell

S = ComplaintState
BEFORE_DETERMINATION = (S.SUBMITTED, S.NOTIFIED, S.UNDER_INVESTIGATION, S.FINDINGS_READY)
REPLY_STATES = (S.NOTIFIED, S.UNDER_INVESTIGATION)
MAX_TEXT = 20_000
REMIND_BEFORE = dt.timedelta(hours=24)


# --- helpers ----------------------------------------------------------------------------------------------------


def _load(complaint: Complaint | int) -> Complaint:
    pk = complaint if isinstance(complaint, int) else complaint.pk
    return Complaint.objects.select_related("incident", "complainant", "respondent", "agreement").get(pk=pk)


def _visible(member: Membership | None, complaint: Complaint | int) -> Complaint:
    """The complaint, fresh from the database, if the member may see it; NotVisible (404) otherwise."""
    loaded = _load(complaint)
    if member is not None and not Complaint.objects.visible_to(member).filter(pk=loaded.pk).exists():
        raise NotVisible(gettext("No such complaint."))
    return loaded


def _when(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), MOMENT_FORMAT) + " " + timezone.get_current_timezone_name()


def _state_conflict(complaint: Complaint, action: str) -> Conflict:
    current = Complaint.objects.filter(pk=complaint.pk).values_list("state", flat=True).first() or complaint.state
    return Conflict(
        gettext("The complaint is now '%(state)s': it cannot be %(action)s.")
        % {"state": ComplaintState(current).label, "action": action},
        extensions={"state": current},
    )


def _text(value: str, field: str, message: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(message, field=field)
    if len(value) > MAX_TEXT:
        raise ValidationFailed(
            gettext("At most %(n)d characters, please.") % {"n": MAX_TEXT},
            field=field,
        )
    return value


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _log_complaint(member: Membership | None, complaint: Complaint, verb: str, workflow: dict[str, Any]) -> None:
    record = complaint_version(complaint) | {"workflow": {"verb": verb, "round": complaint.round} | workflow}
    record_change(
        member, kind=f"complaint.{verb}", subject_code=complaint.public_code, record=record, sealed=is_sealed(complaint)
    )


def _log_sealed(member: Membership | None, complaint: Complaint, kind: str, record: dict[str, Any]) -> None:
    """Mediator-only material: its entry is sealed whatever the complaint's TLP."""
    record = {"complaint": complaint.public_code, "round": complaint.round} | record
    record_change(member, kind=kind, subject_code=complaint.public_code, record=record, sealed=True)


def _move(
    member: Membership | None,
    complaint: Complaint,
    *,
    verb: str,
    action: str,
    allowed_from: Iterable[str],
    to: str,
    note: str = "",
    updates: dict[str, Any] | None = None,
    workflow: dict[str, Any] | None = None,
) -> Transition:
    """Compare-and-set the state, record the history entry and log the move. Inside the caller's transaction."""
    allowed = list(allowed_from)
    updates = updates or {}
    now = timezone.now()
    if complaint.state not in allowed:
        raise _state_conflict(complaint, action)
    changed = Complaint.objects.filter(pk=complaint.pk, state__in=allowed).update(state=to, updated_at=now, **updates)
    if changed != 1:
        raise _state_conflict(complaint, action)
    from_state = complaint.state
    complaint.refresh_from_db()
    transition = Transition.objects.create(
        complaint=complaint,
        round=complaint.round,
        from_state=from_state,
        to_state=to,
        by=member,
        party=member.party if member is not None else None,
        at=now,
        note=note,
    )
    # A note on a move inside the investigation is the mediators' (queries.INVESTIGATION_MOVES): the entry, which
    # both sides may read, commits to it by digest only.
    inside = to in (S.UNDER_INVESTIGATION, S.FINDINGS_READY)
    said = {"note_sha256": _digest(note)} if inside and note else {"note": note}
    _log_complaint(
        member,
        complaint,
        verb,
        {"from": from_state, "to": to, "by": member.user.get_username() if member else None} | said | (workflow or {}),
    )
    return transition


def _schedule_reply_deadline(complaint: Complaint) -> None:
    from .tasks import deadline_reminder, reply_deadline

    due = complaint.reply_due_at
    assert due is not None
    reply_deadline.using(run_after=due).enqueue(complaint.pk, due.isoformat())
    deadline_reminder.using(run_after=due - REMIND_BEFORE).enqueue(complaint.pk, Stage.REPLY, due.isoformat())


def _schedule_reminders(complaint: Complaint, stage: Stage, due: dt.datetime, task_id: int | None = None) -> None:
    """A reminder 24 hours before, and an overdue notice at the due time (each a no-op if the clock moved)."""
    from .tasks import deadline_reminder

    for run_after in (due - REMIND_BEFORE, due):
        deadline_reminder.using(run_after=run_after).enqueue(complaint.pk, stage, due.isoformat(), task_id)


# --- admission: submit, notify, reject, withdraw ------------------------------------------------------------------


def submit_complaint(member: Membership, complaint: Complaint) -> Complaint:
    """The complainant's liaison submits a draft; the secretariat is told (or, where the agreement says so, the
    respondent is notified at once)."""
    complaint = _visible(member, complaint)
    if not rules.is_complainant_liaison(member, complaint):
        raise NotPermitted(gettext("Only the complainant party's liaison officer submits its draft."))
    with transaction.atomic():
        _move(
            member,
            complaint,
            verb="submitted",
            action=gettext("submitted"),
            allowed_from=[S.DRAFT],
            to=S.SUBMITTED,
            updates={"submitted_at": timezone.now()},
        )
        after_submission(complaint)
    return complaint


def after_submission(complaint: Complaint) -> None:
    """What follows a submission, inside its transaction: the automatic notice where the agreement sets it, else
    the secretariat is told. Also called by incidents.services.file_complaint."""
    if complaint.agreement.notify_automatically:
        _notify(None, complaint, note=gettext("Notified automatically on admission, as the agreement provides."))
    else:
        tell(complaint, EventKind.SUBMITTED, actor=complaint.filed_by)


def notify_respondent(member: Membership | None, complaint: Complaint, *, note: str = "") -> Complaint:
    """The secretariat notifies the respondent: from now it sees the complaint and its reply time limit runs."""
    complaint = _visible(member, complaint)
    if member is not None and not rules.is_secretariat(member):
        raise NotPermitted(gettext("Only the secretariat notifies the respondent."))
    with transaction.atomic():
        _notify(member, complaint, note=_text(note, "note", "", required=False))
    return complaint


def _notify(member: Membership | None, complaint: Complaint, *, note: str) -> None:
    now = timezone.now()
    due = now + dt.timedelta(hours=complaint.agreement.response_hours)
    _move(
        member,
        complaint,
        verb="notified",
        action=gettext("notified"),
        allowed_from=[S.SUBMITTED],
        to=S.NOTIFIED,
        note=note,
        updates={"notified_at": now, "reply_due_at": due},
        workflow={"reply_due_at": due.isoformat()},
    )
    _schedule_reply_deadline(complaint)
    tell(complaint, EventKind.NOTIFIED, actor=member, params={"due": due.isoformat()})


def reject_complaint(member: Membership, complaint: Complaint, *, reason: str) -> Complaint:
    """The secretariat finds a complaint inadmissible; the reason is shown to the complainant."""
    complaint = _visible(member, complaint)
    if not rules.is_secretariat(member):
        raise NotPermitted(gettext("Only the secretariat rejects a complaint as inadmissible."))
    reason = _text(reason, "reason", gettext("Give the reason the complaint is inadmissible."))
    with transaction.atomic():
        _move(
            member,
            complaint,
            verb="rejected",
            action=gettext("rejected as inadmissible"),
            allowed_from=[S.SUBMITTED, S.NOTIFIED],
            to=S.REJECTED_INADMISSIBLE,
            note=reason,
            updates={"reply_due_at": None, "investigation_due_at": None},
        )
        tell(complaint, EventKind.REJECTED, actor=member, params={"reason": reason})
    return complaint


def withdraw_complaint(member: Membership, complaint: Complaint, *, reason: str = "") -> Complaint:
    """The complainant withdraws its complaint, at any time before a determination."""
    complaint = _visible(member, complaint)
    if not rules.is_complainant_liaison(member, complaint):
        raise NotPermitted(gettext("Only the complainant party's liaison officer withdraws its complaint."))
    reason = _text(reason, "reason", "", required=False)
    with transaction.atomic():
        _move(
            member,
            complaint,
            verb="withdrawn",
            action=gettext("withdrawn (only a complaint not yet determined can be)"),
            allowed_from=BEFORE_DETERMINATION,
            to=S.WITHDRAWN,
            note=reason,
            updates={"reply_due_at": None, "investigation_due_at": None},
        )
        tell(complaint, EventKind.WITHDRAWN, actor=member, mediator_roles=(Role.SECRETARIAT, Role.ADJUDICATOR))
    return complaint


# --- the respondent's reply -------------------------------------------------------------------------------------


def reply_to_complaint(
    member: Membership,
    complaint: Complaint,
    *,
    kind: str,
    account: str = "",
    casualties: Sequence[CasualtyFigure] = (),
    evidence: Sequence[EvidenceUpload] = (),
) -> Reply:
    """The respondent accepts or contests, with its own account, casualty figures and evidence, once, in time."""
    complaint = _visible(member, complaint)
    if not rules.is_respondent_liaison(member, complaint):
        raise NotPermitted(gettext("Only the respondent party's liaison officer replies to a complaint."))
    if complaint.state not in REPLY_STATES:
        raise _state_conflict(complaint, gettext("answered"))
    existing = Reply.objects.filter(complaint=complaint).first()
    if existing is not None:
        raise Conflict(
            gettext("This complaint has its reply already (%(kind)s, %(when)s).")
            % {"kind": existing.get_kind_display(), "when": _when(existing.at)},
            extensions={"state": complaint.state},
        )
    now = timezone.now()
    if complaint.reply_due_at is not None and now > complaint.reply_due_at:
        raise Conflict(
            gettext("The reply time limit closed at %(when)s.") % {"when": _when(complaint.reply_due_at)},
            extensions={"state": complaint.state, "closed_at": complaint.reply_due_at.isoformat()},
        )
    errors: dict[str, str] = {}
    if kind not in (ReplyKind.ACCEPTED, ReplyKind.CONTESTED):
        errors["kind"] = gettext("Choose whether the party accepts or contests the complaint.")
    account = (account or "").strip()
    if kind == ReplyKind.CONTESTED and not account:
        errors["account"] = gettext("A contested complaint needs the party's own account.")
    if len(account) > MAX_TEXT:
        errors["account"] = gettext("At most %(n)d characters, please.") % {"n": MAX_TEXT}
    for i, figure in enumerate(casualties):
        problem = casualty_problem(figure)
        if problem:
            errors[f"casualties[{i}]"] = problem
    if errors:
        raise ValidationFailed(next(iter(errors.values())), errors=errors)
    with transaction.atomic():
        stored = store_uploads(evidence)
        try:
            with transaction.atomic():
                reply = Reply.objects.create(complaint=complaint, kind=kind, account=account, by=member, at=now)
        except IntegrityError as error:
            raise Conflict(
                gettext("This complaint has its reply already."), extensions={"state": complaint.state}
            ) from error
        CasualtyClaim.objects.bulk_create(
            CasualtyClaim(
                complaint=complaint,
                claimant=member.party,
                kind=f.kind,
                status=f.status,
                low=f.low,
                best=f.best,
                high=f.high,
            )
            for f in casualties
        )
        added = [_attach(member, complaint, upload, row, log=False) for upload, row in stored]
        Complaint.objects.filter(pk=complaint.pk).update(updated_at=now)
        _log_complaint(
            member,
            complaint,
            "replied",
            {"reply": kind, "account": account, "evidence": [e.public_code for e in added]},
        )
        tell(
            complaint,
            EventKind.REPLIED,
            actor=member,
            params={"reply": kind},
            mediator_roles=(Role.SECRETARIAT,),
        )
    return reply


def record_no_reply(
    complaint: Complaint | int, *, due_at: dt.datetime | None = None, now: dt.datetime | None = None
) -> Reply | None:
    """The worker's act when the reply time limit has passed without a reply: record it and tell both sides.
    Does nothing (returns None) if a reply came, the clock was stopped or moved, or the time has not come."""
    now = now or timezone.now()
    with transaction.atomic():
        loaded = _load(complaint)
        due = loaded.reply_due_at
        if (
            loaded.state not in REPLY_STATES
            or due is None
            or due > now
            or (due_at is not None and due_at != due)
            or Reply.objects.filter(complaint=loaded).exists()
        ):
            return None
        try:
            with transaction.atomic():
                reply = Reply.objects.create(complaint=loaded, kind=ReplyKind.NO_REPLY, by=None, at=now)
        except IntegrityError:
            return None  # another worker recorded it a moment ago
        _log_complaint(None, loaded, "no_reply", {"reply": ReplyKind.NO_REPLY, "reply_due_at": due.isoformat()})
        tell(loaded, EventKind.NO_REPLY, actor=None, params={"due": due.isoformat()})
    return reply


# --- the investigation ------------------------------------------------------------------------------------------


def assign_investigators(
    member: Membership, complaint: Complaint, investigators: Sequence[Membership], *, note: str = ""
) -> list[Assignment]:
    """The secretariat assigns mediators' investigators. On a notified complaint this opens the investigation;
    on an appealed one it reopens it as a new round, with the appeal's grounds attached; on one under
    investigation it adds investigators."""
    complaint = _visible(member, complaint)
    if not rules.is_secretariat(member):
        raise NotPermitted(gettext("Only the secretariat assigns investigators."))
    if not investigators:
        raise ValidationFailed(gettext("Choose at least one investigator."), field="investigators")
    for person in investigators:
        if not rules.is_investigator(person):
            raise ValidationFailed(
                gettext("%(name)s is not an investigator of a mediator party.") % {"name": person.user.get_username()},
                field="investigators",
            )
    if complaint.state not in (S.NOTIFIED, S.UNDER_INVESTIGATION, S.APPEALED):
        if complaint.state == S.SUBMITTED:
            raise Conflict(
                gettext("Notify the respondent before the investigation opens."), extensions={"state": complaint.state}
            )
        raise _state_conflict(complaint, gettext("assigned investigators"))
    note = _text(note, "note", "", required=False)
    names = [p.user.get_username() for p in investigators]
    with transaction.atomic():
        now = timezone.now()
        opening = complaint.state in (S.NOTIFIED, S.APPEALED)
        if opening:
            reopening = complaint.state == S.APPEALED
            due = now + dt.timedelta(days=complaint.agreement.investigation_days)
            grounds = ""
            if reopening:
                grounds = "\n\n".join(
                    f"{a.party.code}: {a.grounds}"
                    for a in Appeal.objects.filter(
                        complaint=complaint, determination__round=complaint.round
                    ).select_related("party")
                )
            _move(
                member,
                complaint,
                verb="investigation_reopened" if reopening else "investigation_opened",
                action=gettext("put under investigation"),
                allowed_from=[complaint.state],
                to=S.UNDER_INVESTIGATION,
                note="\n\n".join(t for t in (note, grounds) if t),
                updates={"investigation_due_at": due, "round": F("round") + (1 if reopening else 0)},
                workflow=_team(names) | {"investigation_due_at": due.isoformat()},
            )
            _schedule_reminders(complaint, Stage.INVESTIGATION, due)
            if reopening:
                tell(complaint, EventKind.REOPENED, actor=member, params={"due": due.isoformat()})
        else:
            _log_complaint(member, complaint, "assigned", _team(names))
        already = set(
            Assignment.objects.filter(complaint=complaint, round=complaint.round).values_list(
                "investigator_id", flat=True
            )
        )
        new = [p for p in investigators if p.pk not in already]
        if not new and not opening:
            raise ValidationFailed(gettext("Those investigators are assigned already."), field="investigators")
        made = [
            Assignment.objects.create(complaint=complaint, round=complaint.round, investigator=p, assigned_by=member)
            for p in new
        ]
        tell(
            complaint,
            EventKind.ASSIGNED,
            actor=member,
            params={"due": complaint.investigation_due_at.isoformat() if complaint.investigation_due_at else None},
            only=new,
        )
    return made


def _team(names: Sequence[str]) -> dict[str, Any]:
    """The team is named, as the adjudicators who sign are: monitoring teams are known to the parties who escort
    them, and accountability needs names. What stays with the mediators is the team's working material."""
    return {"investigators": sorted(names)}


def _investigating(member: Membership, complaint: Complaint | int, action: str) -> Complaint:
    loaded = _visible(member, complaint)
    if not rules.can_investigate(member, loaded):
        raise NotPermitted(gettext("Only the investigators assigned to this complaint, or the secretariat, do this."))
    if loaded.state != S.UNDER_INVESTIGATION:
        raise _state_conflict(loaded, action)
    return loaded


def add_investigation_task(
    member: Membership,
    complaint: Complaint,
    *,
    kind: str,
    description: str,
    due_at: dt.datetime,
    assigned_to: Membership | None = None,
) -> InvestigationTask:
    """A site visit, interview, imagery request, ... with its due date, optionally for one investigator."""
    complaint = _investigating(member, complaint, gettext("given new tasks"))
    errors: dict[str, str] = {}
    if kind not in TaskKind.values:
        errors["kind"] = gettext("Unknown task kind '%(kind)s'.") % {"kind": kind}
    description = (description or "").strip()
    if not description:
        errors["description"] = gettext("Describe the task.")
    if due_at is None or due_at <= timezone.now():
        errors["due_at"] = gettext("The due time must be in the future.")
    if assigned_to is not None and not rules.is_assigned_investigator(assigned_to, complaint):
        errors["assigned_to"] = gettext("%(name)s is not assigned to this complaint.") % {
            "name": assigned_to.user.get_username()
        }
    if errors:
        raise ValidationFailed(next(iter(errors.values())), errors=errors)
    with transaction.atomic():
        task = InvestigationTask.objects.create(
            complaint=complaint,
            round=complaint.round,
            kind=kind,
            description=description,
            due_at=due_at,
            assigned_to=assigned_to,
            created_by=member,
        )
        _log_sealed(
            member,
            complaint,
            "investigation.task_added",
            {
                "task": task.pk,
                "kind": kind,
                "description": description,
                "due_at": due_at.isoformat(),
                "assigned_to": assigned_to.user.get_username() if assigned_to else None,
            },
        )
        _schedule_reminders(complaint, Stage.TASK, due_at, task.pk)
        if assigned_to is not None:
            tell(complaint, EventKind.TASK_ADDED, actor=member, params={"due": due_at.isoformat()}, only=[assigned_to])
    return task


def complete_investigation_task(member: Membership, task: InvestigationTask, *, result: str) -> InvestigationTask:
    complaint = _investigating(member, task.complaint_id, gettext("worked on"))
    result = _text(result, "result", gettext("Say what the task found."))
    with transaction.atomic():
        now = timezone.now()
        if InvestigationTask.objects.filter(pk=task.pk, done_at__isnull=True).update(done_at=now, result=result) != 1:
            raise Conflict(gettext("This task was completed already."), extensions={"state": complaint.state})
        task.refresh_from_db()
        _log_sealed(member, complaint, "investigation.task_done", {"task": task.pk, "result": result})
    return task


def add_investigation_note(member: Membership, complaint: Complaint, *, text: str) -> InvestigationNote:
    """A mediator's working note on the case: never shown to a party."""
    complaint = _visible(member, complaint)
    if not (rules.can_investigate(member, complaint) or rules.is_adjudicator(member)):
        raise NotPermitted(gettext("Only the mediators working on this complaint write notes on it."))
    if complaint.state in (S.DRAFT, S.SUBMITTED):
        raise _state_conflict(complaint, gettext("annotated before the respondent is notified"))
    text = _text(text, "text", gettext("Write the note."))
    with transaction.atomic():
        note = InvestigationNote.objects.create(complaint=complaint, round=complaint.round, author=member, text=text)
        _log_sealed(member, complaint, "investigation.note_added", {"note": note.pk, "text": text})
    return note


def grade_evidence(
    member: Membership, evidence: Evidence, *, reliability: str, credibility: str, note: str = ""
) -> EvidenceGrade:
    """An Admiralty grade: the source's reliability (A–F) and the item's credibility (1–6), separately."""
    if not Evidence.objects.visible_to(member).filter(pk=evidence.pk).exists():
        raise NotVisible(gettext("No such evidence."))
    complaint = _investigating(member, evidence.complaint_id, gettext("graded"))
    errors: dict[str, str] = {}
    if reliability not in Reliability.values:
        errors["reliability"] = gettext("Source reliability is a letter from A to F.")
    if credibility not in Credibility.values:
        errors["credibility"] = gettext("Item credibility is a digit from 1 to 6.")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), errors=errors)
    note = _text(note, "note", "", required=False)
    with transaction.atomic():
        grade = EvidenceGrade.objects.create(
            evidence=evidence, reliability=reliability, credibility=credibility, note=note, graded_by=member
        )
        _log_sealed(
            member,
            complaint,
            "investigation.graded",
            {"evidence": evidence.public_code, "reliability": reliability, "credibility": credibility, "note": note},
        )
    return grade


def link_corroboration(member: Membership, complaint: Complaint, incident: Incident, *, note: str) -> Corroboration:
    """Link another incident that bears on this complaint (corroborates or contradicts it), with why."""
    complaint = _investigating(member, complaint, gettext("linked to other incidents"))
    if not Incident.objects.visible_to(member).filter(pk=incident.pk).exists():
        raise NotVisible(gettext("No such incident."))
    if incident.pk == complaint.incident_id:
        raise ValidationFailed(gettext("That is this complaint's own incident."), field="incident")
    note = _text(note, "note", gettext("Say how the incident bears on this complaint."))
    if Corroboration.objects.filter(complaint=complaint, incident=incident).exists():
        raise ValidationFailed(gettext("That incident is linked already."), field="incident")
    with transaction.atomic():
        link = Corroboration.objects.create(complaint=complaint, incident=incident, note=note, by=member)
        _log_sealed(member, complaint, "investigation.corroboration", {"incident": incident.public_code, "note": note})
    return link


def record_findings(member: Membership, complaint: Complaint, *, summary: str) -> Findings:
    """The investigators' findings close the round: one record, however many finish at once."""
    complaint = _investigating(member, complaint, gettext("given findings"))
    summary = _text(summary, "summary", gettext("Write the findings."))
    with transaction.atomic():
        _move(
            member,
            complaint,
            verb="findings_ready",
            action=gettext("given findings"),
            allowed_from=[S.UNDER_INVESTIGATION],
            to=S.FINDINGS_READY,
            workflow={"findings_sha256": _digest(summary)},
        )
        try:
            with transaction.atomic():
                findings = Findings.objects.create(
                    complaint=complaint, round=complaint.round, summary=summary, by=member
                )
        except IntegrityError as error:
            raise _state_conflict(complaint, gettext("given findings")) from error
        _log_sealed(member, complaint, "investigation.findings", {"summary": summary})
        tell(complaint, EventKind.FINDINGS, actor=member, mediator_roles=(Role.SECRETARIAT, Role.ADJUDICATOR))
    return findings


# --- the determination ------------------------------------------------------------------------------------------


def required_signatures(agreement: Agreement) -> int:
    """The agreement's quorum, or (0) every mediator party of the agreement."""
    mediators = agreement.parties.filter(kind=PartyKind.MEDIATOR).count()
    return agreement.determination_quorum or mediators


def draft_determination(
    member: Membership,
    complaint: Complaint,
    *,
    outcome: str,
    reasons: str,
    responsible_party: Party | None = None,
    commitments: Sequence[Commitment] = (),
    measures: Sequence[PenaltyType] = (),
) -> Determination:
    """Draft (or, while unsigned, redraft) the determination of this round. Mediators only see it until every
    required adjudicator has signed."""
    complaint = _visible(member, complaint)
    if not rules.can_draft_determination(member):
        raise NotPermitted(gettext("Only a mediator's adjudicator or the secretariat drafts a determination."))
    if complaint.state != S.FINDINGS_READY:
        raise _state_conflict(complaint, gettext("determined before findings are ready"))
    errors: dict[str, str] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = gettext("Unknown outcome '%(outcome)s'.") % {"outcome": outcome}
    reasons = (reasons or "").strip()
    if not reasons:
        errors["reasons"] = gettext("A determination states its reasons.")
    elif len(reasons) > MAX_TEXT:
        errors["reasons"] = gettext("At most %(n)d characters, please.") % {"n": MAX_TEXT}
    agreement = complaint.agreement
    if outcome == Outcome.BREACH_CONFIRMED:
        if responsible_party is None:
            errors["responsible_party"] = gettext("A confirmed breach names the responsible party.")
        elif responsible_party.pk not in (complaint.complainant_id, complaint.respondent_id):
            errors["responsible_party"] = gettext("The responsible party must be one of the complaint's two sides.")
        if not commitments:
            errors["commitments"] = gettext("A confirmed breach names the commitments breached.")
    elif outcome in Outcome.values and (responsible_party is not None or commitments or measures):
        errors["outcome"] = gettext("Only a confirmed breach names a responsible party, commitments or measures.")
    wrong_commitment = next((c for c in commitments if c.agreement_id != agreement.pk), None)
    if wrong_commitment is not None:
        errors["commitments"] = gettext("Commitment %(code)s is not in this complaint's agreement.") % {
            "code": wrong_commitment.code
        }
    wrong_measure = next((m for m in measures if m.agreement_id != agreement.pk), None)
    if wrong_measure is not None:
        errors["measures"] = gettext("Measure %(code)s is not a penalty type of this agreement.") % {
            "code": wrong_measure.code
        }
    if errors:
        raise ValidationFailed(next(iter(errors.values())), errors=errors)
    with transaction.atomic():
        draft = Determination.objects.select_for_update().filter(complaint=complaint, round=complaint.round).first()
        if draft is not None and draft.signatures.exists():
            signed = ", ".join(draft.signatures.values_list("party__code", flat=True))
            raise Conflict(
                gettext("The draft is signed already (%(parties)s): it can no longer be changed.")
                % {"parties": signed},
                extensions={"state": complaint.state},
            )
        if draft is None:
            draft = Determination(complaint=complaint, round=complaint.round)
        draft.outcome = outcome
        draft.reasons = reasons
        draft.responsible_party = responsible_party
        draft.drafted_by = member
        draft.drafted_at = timezone.now()
        draft.save()
        draft.commitments.set(commitments)
        draft.measures.set(measures)
        _log_sealed(member, complaint, "determination.drafted", _determination_record(draft))
        tell(
            complaint,
            EventKind.DRAFT_DETERMINATION,
            actor=member,
            mediator_roles=(Role.ADJUDICATOR, Role.SECRETARIAT),
        )
    return draft


def _determination_record(determination: Determination) -> dict[str, Any]:
    return {
        "outcome": determination.outcome,
        "responsible_party": determination.responsible_party.code if determination.responsible_party else None,
        "commitments": sorted(c.code for c in determination.commitments.all()),
        "measures": sorted(m.code for m in determination.measures.all()),
        "reasons": determination.reasons,
        "signatures": [
            {"party": s.party.code, "by": s.by.user.get_username(), "at": s.at.isoformat()}
            for s in determination.signatures.select_related("party", "by__user")
        ],
    }


def sign_determination(member: Membership, determination: Determination) -> Signature:
    """An adjudicator signs for its mediator party. The signature that completes the quorum puts the
    determination in effect and publishes it to both sides; signatures are serialised on the determination's row,
    so two adjudicators signing at once give one determination with both signatures."""
    # The role is checked first: the refusal names no record, so it tells nothing about drafts one may not see.
    if not rules.is_adjudicator(member):
        if member.party.kind != PartyKind.MEDIATOR and member.role == Role.ADJUDICATOR:
            raise NotPermitted(
                gettext("Only an adjudicator of a mediator party signs; %(party)s is not a mediator.")
                % {"party": member.party.code}
            )
        raise NotPermitted(gettext("Only a mediator party's adjudicator signs a determination."))
    if not Determination.objects.visible_to(member).filter(pk=determination.pk).exists():
        raise NotVisible(gettext("No such determination."))
    with transaction.atomic():
        locked = Determination.objects.select_for_update().get(pk=determination.pk)
        complaint = _load(locked.complaint_id)
        if not complaint.agreement.parties.filter(pk=member.party_id).exists():
            raise NotPermitted(
                gettext("%(party)s is not a mediator of this complaint's agreement.") % {"party": member.party.code}
            )
        required = required_signatures(complaint.agreement)
        signed = list(locked.signatures.select_related("party"))
        if locked.effective_at is not None:
            raise Conflict(
                gettext(
                    "The determination is in effect since %(when)s with the %(count)d signatures it needs "
                    "(%(parties)s); no further signature is taken."
                )
                % {"when": _when(locked.effective_at), "count": len(signed), "parties": _codes(signed)},
                extensions={"state": complaint.state},
            )
        mine = next((s for s in signed if s.party_id == member.party_id), None)
        if mine is not None:
            raise Conflict(
                gettext("%(party)s has signed this determination already (%(when)s).")
                % {"party": member.party.code, "when": _when(mine.at)},
                extensions={"state": complaint.state},
            )
        if complaint.state != S.FINDINGS_READY or locked.round != complaint.round:
            raise _state_conflict(complaint, gettext("signed"))
        signature = Signature.objects.create(determination=locked, party=member.party, by=member)
        if len(signed) + 1 >= required:
            now = timezone.now()
            appeal_until = now + dt.timedelta(days=complaint.agreement.appeal_days)
            Determination.objects.filter(pk=locked.pk).update(effective_at=now, appeal_until=appeal_until)
            locked.effective_at, locked.appeal_until = now, appeal_until
            _move(
                member,
                complaint,
                verb="determined",
                action=gettext("determined"),
                allowed_from=[S.FINDINGS_READY],
                to=S.DETERMINED,
                updates={"investigation_due_at": None},
                workflow=_determination_record(locked) | {"appeal_until": appeal_until.isoformat()},
            )
            tell(
                complaint,
                EventKind.DETERMINED,
                actor=member,
                params={"outcome": locked.outcome},
                mediator_roles=(Role.SECRETARIAT, Role.ADJUDICATOR),
            )
        else:
            _log_sealed(
                member,
                complaint,
                "determination.signed",
                {"party": member.party.code, "signatures": len(signed) + 1, "required": required},
            )
            tell(
                complaint,
                EventKind.SIGNED,
                actor=member,
                params={"party": member.party.code},
                mediator_roles=(Role.ADJUDICATOR, Role.SECRETARIAT),
            )
    return signature


def _codes(signatures: Iterable[Signature]) -> str:
    return ", ".join(s.party.code for s in signatures)


def _in_effect(member: Membership, determination: Determination) -> tuple[Determination, Complaint]:
    determination.refresh_from_db()
    complaint = _visible(member, determination.complaint_id)
    if not Determination.objects.visible_to(member).filter(pk=determination.pk).exists():
        # A draft reaches mediators only: to anyone else who sees the complaint there is no determination yet,
        # answered exactly as when none was drafted (a 404 here would tell a party that a draft exists).
        raise Conflict(
            gettext("There is no determination to %(action)s in this round.") % {"action": gettext("dissent from")},
            extensions={"state": complaint.state},
        )
    if determination.effective_at is None:
        raise Conflict(gettext("The determination is not in effect yet."), extensions={"state": complaint.state})
    return determination, complaint


def add_dissent(member: Membership, determination: Determination, *, text: str) -> Dissent:
    """Each side may attach one dissenting statement to a determination in effect."""
    determination, complaint = _in_effect(member, determination)
    if not rules.is_named_party_liaison(member, complaint):
        raise NotPermitted(gettext("Only a liaison officer of one of the complaint's two sides adds a dissent."))
    text = _text(text, "text", gettext("Write the dissenting statement."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                dissent = Dissent.objects.create(determination=determination, party=member.party, by=member, text=text)
        except IntegrityError as error:
            raise Conflict(
                gettext("%(party)s has added its dissenting statement already.") % {"party": member.party.code},
                extensions={"state": complaint.state},
            ) from error
        record_change(
            member,
            kind="determination.dissent",
            subject_code=complaint.public_code,
            record={"complaint": complaint.public_code, "round": determination.round, "party": member.party.code}
            | {"text": text},
            sealed=is_sealed(complaint),
        )
        tell(complaint, EventKind.DISSENT, actor=member, params={"party": member.party.code})
    return dissent


def appeal_determination(member: Membership, complaint: Complaint, *, grounds: str) -> Appeal:
    """A side named in the determination appeals, once, within the agreement's appeal window."""
    complaint = _visible(member, complaint)
    if not rules.is_named_party_liaison(member, complaint):
        raise NotPermitted(gettext("Only a liaison officer of one of the complaint's two sides appeals."))
    if complaint.state != S.DETERMINED:
        raise _state_conflict(complaint, gettext("appealed"))
    determination = Determination.objects.get(complaint=complaint, round=complaint.round)
    now = timezone.now()
    if determination.appeal_until is not None and now > determination.appeal_until:
        raise Conflict(
            gettext("The appeal window closed at %(when)s.") % {"when": _when(determination.appeal_until)},
            extensions={"state": complaint.state, "closed_at": determination.appeal_until.isoformat()},
        )
    if Appeal.objects.filter(complaint=complaint, party=member.party).exists():
        raise Conflict(
            gettext("%(party)s has appealed this complaint's determination already; a party appeals once.")
            % {"party": member.party.code},
            extensions={"state": complaint.state},
        )
    grounds = _text(grounds, "grounds", gettext("State the grounds of the appeal."))
    with transaction.atomic():
        _move(
            member,
            complaint,
            verb="appealed",
            action=gettext("appealed"),
            allowed_from=[S.DETERMINED],
            to=S.APPEALED,
            note=grounds,
        )
        appeal = Appeal.objects.create(
            complaint=complaint, determination=determination, party=member.party, by=member, grounds=grounds
        )
        tell(
            complaint,
            EventKind.APPEALED,
            actor=member,
            params={"party": member.party.code},
            mediator_roles=(Role.SECRETARIAT, Role.ADJUDICATOR),
        )
    return appeal


def close_complaint(member: Membership, complaint: Complaint, *, note: str = "") -> Complaint:
    """The secretariat closes a determined complaint once its appeal window has passed."""
    complaint = _visible(member, complaint)
    if not rules.is_secretariat(member):
        raise NotPermitted(gettext("Only the secretariat closes a complaint."))
    if complaint.state != S.DETERMINED:
        raise _state_conflict(complaint, gettext("closed (only a determined complaint can be)"))
    determination = Determination.objects.get(complaint=complaint, round=complaint.round)
    if determination.appeal_until is not None and timezone.now() <= determination.appeal_until:
        raise Conflict(
            gettext("The appeal window is open until %(when)s; close the complaint after it.")
            % {"when": _when(determination.appeal_until)},
            extensions={"state": complaint.state, "appeal_until": determination.appeal_until.isoformat()},
        )
    note = _text(note, "note", "", required=False)
    with transaction.atomic():
        _move(
            member,
            complaint,
            verb="closed",
            action=gettext("closed"),
            allowed_from=[S.DETERMINED],
            to=S.CLOSED,
            note=note,
        )
        tell(complaint, EventKind.CLOSED, actor=member)
    return complaint


# --- deadlines ----------------------------------------------------------------------------------------------------


def send_deadline_notice(
    complaint: Complaint | int,
    *,
    stage: str,
    due_at: dt.datetime,
    task_id: int | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Remind whoever must act 24 hours before a due time, and tell them when it passed. Returns how many were
    told; 0 when the clock was stopped or moved since this was scheduled, or they were told already."""
    now = now or timezone.now()
    with transaction.atomic():
        loaded = _load(complaint)
        overdue = now >= due_at
        kind = EventKind.OVERDUE if overdue else EventKind.REMINDER
        params: dict[str, Any] = {"stage": stage, "due": due_at.isoformat()}
        only: list[Membership] | None = None
        if stage == Stage.REPLY:
            if overdue or loaded.state not in REPLY_STATES or loaded.reply_due_at != due_at:
                return 0  # the no-reply task tells both sides when it passes
            if Reply.objects.filter(complaint=loaded).exists():
                return 0
            only = list(Membership.objects.filter(party_id=loaded.respondent_id, role=Role.LIAISON, is_active=True))
        elif stage == Stage.INVESTIGATION:
            if loaded.state != S.UNDER_INVESTIGATION or loaded.investigation_due_at != due_at:
                return 0
            params["mediators_only"] = True
        elif stage == Stage.TASK:
            task = (
                InvestigationTask.objects.filter(pk=task_id, complaint=loaded, done_at__isnull=True).first()
                if task_id is not None
                else None
            )
            if task is None or task.due_at != due_at or loaded.state != S.UNDER_INVESTIGATION:
                return 0
            params["mediators_only"] = True
            if task.assigned_to is not None:
                only = [task.assigned_to]
        else:
            raise ValueError(f"unknown deadline stage {stage!r}")
        made = tell(
            loaded,
            kind,
            actor=None,
            params=params,
            only=only,
            dedupe=f"{kind}:{stage}:{loaded.pk}:{task_id or ''}:{due_at.isoformat()}",
        )
    return len(made)
