"""Report periods: a UTC day, or a week from Monday to Sunday (ISO weeks, as monitoring missions count them), each
compared with the period before it; and which periods are due at a given time (06:00 UTC the day after).

Pure functions over dates: no database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .enums import ReportKind

# Reports fall due at this hour (UTC) after their period ends: time for late filings of the night to arrive.
DUE_HOUR_UTC = 6


@dataclass(frozen=True)
class Period:
    kind: str
    first_day: dt.date
    last_day: dt.date

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first_day, dt.time.min, tzinfo=dt.UTC)

    @property
    def end(self) -> dt.datetime:
        """Exclusive: midnight UTC after the last day."""
        return dt.datetime.combine(self.last_day + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)

    @property
    def days(self) -> list[dt.date]:
        return [self.first_day + dt.timedelta(days=i) for i in range((self.last_day - self.first_day).days + 1)]

    @property
    def previous(self) -> Period:
        length = (self.last_day - self.first_day).days + 1
        return Period(self.kind, self.first_day - dt.timedelta(days=length), self.first_day - dt.timedelta(days=1))

    @property
    def due_at(self) -> dt.datetime:
        return self.end + dt.timedelta(hours=DUE_HOUR_UTC)

    def contains(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.end


def period_containing(kind: str, day: dt.date) -> Period:
    """The daily period of `day`, or the Monday-to-Sunday week that contains it."""
    if kind == ReportKind.DAILY:
        return Period(kind, day, day)
    if kind == ReportKind.WEEKLY:
        monday = day - dt.timedelta(days=day.weekday())
        return Period(kind, monday, monday + dt.timedelta(days=6))
    raise ValueError(f"unknown report kind {kind!r}")


def latest_due(kind: str, now: dt.datetime) -> Period:
    """The most recent period of this kind whose report is due at `now`: yesterday's once 06:00 UTC has passed
    (else the day before), last week's once Monday 06:00 UTC has passed (else the week before)."""
    now = now.astimezone(dt.UTC)
    period = period_containing(kind, now.date()).previous
    return period if period.due_at <= now else period.previous


def trend_days(period: Period) -> list[dt.date]:
    """The days a report's trend chart covers: two weeks to the end of a day, four weeks to the end of a week."""
    span = 14 if period.kind == ReportKind.DAILY else 28
    return [period.last_day - dt.timedelta(days=span - 1 - i) for i in range(span)]
