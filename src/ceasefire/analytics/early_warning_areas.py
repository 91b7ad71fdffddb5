"""The areas early warning counts in: provinces named as the geo layer names an incident's province (Afghan
provinces from the reference polygons, Pakistani ones from the nearest gazetteer place), so a complaint and an
external event at the same spot fall in the same area. External events carry only their source's admin names
(UCDP often none), so their province is computed here the same way, vectorised over many points.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from numpy.typing import NDArray

from ceasefire.geo.enums import CoordStatus
from ceasefire.geo.models import Crossing, Place
from ceasefire.geo.queries import province_of
from ceasefire.geo.reference import reference

from .enums import ALL_AREAS

# The geo layer gives up on the nearest gazetteer place beyond a 4-degree box (geo.queries.nearest_place).
_PLACE_REACH_DEG = 4.0
_CHUNK = 4096


def afghan_provinces() -> list[str]:
    return sorted({name for name, _geometry in reference().provinces})


def pakistani_provinces() -> list[str]:
    names = Place.objects.filter(country_code="PK").exclude(admin1="").values_list("admin1", flat=True)
    return sorted(set(names))


def known_areas() -> list[str]:
    """Every province one may subscribe to, and ALL_AREAS for the whole frontier."""
    return [ALL_AREAS, *sorted(set(afghan_provinces()) | set(pakistani_provinces()))]


def provinces_of_points(
    latitudes: NDArray[np.float64], longitudes: NDArray[np.float64], sides: Sequence[str]
) -> list[str]:
    """The province of each point, "" when it has none (outside both countries, or no gazetteer place near)."""
    count = len(latitudes)
    found = np.full(count, "", dtype=object)
    side = np.asarray(sides, dtype=object)
    afghan = np.flatnonzero(side == "AF")
    if len(afghan):
        for name, geometry in reference().provinces:
            inside = shapely.contains_xy(geometry, longitudes[afghan], latitudes[afghan])
            hit = afghan[inside & (found[afghan] == "")]
            found[hit] = name
    pakistani = np.flatnonzero(side == "PK")
    places = list(
        Place.objects.filter(country_code="PK").exclude(admin1="").values_list("latitude", "longitude", "admin1")
    )
    if len(pakistani) and places:
        place_lat = np.array([p[0] for p in places])
        place_lon = np.array([p[1] for p in places])
        names = np.array([p[2] for p in places], dtype=object)
        for begin in range(0, len(pakistani), _CHUNK):
            chunk = pakistani[begin : begin + _CHUNK]
            # Squared degrees scaled by the latitude's cosine pick the same nearest place as the sphere would
            # at these distances; the geo layer's own rule is "nearest", not a distance threshold.
            scale = np.cos(np.radians(latitudes[chunk]))[:, None]
            d2 = (latitudes[chunk][:, None] - place_lat[None, :]) ** 2 + (
                (longitudes[chunk][:, None] - place_lon[None, :]) * scale
            ) ** 2
            nearest = np.argmin(d2, axis=1)
            close = (np.abs(place_lat[nearest] - latitudes[chunk]) <= _PLACE_REACH_DEG) & (
                np.abs(place_lon[nearest] - longitudes[chunk]) <= _PLACE_REACH_DEG
            )
            found[chunk[close]] = names[nearest[close]]
    return [str(value) for value in found]


def located_crossings() -> list[Crossing]:
    """Crossings whose coordinate can be measured from: located and not flagged suspect (geo.nearest_crossing's
    rule: Ghulam Khan's published point lies about 11 km inside Afghanistan and would mislead)."""
    located = Crossing.objects.filter(latitude__isnull=False, longitude__isnull=False)
    return list(located.exclude(coord_status=CoordStatus.SUSPECT).order_by("slug"))


def crossing_area(crossing: Crossing) -> str:
    """The province a crossing lies in, as an incident at its coordinate would be placed; without a trustworthy
    coordinate, the registry's Afghan (then Pakistani) province when it is a known area; else the whole frontier."""
    trusted = crossing.coord_status != CoordStatus.SUSPECT
    if trusted and crossing.latitude is not None and crossing.longitude is not None:
        side = reference().side_of(crossing.longitude, crossing.latitude)
        province = province_of(crossing.longitude, crossing.latitude, side)
        if province:
            return province
    areas = set(known_areas())
    for name in (crossing.afghan_province, crossing.pakistan_province):
        if name and name in areas:
            return name
    return ALL_AREAS
