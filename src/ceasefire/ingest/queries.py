"""Read helpers over ExternalEvent/ImportRun/CorrelationLink.visible_to: lists, the map's layers, a complaint's
corroboration, and the arrays the correlation engine works on."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import h3.api.basic_int as h3
import numpy as np
from django.db import connection
from django.db.models import Count, Q, QuerySet

from ceasefire.core.models import Membership
from ceasefire.incidents.enums import TimePrecision
from ceasefire.incidents.models import Complaint

from .correlation import _CATEGORY_INDEX, MAX_EVENT_UNCERTAINTY_KM, Points
from .enums import LICENCES, PLACE_UNCERTAINTY_KM, DatePrecision, LinkStatus
from .geometry import H3_RESOLUTION
from .models import CorrelationLink, ExternalEvent, ImportRun

EPOCH = dt.date(1970, 1, 1)

# A complaint's place and time as precise as its filer knew them.
COMPLAINT_PLACE_KM = {"exact": 0.0, "near": 5.0, "district": 50.0, "province": 100.0}
COMPLAINT_SLACK_DAYS: dict[str, int] = {TimePrecision.WEEK: 7, TimePrecision.MONTH: 31}


@dataclass(frozen=True)
class EventFilter:
    source: str = ""
    category: str = ""
    side: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""
    exportable_only: bool = False


def filter_events(member: Membership | None, f: EventFilter) -> QuerySet[ExternalEvent]:
    qs = ExternalEvent.objects.visible_to(member)
    if f.exportable_only:
        qs = qs.exportable()
    if f.source:
        qs = qs.filter(source=f.source)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.side:
        qs = qs.filter(side=f.side)
    if f.date_from:
        qs = qs.filter(ends_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(starts_on__lte=f.date_to)
    for word in f.q.split()[:6]:
        qs = qs.filter(
            Q(location__icontains=word) | Q(actor1__icontains=word) | Q(actor2__icontains=word) | Q(source_id=word)
        )
    return qs


def get_visible_event(member: Membership | None, source: str, source_id: str) -> ExternalEvent | None:
    return ExternalEvent.objects.visible_to(member).filter(source=source, source_id=source_id).first()


def visible_runs(member: Membership | None) -> QuerySet[ImportRun]:
    return ImportRun.objects.visible_to(member).select_related("membership__party", "membership__user")


def get_visible_run(member: Membership | None, public_code: str) -> ImportRun | None:
    return visible_runs(member).filter(public_code=public_code).first()


def hexagons(member: Membership | None, f: EventFilter, resolution: int) -> list[tuple[int, int]]:
    """(H3 cell at `resolution`, number of visible events) for every cell holding any."""
    rows = filter_events(member, f).order_by().values("h3_cell").annotate(n=Count("id"))
    counts: Counter[int] = Counter()
    for row in rows:
        cell = row["h3_cell"]
        parent = cell if resolution >= H3_RESOLUTION else h3.cell_to_parent(cell, resolution)
        counts[parent] += row["n"]
    return sorted(counts.items())


def timeline(member: Membership | None, f: EventFilter) -> list[tuple[str, int]]:
    """Visible events per month ("YYYY-MM", count), oldest first."""
    counts: Counter[str] = Counter()
    for day in filter_events(member, f).order_by().values_list("starts_on", flat=True).iterator(chunk_size=20_000):
        counts[f"{day:%Y-%m}"] += 1
    return sorted(counts.items())


# --- correlation links ---


def links_for_complaint(member: Membership | None, complaint: Complaint) -> QuerySet[CorrelationLink]:
    """The links of a complaint the member may see: all of them for mediators, confirmed ones for others."""
    return (
        CorrelationLink.objects.visible_to(member)
        .filter(complaint=complaint)
        .select_related("event", "other_complaint", "decided_by__user", "decided_by__party")
        .order_by("-score", "pk")
    )


def pair_links_naming(member: Membership | None, complaint: Complaint) -> QuerySet[CorrelationLink]:
    """Complaint pairs stored on the other complaint (each pair is stored once, on the lower id)."""
    return (
        CorrelationLink.objects.visible_to(member)
        .filter(other_complaint=complaint)
        .select_related("complaint", "decided_by__user")
        .order_by("-score", "pk")
    )


def corroboration_for_complaint(complaint: Complaint, member: Membership | None) -> list[CorrelationLink]:
    """Confirmed corroboration shown on the complaint's page and its investigation: confirmed links to external
    events, and to other complaints the member can see as well."""
    confirmed = links_for_complaint(member, complaint).filter(status=LinkStatus.CONFIRMED)
    paired = pair_links_naming(member, complaint).filter(status=LinkStatus.CONFIRMED)
    if member is None or not member.is_mediator:
        visible = Complaint.objects.visible_to(member)
        paired = paired.filter(complaint__in=visible)
    return [*confirmed, *paired]


def get_visible_link(member: Membership | None, public_code: str) -> CorrelationLink | None:
    return (
        CorrelationLink.objects.visible_to(member)
        .select_related("complaint__incident", "other_complaint__incident", "event")
        .filter(public_code=public_code)
        .first()
    )


def licences_of(sources: Iterable[str]) -> list[tuple[str, str]]:
    return [(source, LICENCES[source].attribution) for source in sorted(set(sources))]


# --- arrays for the correlation engine ---


def _days(values: list[object]) -> np.ndarray:
    return np.array(values, dtype="datetime64[D]").astype(np.int64)


def event_points(first_day: dt.date, last_day: dt.date, latitudes: tuple[float, float] | None = None) -> Points:
    """Events whose window meets [first_day, last_day], placed at least to the province and dated better than a
    year (coarser ones never corroborate), and between the `latitudes` (south, north) when given.

    Two passes in id order, so the rows line up: the numbers (days since 1970 and the place uncertainty computed
    by the database) straight into one numpy array, then each row's kind as one string. No object per row beyond
    what the driver makes: a million events load in seconds."""
    usable = [p for p, km in PLACE_UNCERTAINTY_KM.items() if km <= MAX_EVENT_UNCERTAINTY_KM]
    table = ExternalEvent._meta.db_table
    if connection.vendor == "sqlite":
        days = "CAST(julianday({c}) - 2440587.5 AS INTEGER)"
    else:
        days = "({c} - DATE '1970-01-01')"
    uncertainty = "CASE place_precision " + " ".join(f"WHEN %s THEN {PLACE_UNCERTAINTY_KM[p]}" for p in usable) + " END"
    params: list[str | float] = [last_day.isoformat(), first_day.isoformat(), DatePrecision.YEAR, *usable]
    band = ""
    if latitudes is not None:
        band, params = "AND latitude BETWEEN %s AND %s ", [*params, *latitudes]
    where = (
        f"FROM {table} WHERE starts_on <= %s AND ends_on >= %s AND date_precision <> %s "
        f"AND place_precision IN ({', '.join(['%s'] * len(usable))}) {band}ORDER BY id"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, longitude, latitude, {days.format(c='starts_on')}, {days.format(c='ends_on')}, "
            f"{uncertainty} {where}",
            [*usable, *params],
        )
        numbers = np.array(cursor.fetchall(), dtype=np.float64).reshape(-1, 6)
        cursor.execute(f"SELECT source || '|' || source_type || '|' || category {where}", params)
        keys = [row[0] for row in cursor.fetchall()]
    index: dict[str, int] = {}
    kind = np.fromiter((index.setdefault(k, len(index)) for k in keys), dtype=np.int64, count=len(keys))
    kinds = []
    for key in index:
        source, rest = key.split("|", 1)
        source_type, category = rest.rsplit("|", 1)
        kinds.append((source, source_type, category))
    return Points(
        numbers[:, 0].astype(np.int64),
        numbers[:, 1].copy(),
        numbers[:, 2].copy(),
        numbers[:, 3].astype(np.int64),
        numbers[:, 4].astype(np.int64),
        numbers[:, 5].copy(),
        kind,
        kinds,
    )


def complaint_points(complaints: Iterable[Complaint]) -> Points:
    rows = [
        (
            c.pk,
            c.incident.longitude,
            c.incident.latitude,
            c.incident.starts_at.date(),
            c.incident.ends_at.date(),
            COMPLAINT_PLACE_KM.get(c.incident.place_precision, 0.0),
            _CATEGORY_INDEX[c.category],
            COMPLAINT_SLACK_DAYS.get(c.incident.time_precision, 0),
        )
        for c in complaints
    ]
    if not rows:
        empty = np.zeros(0)
        return Points(empty.astype(np.int64), empty, empty, empty.astype(np.int64), empty.astype(np.int64), empty,
                      empty.astype(np.int64), slack_days=empty.astype(np.int64))  # fmt: skip
    ids, lon, lat, first, last, unc, kind, slack = zip(*rows, strict=True)
    return Points(
        np.array(ids, dtype=np.int64), np.array(lon), np.array(lat), _days(list(first)), _days(list(last)),
        np.array(unc), np.array(kind, dtype=np.int64), slack_days=np.array(slack, dtype=np.int64),
    )  # fmt: skip
