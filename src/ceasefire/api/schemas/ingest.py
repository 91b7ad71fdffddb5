"""Schemas of external event data: events (with their licence's attribution), import runs, correlation links."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field, field_validator

from ceasefire.ingest.enums import LICENCES
from ceasefire.ingest.models import CorrelationLink, ExternalEvent, ImportRun

MAX_PAGE = 500


class EventQuery(Schema):
    source: str = Field("", description="ucdp or gdelt (ACLED rows are never served by the API)")
    category: str = ""
    side: str = Field("", description="AF, PK or outside")
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = Field("", description="Words of the place or actors, or a source event id")
    limit: int = Field(100, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0)

    @field_validator("date_from", "date_to", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value


class FatalitiesOut(Schema):
    best: int | None
    low: int | None
    high: int | None


class EventOut(Schema):
    source: str
    source_id: str
    starts_on: dt.date
    ends_on: dt.date
    date_precision: str
    latitude: float
    longitude: float
    place_precision: str
    location: str
    admin1: str
    admin2: str
    country: str
    side: str = Field(description="Side of the reference line (a named dataset, not an endorsed border)")
    distance_km: float
    category: str = Field(description="The mechanism's category, '' when outside its taxonomy")
    source_type: str = Field(description="The type as the source gave it (UCDP type_of_violence, CAMEO code)")
    actor1: str
    actor2: str
    fatalities: FatalitiesOut
    source_text: str
    licence: str
    attribution: str


def event_out(e: ExternalEvent) -> dict[str, Any]:
    licence = LICENCES[e.source]
    return {
        "source": e.source, "source_id": e.source_id, "starts_on": e.starts_on, "ends_on": e.ends_on,
        "date_precision": e.date_precision, "latitude": e.latitude, "longitude": e.longitude,
        "place_precision": e.place_precision, "location": e.location, "admin1": e.admin1, "admin2": e.admin2,
        "country": e.country, "side": e.side, "distance_km": e.distance_km, "category": e.category,
        "source_type": e.source_type, "actor1": e.actor1, "actor2": e.actor2,
        "fatalities": {"best": e.fatalities_best, "low": e.fatalities_low, "high": e.fatalities_high},
        "source_text": e.source_text, "licence": licence.name, "attribution": licence.attribution,
    }  # fmt: skip


class EventPage(Schema):
    count: int
    limit: int
    offset: int
    attribution: list[str]
    items: list[EventOut]


class RejectionOut(Schema):
    file: str
    line: int
    column: str
    reason: str


class ImportRunOut(Schema):
    code: str
    source: str
    filename: str
    sha256: str
    size: int
    status: str
    run_by: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    progress_percent: int
    rows_read: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    held_back: int
    skipped: int
    message: str
    rejections: list[RejectionOut]


def run_out(run: ImportRun) -> dict[str, Any]:
    return {
        "code": run.public_code, "source": run.source, "filename": run.filename, "sha256": run.sha256,
        "size": run.size, "status": run.status, "run_by": run.operator, "created_at": run.created_at,
        "finished_at": run.finished_at, "progress_percent": run.progress_percent, "rows_read": run.rows_read,
        "inserted": run.inserted, "updated": run.updated, "unchanged": run.unchanged, "rejected": run.rejected,
        "held_back": run.held_back, "skipped": run.skipped, "message": run.message, "rejections": run.rejections,
    }  # fmt: skip


class LinkOut(Schema):
    code: str
    complaint: str
    kind: str = Field(description="event or complaint")
    event: str | None = Field(description="source:source_id of the external event")
    other_complaint: str | None
    score: float
    reasons: dict[str, Any]
    status: str
    decided_by: str | None
    decided_at: dt.datetime | None
    note: str


def link_out(link: CorrelationLink, complaint_code: str | None = None) -> dict[str, Any]:
    return {
        "code": link.public_code,
        "complaint": complaint_code or link.complaint.public_code,
        "kind": "complaint" if link.is_pair else "event",
        "event": f"{link.event.source}:{link.event.source_id}" if link.event else None,
        "other_complaint": link.other_complaint.public_code if link.other_complaint else None,
        "score": link.score,
        "reasons": link.reasons,
        "status": link.status,
        "decided_by": link.decided_by.user.get_username() if link.decided_by else None,
        "decided_at": link.decided_at,
        "note": link.note,
    }


class DecisionIn(Schema):
    confirm: bool
    note: str = ""


class GroupIn(Schema):
    note: str = ""


class RefreshOut(Schema):
    candidates: int
