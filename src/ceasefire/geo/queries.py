"""Read helpers of the geo layer: where a point lies, the nearest crossing, gazetteer search."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .enums import CoordStatus
from .models import Crossing, Place
from .reference import haversine_km, reference


@dataclass(frozen=True)
class Placement:
    side: str
    distance_km: float
    province: str
    nearest_crossing: Crossing | None
    nearest_crossing_km: float | None
    dataset: str


def nearest_crossing(lon: float, lat: float) -> tuple[Crossing | None, float | None]:
    """Nearest crossing with a trustworthy coordinate. Crossings without one, or with a coordinate flagged as
    suspect (Ghulam Khan's lies ~11 km inside Afghanistan), would name the wrong crossing, so they are skipped."""
    best: tuple[Crossing | None, float | None] = (None, None)
    located = Crossing.objects.filter(latitude__isnull=False, longitude__isnull=False)
    for crossing in located.exclude(coord_status=CoordStatus.SUSPECT):
        assert crossing.longitude is not None and crossing.latitude is not None
        km = haversine_km(lon, lat, crossing.longitude, crossing.latitude)
        if best[1] is None or km < best[1]:
            best = (crossing, km)
    return best


def nearest_place(lon: float, lat: float, country_code: str) -> Place | None:
    """Nearest gazetteer place of a country, searching a widening box so the database does the filtering."""
    for span in (0.5, 1.5, 4.0):
        candidates = Place.objects.filter(
            country_code=country_code,
            latitude__range=(lat - span, lat + span),
            longitude__range=(lon - span, lon + span),
        ).exclude(admin1="")
        if candidates.exists():
            return min(candidates, key=lambda p: haversine_km(lon, lat, p.longitude, p.latitude))
    return None


def province_of(lon: float, lat: float, side: str) -> str:
    """Afghan provinces from polygons; Pakistani ones from the nearest gazetteer place (no licensed polygons)."""
    ref = reference()
    if side == "AF":
        return ref.afghan_province(lon, lat)
    if side == "PK":
        place = nearest_place(lon, lat, "PK")
        return place.admin1 if place else ""
    return ""


def locate(lon: float, lat: float) -> Placement:
    ref = reference()
    side = ref.side_of(lon, lat)
    crossing, crossing_km = nearest_crossing(lon, lat)
    return Placement(
        side=side,
        distance_km=round(ref.distance_to_line_km(lon, lat), 2),
        province=province_of(lon, lat, side),
        nearest_crossing=crossing,
        nearest_crossing_km=round(crossing_km, 2) if crossing_km is not None else None,
        dataset=ref.dataset_name,
    )


def search_places(text: str, limit: int = 20) -> QuerySet[Place]:
    text = text.strip()
    if not text:
        return Place.objects.none()
    return Place.objects.filter(Q(name__icontains=text) | Q(ascii_name__icontains=text)).order_by(
        "-population", "name"
    )[:limit]
