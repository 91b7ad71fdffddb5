"""The map page and the GeoJSON it draws: outlines and reference line (bundled), crossings, visible
complaints, and the places of the intelligence items one may see.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from ceasefire.core.models import Party
from ceasefire.geo.enums import CoordStatus
from ceasefire.geo.models import Crossing
from ceasefire.geo.reference import DEFAULT_BOUNDARIES, reference
from ceasefire.incidents.forms import ComplaintFilterForm
from ceasefire.incidents.queries import filter_complaints
from ceasefire.intel.models import IntelPlace
from ceasefire.intel.queries import visible_items

from .common import acting_member, member_required

# Markers beyond this many are left off; the list page is the place for exhaustive reading.
MAX_MARKERS = 5000


@cache
def _outlines_bytes() -> bytes:
    # The same file reference() draws the line from, so outlines and line always agree.
    return Path(os.environ.get("CEASEFIRE_BOUNDARIES_FILE") or DEFAULT_BOUNDARIES).read_bytes()


def _geojson(payload: dict[str, Any]) -> HttpResponse:
    return JsonResponse(payload, content_type="application/geo+json")


@member_required
def map_page(request: HttpRequest) -> HttpResponse:
    form = ComplaintFilterForm(request.GET or None, parties=list(Party.objects.all()))
    context = {
        "form": form,
        "dataset": reference().dataset_name,
        "tile_url": settings.MAP_TILE_URL,
        "complaints_url": reverse("web:map-complaints") + ("?" + request.GET.urlencode() if request.GET else ""),
        "intel_url": reverse("web:intel-map-places"),
    }
    return render(request, "web/map.html", context)


@member_required
def outlines(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_outlines_bytes(), content_type="application/geo+json")


@member_required
def reference_line(request: HttpRequest) -> HttpResponse:
    return _geojson(reference().line_geojson())


@member_required
def crossings(request: HttpRequest) -> HttpResponse:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [c.longitude, c.latitude]},
            "properties": {
                "name": c.name,
                "suspect": c.coord_status == CoordStatus.SUSPECT,
                "status": c.get_coord_status_display(),
                "afghan_side": ", ".join(x for x in (c.afghan_district, c.afghan_province) if x),
                "pakistani_side": ", ".join(x for x in (c.pakistan_district, c.pakistan_province) if x),
            },
        }
        for c in Crossing.objects.filter(latitude__isnull=False, longitude__isnull=False)
    ]
    return _geojson({"type": "FeatureCollection", "features": features})


@member_required
def complaints(request: HttpRequest) -> HttpResponse:
    form = ComplaintFilterForm(request.GET or None, parties=list(Party.objects.all()))
    rows = filter_complaints(acting_member(request), form.to_filter())[:MAX_MARKERS]
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [c.incident.longitude, c.incident.latitude]},
            "properties": {
                "code": c.public_code,
                "title": c.title,
                "category": c.get_category_display(),
                "state": c.get_state_display(),
                "complainant": c.complainant.code,
                "respondent": c.respondent.code,
                "url": reverse("web:complaint-detail", args=[c.public_code]),
            },
        }
        for c in rows
    ]
    return HttpResponse(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
        content_type="application/geo+json",
    )


@member_required
def intel_places(request: HttpRequest) -> HttpResponse:
    """The places of the intelligence items the member may see (?item=CODE: of that item only, for its page)."""
    items = visible_items(acting_member(request))
    if request.GET.get("item"):
        items = items.filter(public_code=request.GET["item"])
    places = IntelPlace.objects.filter(item__in=items.values("pk")).select_related("item__originator")
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p.longitude, p.latitude]},
            "properties": {
                "code": p.item.public_code,
                "title": p.item.title,
                "place": p.name,
                "tlp": p.item.tlp,
                "originator": p.item.originator.code,
                "url": reverse("web:intel-detail", args=[p.item.public_code]),
            },
        }
        for p in places.order_by("-item__created_at", "pk")[:MAX_MARKERS]
    ]
    return HttpResponse(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
        content_type="application/geo+json",
    )
