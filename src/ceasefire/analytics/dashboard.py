"""The dashboard: every figure of one page (and of GET /api/v1/analytics/dashboard) for one acting membership and
one period, with the Vega-Lite specs of its charts.

Complaint, casualty and event figures are the period's sums of the daily aggregates (daily.py, kept per audience
and brought up to date from the log; dashboard_period.py adds them up). Crossings, flows and requests for action
come from the owning apps' own models and read helpers (border, intel.queries), through visible_to as well. The
log's health shows only sizes, ages and witness names, which every member may know.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import get_language, gettext

from ceasefire.border import charts as border_charts
from ceasefire.border.conf import border_settings
from ceasefire.border.enums import DerivedState, FigureSource
from ceasefire.border.models import FlowCount, StatusDeclaration
from ceasefire.border.queries import visible_crossings
from ceasefire.border.timeline import Claim, derive_segments
from ceasefire.core.models import Membership
from ceasefire.intel.models import RequestForAction
from ceasefire.intel.queries import requests_due
from ceasefire.ledger.checkpoints import latest_checkpoint, latest_witnessed, required_cosigners
from ceasefire.ledger.models import Witness

from . import charts, labels, queries
from .daily import daily_figures
from .dashboard_period import (
    Breakdowns,
    ClaimedFigure,
    breakdowns,
    casualties,
    default_period,
    events,
    over_time,
    period_between,
    resolve_period,
)
from .queries import Period

__all__ = ["Dashboard", "build_dashboard", "default_period", "period_between", "resolve_period"]

FLOW_DAYS = 30
REQUESTS_SHOWN = 10


@dataclass(frozen=True)
class CrossingNow:
    slug: str
    name: str
    state: str
    since: dt.datetime | None
    declared_by: str  # the party whose declaration began the current state ("" when disputed)
    reason: str


@dataclass(frozen=True)
class Flows:
    date_from: dt.date
    date_to: dt.date
    rows: list[dict[str, Any]]  # day, category, direction, source, total (for the chart)
    totals: list[dict[str, Any]]  # source, category, direction, total: one source's figures never added to another's


@dataclass(frozen=True)
class RequestsDue:
    open: int
    overdue: int
    first: list[RequestForAction]


@dataclass(frozen=True)
class LogHealth:
    size: int  # entries in the latest signed checkpoint
    checkpoint_at: dt.datetime | None
    witnessed_size: int
    witnessed_at: dt.datetime | None  # when the latest witnessed checkpoint was signed
    witnessed_age_seconds: float | None
    required_cosigners: int
    missing: list[tuple[str, str]]  # (witness name, party code) of active witnesses without a cosignature on it


@dataclass
class Dashboard:
    period: Period
    by: str
    breakdowns: Breakdowns
    over_time: list[dict[str, Any]]
    casualties: list[ClaimedFigure]
    crossing_states: dict[str, int]
    closed_now: list[CrossingNow]
    flows: Flows
    requests: RequestsDue
    log: LogHealth
    events: list[dict[str, Any]]
    event_totals: dict[str, int]
    specs: dict[str, dict[str, Any]] = field(default_factory=dict)


# --- figures from the other apps -----------------------------------------------------------------------------------


def crossings_now(member: Membership | None, now: dt.datetime) -> tuple[dict[str, int], list[CrossingNow]]:
    """How many crossings are in each derived state now, and the ones closed now with when and by whom. Only the
    current segment of each timeline is derived (border.timeline), not the calendars a crossing's page draws."""
    window = dt.timedelta(hours=border_settings().conflict_window_hours)
    claims: dict[int, list[Claim]] = defaultdict(list)
    for declaration in StatusDeclaration.objects.visible_to(member).select_related("party"):
        claims[declaration.crossing_id].append(declaration.as_claim())
    states: dict[str, int] = dict.fromkeys(DerivedState.values, 0)
    closed: list[CrossingNow] = []
    for crossing in visible_crossings(member).order_by("name"):
        ordered = sorted(claims.get(crossing.pk, []), key=lambda c: c.effective_at)
        segments = derive_segments(ordered, window, now)
        current = segments[-1] if segments else None
        state = current.state if current else DerivedState.UNKNOWN
        states[state] = states.get(state, 0) + 1
        if current is not None and state == DerivedState.CLOSED:
            claim = current.claim
            closed.append(
                CrossingNow(
                    slug=crossing.slug,
                    name=crossing.name,
                    state=state,
                    since=current.start,
                    declared_by=claim.party if claim else "",
                    reason=claim.reason if claim else "",
                )
            )
    return states, closed


def _flow_source(source: str, party_code: str) -> str:
    """A party's or mediator's own count is attributed to it; a published source is named."""
    if source in (FigureSource.PARTY, FigureSource.MEDIATOR):
        return party_code
    return str(FigureSource(source).label) if source in FigureSource.values else source


