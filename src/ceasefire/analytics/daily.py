"""The dashboard's daily aggregates per audience, kept in Django's cache and brought up to date from the
transparency log, so a dashboard adds up a few hundred days instead of grouping 100k complaints and 1M events.

Why this is never stale: every change of a complaint is a log entry naming it, in the change's own transaction
(ledger.services.record_change), and every stored batch of external events is an `ingest.batch` entry. The cached
figures remember the log size they include and the commitment of their last entry. On each read, the entries
appended since then name exactly what changed: the days of the complaints they name are computed again, and the
events again if a batch was imported. A log that does not continue the cached one (another database, a test's
rollback) rebuilds everything.

Why this keeps the one visibility rule: an audience is a party (the complaints a member sees depend only on the
party), and its figures are computed through `Complaint.objects.visible_to` of a membership of that party, the
same call a page makes. A member never reads another audience's figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Q

from ceasefire.core.enums import Role
from ceasefire.core.models import Membership
from ceasefire.incidents.models import Complaint
from ceasefire.ledger.models import LogEntry, LogHead

from .daytable import DayTable
from .queries import (
    BREAKDOWNS,
    CASUALTY_MEASURES,
    BucketStart,
    casualty_days,
    complaint_days,
    event_days,
    filed_complaints,
    party_codes,
)

CACHE_VERSION = 2
# Beyond this many new entries a rebuild is cheaper than reading them.
MAX_PATCH_ENTRIES = 5000
# Kept for a week at most; any entry is checked against the log before use anyway.
TIMEOUT_SECONDS = 7 * 24 * 3600
EVENT_BATCH_KIND = "ingest.batch"


@dataclass
class DailyFigures:
    sequence: int  # the log size these figures include
    anchor: str  # the commitment of entry sequence-1 ("" for an empty log)
    # breakdown -> complaints per value and day
    complaints: dict[str, DayTable] = field(default_factory=lambda: {name: DayTable() for name in BREAKDOWNS})
    # measure (queries.CASUALTY_MEASURES) -> per claim key and day
    casualties: dict[str, DayTable] = field(default_factory=lambda: {m: DayTable() for m in CASUALTY_MEASURES})
    events: DayTable = field(default_factory=DayTable)  # per source and day


def audience_member(member: Membership | None) -> Membership | None:
    """A stand-in membership of the member's party: complaints' visibility depends on the party alone."""
    if member is None or not member.is_active:
        return None
    return Membership(party=member.party, role=Role.VIEWER, is_active=True)


def _key(member: Membership) -> str:
    return f"analytics:daily:v{CACHE_VERSION}:{member.party_id}:{member.party.kind}"


def _log_position() -> tuple[int, str]:
    size = LogHead.objects.values_list("size", flat=True).first() or 0
    anchor = LogEntry.objects.filter(sequence=size - 1).values_list("commitment", flat=True).first() if size else ""
    return size, anchor or ""


def _continues(figures: DailyFigures, size: int) -> bool:
    """The cached figures were made from a prefix of this very log."""
    if figures.sequence > size:
        return False
    if figures.sequence == 0:
        return figures.anchor == ""
    found = LogEntry.objects.filter(sequence=figures.sequence - 1).values_list("commitment", flat=True).first()
    return found == figures.anchor


def daily_figures(member: Membership | None) -> DailyFigures:
    """The member's audience's daily figures, up to date with the log."""
    audience = audience_member(member)
    if audience is None:
        return DailyFigures(sequence=0, anchor="")
    size, anchor = _log_position()
    key = _key(audience)
    cached = cache.get(key)
    if isinstance(cached, DailyFigures) and cached.sequence == size and cached.anchor == anchor:
        return cached
    if isinstance(cached, DailyFigures) and size - cached.sequence <= MAX_PATCH_ENTRIES and _continues(cached, size):
        figures = _patched(audience, cached, size, anchor)
    else:
        figures = build(audience, size, anchor)
    cache.set(key, figures, TIMEOUT_SECONDS)
    return figures


def build(audience: Membership, size: int, anchor: str) -> DailyFigures:
    codes = party_codes()
    complaints = filed_complaints(audience)
    return DailyFigures(
        sequence=size,
        anchor=anchor,
        complaints={name: DayTable.of(rows) for name, rows in complaint_days(complaints, codes).items()},
        casualties={name: DayTable.of(rows) for name, rows in casualty_days(complaints, codes).items()},
        events=DayTable.of(event_days(audience)),
    )


def _patched(audience: Membership, cached: DailyFigures, size: int, anchor: str) -> DailyFigures:
    """The cached figures with the days of every complaint named since, and the events if any were imported.
    (The cached object is changed in place: it was unpickled for this request alone.)"""
    new = LogEntry.objects.filter(sequence__gte=cached.sequence, sequence__lt=size)
    named = Complaint.objects.filter(public_code__in=new.values("subject_code"))
    days = sorted(set(named.order_by().values_list(BucketStart("occurred_at"), flat=True).distinct()))
    if days:
        codes = party_codes()
        complaints = filed_complaints(audience).filter(_days_filter(days))
        for name, rows in complaint_days(complaints, codes).items():
            cached.complaints[name].replace_days(days, rows)
        for name, rows in casualty_days(complaints, codes).items():
            cached.casualties[name].replace_days(days, rows)
    if new.filter(kind=EVENT_BATCH_KIND).exists():
        cached.events = DayTable.of(event_days(audience))
    cached.sequence, cached.anchor = size, anchor
    return cached


def _days_filter(days: list[str]) -> Q:
    """occurred_at within any of these UTC days, as ranges an index can serve."""
    condition = Q()
    for day in days:
        start = dt.datetime.combine(dt.date.fromisoformat(day), dt.time.min, dt.UTC)
        condition |= Q(occurred_at__gte=start, occurred_at__lt=start + dt.timedelta(days=1))
    return condition
