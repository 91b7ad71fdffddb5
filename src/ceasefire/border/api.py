"""API v1 of the border layer: crossings with their derived status, declarations and conflict resolution, closure
statistics, people flows, trade days, loss claims, transit obstacles, charts, and the border facts of a complaint.

Thin over services.py (every write) and queries.py (every read, through visible_to). Lists answer an empty list
to a caller without membership; a single record it may not see answers 404.
No `from __future__ import annotations` in router modules: ninja reads the handlers' annotations at import.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from ceasefire.api.auth import acting
from ceasefire.api.schemas.border import (
    ClaimantLossesOut,
    ClosureLinkIn,
    ClosuresOut,
    CrossingDetailOut,
    CrossingStatusOut,
    DeclarationIn,
    DeclarationOut,
    FlowBatchIn,
    FlowBatchOut,
    FlowCitationIn,
    FlowPage,
    LossClaimIn,
    LossClaimOut,
    ObstacleIn,
    ObstacleOut,
    ObstacleUpdateIn,
    RegistryIn,
    ResolutionOut,
    ResolveIn,
    TradeDayIn,
    TradeDayOut,
    batch_out,
    closure_out,
    crossing_detail_out,
    crossing_status_out,
    declaration_out,
    facts_out,
    flow_out,
    judged_out,
    loss_out,
    months_out,
    obstacle_out,
    resolution_out,
    trade_out,
)
from ceasefire.core.errors import NotVisible, ValidationFailed
from ceasefire.core.models import Membership, Party
from ceasefire.geo.models import Crossing
from ceasefire.incidents.models import Complaint

from . import charts
from .conf import border_settings
from .enums import DerivedState
from .flowcsv import FlowRow
from .models import ConflictResolution, StatusDeclaration
from .quality import crossing_flags
from .queries import (
    crossing_rows,
    crossing_timeline,
    facts_for_complaint,
    flow_counts,
    get_crossing,
    get_obstacle,
    loss_claims_by_claimant,
    obstacles,
    trade_days,
)
from .services import (
    cite_flows,
    claim_losses,
    declare_status,
    link_closure,
    record_flows,
    record_trade_day,
    report_obstacle,
    resolve_conflict,
    update_crossing,
    update_obstacle,
)

router = Router(tags=["border"])


def _crossing(member: Membership | None, slug: str, field: str | None = None) -> Crossing:
    crossing = get_crossing(member, slug)
    if crossing is None:
        if field is not None:
            raise ValidationFailed(_("Unknown crossing '%(value)s'.") % {"value": slug}, field=field)
        raise NotVisible(_("No such crossing."))
    return crossing


def _complaint(member: Membership | None, public_code: str) -> Complaint:
    complaint = Complaint.objects.visible_to(member).filter(public_code=public_code).first()
    if complaint is None:
        raise NotVisible(_("No such complaint."))
    return complaint


@router.get("/border/crossings", response=list[CrossingStatusOut], summary="Crossings and their status now")
def border_list_crossings(request: HttpRequest) -> list[dict[str, object]]:
    """Every crossing with the state derived from the declarations, closure days and data-quality flags."""
    return [crossing_status_out(r.crossing, r.timeline, r.flags) for r in crossing_rows(acting(request))]


@router.get("/border/crossings/{slug}", response=CrossingDetailOut, summary="A crossing's timeline and closures")
def border_get_crossing(request: HttpRequest, slug: str) -> dict[str, object]:
    member = acting(request)
    crossing = _crossing(member, slug)
    return crossing_detail_out(crossing, crossing_timeline(member, crossing), crossing_flags(crossing))


@router.patch("/border/crossings/{slug}", response=CrossingStatusOut, summary="Edit the crossing registry")
def border_edit_crossing(request: HttpRequest, slug: str, payload: RegistryIn) -> dict[str, object]:
    """Secretariat only. Fields left out keep their value; each change is kept in the crossing's history."""
    member = acting(request)
    crossing = _crossing(member, slug)
    assert member is not None
    changes = payload.dict(exclude_unset=True)
    note = changes.pop("note", "")
    update_crossing(member, crossing, changes=changes, note=note)
    return crossing_status_out(crossing, crossing_timeline(member, crossing), crossing_flags(crossing))


@router.post("/border/crossings/{slug}/declarations", response={201: DeclarationOut}, summary="Declare a status change")
def border_declare(request: HttpRequest, slug: str, payload: DeclarationIn) -> Status[dict[str, object]]:
    member = acting(request)
    crossing = _crossing(member, slug)
    assert member is not None
    declaration = declare_status(member, crossing=crossing, **payload.dict())
    return Status(201, declaration_out(declaration))


