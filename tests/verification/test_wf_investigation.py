"""The investigation: assignment, tasks, notes, Admiralty grades, corroborations and findings."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.utils import timezone
from wf_steps import (
    Cast,
    assert_log_consistent,
    assert_move,
    conflict,
    drive,
    expect,
    log_since,
    log_size,
    new_complaint,
    refuse_all_but,
    refused,
    reminders_queued,
)

from ceasefire.core.errors import NotPermitted, NotVisible, ValidationFailed
from ceasefire.incidents.enums import ComplaintState
from ceasefire.incidents.models import Complaint
from ceasefire.verification import queries, services
from ceasefire.verification.models import Assignment, Findings, Notification

pytestmark = pytest.mark.integration
S = ComplaintState
ASSIGNED_OR_SECRETARIAT = {"tr_investigator", "secretariat"}


def _later(days: float = 3) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def test_only_the_secretariat_assigns_and_the_investigation_opens(cast: Cast) -> None:
    complaint = drive(cast, S.NOTIFIED)
    refuse_all_but(
        cast,
        lambda m: services.assign_investigators(m, complaint, [cast.tr_investigator]),
        expect(ok={"secretariat"}),
    )
    tasks = len(reminders_queued())
    before = log_size()
    made = services.assign_investigators(
        cast.secretariat, complaint, [cast.tr_investigator, cast.qa_investigator], note="Both mediators."
    )
    assert [a.investigator for a in made] == [cast.tr_investigator, cast.qa_investigator]
    entries = log_since(before)
    assert [e.kind for e in entries] == ["complaint.investigation_opened"]
    entry = assert_move(
        complaint,
        entries,
        verb="investigation_opened",
        by=cast.secretariat,
        from_state=S.NOTIFIED,
        to_state=S.UNDER_INVESTIGATION,
        note="Both mediators.",
    )
    assert complaint.investigation_due_at is not None
    assert complaint.investigation_due_at - timezone.now() > dt.timedelta(days=13, hours=23)
    # the team is named in the move's entry, as signatures are; its working material never is
    assert entry.record["workflow"]["investigators"] == ["qa-investigator", "tr-investigator"]
    queued = reminders_queued()[tasks:]  # a reminder 24 h before, an overdue notice at the time
    due = complaint.investigation_due_at
    assert [(at, args) for at, args in queued] == [
        (due - dt.timedelta(hours=24), [complaint.pk, "investigation", due.isoformat(), None]),
        (due, [complaint.pk, "investigation", due.isoformat(), None]),
    ]
    told = Notification.objects.filter(kind="assigned")
    assert sorted(told.values_list("recipient__user__username", flat=True)) == ["qa-investigator", "tr-investigator"]
    assert all(n.mediators_only for n in told)
    assert_log_consistent()


def test_more_investigators_join_without_a_move(cast: Cast) -> None:
    complaint = drive(cast, S.UNDER_INVESTIGATION)
    moves = complaint.transitions.count()
    before = log_size()
    Notification.objects.all().delete()
    services.assign_investigators(cast.secretariat, complaint, [cast.qa_investigator, cast.tr_investigator])
    assert complaint.transitions.count() == moves
    assert [e.kind for e in log_since(before)] == ["complaint.assigned"]
    assert set(
        Assignment.objects.filter(complaint=complaint).values_list("investigator__user__username", flat=True)
    ) == {
        "tr-investigator",
        "qa-investigator",
    }
    # only the newcomer is told
    assert list(Notification.objects.filter(kind="assigned").values_list("recipient__user__username", flat=True)) == [
        "qa-investigator"
    ]
    refused(
        ValidationFailed,
        lambda: services.assign_investigators(cast.secretariat, complaint, [cast.qa_investigator]),
        "assigned already",
    )
    assert_log_consistent()


@pytest.mark.parametrize("who", ["tr_adjudicator", "secretariat", "af_liaison", "pk_analyst"])
def test_assigning_a_non_investigator_is_refused(who: str, cast: Cast) -> None:
    complaint = drive(cast, S.NOTIFIED)
    person = cast.analyst if who == "pk_analyst" else cast.persona(who)
    error = refused(
        ValidationFailed,
        lambda: services.assign_investigators(cast.secretariat, complaint, [cast.tr_investigator, person]),
        "not an investigator of a mediator party",
    )
    assert error.field == "investigators"
    refused(ValidationFailed, lambda: services.assign_investigators(cast.secretariat, complaint, []))


def test_investigation_tasks_their_rules_and_completion(cast: Cast) -> None:
    complaint = drive(cast, S.UNDER_INVESTIGATION)
    refuse_all_but(
        cast,
        lambda m: services.add_investigation_task(
            m, complaint, kind="site_visit", description="Visit the court.", due_at=_later()
        ),
        expect(ok=ASSIGNED_OR_SECRETARIAT),
    )
    before = log_size()
    due = _later()
    task = services.add_investigation_task(
        cast.secretariat,
        complaint,
        kind="interview",
        description="Interview the guards.",
        due_at=due,
        assigned_to=cast.tr_investigator,
    )
    (entry,) = log_since(before)
    assert entry.kind == "investigation.task_added" and entry.sealed
    assert entry.record["description"] == "Interview the guards." and entry.record["assigned_to"] == "tr-investigator"
    queued = [(at, args) for at, args in reminders_queued() if args[1] == "task"]
    assert queued == [
        (due - dt.timedelta(hours=24), [complaint.pk, "task", due.isoformat(), task.pk]),
        (due, [complaint.pk, "task", due.isoformat(), task.pk]),
    ]
    told = Notification.objects.get(kind="task_added")
    assert told.recipient == cast.tr_investigator and told.mediators_only
    refuse_all_but(
        cast,
        lambda m: services.complete_investigation_task(m, task, result="They saw nothing."),
        expect(ok=ASSIGNED_OR_SECRETARIAT),
    )
    refused(ValidationFailed, lambda: services.complete_investigation_task(cast.tr_investigator, task, result=""))
    before = log_size()
    services.complete_investigation_task(cast.tr_investigator, task, result="They saw nothing.")
    assert [e.kind for e in log_since(before)] == ["investigation.task_done"]
    assert task.done_at is not None and task.result == "They saw nothing."
    conflict(
        lambda: services.complete_investigation_task(cast.tr_investigator, task, result="Again."),
        S.UNDER_INVESTIGATION,
        "completed already",
    )
    assert_log_consistent()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"due_at": "past"}, "due_at"),
        ({"due_at": "now"}, "due_at"),
        ({"kind": "drone_flight"}, "kind"),
        ({"description": "  "}, "description"),
        ({"assigned_to": "qa_investigator"}, "assigned_to"),
        ({"assigned_to": "tr_adjudicator"}, "assigned_to"),
    ],
)
def test_bad_tasks_are_refused_naming_the_field(changes: dict[str, str], field: str, cast: Cast) -> None:
    complaint = drive(cast, S.UNDER_INVESTIGATION)
    kwargs: dict[str, object] = {"kind": "site_visit", "description": "Visit.", "due_at": _later()}
    kwargs.update(changes)
    if kwargs["due_at"] == "past":
        kwargs["due_at"] = timezone.now() - dt.timedelta(minutes=1)
    elif kwargs["due_at"] == "now":
        kwargs["due_at"] = timezone.now()
    if "assigned_to" in changes:
        kwargs["assigned_to"] = cast.persona(changes["assigned_to"])
    error = refused(
        ValidationFailed,
        lambda: services.add_investigation_task(cast.tr_investigator, complaint, **kwargs),  # type: ignore[arg-type]
    )
    assert field in error.errors


def test_notes_are_mediators_only_forever(cast: Cast) -> None:
    complaint = drive(cast, S.UNDER_INVESTIGATION)
    refuse_all_but(
        cast,
        lambda m: services.add_investigation_note(m, complaint, text="The informant is reliable."),
        expect(ok=ASSIGNED_OR_SECRETARIAT | {"tr_adjudicator", "qa_adjudicator"}),
    )
    refused(ValidationFailed, lambda: services.add_investigation_note(cast.tr_investigator, complaint, text=" "))
    before = log_size()
    note = services.add_investigation_note(cast.tr_investigator, complaint, text="The informant is reliable.")
    (entry,) = log_since(before)
    assert (entry.kind, entry.sealed, entry.record["text"]) == (
        "investigation.note_added",
        True,
        "The informant is reliable.",
    )
    assert queries.investigation_of(cast.qa_adjudicator, complaint).notes == [note]
    drive(cast, S.CLOSED, complaint)
    for name in ("af_liaison", "af_viewer", "pk_liaison", "pk_viewer", "analyst"):
        with pytest.raises(NotVisible):
            queries.investigation_of(cast.persona(name), complaint)
    assert queries.investigation_of(cast.secretariat, complaint).notes == [note]


def test_admiralty_grades_separately_and_the_latest_counts(cast: Cast) -> None:
    complaint = drive(cast, S.UNDER_INVESTIGATION)
    evidence = complaint.evidence.get()
    refuse_all_but(
        cast,
        lambda m: services.grade_evidence(m, evidence, reliability="B", credibility="2"),
        expect(ok=ASSIGNED_OR_SECRETARIAT),
    )
    for reliability, credibility, field in [
        ("G", "2", "reliability"),
        ("b", "2", "reliability"),
        ("", "2", "reliability"),
        ("B", "7", "credibility"),
        ("B", "0", "credibility"),
        ("B", "B", "credibility"),
        ("2", "B", "reliability"),
    ]:
        error = refused(
            ValidationFailed,
            lambda r=reliability, c=credibility: services.grade_evidence(
                cast.tr_investigator, evidence, reliability=r, credibility=c
            ),
        )
        assert field in error.errors, (reliability, credibility, error.errors)
    before = log_size()
    services.grade_evidence(cast.tr_investigator, evidence, reliability="C", credibility="3", note="One source.")
    latest = services.grade_evidence(cast.secretariat, evidence, reliability="A", credibility="1")
    entries = log_since(before)
    assert [(e.kind, e.sealed) for e in entries] == [("investigation.graded", True)] * 2
    assert entries[0].record["reliability"] == "C" and entries[0].record["note"] == "One source."
    assert queries.investigation_of(cast.tr_adjudicator, complaint).grades == {evidence.pk: latest}


def test_corroborating_incidents(cast: Cast) -> None:
    complaint = drive(cast, S.UNDER_INVESTIGATION)
    other = new_complaint(cast).incident
    unseen = new_complaint(cast, submit=False).incident  # a draft: mediators cannot see it
    refuse_all_but(
        cast,
        lambda m: services.link_corroboration(m, complaint, other, note="Same cell."),
        expect(ok=ASSIGNED_OR_SECRETARIAT),
    )
    refused(NotVisible, lambda: services.link_corroboration(cast.tr_investigator, complaint, unseen, note="x"))
    refused(
        ValidationFailed,
        lambda: services.link_corroboration(cast.tr_investigator, complaint, complaint.incident, note="x"),
        "own incident",
    )
    refused(ValidationFailed, lambda: services.link_corroboration(cast.tr_investigator, complaint, other, note=""))
    before = log_size()
    services.link_corroboration(cast.tr_investigator, complaint, other, note="Same cell.")
    (entry,) = log_since(before)
    assert (entry.kind, entry.sealed, entry.record["incident"]) == (
        "investigation.corroboration",
        True,
        other.public_code,
    )
    refused(
        ValidationFailed,
        lambda: services.link_corroboration(cast.secretariat, complaint, other, note="Again."),
        "linked already",
    )


def test_findings_close_the_round_and_appear_elsewhere_only_as_a_digest(cast: Cast) -> None:
    complaint = drive(cast, S.UNDER_INVESTIGATION)
    refuse_all_but(
        cast,
        lambda m: services.record_findings(m, complaint, summary="Crossed at Kunar."),
        expect(ok=ASSIGNED_OR_SECRETARIAT),
    )
    refused(ValidationFailed, lambda: services.record_findings(cast.tr_investigator, complaint, summary="  "))
    before = log_size()
    findings = services.record_findings(cast.tr_investigator, complaint, summary="Crossed at Kunar.")
    entries = log_since(before)
    assert [e.kind for e in entries] == ["complaint.findings_ready", "investigation.findings"]
    entry = assert_move(
        complaint,
        entries,
        verb="findings_ready",
        by=cast.tr_investigator,
        from_state=S.UNDER_INVESTIGATION,
        to_state=S.FINDINGS_READY,
    )
    assert entry.record["workflow"]["findings_sha256"] == hashlib.sha256(b"Crossed at Kunar.").hexdigest()
    assert "Kunar" not in json.dumps(entry.record)
    assert entries[1].sealed and entries[1].record["summary"] == "Crossed at Kunar."
    assert Findings.objects.get(complaint=complaint) == findings and findings.round == 1
    told = set(Notification.objects.filter(kind="findings").values_list("recipient__user__username", flat=True))
    assert told == {"tr-secretariat", "tr-adjudicator", "qa-adjudicator"}
    assert_log_consistent()


def test_an_unassigned_investigator_is_not_permitted_but_sees_the_complaint(cast: Cast) -> None:
    complaint = drive(cast, S.UNDER_INVESTIGATION)
    assert Complaint.objects.visible_to(cast.qa_investigator).filter(pk=complaint.pk).exists()
    refused(NotPermitted, lambda: services.record_findings(cast.qa_investigator, complaint, summary="Mine."))
