"""API v1 of the geo layer: gazetteer search and border crossings (with how far to trust their coordinates).

No `from __future__ import annotations` in router modules: ninja reads the handlers' annotations at import.
"""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from ceasefire.api.auth import acting
from ceasefire.api.schemas.reference import CrossingOut, PlaceOut, crossing_out, place_out

from .models import Crossing
from .queries import search_places

router = Router(tags=["geo"])


class PlaceQuery(Schema):
    q: str = Field("", description="Part of a place name, in any script the gazetteer holds")
    limit: int = Field(20, ge=1, le=100)


@router.get("/places", response=list[PlaceOut], summary="Search the gazetteer")
def list_places(request: HttpRequest, params: Query[PlaceQuery]) -> list[dict[str, object]]:
    """Places whose name contains `q`, most populous first. Empty for a blank `q`."""
    if acting(request) is None:
        return []
    return [place_out(p) for p in search_places(params.q, limit=params.limit)]


@router.get("/crossings", response=list[CrossingOut], summary="Border crossings")
def list_crossings(request: HttpRequest) -> list[dict[str, object]]:
    """Crossings as published; `coord_flagged` marks a coordinate that is missing or suspect."""
    if acting(request) is None:
        return []
    return [crossing_out(c) for c in Crossing.objects.all()]
