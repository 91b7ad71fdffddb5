"""An ACLED-compatible CSV of the mechanism's own determined incidents: ACLED's 31 codebook columns, in its order,
so the mechanism's findings can sit beside ACLED data in any tool that reads ACLED exports (including this
project's own ACLED importer).

Which incidents: those with a complaint the member may see whose determination in effect found that the event
happened — `breach_confirmed` or `not_attributable`. Not-substantiated, inconclusive and outside-mandate findings
are not events and are left out. One row per incident, however many complaints describe it.

How our fields map (docs/analytics.md has the table): event_type/sub_event_type from the category through
incidents.enums.CATEGORY_MAPPING (the inverse of ingest/sources/acled/categories.py), event_date in the country's
own time zone (dd-mm-yyyy, as the codebook writes it), fatalities by ACLED's rule for conflicting reports — the
lowest figure any claimant gave — while notes keep each claimant's own figure, attributed. Text is English, as
ACLED's vocabulary is.
"""

from __future__ import annotations

import itertools
import zoneinfo
from collections.abc import Iterator
from typing import Any

from django.db.models import prefetch_related_objects
from django.utils import translation
from django.utils.translation import gettext

from ceasefire.core.models import Membership
from ceasefire.incidents.enums import CATEGORY_MAPPING, ActorKind, CasualtyKind, CasualtyStatus, TimePrecision
from ceasefire.incidents.models import Complaint, Incident
from ceasefire.ingest.sources.acled.categories import SUB_EVENT_TYPES
from ceasefire.ingest.sources.acled.layout import CODEBOOK_COLUMNS
from ceasefire.verification.enums import Outcome
from ceasefire.verification.models import Determination

from .exports import ExportTable, Row, point
from .scorecards import standing

EVENT_OUTCOMES = (Outcome.BREACH_CONFIRMED, Outcome.NOT_ATTRIBUTABLE)
EVENT_TYPES = (
    "Battles",
    "Explosions/Remote violence",
    "Protests",
    "Riots",
    "Strategic developments",
    "Violence against civilians",
)
# Side of the reference line -> (country, ISO 3166 numeric, ISO alpha-3, time zone).
COUNTRIES = {
    "AF": ("Afghanistan", "4", "AFG", "Asia/Kabul"),
    "PK": ("Pakistan", "586", "PAK", "Asia/Karachi"),
}
REGION = "South Asia"
# ACLED's time_precision: 1 the actual day, 2 a week, 3 only the month.
TIME_PRECISION: dict[str, int] = {
    TimePrecision.MINUTE: 1,
    TimePrecision.HOUR: 1,
    TimePrecision.DAY: 1,
    TimePrecision.WEEK: 2,
    TimePrecision.MONTH: 3,
}
GEO_PRECISION = {"exact": 1, "near": 2, "district": 3, "province": 3}
INTER: dict[str, int] = {ActorKind.STATE_FORCE: 1, ActorKind.ARMED_GROUP: 2, ActorKind.OTHER: 8}
CIVILIANS = 7
CHUNK = 500


def acled_types(category: str) -> tuple[str, str]:
    """ACLED's (event_type, sub_event_type) for one of our categories: the first type CATEGORY_MAPPING names,
    which must be one of ACLED's 25 (as ingest/sources/acled lists them)."""
    joined = CATEGORY_MAPPING[category].acled[0]
    if joined not in SUB_EVENT_TYPES:
        raise ValueError(f"{category}: {joined!r} is not an ACLED sub-event type")
    for event_type in EVENT_TYPES:
        if joined.startswith(event_type + "/"):
            return event_type, joined[len(event_type) + 1 :]
    raise ValueError(f"{category}: no ACLED event type in {joined!r}")


def determined_incidents_table(member: Membership | None) -> ExportTable:
    return ExportTable(
        name="determined-incidents-acled",
        title=gettext("Determined incidents (ACLED-compatible)"),
        columns=list(CODEBOOK_COLUMNS),
        rows=_rows(member),
    )


def _determinations(member: Membership | None) -> Iterator[Determination]:
    found = (
        standing(Determination.objects.visible_to(member))
        .filter(outcome__in=EVENT_OUTCOMES, complaint__in=Complaint.objects.visible_to(member).values("pk"))
        .select_related("complaint__incident__place", "complaint__complainant", "complaint__respondent",
                        "responsible_party")
        .order_by("complaint__incident__starts_at", "complaint__incident_id", "complaint__public_code")
    )  # fmt: skip
    for chunk in itertools.batched(found.iterator(chunk_size=CHUNK), CHUNK):
        batch = list(chunk)
        prefetch_related_objects(batch, "commitments", "complaint__actors", "complaint__casualty_claims__claimant")
        yield from batch


