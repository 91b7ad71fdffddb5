"""Choices of analytics' own records, the early-warning alerts and subscriptions. Imports nothing from the project."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# An alert or a subscription about the whole frontier rather than one province.
ALL_AREAS = "all"
# A subscription to every kind of alert.
ALL_KINDS = "all"


class AlertKind(models.TextChoices):
    COMPLAINT_RATE = "complaint_rate", _("Rise in complaints")
    EVENT_RATE = "event_rate", _("Rise in external events")
    CROSSING_ACTIVITY = "crossing_activity", _("New activity near a crossing")
    REPEATED_BREACH = "repeated_breach", _("Repeated breaches of one commitment")
    CLOSURE_WITHOUT_NOTICE = "closure_without_notice", _("Closure without notice")


class Audience(models.TextChoices):
    """Whose records an alert was computed from, and so who may see it."""

    EVERYONE = "everyone", _("Every member (from records every member may see)")
    MEDIATORS = "mediators", _("The mediators")
    PARTY = "party", _("One party")
