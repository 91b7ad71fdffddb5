"""What the declarations say, derived: a crossing's status timeline, conflicts, closures and their statistics.

Pure functions over plain values (no database), so each rule is tested with hand-made declarations:
- each declaration changes the state from its effective time until the next one;
- declarations by different parties whose effective times lie within the conflict window and that declare
  different states are a conflict: the timeline shows "disputed" from the earliest of them until the next
  declaration outside the conflict, and both claims are kept. A mediators' resolution sets the rejected
  claims aside, and the timeline follows the accepted one;
- a closure is a run of "closed" time; a trade stoppage also counts restrictions under which trucks do not
  cross (returns only, pedestrians only, ...);
- a closure is arbitrary when the declaration that began it stated too little notice or no reason.
Days are counted in UTC, from exact durations (a closure from noon to midnight is 0.5 days).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext

from .enums import TRADE_STOPPING_RESTRICTIONS, CrossingStatus, DerivedState

DAY = 86400.0


@dataclass(frozen=True)
class Claim:
    """A declaration as the timeline sees it."""

    code: str
    party: str
    effective_at: dt.datetime
    status: str
    restriction: str = ""
    reason: str = ""
    notice_hours: int | None = None
    set_aside: bool = False

    @property
    def state_key(self) -> tuple[str, str]:
        return (self.status, self.restriction if self.status == CrossingStatus.RESTRICTED else "")


@dataclass(frozen=True)
class Conflict:
    claims: tuple[Claim, ...]

    @property
    def starts_at(self) -> dt.datetime:
        return min(c.effective_at for c in self.claims)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.claims)

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(sorted({c.party for c in self.claims}))


@dataclass(frozen=True)
class Segment:
    start: dt.datetime
    end: dt.datetime  # the `until` of the derivation for the ongoing last segment
    state: str
    restriction: str
    claim: Claim | None  # the declaration that began it; None for a disputed segment
    conflict: Conflict | None
    ongoing: bool = False

    @property
    def days(self) -> float:
        return round((self.end - self.start).total_seconds() / DAY, 2)


@dataclass(frozen=True)
class Closure:
    start: dt.datetime
    end: dt.datetime
    ongoing: bool
    claim: Claim  # the declaration that began it (its notice and reason judge arbitrariness)

    @property
    def days(self) -> float:
        return round((self.end - self.start).total_seconds() / DAY, 2)


def find_conflicts(claims: Iterable[Claim], window: dt.timedelta) -> list[Conflict]:
    """Groups of claims by different parties, within `window` of each other, declaring different states."""
    live = sorted((c for c in claims if not c.set_aside), key=lambda c: c.effective_at)
    parent = list(range(len(live)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(live):
        for j in range(i + 1, len(live)):
            b = live[j]
            if b.effective_at - a.effective_at > window:
                break
            if a.party != b.party and a.state_key != b.state_key:
                parent[root(j)] = root(i)
    groups: dict[int, list[Claim]] = {}
    for i, claim in enumerate(live):
        groups.setdefault(root(i), []).append(claim)
    return [Conflict(tuple(g)) for g in groups.values() if len(g) > 1]


def derive_segments(claims: Sequence[Claim], window: dt.timedelta, until: dt.datetime) -> list[Segment]:
    """The timeline from the first declaration up to `until`. Claims effective after `until` are not yet in force."""
    live = [c for c in claims if not c.set_aside and c.effective_at <= until]
    conflicts = find_conflicts(live, window)
    in_conflict = {c.code: conflict for conflict in conflicts for c in conflict.claims}
    events: list[tuple[dt.datetime, Claim | None, Conflict | None]] = [
        (conflict.starts_at, None, conflict) for conflict in conflicts
    ]
    events += [(c.effective_at, c, None) for c in live if c.code not in in_conflict]
    events.sort(key=lambda e: e[0])
    segments: list[Segment] = []
    for index, (start, claim, conflict) in enumerate(events):
        last = index == len(events) - 1
        end = until if last else events[index + 1][0]
        if end <= start:
            continue  # superseded at the same instant
        if claim is not None:
            state, restriction = claim.state_key
        else:
            state, restriction = DerivedState.DISPUTED, ""
        segments.append(Segment(start, end, state, restriction, claim, conflict, ongoing=last))
    return segments


def _runs(segments: Sequence[Segment], inside: Callable[[Segment], bool]) -> list[Closure]:
    runs: list[Closure] = []
    current: list[Segment] = []
    for segment in [*segments, None]:
        if segment is not None and inside(segment) and (not current or current[-1].end == segment.start):
            current.append(segment)
            continue
        if current:
            first = current[0]
            assert first.claim is not None
            runs.append(Closure(first.start, current[-1].end, current[-1].ongoing, first.claim))
        current = [segment] if segment is not None and inside(segment) else []
    return runs


def is_closed(segment: Segment) -> bool:
    return segment.state == DerivedState.CLOSED


def stops_trade(segment: Segment) -> bool:
    return is_closed(segment) or (
        segment.state == DerivedState.RESTRICTED and segment.restriction in TRADE_STOPPING_RESTRICTIONS
    )


def closures(segments: Sequence[Segment]) -> list[Closure]:
    """Runs of closed time; a re-declared closure continues the run it extends."""
    return _runs(segments, is_closed)


def trade_stoppages(segments: Sequence[Segment]) -> list[Closure]:
    return _runs(segments, stops_trade)


def arbitrary_reasons(claim: Claim, *, min_notice_hours: int, requires_reason: bool) -> list[str]:
    """Why a closure begun by `claim` is arbitrary under the configured definition (empty: it is not)."""
    reasons = []
    if claim.notice_hours is None:
        reasons.append(gettext("no advance notice stated"))
    elif claim.notice_hours < min_notice_hours:
        reasons.append(
            gettext("%(given)d h notice, less than %(required)d h")
            % {"given": claim.notice_hours, "required": min_notice_hours}
        )
    if requires_reason and not claim.reason.strip():
        reasons.append(gettext("no reason stated"))
    return reasons


def longest(runs: Iterable[Closure]) -> Closure | None:
    return max(runs, key=lambda r: (r.end - r.start, -r.start.timestamp()), default=None)


def _month_start(day: dt.datetime) -> dt.datetime:
    return day.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _next_month(start: dt.datetime) -> dt.datetime:
    return (start + dt.timedelta(days=32)).replace(day=1)


def days_by_month(segments: Iterable[Segment], inside: Callable[[Segment], bool]) -> dict[tuple[int, int], float]:
    """Days (UTC) spent in segments matching `inside`, per calendar month."""
    seconds: dict[tuple[int, int], float] = {}
    for segment in segments:
        if not inside(segment):
            continue
        start = segment.start.astimezone(dt.UTC)
        end = segment.end.astimezone(dt.UTC)
        month = _month_start(start)
        while month < end:
            following = _next_month(month)
            overlap = (min(end, following) - max(start, month)).total_seconds()
            if overlap > 0:
                key = (month.year, month.month)
                seconds[key] = seconds.get(key, 0.0) + overlap
            month = following
    return {key: round(value / DAY, 2) for key, value in sorted(seconds.items())}


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    state: str  # the state holding for most of the day (UTC); "unknown" before the first declaration
    hours: dict[str, float]


def month_calendar(segments: Sequence[Segment], year: int, month: int) -> list[CalendarDay]:
    """One cell per day of the month: the state that held longest that day, with hours per state."""
    days = []
    for number in range(1, calendar.monthrange(year, month)[1] + 1):
        start = dt.datetime(year, month, number, tzinfo=dt.UTC)
        end = start + dt.timedelta(days=1)
        hours: dict[str, float] = {}
        for segment in segments:
            overlap = (min(end, segment.end) - max(start, segment.start)).total_seconds()
            if overlap > 0:
                hours[segment.state] = round(hours.get(segment.state, 0.0) + overlap / 3600, 2)
        covered = sum(hours.values())
        if covered < 24:
            hours[DerivedState.UNKNOWN] = round(24 - covered, 2)
        # Ties go to the more severe state, so a day half closed is never shown as open.
        severity = [DerivedState.CLOSED, DerivedState.DISPUTED, DerivedState.RESTRICTED, DerivedState.OPEN]
        order: dict[str, int] = {str(state): i for i, state in enumerate([*severity, DerivedState.UNKNOWN])}
        state = min(hours, key=lambda s: (-hours[s], order.get(s, 9)))
        days.append(CalendarDay(start.date(), state, hours))
    return days


def months_between(first: dt.datetime, last: dt.datetime) -> list[tuple[int, int]]:
    months = []
    current = _month_start(first.astimezone(dt.UTC))
    while current <= last.astimezone(dt.UTC):
        months.append((current.year, current.month))
        current = _next_month(current)
    return months
