"""Analytics' own records: early-warning alerts and members' subscriptions to them. Every other figure analytics
shows is read from the other apps through their visibility rules and stored nowhere.

An alert is computed for one audience from exactly what that audience may see (analytics/alerts_detect.py):
- `everyone`: from records every member of a party or mediator may see (external events, border declarations);
- `mediators`: from what every mediator sees (submitted complaints, determinations in effect);
- `party`: from what that party's members see (its own complaints, those against it once notified).
So an alert is seen by a member exactly when it was computed from records that member may see, and its evidence
is shown again only through each record's own visibility rule.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ceasefire.agreements.models import Commitment
from ceasefire.core.enums import PartyKind
from ceasefire.core.models import Membership, Party
from ceasefire.geo.models import Crossing

from .enums import ALL_AREAS, ALL_KINDS, AlertKind, Audience


class AlertQuerySet(models.QuerySet["Alert"]):
    def visible_to(self, member: Membership | None) -> AlertQuerySet:
        """THE visibility rule of alerts: a mediator sees the mediators' and everyone's; a party's member sees its
        party's and everyone's; anyone else (observers, no membership) sees none."""
        if member is None or not member.is_active:
            return self.none()
        if member.party.kind == PartyKind.MEDIATOR:
            return self.filter(audience__in=[Audience.EVERYONE, Audience.MEDIATORS])
        if member.party.kind == PartyKind.PARTY:
            return self.filter(Q(audience=Audience.EVERYONE) | Q(audience=Audience.PARTY, party=member.party))
        return self.none()


class Alert(models.Model):
    """One early warning: what rose or happened, where, over which days, the statistic, and the evidence."""

    public_code = models.CharField(max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=AlertKind.choices)
    audience = models.CharField(_("computed for"), max_length=12, choices=Audience.choices)
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # A province (as the geo layer names it) or ALL_AREAS for the whole frontier.
    area = models.CharField(_("area"), max_length=100, default=ALL_AREAS)
    crossing = models.ForeignKey(Crossing, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    commitment = models.ForeignKey(Commitment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    respondent = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    window_start = models.DateField(_("from"))
    window_end = models.DateField(_("to"))
    statistic = models.JSONField(_("statistic"), default=dict)
    complaint_codes = models.JSONField(default=list, blank=True)
    event_ids = models.JSONField(default=list, blank=True)  # "source:source_id"
    closure_codes = models.JSONField(default=list, blank=True)  # the declarations that began the closures
    # audience, party, kind, area, subject and signal day: the worker runs every ten minutes and must not raise
    # the same alert twice; the unique key makes a second run (or a second worker) a no-op.
    dedupe_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-window_end", "-created_at", "-pk"]
        indexes = [
            models.Index(fields=["audience", "party", "window_end"]),
            models.Index(fields=["kind", "area"]),
        ]

    def __str__(self) -> str:
        return self.public_code


class SubscriptionQuerySet(models.QuerySet["Subscription"]):
    def visible_to(self, member: Membership | None) -> SubscriptionQuerySet:
        """A member's own subscriptions only."""
        if member is None or not member.is_active:
            return self.none()
        return self.filter(membership=member)


class Subscription(models.Model):
    """A member asks to be told of alerts of one kind (or all) in one area (or all), in the app and/or by e-mail."""

    public_code = models.CharField(max_length=20, unique=True)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="alert_subscriptions")
    area = models.CharField(_("area"), max_length=100, default=ALL_AREAS)
    kind = models.CharField(_("kind"), max_length=24, default=ALL_KINDS)
    in_app = models.BooleanField(_("in the app"), default=True)
    email = models.BooleanField(_("by e-mail"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["area", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "area", "kind"], name="alert_subscription_once"),
            models.CheckConstraint(condition=Q(in_app=True) | Q(email=True), name="alert_subscription_channel"),
        ]

    def __str__(self) -> str:
        return self.public_code
