"""Read-only aggregates for the dashboard and the scorecards, every one built on visible_to and computed by the
database (GROUP BY), never by a loop over records in Python.

The dashboard's counts are daily aggregates (UTC days): complaints per day and value of each breakdown, casualty
figures per day and claimant, external events per day and source. daily.py keeps them per audience and adds up the
days of any period in weeks or months. Days are cut in SQL by `BucketStart` (Django's Trunc* functions call a
Python function per row on SQLite).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import NotSupportedError
from django.db.models import CharField, Count, F, Func, QuerySet, Sum
from django.db.models.sql.compiler import SQLCompiler

from ceasefire.core.models import Membership, Party
from ceasefire.incidents.enums import ComplaintState
from ceasefire.incidents.models import CasualtyClaim, Complaint
from ceasefire.ingest.models import ExternalEvent

DAY, WEEK, MONTH = "day", "week", "month"
BUCKETS = (WEEK, MONTH)

# What complaints are broken down by, and the column each reads (party columns hold ids, shown as codes).
BREAKDOWNS: dict[str, str] = {
    "category": "category",
    "complainant": "complainant_id",
    "respondent": "respondent_id",
    "province": "incident__province",
    "side": "incident__side",
    "state": "state",
}
PARTY_BREAKDOWNS = frozenset({"complainant", "respondent"})

# Grouped daily rows: (day 'YYYY-MM-DD', value, count), per breakdown or measure.
DayRows = list[tuple[str, str, int]]
# A claim's key in the casualty rows: claimant code, kind and status, joined.
CLAIM_KEY_SEPARATOR = "|"
CASUALTY_MEASURES = ("best", "low", "high", "low_given", "high_given", "complaints")


class BucketStart(Func):
    """The day, or the first day of the week (Monday, ISO 8601) or month, holding a date or a datetime (taken in
    UTC), as 'YYYY-MM-DD' text computed by the database."""

    output_field = CharField()

    def __init__(self, expression: Any, *, bucket: str = DAY, is_date: bool = False) -> None:
        if bucket not in (DAY, WEEK, MONTH):
            raise ValueError(f"unknown bucket {bucket!r}")
        super().__init__(expression)
        self.bucket = bucket
        self.is_date = is_date

    def as_sqlite(self, compiler: SQLCompiler, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        # Django stores datetimes in SQLite as UTC text, so date() reads the UTC day.
        inner, params = compiler.compile(self.source_expressions[0])
        if self.bucket == WEEK:
            # 'weekday 0' moves forward to Sunday (or stays on it); six days back is that week's Monday.
            return f"date({inner}, 'weekday 0', '-6 days')", tuple(params)
        if self.bucket == MONTH:
            return f"strftime('%%Y-%%m-01', {inner})", tuple(params)
        return f"date({inner})", tuple(params)

    def as_postgresql(self, compiler: SQLCompiler, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        inner, params = compiler.compile(self.source_expressions[0])
        moment = f"({inner})::timestamp" if self.is_date else f"(({inner}) AT TIME ZONE 'UTC')"
        return f"to_char(date_trunc('{self.bucket}', {moment}), 'YYYY-MM-DD')", tuple(params)

    def as_sql(self, compiler: SQLCompiler, connection: Any, *args: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        raise NotSupportedError(f"BucketStart supports SQLite and PostgreSQL, not {connection.vendor}")


def bucket_of(day: dt.date, bucket: str) -> dt.date:
    """The same bucket start as BucketStart, in Python (for a day's bucket, and the labels of empty buckets)."""
    if bucket == WEEK:
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1) if bucket == MONTH else day


