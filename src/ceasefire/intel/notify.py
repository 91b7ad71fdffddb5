"""Who is told of what happens to an intelligence item: only members who may see it at that moment, and
NotificationQuerySet.visible_to checks again when they read (an expired item's notices disappear with it).
Messages are composed when read (verification.notify.describe) from codes, parties and times only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from ceasefire.core.enums import TLP, Role
from ceasefire.core.models import Membership
from ceasefire.verification.enums import EventKind
from ceasefire.verification.models import Notification

from .models import IntelItem


def readers(item: IntelItem) -> Q:
    """The memberships an item is distributed to (its originator's party aside)."""
    if item.tlp in (TLP.CLEAR, TLP.GREEN):
        return Q(pk__isnull=False)
    if item.tlp == TLP.RED:
        return Q(user__in=item.people.values("user"))
    return Q(party__in=item.recipients.values("party"))


def tell(
    item: IntelItem,
    kind: EventKind,
    *,
    actor: Membership | None,
    audience: Q,
    params: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> list[Notification]:
    """Tell the `audience` (readers(item), the originator's party, ...) of one event; never the actor, and never a
    member who may not see the item at this moment (a RED item's colleagues, an expired item's recipients): each
    candidate is checked against the visibility rule itself."""
    candidates = Membership.objects.filter(audience, is_active=True, user__is_active=True).exclude(role=Role.ADMIN)
    members: Iterable[Membership] = [
        member
        for member in candidates.select_related("party").distinct()
        if (actor is None or member.pk != actor.pk)
        and IntelItem.objects.visible_to(member, now=now).filter(pk=item.pk).exists()
    ]
    base = {"code": item.public_code, "title": item.title} | (params or {})
    made = Notification.objects.bulk_create(
        Notification(recipient=member, intel_item=item, kind=kind, params=base) for member in members
    )
    if made:
        from ceasefire.verification.tasks import email_notifications

        email_notifications.enqueue([n.pk for n in made])
    return made
