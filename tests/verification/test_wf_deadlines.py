"""Deadlines under a controlled clock: the worker (run_ready_tasks) records "no reply", reminds 24 hours before a
due time and tells when it passed, once each; tasks left over from a clock that moved do nothing. The board's
figures are checked exactly.

The worker tests commit for real (transaction=True): the worker's loop checks its connection between tasks, which
on PostgreSQL closes a connection left inside a test's open transaction.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format
from wf_steps import Cast, assert_log_consistent, drive, log_since, log_size, new_complaint

from ceasefire.core.taskqueue import run_ready_tasks
from ceasefire.incidents.enums import ComplaintState
from ceasefire.verification import queries, services
from ceasefire.verification.models import Notification, Reply
from ceasefire.verification.tasks import reply_deadline

pytestmark = pytest.mark.integration
S = ComplaintState
worker = pytest.mark.django_db(transaction=True)
H = dt.timedelta(hours=1)


def told(kind: str) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__user__username", "params__stage"))


@worker
def test_no_reply_is_recorded_once_after_the_limit_and_both_sides_are_told(cast: Cast) -> None:
    complaint = drive(cast, S.NOTIFIED)
    due = complaint.reply_due_at
    assert due is not None
    run_ready_tasks()
    with time_machine.travel(due - 25 * H, tick=False):
        run_ready_tasks()
    assert told("reminder") == []
    with time_machine.travel(due - 24 * H + dt.timedelta(seconds=1), tick=False):
        run_ready_tasks()
        run_ready_tasks()
    assert told("reminder") == [("af-liaison", "reply")]  # whoever must act, once
    with time_machine.travel(due - dt.timedelta(seconds=1), tick=False):
        run_ready_tasks()
    assert not Reply.objects.exists()
    before = log_size()
    with time_machine.travel(due + dt.timedelta(seconds=1), tick=False):
        run_ready_tasks()
        reply_deadline.enqueue(complaint.pk, due.isoformat())  # a duplicated task is a no-op
        run_ready_tasks()
        assert services.record_no_reply(complaint.pk) is None
    reply = Reply.objects.get()
    assert (reply.kind, reply.by) == ("no_reply", None)
    entries = log_since(before)
    assert [(e.kind, e.party_code) for e in entries] == [("complaint.no_reply", "")]
    assert entries[0].record["workflow"]["reply_due_at"] == due.isoformat()
    no_reply = {n for n, _ in told("no_reply")}
    assert {"af-liaison", "af-viewer", "pk-liaison", "pk-viewer", "pk-analyst", "tr-secretariat"} <= no_reply
    assert told("overdue") == []  # the no-reply notice is the overdue notice of a reply
    assert_log_consistent()


@worker
def test_nothing_happens_when_the_reply_came_in_time(cast: Cast) -> None:
    complaint = drive(cast, S.NOTIFIED)
    due = complaint.reply_due_at
    assert due is not None
    services.reply_to_complaint(cast.af_liaison, complaint, kind="accepted")
    before = log_size()
    with time_machine.travel(due + 48 * H, tick=False):
        run_ready_tasks()
    assert Reply.objects.get().kind == "accepted"
    assert told("reminder") == [] and told("no_reply") == []
    assert log_size() == before


@worker
def test_investigation_and_task_reminders_and_overdue_notices_once_each(cast: Cast) -> None:
    complaint = drive(cast, S.UNDER_INVESTIGATION)
    services.reply_to_complaint(cast.af_liaison, complaint, kind="accepted")
    investigation_due = complaint.investigation_due_at
    assert investigation_due is not None
    task_due = timezone.now() + 3 * 24 * H
    task = services.add_investigation_task(
        cast.secretariat,
        complaint,
        kind="site_visit",
        description="Visit.",
        due_at=task_due,
        assigned_to=cast.tr_investigator,
    )
    services.add_investigation_task(
        cast.secretariat, complaint, kind="interview", description="Ask.", due_at=task_due + H
    )
    for moment in (task_due - 24 * H + H, task_due - 24 * H + 3 * H):
        with time_machine.travel(moment, tick=False):
            run_ready_tasks()
    mediators = {"tr-secretariat", "tr-investigator"}  # the secretariat and the round's investigators
    assert told("reminder") == sorted(
        [("tr-investigator", "task")] + [(n, "task") for n in mediators]
    )  # the assigned task tells its investigator; the unassigned one everyone on the case
    with time_machine.travel(task_due + 2 * H, tick=False):
        run_ready_tasks()
    assert told("overdue") == sorted([("tr-investigator", "task")] + [(n, "task") for n in mediators])
    services.complete_investigation_task(cast.tr_investigator, task, result="Seen.")
    for moment in (investigation_due - 24 * H + H, investigation_due + H, investigation_due + 2 * H):
        with time_machine.travel(moment, tick=False):
            run_ready_tasks()
    assert [n for n, s in told("reminder") if s == "investigation"] == sorted(mediators)
    assert [n for n, s in told("overdue") if s == "investigation"] == sorted(mediators)
    assert not Notification.objects.filter(kind__in=["reminder", "overdue"], recipient__party__kind="party").exists()
    assert all(n.mediators_only for n in Notification.objects.filter(kind__in=["reminder", "overdue"]))


@worker
def test_tasks_left_from_a_clock_that_moved_do_nothing(cast: Cast) -> None:
    complaint = drive(cast, S.APPEALED)
    first_due = complaint.investigation_due_at
    assert first_due is None  # the determination stopped the clock
    first = complaint.transitions.get(to_state=S.UNDER_INVESTIGATION, round=1).at
    first_due = first + dt.timedelta(days=14)
    with time_machine.travel(timezone.now() + 2 * 24 * H, tick=False):
        services.assign_investigators(cast.secretariat, complaint, [cast.qa_investigator])
    complaint.refresh_from_db()
    second_due = complaint.investigation_due_at
    assert second_due is not None and second_due - first_due > 47 * H
    with time_machine.travel(first_due + H, tick=False):
        run_ready_tasks()  # round 1's reminder and overdue notice: their due time is no longer the complaint's
    assert told("reminder") == [] and told("overdue") == []
    with time_machine.travel(second_due - 23 * H, tick=False):
        run_ready_tasks()
    assert told("reminder") == [("qa-investigator", "investigation"), ("tr-secretariat", "investigation")]
    # a stale call directly: a due time that is not the complaint's does nothing
    assert services.send_deadline_notice(complaint, stage="investigation", due_at=first_due) == 0
    assert services.record_no_reply(complaint, due_at=first_due) is None


@worker
def test_email_goes_out_in_the_recipients_language_and_zone_once(cast: Cast) -> None:
    user = cast.pk_liaison.user
    user.email = "liaison@example.pk"
    user.save()
    user.profile.language = "tr"
    user.profile.time_zone = "Europe/Istanbul"
    user.profile.save()
    mail.outbox.clear()
    complaint = drive(cast, S.NOTIFIED)
    run_ready_tasks()
    run_ready_tasks()
    mine = [m for m in mail.outbox if m.to == ["liaison@example.pk"]]
    notices = Notification.objects.filter(recipient=cast.pk_liaison)
    assert list(notices.values_list("kind", flat=True)) == ["notified"]
    assert len(mine) == 1 and notices.get().emailed_at is not None  # once, however often the worker runs
    due = complaint.reply_due_at
    assert due is not None
    with translation.override("tr"), timezone.override("Europe/Istanbul"):
        turkish = date_format(timezone.localtime(due), "j M Y, H:i")
    english = date_format(timezone.localtime(due), "j M Y, H:i")
    assert turkish != english
    assert turkish in mine[0].body and english not in mine[0].body
    assert complaint.public_code in mine[0].body and complaint.public_code in mine[0].subject
    # members without an address get none, and nobody else is mailed
    assert {tuple(m.to) for m in mail.outbox} == {("liaison@example.pk",)}


def _at(hours: float) -> dt.datetime:
    return dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC) + dt.timedelta(hours=hours)


def test_deadline_board_and_median_stage_hours_exactly(cast: Cast) -> None:
    with time_machine.travel(_at(0), tick=False):
        slow = new_complaint(cast)
        fast = new_complaint(cast)
        new_complaint(cast)  # submitted, never notified: no clock runs
    with time_machine.travel(_at(2), tick=False):
        services.notify_respondent(cast.secretariat, slow)
    with time_machine.travel(_at(6), tick=False):
        services.notify_respondent(cast.secretariat, fast)
    with time_machine.travel(_at(10), tick=False):
        services.reply_to_complaint(cast.af_liaison, fast, kind="accepted")
        services.assign_investigators(cast.secretariat, fast, [cast.tr_investigator])
    with time_machine.travel(_at(20), tick=False):
        services.add_investigation_task(
            cast.tr_investigator, fast, kind="site_visit", description="Visit.", due_at=_at(50)
        )
    with time_machine.travel(_at(34), tick=False):
        services.record_findings(cast.tr_investigator, fast, summary="Done.")
    with time_machine.travel(_at(60), tick=False):
        deadlines = queries.open_deadlines(cast.secretariat)
        assert [(d.complaint, d.stage, d.due_at, d.overdue, d.who) for d in deadlines] == [
            (slow, "reply", _at(74), False, "AF")
        ]
        assert queries.overdue(cast.secretariat) == []
        board = queries.deadline_board(cast.secretariat)
        assert board.median_hours == {
            "submitted": 4.0,  # 2 h and 6 h
            "notified": 4.0,  # fast: 6 → 10
            "under_investigation": 24.0,  # fast: 10 → 34
            "findings_ready": None,
            "determined": None,
        }
        assert [d.complaint for d in board.due_soon] == [slow] and board.overdue == [] and board.later == []
    with time_machine.travel(_at(80), tick=False):
        board = queries.deadline_board(cast.secretariat)
        assert [(d.complaint, d.stage) for d in board.overdue] == [(slow, "reply")]
        assert board.per_stage == {"reply": {"overdue": 1, "due_soon": 0, "later": 0}}
        assert board.per_party == {
            "AF": {"overdue": 1, "due_soon": 0, "later": 0},
            "PK": {"overdue": 1, "due_soon": 0, "later": 0},
        }
        assert [d.complaint for d in queries.overdue(cast.af_liaison)] == [slow]
        assert queries.overdue(cast.af_viewer) == queries.overdue(cast.af_liaison)


def test_the_board_of_an_investigation_with_tasks(cast: Cast) -> None:
    with time_machine.travel(_at(0), tick=False):
        complaint = new_complaint(cast)
        services.notify_respondent(cast.secretariat, complaint)
        services.assign_investigators(cast.secretariat, complaint, [cast.tr_investigator])
        services.add_investigation_task(
            cast.tr_investigator,
            complaint,
            kind="site_visit",
            description="Visit.",
            due_at=_at(30),
            assigned_to=cast.tr_investigator,
        )
    with time_machine.travel(_at(40), tick=False):
        board = queries.deadline_board(cast.secretariat)
        assert [(d.stage, d.due_at, d.who) for d in board.overdue] == [("task", _at(30), "tr-investigator")]
        assert [(d.stage, d.due_at) for d in board.due_soon] == [("reply", _at(72))]
        assert [(d.stage, d.due_at) for d in board.later] == [("investigation", _at(14 * 24))]
        assert board.per_stage == {
            "reply": {"overdue": 0, "due_soon": 1, "later": 0},
            "investigation": {"overdue": 0, "due_soon": 0, "later": 1},
            "task": {"overdue": 1, "due_soon": 0, "later": 0},
        }
        assert board.per_party["AF"] == {"overdue": 1, "due_soon": 1, "later": 1}
        # a party sees the reply clock of its complaints, never the investigation's
        assert [d.stage for d in queries.open_deadlines(cast.af_liaison)] == ["reply"]
        assert [d.stage for d in queries.open_deadlines(cast.pk_viewer)] == ["reply"]
        assert queries.open_deadlines(cast.af_viewer) == queries.open_deadlines(cast.af_liaison)
