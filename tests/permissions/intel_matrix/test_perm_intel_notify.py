"""Notifications of intelligence items, for every persona: the ones a member reads are about items it may see now,
and none was ever made (and e-mailed, with the item's code) for a member who could not see the item at that moment.

Expectations from intel/notify.py's promise ("only members who may see it at that moment") and issue 5 (the
notification list and Atom feeds show an item exactly when allowed), with the oracle of perm_intel_specs.py.
Query-level: both database passes.
"""

from __future__ import annotations

import dataclasses

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from perm_intel_specs import PARTY_OF, intel_sees
from perm_world import PERSONAS

from ceasefire.intel.models import IntelForward
from ceasefire.verification.models import Notification
from ceasefire.verification.tasks import email_notifications

pytestmark = pytest.mark.integration

MEMBERS = [p for p in PERSONAS if p.is_member]
BY_USERNAME = {p.username: p for p in MEMBERS}


def _seen_then(world, notification: Notification) -> bool:
    """Whether its recipient could see the item when the notification was made: expired by then or not, and
    the forwards made by then."""
    key = world.by_code()[notification.intel_item.public_code]
    spec = world.items[key].spec
    item = notification.intel_item
    expired = item.expires_at is not None and item.expires_at <= notification.created_at
    forwards = IntelForward.objects.filter(item=item, at__lte=notification.created_at).order_by("at", "pk")
    then = dataclasses.replace(
        spec,
        expired=expired,
        forwards=tuple((f.by.user.get_username(), f.to_party.code) for f in forwards),
    )
    persona = BY_USERNAME[notification.recipient.user.get_username()]
    return intel_sees(persona.key, persona.username, then)


def test_no_notification_nor_email_goes_to_a_member_who_may_not_see_the_item(intel_world):
    """Every notification row is e-mailed when made (verification.tasks.email_notifications), without asking
    visible_to again: a row for a member who may not see the item is a leak of its code and of what happened,
    even though the notification list (visible_to) hides it."""
    world = intel_world
    user_model = get_user_model()
    for persona in MEMBERS:  # test set-up: an address for every persona (there is no service for it)
        user_model.objects.filter(username=persona.username).update(email=f"{persona.username}@example.org")
    rows = Notification.objects.filter(intel_item__isnull=False).select_related("intel_item", "recipient__user")
    assert rows.count() > 100, "the world told almost nobody anything: the cells prove little"
    wrong = []
    for n in rows:
        if _seen_then(world, n):
            continue
        mail.outbox.clear()
        email_notifications.call([n.pk])
        sent = [m.subject for m in mail.outbox if n.intel_item.public_code in m.subject + m.body]
        key = world.by_code()[n.intel_item.public_code]
        wrong.append(f"{key}: {n.kind} told to {n.recipient.user.get_username()}, e-mailed {sent}")
    assert not wrong, f"{len(wrong)} notifications for members who may not see the item:\n" + "\n".join(sorted(wrong))


def test_notifications_read_are_exactly_about_items_i_may_see(intel_world):
    world = intel_world
    wrong = []
    for persona in MEMBERS:
        member = world.member(persona)
        party = PARTY_OF[persona.key]
        mine = Notification.objects.visible_to(member).filter(intel_item__isnull=False).select_related("intel_item")
        about = {world.by_code()[n.intel_item.public_code] for n in mine}
        wrong += [f"{persona.key} reads a notice of {k}" for k in sorted(about - world.visible(persona))]
        # Every recipient outside the originator's party was told it has the item (shared or forwarded to it).
        told = {
            world.by_code()[n.intel_item.public_code] for n in mine if n.kind in ("intel_shared", "intel_forwarded")
        }
        expected = {
            k
            for k in world.visible(persona)
            if world.items[k].spec.state == "shared" and world.items[k].spec.originator != party
        }
        wrong += [f"{persona.key} was never told of {k}" for k in sorted(expected - told)]
    assert not wrong, "\n".join(wrong)