def _rows(member: Membership | None) -> Iterator[Row]:
    for _incident_id, group in itertools.groupby(_determinations(member), key=lambda d: d.complaint.incident_id):
        determinations = list(group)
        incident = determinations[0].complaint.incident
        yield _row(incident, determinations), point(incident.longitude, incident.latitude)


def _claimed_killed(determinations: list[Determination]) -> dict[str, int]:
    """Each claimant's killed (best estimate) for the incident: summed within a complaint, the largest of its
    complaints when one claimant describes the incident twice (the same dead counted once)."""
    figures: dict[str, int] = {}
    for d in determinations:
        per_complaint: dict[str, int] = {}
        for claim in d.complaint.casualty_claims.all():
            if claim.kind == CasualtyKind.KILLED:
                per_complaint[claim.claimant.code] = per_complaint.get(claim.claimant.code, 0) + claim.best
        for code, killed in per_complaint.items():
            figures[code] = max(figures.get(code, 0), killed)
    return figures


def _actors(determinations: list[Determination]) -> tuple[str, str, int | None]:
    """actor1, assoc_actor_1 and inter1: the actors the complaints name, or the responsible party's forces."""
    named = {a.pk: a for d in determinations for a in d.complaint.actors.all()}
    actors = sorted(named.values(), key=lambda a: (a.kind != ActorKind.STATE_FORCE, a.name))
    if actors:
        return actors[0].name, "; ".join(a.name for a in actors[1:]), INTER.get(actors[0].kind, 8)
    responsible = determinations[0].responsible_party
    if responsible is not None:
        return f"Military Forces of {responsible.name}", "", 1
    return "", "", None


def _row(incident: Incident, determinations: list[Determination]) -> list[Any]:
    country, iso, iso3, zone = COUNTRIES.get(incident.side, ("", "", "", "UTC"))
    day = incident.starts_at.astimezone(zoneinfo.ZoneInfo(zone)).date()
    event_type, sub_event_type = acled_types(incident.category)
    actor1, assoc1, inter1 = _actors(determinations)
    civilians = any(
        claim.status == CasualtyStatus.CIVILIAN for d in determinations for claim in d.complaint.casualty_claims.all()
    )
    inter2 = CIVILIANS if civilians else None
    if inter1 is not None and inter2 is not None:
        interaction: int | str = int(f"{min(inter1, inter2)}{max(inter1, inter2)}")
    else:
        interaction = inter1 * 10 if inter1 is not None else ""
    killed = _claimed_killed(determinations)
    place = incident.place
    return [
        "",  # data_id: ACLED's own number; the mechanism names records by public code only
        iso,
        incident.public_code,
        "",
        day.strftime("%d-%m-%Y"),
        day.year,
        TIME_PRECISION.get(incident.time_precision, 3),
        event_type,
        sub_event_type,
        actor1,
        assoc1,
        inter1 if inter1 is not None else "",
        f"Civilians ({country})" if civilians and country else ("Civilians" if civilians else ""),
        "",
        inter2 if inter2 is not None else "",
        interaction,
        REGION if country else "",
        country,
        incident.province,
        place.admin2 if place is not None else "",
        "",
        incident.place_description or (place.name if place is not None else "") or incident.province,
        round(incident.latitude, 4),
        round(incident.longitude, 4),
        GEO_PRECISION.get(incident.place_precision, 3),
        "Ceasefire monitoring mechanism (determination)",
        "Other",
        _notes(determinations, killed),
        min(killed.values()) if killed else 0,
        int(max(d.effective_at for d in determinations if d.effective_at is not None).timestamp()),
        iso3,
    ]


def _notes(determinations: list[Determination], killed: dict[str, int]) -> str:
    parts = []
    for d in determinations:
        c = d.complaint
        with translation.override("en"):
            outcome = str(Outcome(d.outcome).label)
        commitments = ", ".join(sorted(m.code for m in d.commitments.all()))
        named = f"; commitments {commitments}" if commitments else ""
        responsible = f"; responsible party {d.responsible_party.code}" if d.responsible_party else ""
        parts.append(f"Complaint {c.public_code} by {c.complainant.code} against {c.respondent.code}: {c.title}. "
                     f"Determination: {outcome}{responsible}{named}.")  # fmt: skip
    if killed:
        parts.append("Killed as claimed: " + "; ".join(f"{code} {n}" for code, n in sorted(killed.items())) + ".")
    return " ".join(parts)
