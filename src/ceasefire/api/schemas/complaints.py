"""Schemas of complaints and their evidence: the filing input, the list filters and the outputs."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from ninja import Schema
from pydantic import AwareDatetime, ConfigDict, Field, field_validator

from ceasefire.core.enums import TLP
from ceasefire.incidents.drafts import CasualtyFigure, ComplaintDraft
from ceasefire.incidents.enums import Category
from ceasefire.incidents.models import Complaint, Evidence

MAX_PAGE = 200


class CasualtyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="killed or injured", examples=["killed"])
    status: str = Field(description="civilian, combatant or unknown", examples=["civilian"])
    best: int = Field(examples=[10])
    low: int | None = None
    high: int | None = None


class ComplaintIn(Schema):
    """A complaint as its complainant files it. Unknown fields are refused, so a misspelt name is not lost."""

    model_config = ConfigDict(extra="forbid")

    category: str = Field(description=f"One of: {', '.join(Category.values)}", examples=["air_strike"])
    starts_at: AwareDatetime = Field(description="With a time zone", examples=["2025-11-24T20:00:00Z"])
    ends_at: AwareDatetime = Field(examples=["2025-11-25T02:00:00Z"])
    time_precision: str = Field(description="minute, hour, day, week or month", examples=["hour"])
    latitude: float = Field(examples=[33.28])
    longitude: float = Field(examples=[69.95])
    respondent: str = Field(description="Party code of the party complained against", examples=["PK"])
    commitments: list[str] = Field(description="Codes of the commitments allegedly breached", examples=[["C2"]])
    narrative: str = Field(examples=["A strike hit a house in Mughalgai, Gurbuz district."])
    actors: list[str] = Field(default_factory=list, description="Actor codes", examples=[["pk-forces"]])
    title: str = ""
    tlp: str = Field(TLP.AMBER.value, description=f"One of: {', '.join(TLP.values)}")
    place_id: int | None = Field(None, description="A gazetteer place id from /places", examples=[None])
    place_description: str = Field("", examples=["Mughalgai, Gurbuz district, Khost"])
    casualties: list[CasualtyIn] = Field(default_factory=list)
    agreement: str | None = Field(None, description="Agreement code; default: the party's agreement in force")
    submit: bool = Field(True, description="false keeps the complaint as a draft only the complainant sees")

    def to_draft(self) -> ComplaintDraft:
        return ComplaintDraft(
            category=self.category,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            time_precision=self.time_precision,
            latitude=self.latitude,
            longitude=self.longitude,
            respondent=self.respondent,
            narrative=self.narrative,
            commitments=self.commitments,
            actors=self.actors,
            title=self.title,
            tlp=self.tlp,
            place_id=self.place_id,
            place_description=self.place_description,
            casualties=[
                CasualtyFigure(kind=c.kind, status=c.status, best=c.best, low=c.low, high=c.high)
                for c in self.casualties
            ],
            agreement_code=self.agreement,
        )


class ComplaintQuery(Schema):
    category: str = ""
    state: str = ""
    complainant: str = Field("", description="Party code")
    respondent: str = Field("", description="Party code")
    date_from: dt.date | None = Field(None, description="First day of the incident's start, inclusive")
    date_to: dt.date | None = Field(None, description="Last day of the incident's start, inclusive")
    province: str = ""
    side: str = Field("", description="AF, PK or outside: side of the reference line")
    q: str = Field("", description="Words of the title, narrative or place, or a public code")
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0)

    @field_validator("date_from", "date_to", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        # Forms and the contract's examples send `date_from=` for "no limit".
        return None if value == "" else value


class NearestCrossingOut(Schema):
    slug: str
    name: str
    distance_km: float | None


class IncidentOut(Schema):
    public_code: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_precision: str
    latitude: float
    longitude: float
    place_description: str
    side: str = Field(description="AF, PK or outside: which outline of the reference dataset holds the point")
    distance_km: float = Field(description="Distance to the reference line")
    province: str
    nearest_crossing: NearestCrossingOut | None
    reference_dataset: str = Field(description="The dataset that drew the reference line (not a border)")


class CasualtyClaimOut(Schema):
    claimant: str
    kind: str
    status: str
    low: int | None
    best: int
    high: int | None


class ComplaintOut(Schema):
    public_code: str
    title: str
    category: str
    state: str
    complainant: str
    respondent: str
    tlp: str
    agreement: str
    commitments: list[str]
    actors: list[str]
    narrative: str
    incident: IncidentOut
    casualty_claims: list[CasualtyClaimOut] = Field(description="Each claimant's figures, kept apart")
    evidence_count: int
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    notified_at: dt.datetime | None
    updated_at: dt.datetime


class ComplaintSummaryOut(Schema):
    """A list row: what tells complaints apart. The narrative, claims and links come with the complaint itself."""

    public_code: str
    title: str
    category: str
    state: str
    complainant: str
    respondent: str
    tlp: str
    incident: IncidentOut
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    notified_at: dt.datetime | None
    updated_at: dt.datetime


class ComplaintPage(Schema):
    count: int = Field(description="How many visible complaints match the filters (all pages)")
    limit: int
    offset: int
    items: list[ComplaintSummaryOut]


def complaint_summary_out(complaint: Complaint) -> dict[str, object]:
    """Expects incident (with nearest crossing) and both parties joined."""
    return {
        "public_code": complaint.public_code,
        "title": complaint.title,
        "category": complaint.category,
        "state": complaint.state,
        "complainant": complaint.complainant.code,
        "respondent": complaint.respondent.code,
        "tlp": complaint.tlp,
        "incident": _incident_out(complaint),
        "created_at": complaint.created_at,
        "submitted_at": complaint.submitted_at,
        "notified_at": complaint.notified_at,
        "updated_at": complaint.updated_at,
    }


def _incident_out(complaint: Complaint) -> dict[str, object]:
    incident = complaint.incident
    crossing = incident.nearest_crossing
    return {
        "public_code": incident.public_code,
        "starts_at": incident.starts_at,
        "ends_at": incident.ends_at,
        "time_precision": incident.time_precision,
        "latitude": incident.latitude,
        "longitude": incident.longitude,
        "place_description": incident.place_description,
        "side": incident.side,
        "distance_km": incident.distance_km,
        "province": incident.province,
        "nearest_crossing": (
            {"slug": crossing.slug, "name": crossing.name, "distance_km": incident.nearest_crossing_km}
            if crossing
            else None
        ),
        "reference_dataset": incident.reference_dataset,
    }


def complaint_out(complaint: Complaint, evidence_count: int) -> dict[str, object]:
    """Expects incident (with nearest crossing), parties and agreement joined, many-to-many prefetched."""
    return {
        **complaint_summary_out(complaint),
        "agreement": complaint.agreement.code,
        "commitments": sorted((c.code for c in complaint.commitments.all()), key=_commitment_order),
        "actors": sorted(a.code for a in complaint.actors.all()),
        "narrative": complaint.narrative,
        "casualty_claims": [
            {
                "claimant": c.claimant.code,
                "kind": c.kind,
                "status": c.status,
                "low": c.low,
                "best": c.best,
                "high": c.high,
            }
            for c in complaint.casualty_claims.all()
        ],
        "evidence_count": evidence_count,
    }


def _commitment_order(code: str) -> tuple[int, str]:
    # C2 before C10: numeric part first, so the order reads as the agreement lists them.
    digits = "".join(ch for ch in code if ch.isdigit())
    return (int(digits) if digits else 0, code)


class EvidenceOut(Schema):
    public_code: str
    complaint: str
    filename: str
    media_type: str = Field(description="Decided from the file's content, not its name")
    size: int
    sha256: str
    description: str
    source: str
    captured_at: dt.datetime | None
    added_by: str = Field(description="Code of the party whose member added it")
    added_at: dt.datetime
    download_url: str


def evidence_out(evidence: Evidence, complaint_code: str) -> dict[str, object]:
    """Expects stored_file and added_by__party joined."""
    stored = evidence.stored_file
    return {
        "public_code": evidence.public_code,
        "complaint": complaint_code,
        "filename": evidence.filename,
        "media_type": stored.media_type,
        "size": stored.size,
        "sha256": stored.sha256,
        "description": evidence.description,
        "source": evidence.source,
        "captured_at": evidence.captured_at,
        "added_by": evidence.added_by.party.code,
        "added_at": evidence.added_at,
        "download_url": reverse("api:download_evidence", kwargs={"evidence_code": evidence.public_code}),
    }
