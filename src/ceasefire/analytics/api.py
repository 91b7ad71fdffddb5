"""API v1 of analytics: the dashboard's figures and chart specs, the party scorecards, and downloads of the lists
(complaints, external events, crossings, intelligence items) as CSV, GeoJSON or XLSX, plus the ACLED-compatible CSV
of determined incidents.

Every figure and row is read through visible_to of the caller's membership: a caller without one gets zeros and
empty lists (the log's health, which names no record, excepted). Filters take the same names and values as the
list operations of each app. No `from __future__ import annotations`: ninja reads the handlers' annotations.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field, field_validator

from ceasefire.api.auth import acting
from ceasefire.api.schemas.complaints import ComplaintQuery
from ceasefire.api.schemas.ingest import EventQuery
from ceasefire.core.enums import TLP
from ceasefire.core.errors import ValidationFailed
from ceasefire.incidents.api import _complaint_filter
from ceasefire.ingest.api import _event_filter
from ceasefire.intel.enums import ItemState
from ceasefire.intel.models import RequestForAction
from ceasefire.intel.queries import ItemFilters

from . import exports, labels
from .dashboard import build_dashboard, resolve_period
from .exports_acled import determined_incidents_table
from .exports_tables import complaints_table, crossings_table, events_table, intel_table
from .scorecards import DEFINITIONS, Scorecard, scorecards

router = Router(tags=["analytics"])

_FILE = {"description": "The list as a file", "content": {media: {} for media in exports.MEDIA_TYPES.values()}}
_CSV = {"description": "RFC 4180 CSV, UTF-8", "content": {"text/csv": {}}}


class PeriodQuery(Schema):
    date_from: dt.date | None = Field(None, description="First day (the reader's time zone); default: the signing")
    date_to: dt.date | None = Field(None, description="Last day, inclusive; default: today")
    bucket: str = Field("", description="week or month; default: weeks up to half a year, months beyond")
    by: str = Field("category", description="category, complainant, respondent, province, side or state")

    @field_validator("date_from", "date_to", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value


class ScorecardQuery(Schema):
    date_from: dt.date | None = Field(None, description="Only incidents from this day")
    date_to: dt.date | None = Field(None, description="Only incidents up to this day")

    @field_validator("date_from", "date_to", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value


class IntelExportQuery(Schema):
    q: str = ""
    tlp: str = Field("", description=f"One of: {', '.join(TLP.values)}")
    originator: str = Field("", description="Party code")
    state: str = Field("", description=f"One of: {', '.join(ItemState.values)}")
    actor: str = Field("", description="Actor code")
    received: bool = False


def _dashboard_json(params: PeriodQuery, request: HttpRequest) -> dict[str, Any]:
    period = resolve_period(date_from=params.date_from, date_to=params.date_to, bucket=params.bucket, by=params.by)
    board = build_dashboard(acting(request), period, by=params.by)
    b = board.breakdowns
    log = board.log
    return {
        "period": {
            "date_from": period.start,
            "date_to": period.end,
            "bucket": period.bucket,
            "buckets": period.labels(),
        },
        "by": board.by,
        "complaints": {
            "total": b.total,
            **{name: [{"key": k, "count": n} for k, n in getattr(b, name)] for name in labels.BREAKDOWN_TITLES},
            "over_time": board.over_time,
        },
        "casualties_claimed": [f.__dict__ for f in board.casualties],
        "crossings": {
            "states": board.crossing_states,
            "closed_now": [c.__dict__ for c in board.closed_now],
        },
        "flows": {"date_from": board.flows.date_from, "date_to": board.flows.date_to, "totals": board.flows.totals},
        "requests_for_action": {
            "open": board.requests.open,
            "overdue": board.requests.overdue,
            "first": [_request_json(r) for r in board.requests.first],
        },
        "log": {
            "size": log.size,
            "checkpoint_at": log.checkpoint_at,
            "witnessed_size": log.witnessed_size,
            "witnessed_at": log.witnessed_at,
            "witnessed_age_seconds": log.witnessed_age_seconds,
            "required_cosigners": log.required_cosigners,
            "not_cosigned": [{"witness": name, "party": party} for name, party in log.missing],
        },
        "external_events": {"by_source": board.event_totals, "over_time": board.events},
        "charts": board.specs,
    }


def _request_json(request: RequestForAction) -> dict[str, Any]:
    return {
        "item": request.item.public_code,
        "requester": request.item.originator.code,
        "addressee": request.addressee.code,
        "due_at": request.due_at,
        "state": request.state,
    }


@router.get("/analytics/dashboard", response=dict[str, Any], summary="The dashboard's figures and charts")
def get_dashboard(request: HttpRequest, params: Query[PeriodQuery]) -> dict[str, Any]:
    """Every figure of the dashboard page for the period, within what you may see, with its Vega-Lite specs."""
    return _dashboard_json(params, request)


def _card_json(card: Scorecard) -> dict[str, Any]:
    return {
        "party": card.party.code,
        "filed": card.filed,
        "against": card.against,
        "determinations_against": card.outcomes_against,
        "determinations_filed": card.outcomes_filed,
        "breaches_attributed": card.breaches,
        "replies": card.replies,
        "reply_rate": card.reply_rate,
        "median_reply_hours": card.median_reply_hours,
        "requests_for_action": {
            "received": card.requests,
            "answered": card.requests_answered,
            "overdue": card.requests_overdue,
            "ratings": card.ratings,
        },
        "closures": card.closures,
        "closures_without_notice": card.closures_without_notice,
        "commitments": [line.__dict__ for line in card.commitments],
    }


@router.get("/analytics/scorecards", response=dict[str, Any], summary="Party scorecards")
def get_scorecards(request: HttpRequest, params: Query[ScorecardQuery]) -> dict[str, Any]:
    """Per party and per commitment, the same definitions for every party, from what you may see."""
    period = None
    if params.date_from or params.date_to:
        period = resolve_period(date_from=params.date_from, date_to=params.date_to)
    cards = scorecards(acting(request), period)
    return {
        "computed_from": "every filed complaint" if cards.whole_view else "what your party may see",
        "min_notice_hours": cards.min_notice_hours,
        "definitions": {
            key: f"{term}: " + (str(text) % {"hours": cards.min_notice_hours} if key == "closures" else str(text))
            for key, term, text in DEFINITIONS
        },
        "cards": [_card_json(card) for card in cards.cards],
    }


def _format(fmt: str) -> str:
    if fmt not in exports.FORMATS:
        raise ValidationFailed(
            _("Unknown format '%(value)s'; one of: %(allowed)s.")
            % {"value": fmt, "allowed": ", ".join(exports.FORMATS)},
            field="fmt",
        )
    return fmt


def _party(request: HttpRequest) -> str:
    member = acting(request)
    return member.party.code if member is not None else ""


@router.get("/exports/complaints.{fmt}", summary="Download complaints", openapi_extra={"responses": {200: _FILE}})
def export_complaints(request: HttpRequest, fmt: str, params: Query[ComplaintQuery]) -> HttpResponseBase:
    """Every complaint you may see matching the list's filters (limit and offset are ignored); fmt: csv, geojson
    or xlsx."""
    table = complaints_table(acting(request), _complaint_filter(params))
    return exports.response(table, _format(fmt), party_code=_party(request))


@router.get("/exports/events.{fmt}", summary="Download external events", openapi_extra={"responses": {200: _FILE}})
def export_events(request: HttpRequest, fmt: str, params: Query[EventQuery]) -> HttpResponseBase:
    """UCDP GED and GDELT events matching the filters, with their attribution; ACLED rows are never exported."""
    table = events_table(acting(request), _event_filter(params))
    return exports.response(table, _format(fmt), party_code=_party(request))


@router.get("/exports/crossings.{fmt}", summary="Download crossings", openapi_extra={"responses": {200: _FILE}})
def export_crossings(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """Every crossing with its state now, closures and data-quality flags."""
    return exports.response(crossings_table(acting(request)), _format(fmt), party_code=_party(request))


@router.get("/exports/intel.{fmt}", summary="Download intelligence items", openapi_extra={"responses": {200: _FILE}})
def export_intel(request: HttpRequest, fmt: str, params: Query[IntelExportQuery]) -> HttpResponseBase:
    """Items you may see matching the filters (the CSV is intel's own export), places as GeoJSON MultiPoints."""
    for name, allowed in (("tlp", TLP.values), ("state", ItemState.values)):
        value = getattr(params, name)
        if value and value not in allowed:
            raise ValidationFailed(
                _("Unknown %(field)s '%(value)s'; one of: %(allowed)s.")
                % {"field": name, "value": value, "allowed": ", ".join(allowed)},
                field=name,
            )
    criteria = ItemFilters(**{k: v for k, v in params.dict().items() if v not in ("", False)})
    return exports.response(intel_table(acting(request), criteria), _format(fmt), party_code=_party(request))


@router.get(
    "/exports/determined-incidents.acled.csv",
    summary="Determined incidents as ACLED-compatible CSV",
    openapi_extra={"responses": {200: _CSV}},
)
def export_determined_incidents(request: HttpRequest) -> HttpResponseBase:
    """Incidents whose determination in effect found the event happened (breach confirmed, not attributable), in
    ACLED's 31 codebook columns."""
    return exports.response(determined_incidents_table(acting(request)), "csv", party_code=_party(request))
