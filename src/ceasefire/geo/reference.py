"""The reference line and where a point lies relative to it.

The line is the shared edge of the two national outlines of a named dataset (Natural Earth by default). It is a
reference for measuring, never an endorsed border: Afghanistan does not recognise the line, and the product says
which dataset drew it wherever it is shown. An operator swaps the dataset with CEASEFIRE_BOUNDARIES_FILE.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import shapely
import shapely.ops
from shapely.geometry import LineString, Point, shape
from shapely.geometry.base import BaseGeometry

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_BOUNDARIES = DATA_DIR / "ne_10m_admin0_afg_pak.geojson"
DEFAULT_PROVINCES = DATA_DIR / "ne_10m_admin1_afghanistan_provinces.geojson"
DEFAULT_DATASET_NAME = "Natural Earth 10m admin-0 v5.1.1 (public domain)"
EARTH_RADIUS_KM = 6371.0088
# Points within this distance of either outline still belong to the mechanism's area (edges, river beds).
AREA_MARGIN_KM = 25.0

# Natural Earth's admin-1 file mislabels two provinces; each pair shares an ISO code. The northern feature of
# each pair is the province that was split off (Panjshir from Parwan, Daykundi from Uruzgan).
_SPLIT_PROVINCES = {"Parwan": "Panjshir", "Uruzgan": "Daykundi"}


@dataclass(frozen=True)
class Location:
    side: str  # "AF", "PK" or "outside"
    distance_km: float
    province: str


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


class ReferenceGeometry:
    """Outlines, the line between them and province polygons, loaded once per process."""

    def __init__(self, boundaries_path: Path, provinces_path: Path, dataset_name: str) -> None:
        self.dataset_name = dataset_name
        collection = json.loads(boundaries_path.read_text(encoding="utf-8"))
        self.outlines: dict[str, BaseGeometry] = {}
        for feature in collection["features"]:
            self.outlines[feature["properties"]["ISO_A2"]] = shape(feature["geometry"])
        af, pk = self.outlines["AF"], self.outlines["PK"]
        shared = af.boundary.intersection(pk.boundary)
        pieces = [g for g in getattr(shared, "geoms", [shared]) if isinstance(g, LineString)]
        self.line = shapely.line_merge(shapely.MultiLineString(pieces))
        for geometry in (af, pk, self.line):
            shapely.prepare(geometry)
        self.area = shapely.union(af, pk)
        # A planar copy scaled so that a degree of longitude and latitude are alike near 33° N: nearest-point
        # searches on it pick the same point as on the sphere, to well under a kilometre in this region.
        self._k = math.cos(math.radians(33.0))
        self._line_scaled = shapely.transform(self.line, lambda c: c * (self._k, 1.0))
        self.provinces = self._load_provinces(provinces_path)

    @staticmethod
    def _load_provinces(path: Path) -> list[tuple[str, BaseGeometry]]:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        named = [(f["properties"]["name"], shape(f["geometry"])) for f in features]
        for old_name, split_name in _SPLIT_PROVINCES.items():
            pair = [i for i, (name, _) in enumerate(named) if name == old_name]
            if len(pair) == 2:
                northern = max(pair, key=lambda i: named[i][1].centroid.y)
                named[northern] = (split_name, named[northern][1])
        for _, geometry in named:
            shapely.prepare(geometry)
        return named

    def side_of(self, lon: float, lat: float) -> str:
        for code in ("AF", "PK"):
            if shapely.contains_xy(self.outlines[code], lon, lat):
                return code
        return "outside"

    def distance_to_line_km(self, lon: float, lat: float) -> float:
        point = Point(lon * self._k, lat)
        nearest = self._line_scaled.interpolate(self._line_scaled.project(point))
        return haversine_km(lon, lat, nearest.x / self._k, nearest.y)

    def in_area(self, lon: float, lat: float) -> bool:
        if self.side_of(lon, lat) != "outside":
            return True
        nearest = shapely.ops.nearest_points(self.area, Point(lon, lat))[0]
        return haversine_km(lon, lat, nearest.x, nearest.y) <= AREA_MARGIN_KM

    def afghan_province(self, lon: float, lat: float) -> str:
        for name, geometry in self.provinces:
            if shapely.contains_xy(geometry, lon, lat):
                return name
        return ""

    def line_geojson(self) -> dict[str, Any]:
        return {
            "type": "Feature",
            "properties": {"name": "reference line", "dataset": self.dataset_name},
            "geometry": shapely.geometry.mapping(self.line),
        }


@cache
def reference() -> ReferenceGeometry:
    boundaries = Path(os.environ.get("CEASEFIRE_BOUNDARIES_FILE") or DEFAULT_BOUNDARIES)
    name = os.environ.get("CEASEFIRE_BOUNDARIES_NAME") or (
        DEFAULT_DATASET_NAME if boundaries == DEFAULT_BOUNDARIES else boundaries.name
    )
    return ReferenceGeometry(boundaries, DEFAULT_PROVINCES, name)
