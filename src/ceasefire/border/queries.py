"""Read helpers of the border layer, all starting from visible_to: the crossings list with each one's state
now, a crossing's derived timeline and statistics, flow and trade series, loss claims per claimant, obstacles,
and the border facts a complaint cites."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from ceasefire.core.models import Membership, Party
from ceasefire.geo.models import Crossing
from ceasefire.incidents.models import Complaint

from . import rules
from .conf import BorderSettings, border_settings
from .enums import DerivedState
from .models import (
    ComplaintClosure,
    ConflictResolution,
    CrossingEdit,
    FlowCitation,
    FlowCount,
    LossClaim,
    ObstacleUpdate,
    StatusDeclaration,
    TradeDay,
    TransitObstacle,
)
from .quality import QualityFlag, crossing_flags
from .timeline import (
    CalendarDay,
    Closure,
    Conflict,
    Segment,
    arbitrary_reasons,
    closures,
    days_by_month,
    derive_segments,
    find_conflicts,
    is_closed,
    longest,
    month_calendar,
    months_between,
    stops_trade,
    trade_stoppages,
)


def visible_crossings(member: Membership | None) -> QuerySet[Crossing]:
    """The registry is reference data, shown to those who see border data at all."""
    return Crossing.objects.all() if rules.can_read_border(member) else Crossing.objects.none()


def get_crossing(member: Membership | None, slug: str) -> Crossing | None:
    return visible_crossings(member).filter(slug=slug).first()


@dataclass(frozen=True)
class ArbitraryClosure:
    closure: Closure
    reasons: list[str]


@dataclass(frozen=True)
class MonthStats:
    year: int
    month: int
    closed: float
    trade_stopped: float
    disputed: float

    @property
    def label(self) -> str:
        return dt.date(self.year, self.month, 1).strftime("%Y-%m")


@dataclass
class CrossingTimeline:
    crossing: Crossing
    until: dt.datetime
    declarations: list[StatusDeclaration]
    segments: list[Segment]
    conflicts: list[Conflict]
    closures: list[ArbitraryClosure]
    stoppages: list[Closure]
    months: list[MonthStats]
    calendars: list[tuple[tuple[int, int], list[CalendarDay]]]
    resolutions: list[ConflictResolution] = field(default_factory=list)

    @property
    def current(self) -> Segment | None:
        return self.segments[-1] if self.segments else None

    @property
    def state_now(self) -> str:
        return self.segments[-1].state if self.segments else DerivedState.UNKNOWN

    @property
    def longest_closure(self) -> Closure | None:
        return longest(c.closure for c in self.closures)

    @property
    def longest_stoppage(self) -> Closure | None:
        return longest(self.stoppages)

    @property
    def arbitrary(self) -> list[ArbitraryClosure]:
        return [c for c in self.closures if c.reasons]

    @property
    def closed_days(self) -> float:
        return round(sum(m.closed for m in self.months), 2)


def build_timeline(
    crossing: Crossing,
    declarations: list[StatusDeclaration],
    until: dt.datetime,
    settings: BorderSettings,
) -> CrossingTimeline:
    """Everything derived from one crossing's declarations (already read through visible_to)."""
    window = dt.timedelta(hours=settings.conflict_window_hours)
    claims = [d.as_claim() for d in declarations]
    segments = derive_segments(claims, window, until)
    closed = days_by_month(segments, is_closed)
    stopped = days_by_month(segments, stops_trade)
    disputed = days_by_month(segments, lambda s: s.state == DerivedState.DISPUTED)
    months = []
    calendars = []
    if segments:
        for year, month in months_between(segments[0].start, until):
            key = (year, month)
            months.append(MonthStats(year, month, closed.get(key, 0.0), stopped.get(key, 0.0), disputed.get(key, 0.0)))
            calendars.append((key, month_calendar(segments, year, month)))
    judged = [
        ArbitraryClosure(
            c,
            arbitrary_reasons(
                c.claim,
                min_notice_hours=settings.arbitrary_min_notice_hours,
                requires_reason=settings.arbitrary_requires_reason,
            ),
        )
        for c in closures(segments)
    ]
    return CrossingTimeline(
        crossing=crossing,
        until=until,
        declarations=declarations,
        segments=segments,
        conflicts=find_conflicts([c for c in claims if c.effective_at <= until], window),
        closures=judged,
        stoppages=trade_stoppages(segments),
        months=months,
        calendars=calendars,
    )


def _declarations(member: Membership | None) -> QuerySet[StatusDeclaration]:
    return StatusDeclaration.objects.visible_to(member).select_related("party", "declared_by__user", "resolution")


def crossing_timeline(
    member: Membership | None, crossing: Crossing, until: dt.datetime | None = None
) -> CrossingTimeline:
    until = until or timezone.now()
    declarations = list(_declarations(member).filter(crossing=crossing))
    timeline = build_timeline(crossing, declarations, until, border_settings())
    timeline.resolutions = list(
        ConflictResolution.objects.visible_to(member)
        .filter(crossing=crossing)
        .select_related("accepted", "resolved_by__party")
    )
    return timeline


@dataclass(frozen=True)
class CrossingRow:
    crossing: Crossing
    timeline: CrossingTimeline
    flags: list[QualityFlag]


