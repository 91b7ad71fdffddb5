"""Who is told of what: every event's audience, never a mediator-only event to a party, nothing to the respondent
before notice; reading re-checks visibility; reminders are deduplicated."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from wf_steps import Cast, after_appeal_window, determine, drive, log_size, new_complaint

from ceasefire.core.enums import PartyKind
from ceasefire.incidents.enums import ComplaintState
from ceasefire.verification import notify, services
from ceasefire.verification.enums import MEDIATOR_ONLY_EVENTS
from ceasefire.verification.models import Notification

pytestmark = pytest.mark.integration
S = ComplaintState
PK = {"pk-liaison", "pk-viewer", "pk-analyst"}
AF = {"af-liaison", "af-viewer"}
ADJ = {"tr-adjudicator", "qa-adjudicator"}


def audience(kind: str) -> set[str]:
    rows = Notification.objects.filter(kind=kind).values_list("recipient__user__username", flat=True)
    return set(rows)


def test_every_event_reaches_exactly_its_audience(cast: Cast) -> None:
    complaint = new_complaint(cast)
    assert audience("submitted") == {"tr-secretariat"}
    services.notify_respondent(cast.secretariat, complaint)
    assert audience("notified") == PK | AF  # the secretariat did it
    services.reply_to_complaint(cast.af_liaison, complaint, kind="contested", account="Not us.")
    assert audience("replied") == PK | {"af-viewer", "tr-secretariat"}
    services.assign_investigators(cast.secretariat, complaint, [cast.tr_investigator])
    assert audience("assigned") == {"tr-investigator"}
    services.add_investigation_task(
        cast.tr_investigator,
        complaint,
        kind="interview",
        description="Ask.",
        due_at=timezone.now() + dt.timedelta(days=2),
        assigned_to=cast.tr_investigator,
    )
    assert audience("task_added") == set()  # its author is its assignee
    services.record_findings(cast.tr_investigator, complaint, summary="Found.")
    assert audience("findings") == ADJ | {"tr-secretariat"}
    determination = determine(cast, complaint)
    assert audience("draft_determination") == {"qa-adjudicator", "tr-secretariat", "tr-investigator"}
    assert audience("signed") == {"qa-adjudicator", "tr-secretariat", "tr-investigator"}
    assert audience("determined") == PK | AF | {"tr-adjudicator", "tr-secretariat", "tr-investigator"}
    services.add_dissent(cast.pk_liaison, determination, text="Too mild.")
    assert audience("dissent") == AF | {"pk-viewer", "pk-analyst", "tr-secretariat", "tr-investigator"}
    services.appeal_determination(cast.af_liaison, complaint, grounds="One source.")
    assert audience("appealed") == PK | ADJ | {"af-viewer", "tr-secretariat", "tr-investigator"}
    services.assign_investigators(cast.secretariat, complaint, [cast.qa_investigator])
    # the parties hear of the reopening; the new round's investigator of its assignment
    assert audience("reopened") == PK | AF
    assert audience("assigned") == {"tr-investigator", "qa-investigator"}
    services.record_findings(cast.qa_investigator, complaint, summary="Again.")
    determine(cast, complaint, outcome="inconclusive", reasons="Unclear.")
    with time_machine.travel(after_appeal_window(complaint), tick=False):
        services.close_complaint(cast.secretariat, complaint)
    assert audience("closed") == PK | AF | {"qa-investigator"}  # the first round's investigator no longer
    for n in Notification.objects.select_related("recipient__party"):
        if n.kind in MEDIATOR_ONLY_EVENTS:
            assert n.mediators_only and n.recipient.party.kind == PartyKind.MEDIATOR, (n.kind, n.recipient)
        assert n.recipient.role != "admin"
    assert not Notification.objects.filter(
        recipient=cast.tr_adjudicator, kind="determined", params__outcome=""
    ).exists()


def test_the_respondent_hears_nothing_before_notice(cast: Cast) -> None:
    complaint = drive(cast, S.SUBMITTED)
    services.withdraw_complaint(cast.pk_liaison, complaint, reason="Settled.")
    other = drive(cast, S.REJECTED_INADMISSIBLE)
    assert not Notification.objects.filter(recipient__party__code="AF").exists()
    assert audience("withdrawn") == {"pk-viewer", "pk-analyst", "tr-secretariat", "tr-adjudicator", "qa-adjudicator"}
    assert audience("rejected") == PK
    assert Notification.objects.get(recipient=cast.pk_liaison, complaint=other).params["reason"]


def test_reading_rechecks_visibility(cast: Cast) -> None:
    complaint = drive(cast, S.SUBMITTED)
    seen = drive(cast, S.NOTIFIED)
    # rows that should never have been made: the reader's right is checked again when reading
    hidden = Notification.objects.create(recipient=cast.af_liaison, complaint=complaint, kind="notified")
    secret = Notification.objects.create(
        recipient=cast.af_liaison, complaint=seen, kind="findings", mediators_only=True
    )
    mine = set(Notification.objects.visible_to(cast.af_liaison))
    assert hidden not in mine and secret not in mine
    assert Notification.objects.get(recipient=cast.af_liaison, complaint=seen, kind="notified") in mine
    assert set(Notification.objects.visible_to(cast.af_viewer)).isdisjoint(mine)  # one's own notifications only
    before = log_size()
    assert notify.mark_read(cast.af_liaison) == 1
    assert log_size() == before  # reading is no domain change
    hidden.refresh_from_db()
    assert hidden.read_at is None
    cast.af_liaison.is_active = False
    cast.af_liaison.save()
    assert list(Notification.objects.visible_to(cast.af_liaison)) == []
    assert list(Notification.objects.visible_to(None)) == []


def test_descriptions_carry_codes_and_times_never_investigation_content(cast: Cast) -> None:
    complaint = drive(cast, S.DETERMINED)
    for n in Notification.objects.all():
        text = notify.describe(n)
        assert complaint.public_code in text, n.kind
        assert "Kunar" not in text and "%(" not in text


def test_a_reminder_is_sent_once_per_due_time(cast: Cast) -> None:
    complaint = drive(cast, S.NOTIFIED)
    due = complaint.reply_due_at
    assert due is not None
    soon = due - dt.timedelta(hours=23)
    assert services.send_deadline_notice(complaint, stage="reply", due_at=due, now=soon) == 1
    assert services.send_deadline_notice(complaint.pk, stage="reply", due_at=due, now=soon) == 0
    assert audience("reminder") == {"af-liaison"}
    assert services.send_deadline_notice(complaint, stage="reply", due_at=due, now=due) == 0  # no-reply tells
    with pytest.raises(ValueError, match="unknown deadline stage"):
        services.send_deadline_notice(complaint, stage="lunch", due_at=due, now=soon)
