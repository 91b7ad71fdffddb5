"""Schemas of the border API: crossings with their derived status, declarations, conflicts, closures, flows,
trade days, loss claims (per claimant), transit obstacles and the border facts a complaint cites."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import AwareDatetime, Field

from ceasefire.border.models import (
    ConflictResolution,
    FlowBatch,
    FlowCount,
    LossClaim,
    StatusDeclaration,
    TradeDay,
    TransitObstacle,
)
from ceasefire.border.quality import QualityFlag
from ceasefire.border.queries import ArbitraryClosure, ComplaintFacts, CrossingTimeline
from ceasefire.border.timeline import Closure, Conflict, Segment
from ceasefire.geo.models import Crossing


class FlagOut(Schema):
    code: str = Field(description="missing, suspect, approximate, off_line or province_mismatch")
    message: str


class SegmentOut(Schema):
    start: dt.datetime
    end: dt.datetime
    ongoing: bool = Field(description="True for the last segment: it lasts until the time of the answer.")
    state: str = Field(description="open, restricted, closed or disputed")
    restriction: str
    declaration: str | None = Field(description="Code of the declaration that began it; null when disputed.")
    conflict: list[str] = Field(description="Codes of the conflicting declarations of a disputed segment.")
    days: float


class ClosureOut(Schema):
    start: dt.datetime
    end: dt.datetime
    ongoing: bool
    days: float
    declaration: str
    declared_by: str
    reason: str
    notice_hours: int | None
    arbitrary: list[str] = Field(
        description="Why the closure is arbitrary under the configured definition; empty if not."
    )


class MonthOut(Schema):
    month: str = Field(description="YYYY-MM (UTC)")
    closed_days: float
    trade_stopped_days: float
    disputed_days: float


class ConflictOut(Schema):
    starts_at: dt.datetime
    parties: list[str]
    declarations: list[str]


class CrossingStatusOut(Schema):
    slug: str
    name: str
    latitude: float | None
    longitude: float | None
    afghan_side: str
    pakistani_side: str
    state: str = Field(description="open, restricted, closed, disputed, or unknown (no declaration)")
    restriction: str
    since: dt.datetime | None
    closed_days: float
    longest_closure_days: float | None
    open_conflicts: int
    flags: list[FlagOut]


class DeclarationOut(Schema):
    code: str
    crossing: str
    party: str
    status: str
    restriction: str
    restriction_note: str
    effective_at: dt.datetime
    reason: str
    notice_hours: int | None
    expected_reopening: dt.datetime | None
    source: str
    recorded_at: dt.datetime
    set_aside: bool
    resolution: str | None


class CrossingDetailOut(CrossingStatusOut):
    segments: list[SegmentOut]
    closures: list[ClosureOut]
    trade_stoppages: list[ClosureOut]
    months: list[MonthOut]
    conflicts: list[ConflictOut]
    declarations: list[DeclarationOut]


class DeclarationIn(Schema):
    status: str = Field(description="open, restricted or closed")
    effective_at: AwareDatetime
    restriction: str = Field(
        "",
        description="For restricted: trade_only, pedestrians_only, returns_deportations_only, humanitarian_only, other",
    )
    restriction_note: str = ""
    reason: str = ""
    notice_hours: int | None = Field(None, description="Advance notice given; null when none was stated.")
    expected_reopening: AwareDatetime | None = None
    source: str = ""


class RegistryIn(Schema):
    name: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    afghan_province: str | None = None
    afghan_district: str | None = None
    pakistan_province: str | None = None
    pakistan_district: str | None = None
    source: str | None = None
    coord_kind: str | None = None
    coord_status: str | None = None
    notes: str | None = None
    note: str = Field("", description="Why the edit (kept in the crossing's history).")


class ResolveIn(Schema):
    declarations: list[str] = Field(description="The conflict's declaration codes, as listed in `conflicts`.")
    accepted: str = Field(description="The declaration the timeline follows.")
    note: str


class ResolutionOut(Schema):
    code: str
    crossing: str
    accepted: str
    declarations: list[str]
    note: str
    resolved_by: str
    resolved_at: dt.datetime


class ClosureSummaryOut(Schema):
    crossing: str
    state: str
    closed_days: float
    longest_closure: ClosureOut | None
    longest_trade_stoppage: ClosureOut | None
    arbitrary_closures: list[ClosureOut]
    months: list[MonthOut]


class ClosuresOut(Schema):
    definition: dict[str, Any] = Field(description="The configured definition of an arbitrary closure.")
    closed_now: list[str]
    crossings: list[ClosureSummaryOut]


class FlowRowIn(Schema):
    date: dt.date
    crossing: str = Field(description="Crossing slug or name")
    direction: str = Field(description="to_af or to_pk")
    category: str = Field(description="return or deportation")
    total: int
    documented: int | None = None
    undocumented: int | None = None
    source: str = Field("party", description="unhcr, iom, party, mediator, press or estimate")
    source_note: str = ""


class FlowBatchIn(Schema):
    name: str = Field("api", description="A label for the batch (e.g. the report it comes from).")
    rows: list[FlowRowIn]


class FlowBatchOut(Schema):
    code: str
    rows: int
    sha256: str
    party: str
    imported_at: dt.datetime


class FlowOut(Schema):
    date: dt.date
    crossing: str
    direction: str
    category: str
    total: int
    documented: int | None
    undocumented: int | None
    source: str
    source_note: str
    recorded_by: str = Field(description="The party that recorded the figure.")
    batch: str


class FlowPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[FlowOut]


class TradeDayIn(Schema):
    crossing: str
    day: dt.date
    source: str
    trucks_waiting: int | None = None
    trucks_waiting_high: int | None = None
    trucks_crossed: int | None = None
    goods_held: str = ""
    source_note: str = ""


class TradeDayOut(Schema):
    crossing: str
    day: dt.date
    trucks_waiting: int | None
    trucks_waiting_high: int | None
    trucks_crossed: int | None
    goods_held: str
    source: str
    source_note: str
    recorded_by: str


class LossClaimIn(Schema):
    period_start: dt.date
    period_end: dt.date
    amount_usd: int
    crossing: str | None = None
    basis: str = ""


class LossClaimOut(Schema):
    code: str
    claimant: str
    crossing: str | None
    period_start: dt.date
    period_end: dt.date
    amount_usd: int
    basis: str


class ClaimantLossesOut(Schema):
    claimant: str = Field(description="Each party's claims apart: no total across claimants is given.")
    claims: list[LossClaimOut]


class ObstacleIn(Schema):
    kind: str
    description: str
    observed_from: dt.date
    crossing: str | None = None
    imposed_by: str | None = Field(None, description="Party code")


class ObstacleUpdateIn(Schema):
    status: str = Field(description="confirmed (mediators only), disputed or lifted")
    note: str


class ObstacleHistoryOut(Schema):
    status: str
    note: str
    party: str
    at: dt.datetime


class ObstacleOut(Schema):
    code: str
    kind: str
    crossing: str | None
    description: str
    imposed_by: str | None
    observed_from: dt.date
    status: str
    reported_by: str
    history: list[ObstacleHistoryOut]


class ClosureLinkIn(Schema):
    declaration: str = Field(description="Code of the declaration that began the closure")


class FlowCitationIn(Schema):
    crossing: str
    date_from: dt.date
    date_to: dt.date
    category: str = ""


class ClosureFactOut(Schema):
    declaration: DeclarationOut
    closure: ClosureOut | None


class CitationFactOut(Schema):
    crossing: str
    date_from: dt.date
    date_to: dt.date
    category: str
    totals: list[dict[str, Any]]


class ComplaintFactsOut(Schema):
    complaint: str
    closures: list[ClosureFactOut]
    flow_citations: list[CitationFactOut]


# --- builders -----------------------------------------------------------------------------------------------


def flag_out(flag: QualityFlag) -> dict[str, object]:
    return {"code": flag.code, "message": flag.message}


def _side(*parts: str) -> str:
    return ", ".join(p for p in parts if p)


def segment_out(s: Segment) -> dict[str, object]:
    return {
        "start": s.start,
        "end": s.end,
        "ongoing": s.ongoing,
        "state": s.state,
        "restriction": s.restriction,
        "declaration": s.claim.code if s.claim else None,
        "conflict": list(s.conflict.codes) if s.conflict else [],
        "days": s.days,
    }


def closure_out(c: Closure, reasons: list[str] | None = None) -> dict[str, object]:
    return {
        "start": c.start,
        "end": c.end,
        "ongoing": c.ongoing,
        "days": c.days,
        "declaration": c.claim.code,
        "declared_by": c.claim.party,
        "reason": c.claim.reason,
        "notice_hours": c.claim.notice_hours,
        "arbitrary": reasons or [],
    }


def judged_out(c: ArbitraryClosure) -> dict[str, object]:
    return closure_out(c.closure, c.reasons)


def months_out(t: CrossingTimeline) -> list[dict[str, object]]:
    return [
        {"month": m.label, "closed_days": m.closed, "trade_stopped_days": m.trade_stopped, "disputed_days": m.disputed}
        for m in t.months
    ]


def conflict_out(c: Conflict) -> dict[str, object]:
    return {"starts_at": c.starts_at, "parties": list(c.parties), "declarations": list(c.codes)}


def crossing_status_out(crossing: Crossing, t: CrossingTimeline, flags: list[QualityFlag]) -> dict[str, object]:
    current = t.current
    longest = t.longest_closure
    return {
        "slug": crossing.slug,
        "name": crossing.name,
        "latitude": crossing.latitude,
        "longitude": crossing.longitude,
        "afghan_side": _side(crossing.afghan_district, crossing.afghan_province),
        "pakistani_side": _side(crossing.pakistan_district, crossing.pakistan_province),
        "state": t.state_now,
        "restriction": current.restriction if current else "",
        "since": current.start if current else None,
        "closed_days": t.closed_days,
        "longest_closure_days": longest.days if longest else None,
        "open_conflicts": len(t.conflicts),
        "flags": [flag_out(f) for f in flags],
    }


def declaration_out(d: StatusDeclaration) -> dict[str, object]:
    """Expects crossing, party and resolution joined."""
    return {
        "code": d.public_code,
        "crossing": d.crossing.slug,
        "party": d.party.code,
        "status": d.status,
        "restriction": d.restriction,
        "restriction_note": d.restriction_note,
        "effective_at": d.effective_at,
        "reason": d.reason,
        "notice_hours": d.notice_hours,
        "expected_reopening": d.expected_reopening,
        "source": d.source,
        "recorded_at": d.recorded_at,
        "set_aside": d.set_aside,
        "resolution": d.resolution.public_code if d.resolution else None,
    }


def crossing_detail_out(crossing: Crossing, t: CrossingTimeline, flags: list[QualityFlag]) -> dict[str, object]:
    return {
        **crossing_status_out(crossing, t, flags),
        "segments": [segment_out(s) for s in t.segments],
        "closures": [judged_out(c) for c in t.closures],
        "trade_stoppages": [closure_out(c) for c in t.stoppages],
        "months": months_out(t),
        "conflicts": [conflict_out(c) for c in t.conflicts],
        "declarations": [declaration_out(d) for d in t.declarations],
    }


def resolution_out(r: ConflictResolution) -> dict[str, object]:
    return {
        "code": r.public_code,
        "crossing": r.crossing.slug,
        "accepted": r.accepted.public_code,
        "declarations": sorted(d.public_code for d in r.declarations.all()),
        "note": r.note,
        "resolved_by": r.resolved_by.party.code,
        "resolved_at": r.resolved_at,
    }


def batch_out(b: FlowBatch) -> dict[str, object]:
    return {
        "code": b.public_code,
        "rows": b.rows,
        "sha256": b.sha256,
        "party": b.party.code,
        "imported_at": b.imported_at,
    }


def flow_out(f: FlowCount) -> dict[str, object]:
    return {
        "date": f.day,
        "crossing": f.crossing.slug,
        "direction": f.direction,
        "category": f.category,
        "total": f.total,
        "documented": f.documented,
        "undocumented": f.undocumented,
        "source": f.source,
        "source_note": f.source_note,
        "recorded_by": f.party.code,
        "batch": f.batch.public_code,
    }


def trade_out(t: TradeDay) -> dict[str, object]:
    return {
        "crossing": t.crossing.slug,
        "day": t.day,
        "trucks_waiting": t.trucks_waiting,
        "trucks_waiting_high": t.trucks_waiting_high,
        "trucks_crossed": t.trucks_crossed,
        "goods_held": t.goods_held,
        "source": t.source,
        "source_note": t.source_note,
        "recorded_by": t.party.code,
    }


def loss_out(c: LossClaim) -> dict[str, object]:
    return {
        "code": c.public_code,
        "claimant": c.claimant.code,
        "crossing": c.crossing.slug if c.crossing else None,
        "period_start": c.period_start,
        "period_end": c.period_end,
        "amount_usd": c.amount_usd,
        "basis": c.basis,
    }


def obstacle_out(o: TransitObstacle) -> dict[str, object]:
    return {
        "code": o.public_code,
        "kind": o.kind,
        "crossing": o.crossing.slug if o.crossing else None,
        "description": o.description,
        "imposed_by": o.imposed_by.code if o.imposed_by else None,
        "observed_from": o.observed_from,
        "status": o.status,
        "reported_by": o.party.code,
        "history": [{"status": u.status, "note": u.note, "party": u.party.code, "at": u.at} for u in o.updates.all()],
    }


def facts_out(code: str, facts: ComplaintFacts) -> dict[str, object]:
    return {
        "complaint": code,
        "closures": [
            {
                "declaration": declaration_out(item.declaration),
                "closure": closure_out(item.closure, item.reasons) if item.closure else None,
            }
            for item in facts.closures
        ],
        "flow_citations": [
            {
                "crossing": item.citation.crossing.slug,
                "date_from": item.citation.date_from,
                "date_to": item.citation.date_to,
                "category": item.citation.category,
                "totals": item.totals,
            }
            for item in facts.citations
        ],
    }
