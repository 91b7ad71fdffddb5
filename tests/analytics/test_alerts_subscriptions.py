"""Subscriptions to alerts (analytics/services.py) and the notifications they bring: in the app and by e-mail, only
for alerts the subscriber may see, once per alert however many subscriptions match."""

from __future__ import annotations

import pytest
from alerts_helpers import STRIKES_PLACE, day, file_on, run_on
from django.core import mail

from ceasefire.analytics.enums import ALL_AREAS, ALL_KINDS, AlertKind, Audience
from ceasefire.analytics.models import Alert, Subscription
from ceasefire.analytics.services import subscribe, unsubscribe
from ceasefire.core.errors import Conflict, NotVisible, ValidationFailed
from ceasefire.core.taskqueue import run_ready_tasks
from ceasefire.ledger.models import LogEntry
from ceasefire.verification.enums import EventKind
from ceasefire.verification.models import Notification
from ceasefire.verification.notify import describe

pytestmark = pytest.mark.integration


def _unchanged(call):
    before = (Subscription.objects.count(), LogEntry.objects.count())
    with pytest.raises((ValidationFailed, Conflict, NotVisible)) as info:
        call()
    assert (Subscription.objects.count(), LogEntry.objects.count()) == before
    return info.value


def test_subscribe_logs_a_sealed_entry(af_viewer):
    subscription = subscribe(af_viewer, area="Khost", kind=AlertKind.COMPLAINT_RATE, email=True)
    assert (subscription.area, subscription.kind, subscription.in_app, subscription.email) == (
        "Khost",
        "complaint_rate",
        True,
        True,
    )
    entry = LogEntry.objects.get(kind="alert.subscribed")
    assert entry.subject_code == subscription.public_code and entry.sealed and entry.party_code == "AF"


def test_unknown_province_is_refused_naming_the_field(af_viewer):
    error = _unchanged(lambda: subscribe(af_viewer, area="Atlantis", kind=ALL_KINDS))
    assert set(error.errors) == {"area"} and "Atlantis" in error.errors["area"]


def test_unknown_kind_is_refused_naming_the_field(af_viewer):
    error = _unchanged(lambda: subscribe(af_viewer, area=ALL_AREAS, kind="earthquake"))
    assert set(error.errors) == {"kind"} and "earthquake" in error.errors["kind"]


def test_every_bad_field_is_named_at_once(af_viewer):
    error = _unchanged(lambda: subscribe(af_viewer, area="", kind="x", in_app=False, email=False))
    assert set(error.errors) == {"area", "kind", "in_app"}


def test_the_same_subscription_twice_is_a_conflict(af_viewer):
    subscribe(af_viewer, area="Khost", kind=ALL_KINDS)
    _unchanged(lambda: subscribe(af_viewer, area="Khost", kind=ALL_KINDS, email=True))
    subscribe(af_viewer, area="Khost", kind=AlertKind.EVENT_RATE)  # another kind is another subscription


def test_unsubscribe_own_only(af_viewer, pk_viewer):
    mine = subscribe(af_viewer, area=ALL_AREAS)
    _unchanged(lambda: unsubscribe(pk_viewer, code=mine.public_code))
    _unchanged(lambda: unsubscribe(af_viewer, code="SUB-2025-NONE"))
    unsubscribe(af_viewer, code=mine.public_code)
    assert not Subscription.objects.exists()
    entry = LogEntry.objects.get(kind="alert.unsubscribed")
    assert entry.subject_code == mine.public_code and entry.sealed


