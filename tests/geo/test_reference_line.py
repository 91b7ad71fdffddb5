"""The reference line and where points lie: sides, distances, provinces and the area of the mechanism."""

from __future__ import annotations

import itertools

import pytest

from ceasefire.geo.reference import DEFAULT_DATASET_NAME, haversine_km, reference

pytestmark = pytest.mark.unit

KABUL = (69.2075, 34.5553)
ISLAMABAD = (73.0479, 33.6844)
TEHRAN = (51.3890, 35.6892)


def line_length_km() -> float:
    line = reference().line
    total = 0.0
    for part in getattr(line, "geoms", [line]):
        coords = list(part.coords)
        total += sum(haversine_km(*a, *b) for a, b in itertools.pairwise(coords))
    return total


def test_haversine_km_matches_known_distance() -> None:
    # A degree of latitude is 111.2 km; Kabul to Islamabad is about 367 km great-circle.
    assert haversine_km(70.0, 33.0, 70.0, 34.0) == pytest.approx(111.19, abs=0.01)
    assert 360 < haversine_km(*KABUL, *ISLAMABAD) < 375
    assert haversine_km(*KABUL, *KABUL) == 0


def test_reference_line_length_is_plausible() -> None:
    # The Durand Line is about 2,640 km; Natural Earth's 10m generalisation is shorter but of that order.
    assert 2000 < line_length_km() < 2800


def test_reference_line_names_its_dataset() -> None:
    feature = reference().line_geojson()
    assert feature["properties"]["dataset"] == DEFAULT_DATASET_NAME == reference().dataset_name
    assert feature["geometry"]["type"] in ("LineString", "MultiLineString")


@pytest.mark.parametrize(("name", "lon", "lat"), [("Torkham", 71.08472, 34.11472), ("Chaman", 66.44472, 30.92222)])
def test_main_crossings_lie_on_reference_line(name: str, lon: float, lat: float) -> None:
    assert reference().distance_to_line_km(lon, lat) < 5, name


def test_ghulam_khan_published_coordinate_lies_inside_afghanistan() -> None:
    # The registry's Ghulam Khan coordinate is flagged SUSPECT: it falls well inside Afghanistan.
    lon, lat = 70.04583, 34.13333
    assert reference().side_of(lon, lat) == "AF"
    assert 8 < reference().distance_to_line_km(lon, lat) < 14


@pytest.mark.parametrize(
    ("lon", "lat", "province"),
    [
        (69.7, 35.4, "Panjshir"),
        (66.1, 33.7, "Daykundi"),
        (69.95, 33.28, "Khost"),
        (69.2075, 34.5553, "Kabul"),
    ],
)
def test_afghan_province_names_split_provinces(lon: float, lat: float, province: str) -> None:
    assert reference().afghan_province(lon, lat) == province


def test_afghan_province_keeps_parent_provinces() -> None:
    # The split fixed the northern halves only: Parwan (Charikar) and Uruzgan (Tarinkot) keep their names.
    assert reference().afghan_province(69.17, 35.01) == "Parwan"
    assert reference().afghan_province(65.87, 32.63) == "Uruzgan"


def test_kabul_lies_in_afghanistan_about_85_km_from_line() -> None:
    assert reference().side_of(*KABUL) == "AF"
    assert 80 < reference().distance_to_line_km(*KABUL) < 95


def test_islamabad_lies_in_pakistan() -> None:
    assert reference().side_of(*ISLAMABAD) == "PK"
    assert reference().in_area(*ISLAMABAD)
    assert reference().afghan_province(*ISLAMABAD) == ""


def test_tehran_lies_outside_the_area() -> None:
    assert reference().side_of(*TEHRAN) == "outside"
    assert not reference().in_area(*TEHRAN)
    assert reference().distance_to_line_km(*TEHRAN) > 900


def test_in_area_includes_margin_beyond_outlines() -> None:
    # About 10 km into Iran from the Islam Qala border (Herat) is outside both outlines but inside the margin.
    lon, lat = 60.75, 34.65
    assert reference().side_of(lon, lat) == "outside"
    assert reference().in_area(lon, lat)
