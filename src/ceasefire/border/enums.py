"""Choices of the border layer: crossing status, restrictions, people flows, trade and transit obstacles.
Imports nothing from the project."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CrossingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESTRICTED = "restricted", _("Restricted")
    CLOSED = "closed", _("Closed")


class DerivedState(models.TextChoices):
    """The state a derived timeline shows: a declared status, or what the declarations leave open."""

    OPEN = "open", _("Open")
    RESTRICTED = "restricted", _("Restricted")
    CLOSED = "closed", _("Closed")
    DISPUTED = "disputed", _("Disputed (conflicting declarations)")
    UNKNOWN = "unknown", _("No declaration")


class Restriction(models.TextChoices):
    """What a restricted crossing still lets through."""

    TRADE_ONLY = "trade_only", _("Trade only")
    PEDESTRIANS_ONLY = "pedestrians_only", _("Pedestrians only")
    RETURNS_DEPORTATIONS_ONLY = "returns_deportations_only", _("Returns and deportations only")
    HUMANITARIAN_ONLY = "humanitarian_only", _("Humanitarian and medical cases only")
    OTHER = "other", _("Other (see note)")


# Restrictions under which trucks do not cross: trade counts as stopped, the crossing as not closed.
TRADE_STOPPING_RESTRICTIONS = frozenset(
    {Restriction.PEDESTRIANS_ONLY, Restriction.RETURNS_DEPORTATIONS_ONLY, Restriction.HUMANITARIAN_ONLY}
)


class Direction(models.TextChoices):
    TO_AF = "to_af", _("Into Afghanistan")
    TO_PK = "to_pk", _("Into Pakistan")


class FlowCategory(models.TextChoices):
    RETURN = "return", _("Returns")
    DEPORTATION = "deportation", _("Deportations")


class FigureSource(models.TextChoices):
    """Who published a figure. A party's or mediator's figure is attributed to the reporting party."""

    UNHCR = "unhcr", _("UNHCR")
    IOM = "iom", _("IOM")
    PARTY = "party", _("A party")
    MEDIATOR = "mediator", _("A mediator")
    PRESS = "press", _("Press reports")
    ESTIMATE = "estimate", _("Estimate (see note)")


class ObstacleKind(models.TextChoices):
    NEW_FEE = "new_fee", _("New fee or tariff")
    DOCUMENT_DEMAND = "document_demand", _("Document demand")
    ROUTE_CLOSURE = "route_closure", _("Route closure or trade suspension")
    INSPECTION_DELAY = "inspection_delay", _("Inspection delays")
    OTHER = "other", _("Other obstacle")


class ObstacleStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    CONFIRMED = "confirmed", _("Confirmed by a mediator")
    DISPUTED = "disputed", _("Disputed")
    LIFTED = "lifted", _("Lifted")


class CrossingFlag(models.TextChoices):
    """Data-quality flags of a crossing's published coordinate (computed, never stored)."""

    MISSING = "missing", _("No coordinate published")
    SUSPECT = "suspect", _("Source coordinate marked suspect")
    APPROXIMATE = "approximate", _("Approximate coordinate (a town or district, not the gate)")
    OFF_LINE = "off_line", _("Coordinate lies far from the reference line")
    PROVINCE_MISMATCH = "province_mismatch", _("Coordinate falls in another province than described")
