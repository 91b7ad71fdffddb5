"""The dashboard's period (which days, counted per week or month) and the figures of a period added up from the
daily aggregates (daily.py): a few hundred days of grouped counts, whatever the number of records behind them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext

from ceasefire.agreements.models import Agreement
from ceasefire.core.errors import ValidationFailed

from . import queries
from .daily import DailyFigures
from .queries import MONTH, WEEK, Period

# A period longer than this is counted in months by default: a bar per week would be too thin to read.
WEEKLY_UP_TO_DAYS = 183
MAX_WEEKLY_DAYS = 3 * 365  # 156 bars at most
MAX_DAYS = 30 * 365


def default_period(*, today: dt.date | None = None, bucket: str = "") -> Period:
    """From the signing of the earliest agreement in force to today (the mechanism's whole life), or the last 12
    weeks when no agreement is in force. Days are UTC days."""
    today = today or timezone.now().astimezone(dt.UTC).date()
    signed = Agreement.objects.filter(is_active=True).aggregate(first=Min("signed_on"))["first"]
    start = signed if signed is not None and signed <= today else today - dt.timedelta(weeks=12)
    return period_between(start, today, bucket=bucket)


def period_between(start: dt.date, end: dt.date, *, bucket: str = "") -> Period:
    chosen = bucket if bucket in queries.BUCKETS else (WEEK if (end - start).days <= WEEKLY_UP_TO_DAYS else MONTH)
    return Period(start=start, end=end, bucket=chosen)


def resolve_period(
    *, date_from: dt.date | None = None, date_to: dt.date | None = None, bucket: str = "", by: str = "category"
) -> Period:
    """The period a reader asked for (the default where a bound is missing); every problem at once."""
    errors: dict[str, str] = {}
    if bucket and bucket not in queries.BUCKETS:
        errors["bucket"] = gettext("Unknown bucket '%(value)s'; one of: %(allowed)s.") % {
            "value": bucket,
            "allowed": ", ".join(queries.BUCKETS),
        }
    if by not in queries.BREAKDOWNS:
        errors["by"] = gettext("Unknown breakdown '%(value)s'; one of: %(allowed)s.") % {
            "value": by,
            "allowed": ", ".join(queries.BREAKDOWNS),
        }
    default = default_period()
    start, end = date_from or default.start, date_to or default.end
    if end < start:
        errors["date_to" if date_to else "date_from"] = gettext("The end date is before the start date.")
    elif (end - start).days > MAX_DAYS:
        errors["date_from"] = gettext("A period is at most %(years)d years long.") % {"years": MAX_DAYS // 365}
    elif bucket == WEEK and (end - start).days > MAX_WEEKLY_DAYS:
        errors["bucket"] = gettext("Count a period this long in months.")
    if errors:
        raise ValidationFailed(gettext("The period has errors."), errors=errors)
    return period_between(start, end, bucket=bucket if bucket in queries.BUCKETS else "")


@dataclass(frozen=True)
class Breakdowns:
    """Complaints of the period counted by each breakdown, largest first."""

    total: int
    category: list[tuple[str, int]]
    complainant: list[tuple[str, int]]
    respondent: list[tuple[str, int]]
    state: list[tuple[str, int]]
    province: list[tuple[str, int]]
    side: list[tuple[str, int]]


@dataclass(frozen=True)
class ClaimedFigure:
    """One claimant's figures of one kind and status over the period. Figures of different claimants are never
    added together: each party's claims stay its own."""

    claimant: str
    kind: str
    status: str
    best: int
    low: int | None
    high: int | None
    complaints: int


def _ranked(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def breakdowns(figures: DailyFigures, period: Period) -> Breakdowns:
    tallies = {name: figures.complaints[name].totals(period.start, period.end) for name in queries.BREAKDOWNS}
    return Breakdowns(
        total=sum(tallies["category"].values()),
        **{name: _ranked(counts) for name, counts in tallies.items()},
    )


def over_time(figures: DailyFigures, period: Period, by: str) -> list[dict[str, Any]]:
    """Rows {bucket, key, count}: complaints per bucket and value of the breakdown `by`."""
    counts = figures.complaints[by].per_bucket(period.start, period.end, period.bucket)
    return [{"bucket": b, "key": k, "count": n} for (b, k), n in sorted(counts.items())]


def casualties(figures: DailyFigures, period: Period) -> list[ClaimedFigure]:
    """Each claimant's figures over the period; a low or high estimate only where some claim gave one."""
    sums = {m: figures.casualties[m].totals(period.start, period.end) for m in queries.CASUALTY_MEASURES}
    found = []
    for key, complaints in sorted(sums["complaints"].items()):
        claimant, kind, status = key.split(queries.CLAIM_KEY_SEPARATOR)
        low = sums["low"].get(key, 0) if sums["low_given"].get(key) else None
        high = sums["high"].get(key, 0) if sums["high_given"].get(key) else None
        found.append(ClaimedFigure(claimant, kind, status, sums["best"].get(key, 0), low, high, complaints))
    return found


def events(figures: DailyFigures, period: Period) -> list[dict[str, Any]]:
    """Rows {bucket, source, count}."""
    counts = figures.events.per_bucket(period.start, period.end, period.bucket)
    return [{"bucket": b, "source": s, "count": n} for (b, s), n in sorted(counts.items())]
