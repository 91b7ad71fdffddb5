"""Choices of incidents and complaints, with the taxonomy's mapping to ACLED, UCDP and CAMEO.
Imports nothing from the project."""

from __future__ import annotations

from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    AIRSPACE_VIOLATION = "airspace_violation", _("Airspace violation")
    AIR_STRIKE = "air_strike", _("Air or drone strike")
    CROSS_BORDER_FIRE = "cross_border_fire", _("Artillery or cross-border fire")
    GROUND_INCURSION = "ground_incursion", _("Ground incursion")
    ARMED_CLASH = "armed_clash", _("Armed clash between forces")
    MILITANT_ATTACK = "militant_attack", _("Militant attack with alleged cross-border origin")
    MILITANT_SANCTUARY = "militant_sanctuary", _("Militant sanctuary or activity")
    CROSSING_CLOSURE = "crossing_closure", _("Border crossing closure")
    FORCED_EXPULSION = "forced_expulsion", _("Forced expulsion of refugees")
    TRADE_OBSTRUCTION = "trade_obstruction", _("Trade or transit obstruction")
    OTHER_HOSTILE_ACT = "other_hostile_act", _("Other hostile act")


class ExternalTypes(NamedTuple):
    acled: tuple[str, ...]  # ACLED "event_type/sub_event_type"
    ucdp: tuple[int, ...]  # UCDP type_of_violence: 1 state-based, 2 non-state, 3 one-sided
    cameo: tuple[str, ...]


# How each category corresponds to the event data investigators corroborate against (ingest/ uses this).
CATEGORY_MAPPING: dict[str, ExternalTypes] = {
    Category.AIRSPACE_VIOLATION: ExternalTypes(("Strategic developments/Other",), (), ("1721",)),
    Category.AIR_STRIKE: ExternalTypes(("Explosions/Remote violence/Air/drone strike",), (1, 3), ("195", "1951")),
    Category.CROSS_BORDER_FIRE: ExternalTypes(
        ("Explosions/Remote violence/Shelling/artillery/missile attack",), (1,), ("194", "196")
    ),
    Category.GROUND_INCURSION: ExternalTypes(
        ("Strategic developments/Non-violent transfer of territory", "Battles/Armed clash"), (1,), ("192", "1721")
    ),
    Category.ARMED_CLASH: ExternalTypes(("Battles/Armed clash",), (1,), ("190", "193", "196")),
    Category.MILITANT_ATTACK: ExternalTypes(
        ("Explosions/Remote violence/Suicide bomb", "Violence against civilians/Attack", "Battles/Armed clash"),
        (1, 2, 3),
        ("180", "183", "1831"),
    ),
    Category.MILITANT_SANCTUARY: ExternalTypes(
        ("Strategic developments/Headquarters or base established",), (1, 2), ("1723",)
    ),
    Category.CROSSING_CLOSURE: ExternalTypes(("Strategic developments/Other",), (), ("191", "1246")),
    Category.FORCED_EXPULSION: ExternalTypes(("Strategic developments/Other",), (), ("174",)),
    Category.TRADE_OBSTRUCTION: ExternalTypes(("Strategic developments/Other",), (), ("191", "163")),
    Category.OTHER_HOSTILE_ACT: ExternalTypes(("Strategic developments/Other",), (1,), ("150", "190")),
}


class TimePrecision(models.TextChoices):
    """How exactly the source knew the time; shown with the same precision, never finer."""

    MINUTE = "minute", _("To the minute")
    HOUR = "hour", _("To the hour")
    DAY = "day", _("To the day")
    WEEK = "week", _("Within a week")
    MONTH = "month", _("Within a month")


class ComplaintState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    NOTIFIED = "notified", _("Respondent notified")
    UNDER_INVESTIGATION = "under_investigation", _("Under investigation")
    FINDINGS_READY = "findings_ready", _("Findings ready")
    DETERMINED = "determined", _("Determined")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED_INADMISSIBLE = "rejected_inadmissible", _("Rejected as inadmissible")
    APPEALED = "appealed", _("Appealed")


# The respondent sees a complaint only once it has been notified of it (CTSAMVM practice: the accused party is
# told when the complaint is admitted, not while the complainant is still drafting or the secretariat screening).
RESPONDENT_VISIBLE_STATES = frozenset(
    {
        ComplaintState.NOTIFIED,
        ComplaintState.UNDER_INVESTIGATION,
        ComplaintState.FINDINGS_READY,
        ComplaintState.DETERMINED,
        ComplaintState.CLOSED,
        ComplaintState.APPEALED,
    }
)


class CasualtyKind(models.TextChoices):
    KILLED = "killed", _("Killed")
    INJURED = "injured", _("Injured")


class CasualtyStatus(models.TextChoices):
    CIVILIAN = "civilian", _("Civilian")
    COMBATANT = "combatant", _("Combatant")
    UNKNOWN = "unknown", _("Status unknown")


class ActorKind(models.TextChoices):
    STATE_FORCE = "state_force", _("State force")
    ARMED_GROUP = "armed_group", _("Non-state armed group")
    OTHER = "other", _("Other")


class CustodyAction(models.TextChoices):
    ADDED = "added", _("Added")
    LINKED = "linked", _("Linked again (same file)")
    VIEWED = "viewed", _("Viewed")
    DOWNLOADED = "downloaded", _("Downloaded")
    EXPORTED = "exported", _("Exported")
