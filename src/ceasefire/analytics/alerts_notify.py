"""Telling subscribers of a new alert, through the workflow's notifications (verification.Notification, the
in-app list and the private feed) and their e-mail copy (verification.tasks.email_notifications).

Only members who may see the alert are told (checked with Alert.objects.visible_to for each candidate), and
NotificationQuerySet.visible_to checks again when they read. A member with several matching subscriptions is
told once, on every channel any of them asked for. An e-mail-only subscription still leaves a notification row
(the e-mail is sent from it), marked read so it adds nothing to the unread count.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from ceasefire.core.enums import Role
from ceasefire.core.models import Membership
from ceasefire.verification.enums import EventKind
from ceasefire.verification.models import Notification

from .enums import ALL_AREAS, ALL_KINDS
from .models import Alert, Subscription


def matching_subscriptions(alert: Alert) -> list[Subscription]:
    return list(
        Subscription.objects.filter(
            Q(kind=alert.kind) | Q(kind=ALL_KINDS),
            Q(area=alert.area) | Q(area=ALL_AREAS),
            membership__is_active=True,
            membership__user__is_active=True,
        )
        .exclude(membership__role=Role.ADMIN)
        .select_related("membership__party")
        .order_by("membership_id", "pk")
    )


def tell_subscribers(alert: Alert) -> list[Notification]:
    """Notify every subscriber the alert concerns (kind and area) who may see it; returns the rows made."""
    channels: dict[int, tuple[Membership, bool, bool]] = {}
    for subscription in matching_subscriptions(alert):
        member = subscription.membership
        _m, in_app, email = channels.get(member.pk, (member, False, False))
        channels[member.pk] = (member, in_app or subscription.in_app, email or subscription.email)
    now = timezone.now()
    params = {
        "code": alert.public_code,
        "alert_kind": alert.kind,
        "area": alert.area,
        "start": alert.window_start.isoformat(),
        "end": alert.window_end.isoformat(),
    }
    made: list[Notification] = []
    mailed: list[int] = []
    for member, in_app, email in channels.values():
        if not Alert.objects.visible_to(member).filter(pk=alert.pk).exists():
            continue
        key = f"alert:{alert.pk}:{member.pk}"
        if Notification.objects.filter(dedupe_key=key).exists():
            continue
        notification = Notification.objects.create(
            recipient=member,
            alert=alert,
            kind=EventKind.ALERT,
            params=params,
            read_at=None if in_app else now,
            dedupe_key=key,
        )
        made.append(notification)
        if email:
            mailed.append(notification.pk)
    if mailed:
        from ceasefire.verification.tasks import email_notifications

        email_notifications.enqueue(mailed)
    return made