def test_subscribers_are_told_in_the_app_and_by_email_once(af_liaison, af_viewer, pk_viewer, tr_investigator):
    for member, address in ((af_viewer, "viewer@example.af"), (pk_viewer, "viewer@example.pk")):
        member.user.email = address
        member.user.save()
    subscribe(af_viewer, area=ALL_AREAS, kind=ALL_KINDS, in_app=True, email=True)
    subscribe(af_viewer, area="Khost", kind=AlertKind.COMPLAINT_RATE)  # matches too: still one notification
    subscribe(pk_viewer, area=ALL_AREAS, kind=ALL_KINDS, email=True)
    subscribe(tr_investigator, area="Khost", kind=AlertKind.COMPLAINT_RATE, in_app=False, email=True)
    for _ in range(4):
        file_on(af_liaison, day(2025, 11, 24), place=STRIKES_PLACE)
    mail.outbox.clear()
    raised = run_on(day(2025, 12, 1))
    af_alerts = {a.pk for a in raised if a.audience == Audience.PARTY and a.party.code == "AF"}
    mine = Notification.objects.visible_to(af_viewer).filter(kind=EventKind.ALERT)
    assert {n.alert_id for n in mine} == af_alerts
    assert all(n.read_at is None for n in mine)
    # The Pakistani subscriber may see none of these alerts: no notification, no e-mail.
    assert not Notification.objects.filter(recipient=pk_viewer, kind=EventKind.ALERT).exists()
    # The mediator asked for e-mail only about Khost's complaints: one row, already read, e-mailed.
    theirs = Notification.objects.filter(recipient=tr_investigator, kind=EventKind.ALERT)
    assert [n.alert.area for n in theirs] == ["Khost"] and theirs.get().read_at is not None
    run_ready_tasks()
    run_ready_tasks()  # a second worker turn sends nothing again
    to_af = [m for m in mail.outbox if m.to == ["viewer@example.af"]]
    assert len(to_af) == len(af_alerts)
    assert not [m for m in mail.outbox if m.to == ["viewer@example.pk"]]
    codes = {Alert.objects.get(pk=pk).public_code for pk in af_alerts}
    assert {next(c for c in codes if c in m.body) for m in to_af} == codes
    assert run_on(day(2025, 12, 1)) == [] and mine.count() == len(af_alerts)  # told once


def test_notification_text_names_the_alert_kind_area_and_days(af_liaison, af_viewer):
    subscribe(af_viewer, area="Khost", kind=AlertKind.COMPLAINT_RATE)
    for _ in range(4):
        file_on(af_liaison, day(2025, 11, 24), place=STRIKES_PLACE)
    run_on(day(2025, 12, 1))
    notification = Notification.objects.visible_to(af_viewer).get(kind=EventKind.ALERT)
    text = describe(notification)
    assert notification.alert.public_code in text
    assert "Rise in complaints" in text and "Khost" in text and "24 Nov 2025" in text


def test_notifications_about_alerts_one_may_not_see_are_hidden_on_read(pk_liaison, af_viewer, tr_investigator):
    """NotificationQuerySet.visible_to checks the alert again: a row about an alert of another audience (as if
    delivered by mistake) never shows."""
    for _ in range(4):
        file_on(pk_liaison, day(2025, 11, 11), place=(33.70, 73.05))
    run_on(day(2025, 11, 20))
    alert = Alert.objects.filter(audience=Audience.MEDIATORS).first()
    assert alert is not None
    stray = Notification.objects.create(recipient=af_viewer, alert=alert, kind=EventKind.ALERT, params={})
    assert stray not in Notification.objects.visible_to(af_viewer)
    told = Notification.objects.create(recipient=tr_investigator, alert=alert, kind=EventKind.ALERT, params={})
    assert told in Notification.objects.visible_to(tr_investigator)


def test_alerts_about_old_days_are_recorded_but_not_told(af_liaison, af_viewer):
    """The first run looks back a year: what it finds about last spring is on /alerts/, not in anyone's inbox."""
    subscribe(af_viewer, area=ALL_AREAS, kind=ALL_KINDS, email=True)
    for _ in range(4):
        file_on(af_liaison, day(2025, 11, 24), place=STRIKES_PLACE)
    raised = run_on(day(2026, 1, 15))  # 52 days later: outside the 30 days subscribers are told of
    assert any(a.audience == Audience.PARTY and a.party.code == "AF" for a in raised)
    assert not Notification.objects.filter(kind=EventKind.ALERT).exists()