def crossing_rows(member: Membership | None, until: dt.datetime | None = None) -> list[CrossingRow]:
    """Every crossing with its derived timeline: two queries whatever the number of crossings."""
    until = until or timezone.now()
    settings = border_settings()
    by_crossing: dict[int, list[StatusDeclaration]] = defaultdict(list)
    for declaration in _declarations(member):
        by_crossing[declaration.crossing_id].append(declaration)
    return [
        CrossingRow(c, build_timeline(c, by_crossing.get(c.pk, []), until, settings), crossing_flags(c))
        for c in visible_crossings(member)
    ]


def registry_history(member: Membership | None, crossing: Crossing) -> QuerySet[CrossingEdit]:
    return CrossingEdit.objects.visible_to(member).filter(crossing=crossing).select_related("edited_by__party")


# --- flows and trade ---------------------------------------------------------------------------------------------


def flow_counts(
    member: Membership | None,
    *,
    crossing: Crossing | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[FlowCount]:
    qs = FlowCount.objects.visible_to(member).select_related("crossing", "party", "batch")
    if crossing is not None:
        qs = qs.filter(crossing=crossing)
    if date_from is not None:
        qs = qs.filter(day__gte=date_from)
    if date_to is not None:
        qs = qs.filter(day__lte=date_to)
    return qs


def flow_totals(member: Membership | None, **filters: object) -> list[dict[str, object]]:
    """Totals per month, crossing, category and source (a source's figures are never added to another's)."""
    rows: dict[tuple[str, str, str, str, str], int] = defaultdict(int)
    for count in flow_counts(member, **filters):  # type: ignore[arg-type]
        source = count.get_source_display() if count.source not in ("party", "mediator") else count.party.code
        rows[(count.day.strftime("%Y-%m"), count.crossing.name, count.category, str(source), count.direction)] += (
            count.total
        )
    return [
        {"month": m, "crossing": c, "category": cat, "source": s, "direction": d, "total": t}
        for (m, c, cat, s, d), t in sorted(rows.items())
    ]


def trade_days(member: Membership | None, *, crossing: Crossing | None = None) -> QuerySet[TradeDay]:
    qs = TradeDay.objects.visible_to(member).select_related("crossing", "party")
    return qs.filter(crossing=crossing) if crossing is not None else qs


def loss_claims_by_claimant(member: Membership | None) -> list[tuple[Party, list[LossClaim]]]:
    """Each claimant's claims apart, in party order; no total across claimants is ever formed."""
    grouped: dict[int, tuple[Party, list[LossClaim]]] = {}
    for claim in LossClaim.objects.visible_to(member).select_related("claimant", "crossing"):
        grouped.setdefault(claim.claimant_id, (claim.claimant, []))[1].append(claim)
    return list(grouped.values())


def obstacles(member: Membership | None) -> QuerySet[TransitObstacle]:
    history = ObstacleUpdate.objects.select_related("party", "by__user")
    return (
        TransitObstacle.objects.visible_to(member)
        .select_related("crossing", "imposed_by", "party")
        .prefetch_related(Prefetch("updates", queryset=history))
    )


def get_obstacle(member: Membership | None, public_code: str) -> TransitObstacle | None:
    return obstacles(member).filter(public_code=public_code).first()


# --- what a complaint cites --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClosureFacts:
    declaration: StatusDeclaration
    closure: Closure | None  # None when later declarations leave no closure begun by it (e.g. a resolved conflict)
    reasons: list[str]


@dataclass(frozen=True)
class CitationFacts:
    citation: FlowCitation
    totals: list[dict[str, object]]  # per source and category: the figures as each source gave them


@dataclass(frozen=True)
class ComplaintFacts:
    closures: list[ClosureFacts]
    citations: list[CitationFacts]
    definition: BorderSettings

    @property
    def empty(self) -> bool:
        return not self.closures and not self.citations


def facts_for_complaint(complaint: Complaint, member: Membership | None) -> ComplaintFacts:
    """The closures and flow figures a complaint cites, as `member` may see them (nothing for an invisible
    complaint). Rendered by web/border/complaint_facts.html on the complaint's page."""
    settings = border_settings()
    links = list(
        ComplaintClosure.objects.visible_to(member)
        .filter(complaint=complaint)
        .select_related("declaration__crossing", "declaration__party")
    )
    closure_facts = []
    for link in links:
        declaration = link.declaration
        timeline = crossing_timeline(member, declaration.crossing)
        match = next((c for c in timeline.closures if c.closure.claim.code == declaration.public_code), None)
        if match is None:  # the declaration continues a closure begun earlier: cite the one it lies in
            match = next(
                (c for c in timeline.closures if c.closure.start <= declaration.effective_at < c.closure.end), None
            )
        closure_facts.append(
            ClosureFacts(declaration, match.closure if match else None, match.reasons if match else [])
        )
    citations = []
    for citation in FlowCitation.objects.visible_to(member).filter(complaint=complaint).select_related("crossing"):
        counts = flow_counts(member, crossing=citation.crossing, date_from=citation.date_from, date_to=citation.date_to)
        if citation.category:
            counts = counts.filter(category=citation.category)
        totals = [
            {
                "source": row["source"],
                "party": row["party__code"],
                "category": row["category"],
                "total": row["people"],
                "documented": row["documented"],
                "undocumented": row["undocumented"],
            }
            for row in counts.order_by()
            .values("source", "party__code", "category")
            .annotate(people=Sum("total"), documented=Sum("documented"), undocumented=Sum("undocumented"))
            .order_by("source", "party__code", "category")
        ]
        citations.append(CitationFacts(citation, totals))
    return ComplaintFacts(closure_facts, citations, settings)
