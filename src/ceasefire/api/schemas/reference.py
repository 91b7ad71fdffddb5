"""Schemas of reference data: parties, the caller, agreements, actors, places and crossings."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from ceasefire.agreements.models import Agreement
from ceasefire.core.models import Membership, Party
from ceasefire.geo.enums import CoordStatus
from ceasefire.geo.models import Crossing, Place
from ceasefire.incidents.models import Actor


class HealthOut(Schema):
    status: str


class PartyOut(Schema):
    code: str
    name: str = Field(description="Name in the request's language.")
    names: dict[str, str] = Field(description="Names by language code.")
    kind: str = Field(description="party, mediator or observer")


def party_out(party: Party) -> dict[str, object]:
    return {"code": party.code, "name": party.display_name, "names": party.names, "kind": party.kind}


class MeOut(Schema):
    username: str
    authenticated_by: str = Field(description="token or session")
    party: PartyOut | None = Field(description="The party the caller acts for; null without membership.")
    role: str | None
    time_zone: str


def me_out(username: str, method: str, member: Membership | None, time_zone: str) -> dict[str, object]:
    return {
        "username": username,
        "authenticated_by": method,
        "party": party_out(member.party) if member else None,
        "role": member.role if member else None,
        "time_zone": time_zone,
    }


class CommitmentOut(Schema):
    code: str
    text: str
    category: str
    bound_parties: list[str] = Field(description="Codes of the parties this commitment binds.")


class PenaltyTypeOut(Schema):
    code: str
    name: str
    description: str


class AgreementOut(Schema):
    code: str
    title: str
    signed_on: dt.date
    place_signed: str
    parties: list[str]
    is_active: bool
    response_hours: int
    investigation_days: int
    appeal_days: int


class AgreementDetailOut(AgreementOut):
    text: str
    commitments: list[CommitmentOut]
    penalty_types: list[PenaltyTypeOut]


def agreement_out(agreement: Agreement, *, detail: bool = False) -> dict[str, object]:
    """Expects parties prefetched, and for `detail` commitments__bound_parties and penalty_types too."""
    out: dict[str, object] = {
        "code": agreement.code,
        "title": agreement.title,
        "signed_on": agreement.signed_on,
        "place_signed": agreement.place_signed,
        "parties": sorted(p.code for p in agreement.parties.all()),
        "is_active": agreement.is_active,
        "response_hours": agreement.response_hours,
        "investigation_days": agreement.investigation_days,
        "appeal_days": agreement.appeal_days,
    }
    if detail:
        out["text"] = agreement.text
        out["commitments"] = [
            {
                "code": c.code,
                "text": c.text,
                "category": c.category,
                "bound_parties": sorted(p.code for p in c.bound_parties.all()),
            }
            for c in agreement.commitments.all()
        ]
        out["penalty_types"] = [
            {"code": p.code, "name": p.name, "description": p.description} for p in agreement.penalty_types.all()
        ]
    return out


class ActorOut(Schema):
    code: str
    name: str
    aliases: list[str]
    kind: str
    party: str | None = Field(description="Code of the party whose force this is; null for armed groups.")
    description: str


def actor_out(actor: Actor) -> dict[str, object]:
    return {
        "code": actor.code,
        "name": actor.name,
        "aliases": list(actor.aliases),
        "kind": actor.kind,
        "party": actor.party.code if actor.party else None,
        "description": actor.description,
    }


class PlaceOut(Schema):
    # The gazetteer is public reference data with no public code; its id is what `place_id` takes when filing.
    id: int = Field(description="Gazetteer place id, to pass as place_id when filing a complaint.")
    name: str
    ascii_name: str
    kind: str
    country_code: str
    admin1: str = Field(description="Province")
    admin2: str = Field(description="District")
    latitude: float
    longitude: float
    population: int | None


def place_out(place: Place) -> dict[str, object]:
    return {
        "id": place.pk,
        "name": place.name,
        "ascii_name": place.ascii_name,
        "kind": place.kind,
        "country_code": place.country_code,
        "admin1": place.admin1,
        "admin2": place.admin2,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "population": place.population,
    }


class CrossingOut(Schema):
    slug: str
    name: str
    latitude: float | None
    longitude: float | None
    coord_status: str = Field(description="ok, approximate, SUSPECT or missing")
    coord_flagged: bool = Field(description="True when the coordinate is missing or suspect: do not rely on it.")
    coord_kind: str
    afghan_province: str
    afghan_district: str
    pakistan_province: str
    pakistan_district: str
    source: str
    notes: str


FLAGGED_COORD_STATUSES = frozenset({CoordStatus.MISSING, CoordStatus.SUSPECT})


def crossing_out(crossing: Crossing) -> dict[str, object]:
    return {
        "slug": crossing.slug,
        "name": crossing.name,
        "latitude": crossing.latitude,
        "longitude": crossing.longitude,
        "coord_status": crossing.coord_status,
        "coord_flagged": crossing.coord_status in FLAGGED_COORD_STATUSES or not crossing.has_coordinate,
        "coord_kind": crossing.coord_kind,
        "afghan_province": crossing.afghan_province,
        "afghan_district": crossing.afghan_district,
        "pakistan_province": crossing.pakistan_province,
        "pakistan_district": crossing.pakistan_district,
        "source": crossing.source,
        "notes": crossing.notes,
    }