@router.post("/border/crossings/{slug}/conflicts/resolve", response={201: ResolutionOut}, summary="Resolve a conflict")
def border_resolve_conflict(request: HttpRequest, slug: str, payload: ResolveIn) -> Status[dict[str, object]]:
    """Mediators only: the timeline follows `accepted`; the other declarations are kept, set aside."""
    member = acting(request)
    crossing = _crossing(member, slug)
    assert member is not None
    resolution = resolve_conflict(
        member, crossing=crossing, codes=payload.declarations, accepted_code=payload.accepted, note=payload.note
    )
    resolution = ConflictResolution.objects.select_related("crossing", "accepted", "resolved_by__party").get(
        pk=resolution.pk
    )
    return Status(201, resolution_out(resolution))


@router.get("/border/closures", response=ClosuresOut, summary="Closure statistics")
def border_closures(request: HttpRequest) -> dict[str, object]:
    """Crossings closed now, days closed per month, the longest closure and trade stoppage, arbitrary closures."""
    settings = border_settings()
    rows = crossing_rows(acting(request))
    return {
        "definition": {
            "arbitrary_min_notice_hours": settings.arbitrary_min_notice_hours,
            "arbitrary_requires_reason": settings.arbitrary_requires_reason,
            "conflict_window_hours": settings.conflict_window_hours,
        },
        "closed_now": [r.crossing.slug for r in rows if r.timeline.state_now == DerivedState.CLOSED],
        "crossings": [
            {
                "crossing": r.crossing.slug,
                "state": r.timeline.state_now,
                "closed_days": r.timeline.closed_days,
                "longest_closure": closure_out(r.timeline.longest_closure) if r.timeline.longest_closure else None,
                "longest_trade_stoppage": closure_out(r.timeline.longest_stoppage)
                if r.timeline.longest_stoppage
                else None,
                "arbitrary_closures": [judged_out(c) for c in r.timeline.arbitrary],
                "months": months_out(r.timeline),
            }
            for r in rows
            if r.timeline.segments
        ],
    }


class FlowQuery(Schema):
    crossing: str = ""
    category: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


@router.get("/border/flows", response=FlowPage, summary="People flows")
def border_list_flows(request: HttpRequest, params: Query[FlowQuery]) -> dict[str, object]:
    member = acting(request)
    crossing = _crossing(member, params.crossing, "crossing") if params.crossing and member else None
    counts = flow_counts(member, crossing=crossing, date_from=params.date_from, date_to=params.date_to)
    if params.category:
        counts = counts.filter(category=params.category)
    return {
        "count": counts.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": [flow_out(f) for f in counts[params.offset : params.offset + params.limit]],
    }


@router.post("/border/flows", response={201: FlowBatchOut}, summary="Record a batch of flow figures")
def border_record_flows(request: HttpRequest, payload: FlowBatchIn) -> Status[dict[str, object]]:
    """All rows or none; errors name rows[i].field."""
    member = acting(request)
    if member is None:
        raise NotVisible(_("No such crossing."))
    rows = [
        FlowRow(
            day=r.date,
            crossing=r.crossing,
            direction=r.direction,
            category=r.category,
            total=r.total,
            documented=r.documented,
            undocumented=r.undocumented,
            source=r.source,
            source_note=r.source_note,
        )
        for r in payload.rows
    ]
    return Status(201, batch_out(record_flows(member, rows, source_name=payload.name)))


@router.get("/border/trade", response=list[TradeDayOut], summary="Trade days")
def border_list_trade(request: HttpRequest) -> list[dict[str, object]]:
    return [trade_out(t) for t in trade_days(acting(request))]


@router.post("/border/trade", response={201: TradeDayOut}, summary="Record a trade day")
def border_record_trade(request: HttpRequest, payload: TradeDayIn) -> Status[dict[str, object]]:
    member = acting(request)
    data = payload.dict()
    crossing = _crossing(member, data.pop("crossing"), "crossing")
    assert member is not None
    return Status(201, trade_out(record_trade_day(member, crossing=crossing, **data)))


@router.get("/border/losses", response=list[ClaimantLossesOut], summary="Loss claims, per claimant")
def border_list_losses(request: HttpRequest) -> list[dict[str, object]]:
    return [
        {"claimant": party.code, "claims": [loss_out(c) for c in claims]}
        for party, claims in loss_claims_by_claimant(acting(request))
    ]


@router.post("/border/losses", response={201: LossClaimOut}, summary="Claim losses for your party")
def border_claim_losses(request: HttpRequest, payload: LossClaimIn) -> Status[dict[str, object]]:
    member = acting(request)
    data = payload.dict()
    slug = data.pop("crossing")
    crossing = _crossing(member, slug, "crossing") if slug else None
    if member is None:
        raise NotVisible(_("No such crossing."))
    return Status(201, loss_out(claim_losses(member, crossing=crossing, **data)))


