"""The border part of an internal report, read through border/queries.py as the party's reader: each crossing's
state at the end of the period (or now, for a period not yet over), the closures that overlapped the period, and
people flows in the period against the period before, kept apart by source as border/ keeps them.

Border data is mechanism-internal (border/models.py): nothing here goes into a public report.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone

from ceasefire.border.enums import DerivedState, Direction, FigureSource, FlowCategory
from ceasefire.border.queries import crossing_rows, flow_counts
from ceasefire.border.timeline import DAY
from ceasefire.core.models import Membership

from .periods import Period

PARTY_SOURCES = (FigureSource.PARTY, FigureSource.MEDIATOR)


@dataclass(frozen=True)
class CrossingState:
    name: str
    slug: str
    state: str
    label: str
    since: dt.datetime | None
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class ClosureInPeriod:
    crossing: str
    start: dt.datetime
    end: dt.datetime | None  # None: still closed at the end of the period
    days_in_period: float
    began_in_period: bool
    declared_by: str
    arbitrary: list[str]  # why it counts as arbitrary (border/conf.py's definition); empty when it does not


@dataclass(frozen=True)
class FlowLine:
    category: str
    direction: str
    source: str
    current: int
    previous: int

    @property
    def change(self) -> int:
        return self.current - self.previous


@dataclass
class BorderFigures:
    as_of: dt.datetime
    crossings: list[CrossingState]
    closures: list[ClosureInPeriod]
    flows: list[FlowLine]
    flow_source: str  # the source the flows chart draws (the one with most figures in the period)
    flow_chart_rows: list[dict[str, object]]

    @property
    def closed_now(self) -> int:
        return sum(1 for c in self.crossings if c.state == DerivedState.CLOSED)


def border_figures(reader: Membership, period: Period) -> BorderFigures:
    as_of = min(period.end, timezone.now())
    crossings: list[CrossingState] = []
    closures: list[ClosureInPeriod] = []
    for row in crossing_rows(reader, until=as_of):
        current = row.timeline.current
        crossings.append(
            CrossingState(
                name=row.crossing.name,
                slug=row.crossing.slug,
                state=row.timeline.state_now,
                label=str(DerivedState(row.timeline.state_now).label),
                since=current.start if current else None,
                latitude=row.crossing.latitude,
                longitude=row.crossing.longitude,
            )
        )
        for judged in row.timeline.closures:
            closure = judged.closure
            if closure.start >= period.end or closure.end <= period.start:
                continue
            overlap = min(closure.end, period.end) - max(closure.start, period.start)
            closures.append(
                ClosureInPeriod(
                    crossing=row.crossing.name,
                    start=closure.start,
                    end=None if closure.ongoing else closure.end,
                    days_in_period=round(overlap.total_seconds() / DAY, 2),
                    began_in_period=period.contains(closure.start),
                    declared_by=closure.claim.party,
                    arbitrary=judged.reasons,
                )
            )
    closures.sort(key=lambda c: (c.start, c.crossing))
    flows, source, chart_rows = _flows(reader, period)
    return BorderFigures(as_of, crossings, closures, flows, source, chart_rows)


def _flows(reader: Membership, period: Period) -> tuple[list[FlowLine], str, list[dict[str, object]]]:
    """People per category, direction and source in each period; a source's figures are never added to
    another's (border/queries.flow_totals does the same)."""
    rows = (
        flow_counts(reader, date_from=period.previous.first_day, date_to=period.last_day)
        .order_by()
        .values("day", "category", "direction", "source", "party__code")
        .annotate(people=Sum("total"))
    )
    sums: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    per_day: dict[str, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        source = row["party__code"] if row["source"] in PARTY_SOURCES else str(FigureSource(row["source"]).label)
        in_period = row["day"] >= period.first_day
        sums[(row["category"], row["direction"], source)][0 if in_period else 1] += int(row["people"] or 0)
        if in_period:
            per_day[source][(row["day"].isoformat(), row["category"])] += int(row["people"] or 0)
    lines = [
        FlowLine(str(FlowCategory(cat).label), str(Direction(direction).label), source, now, before)
        for (cat, direction, source), (now, before) in sorted(sums.items())
    ]
    if not per_day:
        return lines, "", []
    source = max(per_day, key=lambda s: (len(per_day[s]), s))
    chart_rows = [
        {"day": day, "category": category, "total": people, "source": source}
        for (day, category), people in sorted(per_day[source].items())
    ]
    return lines, source, chart_rows