@dataclass(frozen=True)
class Period:
    """Days `start`..`end` (both included, UTC days), counted in weekly or monthly buckets."""

    start: dt.date
    end: dt.date
    bucket: str = WEEK

    @property
    def since(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time.min, dt.UTC)

    @property
    def until(self) -> dt.datetime:
        """The first moment after `end` (an exclusive bound)."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, dt.UTC)

    def labels(self) -> list[str]:
        """Every bucket of the period, oldest first, so an empty week still shows as a zero."""
        found: list[str] = []
        day = bucket_of(self.start, self.bucket)
        while day <= self.end:
            found.append(day.isoformat())
            day = (day + dt.timedelta(days=7)) if self.bucket == WEEK else (day + dt.timedelta(days=32)).replace(day=1)
        return found


def filed_complaints(member: Membership | None, period: Period | None = None) -> QuerySet[Complaint]:
    """Visible complaints that were filed (a draft is not yet a complaint of the mechanism), in the period."""
    qs = Complaint.objects.visible_to(member).exclude(state=ComplaintState.DRAFT)
    if period is not None:
        qs = qs.filter(occurred_at__gte=period.since, occurred_at__lt=period.until)
    return qs


def party_codes() -> dict[int, str]:
    """Party id -> code: one small query instead of a join on every grouped row."""
    return dict(Party.objects.values_list("pk", "code"))


def complaint_days(complaints: QuerySet[Complaint], codes: dict[int, str]) -> dict[str, DayRows]:
    """Complaints per UTC day of the incident's start and per value of every breakdown: two GROUP BY queries,
    one on the complaint's own columns and one through the incident's place."""
    tallies: dict[str, dict[tuple[str, str], int]] = {name: defaultdict(int) for name in BREAKDOWNS}
    own = (
        complaints.order_by()
        .values(day=BucketStart("occurred_at"), category_key=F("category"), c=F("complainant_id"),
                r=F("respondent_id"), state_key=F("state"))
        .annotate(n=Count("pk"))
        .values_list("day", "category_key", "c", "r", "state_key", "n")
    )  # fmt: skip
    for day, category, complainant, respondent, state, n in own:
        tallies["category"][(day, category)] += n
        tallies["complainant"][(day, codes.get(complainant, "?"))] += n
        tallies["respondent"][(day, codes.get(respondent, "?"))] += n
        tallies["state"][(day, state)] += n
    placed = (
        complaints.order_by()
        .values(day=BucketStart("occurred_at"), province_key=F("incident__province"), side_key=F("incident__side"))
        .annotate(n=Count("pk"))
        .values_list("day", "province_key", "side_key", "n")
    )
    for day, province, side, n in placed:
        tallies["province"][(day, province or "")] += n
        tallies["side"][(day, side)] += n
    return {name: [(day, value, n) for (day, value), n in counts.items()] for name, counts in tallies.items()}


def casualty_days(complaints: QuerySet[Complaint], codes: dict[int, str]) -> dict[str, DayRows]:
    """Each claimant's figures per day, kind and status (never added to another claimant's): the sums of the best,
    low and high estimates, how many claims gave a low or high one, and how many complaints claimed it."""
    rows = (
        CasualtyClaim.objects.filter(complaint__in=complaints.values("pk"))
        .order_by()
        .values(day=BucketStart("complaint__occurred_at"), who=F("claimant_id"), k=F("kind"), s=F("status"))
        .annotate(
            best_sum=Sum("best"),
            low_sum=Sum("low"),
            high_sum=Sum("high"),
            low_given=Count("low"),
            high_given=Count("high"),
            complaints=Count("complaint_id", distinct=True),
        )
        .values_list("day", "who", "k", "s", "best_sum", "low_sum", "high_sum", "low_given", "high_given", "complaints")
    )
    found: dict[str, DayRows] = {measure: [] for measure in CASUALTY_MEASURES}
    for day, claimant, kind, status, *measures in rows:
        key = CLAIM_KEY_SEPARATOR.join((codes.get(claimant, "?"), kind, status))
        for measure, value in zip(CASUALTY_MEASURES, measures, strict=True):
            found[measure].append((day, key, int(value or 0)))
    return found


def event_days(member: Membership | None) -> DayRows:
    """External events per first day and source. Counts only: an ACLED row may be counted inside the mechanism,
    never shown or exported."""
    rows = (
        ExternalEvent.objects.visible_to(member)
        .order_by()
        .values(day=BucketStart("starts_on", is_date=True), source_key=F("source"))
        .annotate(n=Count("pk"))
        .values_list("day", "source_key", "n")
    )
    return [(day, source, n) for day, source, n in rows]
