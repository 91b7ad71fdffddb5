"""The demo carries complaints through the whole workflow, replayed at their historic times through the services."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from support import PASSWORD

from ceasefire.core.enums import Role
from ceasefire.core.errors import NotVisible
from ceasefire.core.models import Membership
from ceasefire.demo.complaints import demo_complaints
from ceasefire.demo.loader import load_demo
from ceasefire.demo.mechanism import PEOPLE
from ceasefire.demo.workflow import PLANS
from ceasefire.incidents.enums import ComplaintState
from ceasefire.incidents.models import Complaint
from ceasefire.ledger.models import LogEntry, LogHead
from ceasefire.ledger.versions import domain_problems
from ceasefire.verification.models import (
    Appeal,
    Corroboration,
    Determination,
    EvidenceGrade,
    InvestigationNote,
    InvestigationTask,
    Notification,
    Reply,
    Transition,
)
from ceasefire.verification.queries import investigation_of

pytestmark = pytest.mark.integration

S = ComplaintState
KNOWN_ACTIONS = {
    "notify",
    "reply",
    "reject",
    "withdraw",
    "assign",
    "add_task",
    "complete_task",
    "note",
    "grade",
    "corroborate",
    "findings",
    "draft_determination",
    "sign",
    "dissent",
    "appeal",
    "close",
}


@pytest.fixture
def demo(db):
    return load_demo(PASSWORD)


def _one(state: str) -> Complaint:
    return Complaint.objects.get(state=state)


def _determination(complaint: Complaint) -> Determination:
    return Determination.objects.get(complaint=complaint, round=complaint.round)


@pytest.mark.unit
def test_every_plan_names_a_submitted_demo_complaint_known_people_and_actions():
    submitted = {spec.title for spec in demo_complaints() if spec.submit}
    people = {username for username, *_ in PEOPLE}
    assert set(PLANS) <= submitted
    for title, steps in PLANS.items():
        for step in steps:
            assert step.action in KNOWN_ACTIONS, (title, step.action)
            assert step.persona in people, (title, step.persona)


def test_the_demo_has_a_complaint_in_every_state(demo):
    states = set(Complaint.objects.values_list("state", flat=True))
    assert states == set(ComplaintState.values)
    now = timezone.now()
    notified = _one(S.NOTIFIED)
    assert now < notified.reply_due_at < now + timezone.timedelta(hours=72)
    assert not Reply.objects.filter(complaint=notified).exists()
    rejected = _one(S.REJECTED_INADMISSIBLE)
    assert rejected.notified_at is None
    assert Transition.objects.get(complaint=rejected, to_state=S.REJECTED_INADMISSIBLE).note
    assert Transition.objects.get(complaint=_one(S.WITHDRAWN), to_state=S.WITHDRAWN).party.code == "PK"
    appealed = _one(S.APPEALED)
    assert Appeal.objects.filter(complaint=appealed, determination__effective_at__isnull=False).count() == 1
    # Appealed, then reopened as round 2: the earlier determination stays in the history.
    reopened = Complaint.objects.get(state=S.UNDER_INVESTIGATION, round=2)
    first = Determination.objects.get(complaint=reopened, round=1)
    assert first.effective_at is not None
    appeal = Appeal.objects.get(complaint=reopened)
    assert first.effective_at < appeal.at <= first.appeal_until
    assert [t.to_state for t in Transition.objects.filter(complaint=reopened).order_by("at")][-2:] == [
        S.APPEALED,
        S.UNDER_INVESTIGATION,
    ]
    assert reopened.investigation_due_at > timezone.now()


def test_determinations_take_effect_with_both_mediators_signatures_and_take_dissents(demo):
    determined = _determination(_one(S.DETERMINED))
    assert determined.effective_at is not None and determined.appeal_until > timezone.now()
    assert set(determined.signatures.values_list("party__code", flat=True)) == {"TR", "QA"}
    assert determined.dissents.count() == 1
    for complaint in Complaint.objects.filter(state=S.CLOSED):
        determination = _determination(complaint)
        assert set(determination.signatures.values_list("party__code", flat=True)) == {"TR", "QA"}
        closed_at = Transition.objects.get(complaint=complaint, to_state=S.CLOSED).at
        assert closed_at > determination.appeal_until  # the appeal window really passed
    assert Complaint.objects.filter(state=S.CLOSED, determinations__dissents__isnull=False).exists()
    # Findings ready: the draft determination is signed by one mediator only, so it is not in effect.
    draft = _determination(_one(S.FINDINGS_READY))
    assert draft.effective_at is None
    assert list(draft.signatures.values_list("party__code", flat=True)) == ["TR"]


def test_the_no_reply_is_recorded_by_the_deadline_task_at_its_due_time(demo):
    reply = Reply.objects.select_related("complaint").get(kind="no_reply")
    complaint = reply.complaint
    assert reply.by is None
    assert reply.at == complaint.reply_due_at == complaint.notified_at + timezone.timedelta(hours=72)
    task = DBTaskResult.objects.get(
        task_path="ceasefire.verification.tasks.reply_deadline", args_kwargs__args__0=complaint.pk
    )
    assert task.status == "SUCCESSFUL" and task.return_value == "recorded"
    entry = LogEntry.objects.get(kind="complaint.no_reply", subject_code=complaint.public_code)
    assert entry.created_at == complaint.reply_due_at and entry.party_code == ""
    assert complaint.state == S.CLOSED  # investigated and determined without the respondent's reply
    assert Notification.objects.filter(complaint=complaint, kind="no_reply", recipient__party__code="PK").exists()


def test_the_investigation_has_tasks_notes_grades_and_a_corroboration_with_one_task_overdue(demo):
    now = timezone.now()
    current = Complaint.objects.get(state=S.UNDER_INVESTIGATION, round=1)
    tasks = InvestigationTask.objects.filter(complaint=current)
    assert tasks.filter(done_at__isnull=False).exists()
    assert tasks.filter(done_at__isnull=True, due_at__lt=now).count() == 1
    assert tasks.filter(done_at__isnull=True, due_at__gt=now, due_at__lt=now + timezone.timedelta(hours=24)).exists()
    assert current.investigation_due_at > now
    assert InvestigationNote.objects.filter(complaint=current).exists()
    assert EvidenceGrade.objects.filter(evidence__complaint=current).count() >= 2
    assert Corroboration.objects.filter(complaint=current).exists()
    assert Notification.objects.filter(complaint=current, kind="overdue").exists()


def test_the_log_is_in_time_order_and_matches_the_database(demo):
    times = list(LogEntry.objects.order_by("sequence").values_list("created_at", flat=True))
    assert times == sorted(times)
    assert times[0] < timezone.now() - timezone.timedelta(days=300)  # the history was replayed at its times
    checked, problems = domain_problems()
    assert checked > 0
    assert problems == []


def test_a_second_load_changes_nothing_not_even_the_log(demo):
    assert demo.steps == sum(len(steps) for steps in PLANS.values())
    before = (
        LogHead.objects.get().size,
        Transition.objects.count(),
        Notification.objects.count(),
        DBTaskResult.objects.count(),
        Reply.objects.count(),
    )
    again = load_demo(PASSWORD)
    assert again.filed == [] and again.steps == 0
    assert (
        LogHead.objects.get().size,
        Transition.objects.count(),
        Notification.objects.count(),
        DBTaskResult.objects.count(),
        Reply.objects.count(),
    ) == before


def test_parties_see_no_investigation_material(demo):
    parties = Membership.objects.filter(party__code__in=("AF", "PK")).select_related("party")
    assert parties.count() >= 5
    for member in parties:
        visible = Complaint.objects.visible_to(member)
        assert visible.filter(state=S.FINDINGS_READY).exists()
        for complaint in visible.exclude(state__in=(S.DRAFT, S.SUBMITTED)):
            with pytest.raises(NotVisible):
                investigation_of(member, complaint)
        assert not Determination.objects.visible_to(member).filter(effective_at__isnull=True).exists()
        assert not Notification.objects.visible_to(member).filter(mediators_only=True).exists()
    draft = _determination(_one(S.FINDINGS_READY))
    investigator = Membership.objects.get(user__username="qa-investigator", role=Role.INVESTIGATOR)
    assert Determination.objects.visible_to(investigator).filter(pk=draft.pk).exists()
    assert investigation_of(investigator, draft.complaint).findings