@router.get("/border/obstacles", response=list[ObstacleOut], summary="Transit obstacles and their history")
def border_list_obstacles(request: HttpRequest) -> list[dict[str, object]]:
    return [obstacle_out(o) for o in obstacles(acting(request))]


@router.post("/border/obstacles", response={201: ObstacleOut}, summary="Report a transit obstacle")
def border_report_obstacle(request: HttpRequest, payload: ObstacleIn) -> Status[dict[str, object]]:
    member = acting(request)
    if member is None:
        raise NotVisible(_("No such crossing."))
    data = payload.dict()
    slug, party_code = data.pop("crossing"), data.pop("imposed_by")
    crossing = _crossing(member, slug, "crossing") if slug else None
    imposed_by = None
    if party_code:
        imposed_by = Party.objects.filter(code=party_code.upper()).first()
        if imposed_by is None:
            raise ValidationFailed(_("Unknown party '%(code)s'.") % {"code": party_code}, field="imposed_by")
    obstacle = report_obstacle(member, crossing=crossing, imposed_by=imposed_by, **data)
    found = get_obstacle(member, obstacle.public_code)
    assert found is not None
    return Status(201, obstacle_out(found))


@router.post("/border/obstacles/{code}/status", response=ObstacleOut, summary="Update an obstacle's status")
def border_update_obstacle(request: HttpRequest, code: str, payload: ObstacleUpdateIn) -> dict[str, object]:
    member = acting(request)
    obstacle = get_obstacle(member, code)
    if obstacle is None or member is None:
        raise NotVisible(_("No such obstacle."))
    update_obstacle(member, obstacle, status=payload.status, note=payload.note)
    found = get_obstacle(member, code)
    assert found is not None
    return obstacle_out(found)


@router.get("/border/charts/{name}", response=dict[str, Any], summary="A chart as a Vega-Lite spec")
def border_chart(request: HttpRequest, name: str, crossing: str = "") -> dict[str, Any]:
    """`flows`, `trade` or `closures`, optionally for one crossing: the same spec the pages draw."""
    member = acting(request)
    place = _crossing(member, crossing) if crossing else None
    if member is None:
        raise NotVisible(_("No such chart."))
    if name == "flows":
        return charts.flows_spec(flow_counts(member, crossing=place).values("day", "category", "total", "source"))
    if name == "trade":
        rows = trade_days(member, crossing=place).values(
            "day", "trucks_waiting", "trucks_waiting_high", "trucks_crossed"
        )
        return charts.trade_spec(rows)
    if name == "closures":
        crossings = [r for r in crossing_rows(member) if place is None or r.crossing.pk == place.pk]
        return charts.closures_spec([(r.crossing.name, r.timeline.months) for r in crossings if r.timeline.months])
    raise NotVisible(_("No such chart."))


@router.get("/border/complaints/{public_code}/facts", response=Any, summary="Border facts a complaint cites")
def border_complaint_facts(request: HttpRequest, public_code: str) -> dict[str, object]:
    member = acting(request)
    complaint = _complaint(member, public_code)
    return facts_out(complaint.public_code, facts_for_complaint(complaint, member))


@router.post("/border/complaints/{public_code}/closures", response={201: Any}, summary="Cite a closure")
def border_link_closure(request: HttpRequest, public_code: str, payload: ClosureLinkIn) -> Status[dict[str, object]]:
    """A crossing-closure complaint names the declaration that began the closure it is about."""
    member = acting(request)
    complaint = _complaint(member, public_code)
    assert member is not None
    declaration = StatusDeclaration.objects.visible_to(member).filter(public_code=payload.declaration).first()
    if declaration is None:
        raise ValidationFailed(
            _("Unknown declaration '%(code)s'.") % {"code": payload.declaration}, field="declaration"
        )
    link_closure(member, complaint=complaint, declaration=declaration)
    return Status(201, facts_out(complaint.public_code, facts_for_complaint(complaint, member)))


@router.post("/border/complaints/{public_code}/flow-citations", response={201: Any}, summary="Cite flow figures")
def border_cite_flows(request: HttpRequest, public_code: str, payload: FlowCitationIn) -> Status[dict[str, object]]:
    """A forced-expulsion complaint cites a crossing's flow figures over a period."""
    member = acting(request)
    complaint = _complaint(member, public_code)
    assert member is not None
    crossing = _crossing(member, payload.crossing, "crossing")
    cite_flows(
        member,
        complaint=complaint,
        crossing=crossing,
        date_from=payload.date_from,
        date_to=payload.date_to,
        category=payload.category,
    )
    return Status(201, facts_out(complaint.public_code, facts_for_complaint(complaint, member)))
