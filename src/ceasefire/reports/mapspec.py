"""The report's map as a Vega-Lite spec: the two national outlines and the reference line from the bundled dataset
(geo/reference.py, the same file the web map draws), the period's incidents as points and, in internal reports,
the crossings by their state. Drawn to PNG by vl-convert; its legend is HTML beside it, like the charts'.

The outlines are simplified once per process (to about 1 km) so that drawing takes milliseconds; the line on the
map is a reference line from a named dataset, never an endorsed border, and the report names the dataset.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import shapely
from shapely.geometry import mapping

from ceasefire.border.enums import DerivedState
from ceasefire.geo.reference import reference

from .charts import CONFIG

TOLERANCE_DEGREES = 0.02
# Degrees of margin around what the map must show (the reference line, the points, the crossings).
MARGIN_DEGREES = 0.8
OUTLINE_FILL = {"AF": "#f3efe6", "PK": "#e9eef3"}
STATE_COLOURS = {
    DerivedState.OPEN.value: "#54a24b",
    DerivedState.RESTRICTED.value: "#f2b447",
    DerivedState.CLOSED.value: "#d62728",
    DerivedState.DISPUTED.value: "#9467bd",
    DerivedState.UNKNOWN.value: "#9d9d9d",
}


@dataclass(frozen=True)
class MapPoint:
    longitude: float
    latitude: float
    colour: str
    number: int = 0  # keys the point to a table row (0: not numbered)


@dataclass(frozen=True)
class MapCrossing:
    longitude: float
    latitude: float
    state: str

    @property
    def colour(self) -> str:
        return STATE_COLOURS.get(self.state, STATE_COLOURS[DerivedState.UNKNOWN.value])


def _mercator_y(latitude: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2))


def fitted_projection(lonlats: Sequence[tuple[float, float]], width: int, height: int) -> dict[str, Any]:
    """A Mercator projection centred on the box around `lonlats` (plus a margin) and scaled to fill the map:
    the border area, not both countries whole, so that incidents a few kilometres apart stay apart."""
    lons = [lon for lon, _lat in lonlats]
    lats = [lat for _lon, lat in lonlats]
    west, east = min(lons) - MARGIN_DEGREES, max(lons) + MARGIN_DEGREES
    south, north = min(lats) - MARGIN_DEGREES, max(lats) + MARGIN_DEGREES
    span_x = math.radians(east - west)
    span_y = _mercator_y(north) - _mercator_y(south)
    scale = min(width / span_x, height / span_y)
    centre_lat = math.degrees(2 * math.atan(math.exp((_mercator_y(north) + _mercator_y(south)) / 2)) - math.pi / 2)
    return {
        "type": "mercator",
        "scale": round(scale, 3),
        "center": [round((west + east) / 2, 5), round(centre_lat, 5)],
        "translate": [width / 2, height / 2],
    }


def visible_box(projection: dict[str, Any], width: int, height: int) -> tuple[float, float, float, float]:
    """West, south, east, north of what the projection shows in width × height, a little wider."""
    scale = projection["scale"]
    lon, lat = projection["center"]
    half_lon = math.degrees(width / 2 / scale)
    y = _mercator_y(lat)
    south = math.degrees(2 * math.atan(math.exp(y - height / 2 / scale)) - math.pi / 2)
    north = math.degrees(2 * math.atan(math.exp(y + height / 2 / scale)) - math.pi / 2)
    pad = 0.2
    return lon - half_lon - pad, south - pad, lon + half_lon + pad, north + pad


@cache
def _line_extent() -> tuple[tuple[float, float], ...]:
    minx, miny, maxx, maxy = reference().line.bounds
    return ((minx, miny), (maxx, maxy))


@lru_cache(maxsize=32)
def _geometry(box: tuple[float, float, float, float]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The outlines and line cut to the box the map shows: drawing only what is seen is what keeps the map fast
    (a clip in the renderer would cost more than the whole chart)."""
    geometry = reference()
    frame = shapely.box(*box)
    outlines = [
        {
            "type": "Feature",
            "properties": {"iso": code, "fill": OUTLINE_FILL.get(code, "#eeeeee")},
            "geometry": mapping(
                shapely.intersection(shapely.simplify(shape, TOLERANCE_DEGREES, preserve_topology=True), frame)
            ),
        }
        for code, shape in sorted(geometry.outlines.items())
    ]
    line = {
        "type": "Feature",
        "properties": {},
        "geometry": mapping(shapely.simplify(geometry.line, TOLERANCE_DEGREES / 2)),
    }
    return outlines, line


def map_spec(
    points: Sequence[MapPoint], crossings: Sequence[MapCrossing] = (), *, width: int = 620, height: int = 460
) -> dict[str, Any]:
    projection = fitted_projection(
        [*_line_extent(), *((p.longitude, p.latitude) for p in points), *_lonlats(crossings)], width, height
    )
    # Rounded so that maps of nearby extents share one cut of the outlines (the cache's key).
    west, south, east, north = (round(v, 1) for v in visible_box(projection, width, height))
    outlines, line = _geometry((west, south, east, north))
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": outlines, "format": {"type": "json"}},
            "mark": {"type": "geoshape", "stroke": "#8a8a8a", "strokeWidth": 0.6},
            "encoding": {"fill": {"field": "properties.fill", "type": "nominal", "scale": None}},
        },
        {
            "data": {"values": [line], "format": {"type": "json"}},
            "mark": {"type": "geoshape", "filled": False, "stroke": "#333333", "strokeWidth": 1.4},
        },
    ]
    if crossings:
        layers.append(
            {
                "data": {"values": _crossing_values(crossings)},
                "mark": {"type": "point", "shape": "triangle-up", "filled": True, "size": 90, "opacity": 0.95},
                "encoding": {
                    "longitude": {"field": "longitude", "type": "quantitative"},
                    "latitude": {"field": "latitude", "type": "quantitative"},
                    "color": {"field": "colour", "type": "nominal", "scale": None},
                },
            }
        )
    if points:
        values = [p.__dict__ for p in points]
        layers.append(
            {
                "data": {"values": values},
                "mark": {"type": "circle", "size": 120, "opacity": 0.85, "stroke": "white", "strokeWidth": 0.8},
                "encoding": {
                    "longitude": {"field": "longitude", "type": "quantitative"},
                    "latitude": {"field": "latitude", "type": "quantitative"},
                    "color": {"field": "colour", "type": "nominal", "scale": None},
                },
            }
        )
        numbered = [v for v in values if v["number"]]
        if numbered:
            layers.append(
                {
                    "data": {"values": numbered},
                    "mark": {"type": "text", "dx": 10, "dy": -8, "fontSize": 13, "fontWeight": "bold"},
                    "encoding": {
                        "longitude": {"field": "longitude", "type": "quantitative"},
                        "latitude": {"field": "latitude", "type": "quantitative"},
                        "text": {"field": "number", "type": "quantitative"},
                    },
                }
            )
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": width,
        "height": height,
        "projection": projection,
        "layer": layers,
        "config": CONFIG,
    }


def _crossing_values(crossings: Sequence[MapCrossing]) -> list[dict[str, Any]]:
    return [{"longitude": c.longitude, "latitude": c.latitude, "colour": c.colour} for c in crossings]


def _lonlats(crossings: Sequence[MapCrossing]) -> list[tuple[float, float]]:
    return [(c.longitude, c.latitude) for c in crossings]