def flows_ending(member: Membership | None, last_day: dt.date, codes: dict[int, str]) -> Flows:
    first_day = last_day - dt.timedelta(days=FLOW_DAYS - 1)
    grouped = (
        FlowCount.objects.visible_to(member)
        .filter(day__gte=first_day, day__lte=last_day)
        .order_by()
        .values("day", "category", "direction", "source", "party_id")
        .annotate(people=Sum("total"))
        .values_list("day", "category", "direction", "source", "party_id", "people")
    )
    rows: list[dict[str, Any]] = []
    totals: dict[tuple[str, str, str], int] = defaultdict(int)
    for day, category, direction, source, party_id, people in grouped:
        name = _flow_source(source, codes.get(party_id, "?"))
        rows.append({"day": day, "category": category, "direction": direction, "source": name, "total": people})
        totals[(name, category, direction)] += people
    return Flows(
        date_from=first_day,
        date_to=last_day,
        rows=sorted(rows, key=lambda r: (r["day"], r["category"], r["source"])),
        totals=[{"source": s, "category": c, "direction": d, "total": t} for (s, c, d), t in sorted(totals.items())],
    )


def requests_now(member: Membership | None, now: dt.datetime) -> RequestsDue:
    due = requests_due(member, now=now)
    return RequestsDue(open=due.count(), overdue=due.filter(due_at__lt=now).count(), first=list(due[:REQUESTS_SHOWN]))


def log_health(now: dt.datetime) -> LogHealth:
    latest = latest_checkpoint()
    witnessed = latest_witnessed()
    missing: list[tuple[str, str]] = []
    if latest is not None:
        missing = list(
            Witness.objects.filter(is_active=True)
            .exclude(cosignatures__checkpoint=latest)
            .order_by("party__code", "name")
            .values_list("name", "party__code")
        )
    return LogHealth(
        size=latest.size if latest else 0,
        checkpoint_at=latest.created_at if latest else None,
        witnessed_size=witnessed.size if witnessed else 0,
        witnessed_at=witnessed.created_at if witnessed else None,
        witnessed_age_seconds=round((now - witnessed.created_at).total_seconds(), 1) if witnessed else None,
        required_cosigners=required_cosigners(),
        missing=missing,
    )


# --- the page --------------------------------------------------------------------------------------------------


def build_dashboard(
    member: Membership | None, period: Period, *, by: str = "category", now: dt.datetime | None = None
) -> Dashboard:
    """Every figure of the dashboard within what `member` may see. The number of queries is fixed: it does not
    grow with complaints, events, crossings or witnesses."""
    now = now or timezone.now()
    by = by if by in queries.BREAKDOWNS else "category"
    figures = daily_figures(member)
    counted = events(figures, period)
    event_totals: dict[str, int] = defaultdict(int)
    for row in counted:
        event_totals[row["source"]] += row["count"]
    states, closed = crossings_now(member, now)
    dashboard = Dashboard(
        period=period,
        by=by,
        breakdowns=breakdowns(figures, period),
        over_time=over_time(figures, period, by),
        casualties=casualties(figures, period),
        crossing_states=states,
        closed_now=closed,
        flows=flows_ending(member, period.end, queries.party_codes()),
        requests=requests_now(member, now),
        log=log_health(now),
        events=counted,
        event_totals=dict(sorted(event_totals.items())),
    )
    dashboard.specs = chart_specs(dashboard)
    return dashboard


def _per_day(rows: list[dict[str, Any]]) -> list[tuple[dt.date, str, int]]:
    """The flow rows the chart draws (people per day and category, as the border page's chart sums them), added
    up first so the spec carries one row per bar."""
    people: dict[tuple[dt.date, str], int] = defaultdict(int)
    for row in rows:
        people[(row["day"], row["category"])] += row["total"]
    return [(day, category, n) for (day, category), n in sorted(people.items())]


def flows_spec(rows: tuple[tuple[dt.date, str, int], ...], title: str, language: str) -> dict[str, Any]:
    """border/charts.py's flows chart. Its builder checks every row against the Vega-Lite schema (a third of the
    dashboard's time), so a spec is kept for the same rows, title and language: the last 30 days change seldom."""
    return copy.deepcopy(_flows_spec(rows, title, language))


@functools.lru_cache(maxsize=32)
def _flows_spec(rows: tuple[tuple[dt.date, str, int], ...], title: str, language: str) -> dict[str, Any]:
    del language  # part of the key only: the labels inside are translated when built
    return border_charts.flows_spec(
        [{"day": day, "category": category, "total": n} for day, category, n in rows], title=title
    )


def chart_specs(dashboard: Dashboard) -> dict[str, dict[str, Any]]:
    period = dashboard.period
    buckets = period.labels()
    by = dashboard.by
    return {
        "complaints": charts.complaints_time_spec(
            dashboard.over_time,
            buckets=buckets,
            bucket=period.bucket,
            key_labels=labels.breakdown_labels(by),
            by_title=str(labels.BREAKDOWN_TITLES[by]),
            title=gettext("Complaints per %(bucket)s, by %(breakdown)s")
            % {"bucket": labels.bucket_name(period.bucket), "breakdown": str(labels.BREAKDOWN_TITLES[by]).lower()},
        ),
        "casualties": charts.casualties_spec(
            dashboard.casualties,
            claimant_labels=labels.party_names(),
            kind_labels=labels.casualty_kinds(),
            status_labels=labels.casualty_statuses(),
        ),
        "flows": flows_spec(
            tuple(_per_day(dashboard.flows.rows)),
            gettext("Returns and deportations per day, %(first)s to %(last)s")
            % {"first": dashboard.flows.date_from.isoformat(), "last": dashboard.flows.date_to.isoformat()},
            get_language() or "",
        ),
        "events": charts.events_time_spec(
            dashboard.events, buckets=buckets, bucket=period.bucket, source_labels=labels.source_names()
        ),
    }
