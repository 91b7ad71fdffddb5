"""What early warning reads, per audience, and only through each model's visibility rule.

Each audience reads as an in-memory membership of one of its parties (a *reader*): every visibility rule of the
records read here (complaints, determinations, external events, border declarations) depends only on the
member's party and on being active, so a reader sees exactly what every member of that party sees — no more.
The mediators' audience leaves drafts out, so it holds what every mediator sees, whichever mediator it reads as.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ceasefire.border.conf import border_settings
from ceasefire.border.queries import crossing_rows
from ceasefire.core.enums import PartyKind, Role
from ceasefire.core.models import Membership, Party
from ceasefire.geo.models import Crossing
from ceasefire.incidents.enums import ComplaintState
from ceasefire.incidents.models import Complaint
from ceasefire.ingest.enums import DatePrecision, PlacePrecision
from ceasefire.ingest.models import ExternalEvent
from ceasefire.verification.enums import Outcome
from ceasefire.verification.models import Determination

from .early_warning_areas import provinces_of_points
from .enums import Audience

# Allegations that stand: a draft is not yet one, a withdrawn or inadmissible one no longer counts.
NOT_COUNTED = [ComplaintState.DRAFT, ComplaintState.WITHDRAWN, ComplaintState.REJECTED_INADMISSIBLE]
# Events dated to the day (or a few days) are counted on their first day; coarser ones would pile up on the
# first of a month or year and look like a rise.
DATED_TO_THE_DAY = [DatePrecision.DAY, DatePrecision.DAYS]
# Events placed no better than a region or country count for the whole frontier only.
PLACED_IN_A_PROVINCE = [PlacePrecision.EXACT, PlacePrecision.NEAR, PlacePrecision.DISTRICT, PlacePrecision.PROVINCE]


@dataclass(frozen=True)
class Reader:
    audience: str
    party: Party | None  # the audience's party (Audience.PARTY only)
    member: Membership  # unsaved: it stands for every member of its party


def readers() -> list[Reader]:
    """The audiences alerts are computed for: everyone, the mediators, and each party."""
    parties = list(Party.objects.filter(kind__in=[PartyKind.PARTY, PartyKind.MEDIATOR]).order_by("code"))
    found: list[Reader] = []

    def reading_as(party: Party) -> Membership:
        return Membership(party=party, role=Role.VIEWER, is_active=True)

    own = [p for p in parties if p.kind == PartyKind.PARTY]
    mediators = [p for p in parties if p.kind == PartyKind.MEDIATOR]
    if own:
        found.append(Reader(Audience.EVERYONE, None, reading_as(own[0])))
    if mediators:
        found.append(Reader(Audience.MEDIATORS, None, reading_as(mediators[0])))
    found += [Reader(Audience.PARTY, party, reading_as(party)) for party in own]
    return found


@dataclass
class Records:
    """Dated, placed records of one kind: one entry per record, in parallel arrays."""

    ids: list[str] = field(default_factory=list)  # public codes, or "source:source_id" for external events
    days: list[int] = field(default_factory=list)  # date.toordinal()
    areas: list[str] = field(default_factory=list)  # "" when the record has no province
    latitudes: list[float] = field(default_factory=list)
    longitudes: list[float] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def extend(self, other: Records) -> Records:
        return Records(
            self.ids + other.ids,
            self.days + other.days,
            self.areas + other.areas,
            self.latitudes + other.latitudes,
            self.longitudes + other.longitudes,
        )

    def arrays(self) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
        return np.array(self.days, dtype=np.int64), np.array(self.latitudes), np.array(self.longitudes)


def complaint_records(reader: Reader, since: dt.date, until: dt.date) -> Records:
    rows = (
        Complaint.objects.visible_to(reader.member)
        .exclude(state__in=NOT_COUNTED)
        .filter(occurred_at__date__gte=since, occurred_at__date__lte=until)
        .order_by("occurred_at", "public_code")
        .values_list("public_code", "occurred_at", "incident__province", "incident__latitude", "incident__longitude")
    )
    records = Records()
    for code, occurred_at, province, latitude, longitude in rows:
        records.ids.append(code)
        records.days.append(occurred_at.astimezone(dt.UTC).date().toordinal())
        records.areas.append(province or "")
        records.latitudes.append(latitude)
        records.longitudes.append(longitude)
    return records


def event_records(reader: Reader, since: dt.date, until: dt.date) -> Records:
    """External events of every source (ACLED's too: used inside the instance, never exported from an alert)."""
    rows = list(
        ExternalEvent.objects.visible_to(reader.member)
        .filter(starts_on__gte=since, starts_on__lte=until, date_precision__in=DATED_TO_THE_DAY)
        .order_by("starts_on", "source", "source_id")
        .values_list("source", "source_id", "starts_on", "latitude", "longitude", "side", "place_precision")
    )
    latitudes = np.array([r[3] for r in rows], dtype=np.float64)
    longitudes = np.array([r[4] for r in rows], dtype=np.float64)
    provinces = provinces_of_points(latitudes, longitudes, [r[5] for r in rows]) if rows else []
    records = Records()
    for (source, source_id, day, latitude, longitude, _side, precision), province in zip(rows, provinces, strict=True):
        records.ids.append(f"{source}:{source_id}")
        records.days.append(day.toordinal())
        records.areas.append(province if precision in PLACED_IN_A_PROVINCE else "")
        records.latitudes.append(latitude)
        records.longitudes.append(longitude)
    return records


@dataclass(frozen=True)
class Allegation:
    commitment_id: int
    respondent_id: int
    code: str  # the complaint's public code
    day: int  # date.toordinal() of the incident, or of the determination taking effect


def allegations(reader: Reader, since: dt.date, until: dt.date) -> list[Allegation]:
    """One row per commitment a standing complaint alleges was breached, against its respondent."""
    through = Complaint.commitments.through
    visible = (
        Complaint.objects.visible_to(reader.member)
        .exclude(state__in=NOT_COUNTED)
        .filter(occurred_at__date__gte=since, occurred_at__date__lte=until)
    )
    rows = (
        through.objects.filter(complaint__in=visible)
        .order_by("complaint__occurred_at", "complaint__public_code")
        .values_list("commitment_id", "complaint__respondent_id", "complaint__public_code", "complaint__occurred_at")
    )
    return [Allegation(c, r, code, at.astimezone(dt.UTC).date().toordinal()) for c, r, code, at in rows]


def confirmed_breaches(reader: Reader, until: dt.date) -> list[Allegation]:
    """Breaches confirmed by a determination in effect, per commitment named and the party held responsible.

    Only each complaint's latest determination in effect counts: an appeal's new determination replaces the
    earlier one rather than adding a second confirmation of the same breach.
    """
    determinations = (
        Determination.objects.visible_to(reader.member)
        .filter(effective_at__isnull=False, effective_at__date__lte=until)
        .select_related("complaint")
        .prefetch_related("commitments")
        .order_by("complaint_id", "-round")
    )
    found: list[Allegation] = []
    seen: set[int] = set()
    for determination in determinations:
        if determination.complaint_id in seen:
            continue
        seen.add(determination.complaint_id)
        if determination.outcome != Outcome.BREACH_CONFIRMED or determination.effective_at is None:
            continue
        respondent = determination.responsible_party_id or determination.complaint.respondent_id
        day = determination.effective_at.astimezone(dt.UTC).date().toordinal()
        for commitment in determination.commitments.all():
            found.append(Allegation(commitment.pk, respondent, determination.complaint.public_code, day))
    return sorted(found, key=lambda a: (a.day, a.code))


@dataclass(frozen=True)
class ClosureWithoutNotice:
    crossing: Crossing
    code: str  # the declaration that began the closure
    party: str
    started_at: dt.datetime
    notice_hours: int | None
    reason_stated: bool


def closures_without_notice(reader: Reader, since: dt.date, until: dt.date) -> list[ClosureWithoutNotice]:
    """Closures (border/timeline.py) begun by a declaration stating no notice, or less than the border layer's
    working minimum (BORDER_ARBITRARY_MIN_NOTICE_HOURS) — the same definition the border pages show."""
    required = border_settings().arbitrary_min_notice_hours
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    found = []
    for row in crossing_rows(reader.member, until=end):
        for judged in row.timeline.closures:
            claim = judged.closure.claim
            day = judged.closure.start.astimezone(dt.UTC).date()
            if not since <= day <= until:
                continue
            if claim.notice_hours is None or claim.notice_hours < required:
                found.append(
                    ClosureWithoutNotice(
                        row.crossing, claim.code, claim.party, judged.closure.start, claim.notice_hours,
                        bool(claim.reason.strip()),
                    )
                )  # fmt: skip
    return found
