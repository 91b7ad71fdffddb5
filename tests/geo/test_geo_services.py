"""geo services and queries on the database: locate(), crossings as loaded, gazetteer search, add_place."""

from __future__ import annotations

from typing import Any

import pytest

from ceasefire.core.errors import ValidationFailed
from ceasefire.core.models import Membership
from ceasefire.geo.enums import CoordStatus, PlaceKind
from ceasefire.geo.models import Crossing, Place
from ceasefire.geo.queries import locate, nearest_crossing, search_places
from ceasefire.geo.reference import DEFAULT_DATASET_NAME, reference
from ceasefire.geo.services import add_place, load_crossings
from ceasefire.ledger.models import LogEntry

pytestmark = pytest.mark.integration


def test_loaded_crossings_keep_missing_coordinates_missing(mechanism: Any) -> None:
    missing = Crossing.objects.filter(coord_status=CoordStatus.MISSING)
    assert missing.exists()
    assert all(not c.has_coordinate for c in missing)
    assert Crossing.objects.get(slug="ghulam-khan").coord_status == CoordStatus.SUSPECT


@pytest.mark.parametrize("name", ["Torkham", "Chaman"])
def test_loaded_main_crossings_lie_within_5_km_of_line(mechanism: Any, name: str) -> None:
    crossing = Crossing.objects.get(name__startswith=name)
    assert crossing.longitude is not None and crossing.latitude is not None
    assert reference().distance_to_line_km(crossing.longitude, crossing.latitude) < 5


def test_loaded_ghulam_khan_lies_8_to_14_km_inside_afghanistan(mechanism: Any) -> None:
    crossing = Crossing.objects.get(slug="ghulam-khan")
    assert crossing.longitude is not None and crossing.latitude is not None
    assert reference().side_of(crossing.longitude, crossing.latitude) == "AF"
    assert 8 < reference().distance_to_line_km(crossing.longitude, crossing.latitude) < 14


def test_locate_kabul(mechanism: Any) -> None:
    placement = locate(69.2075, 34.5553)

    assert (placement.side, placement.province, placement.dataset) == ("AF", "Kabul", DEFAULT_DATASET_NAME)
    assert 80 < placement.distance_km < 95
    assert placement.nearest_crossing is not None


def test_locate_islamabad_takes_province_from_gazetteer(mechanism: Any) -> None:
    placement = locate(73.0479, 33.6844)

    assert (placement.side, placement.province) == ("PK", "Islamabad")


def test_locate_landi_kotal_is_next_to_torkham(mechanism: Any) -> None:
    placement = locate(71.14108, 34.0988)

    assert (placement.side, placement.province) == ("PK", "Khyber Pakhtunkhwa")
    assert placement.nearest_crossing is not None and placement.nearest_crossing.slug == "torkham"
    assert placement.nearest_crossing_km is not None and placement.nearest_crossing_km < 10


def test_locate_tehran_is_outside_with_no_province(mechanism: Any) -> None:
    placement = locate(51.3890, 35.6892)

    assert (placement.side, placement.province) == ("outside", "")


def test_nearest_crossing_ignores_crossings_without_coordinate(mechanism: Any) -> None:
    crossing, km = nearest_crossing(71.08472, 34.11472)

    assert crossing is not None and crossing.slug == "torkham"
    assert km is not None and km < 0.01


def test_search_places_finds_by_ascii_name(mechanism: Any) -> None:
    names = [p.name for p in search_places("Landi Kotal")]
    assert "Landi Kotal" in names
    assert list(search_places("   ")) == []


def test_add_place_records_operator_place_and_logs(af_liaison: Membership) -> None:
    before = LogEntry.objects.count()

    place = add_place(
        af_liaison, name="  Mughalgai  ", latitude=33.28, longitude=69.95, admin1="Khost", admin2="Gurbuz"
    )

    assert (place.name, place.kind, place.country_code) == ("Mughalgai", PlaceKind.OPERATOR, "AF")
    assert place.source == "added by AF"
    entry = LogEntry.objects.get(sequence=before)
    assert LogEntry.objects.count() == before + 1
    assert (entry.kind, entry.party_code, entry.sealed) == ("place.added", "AF", False)


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"name": "  "}, "name", "needs a name"),
        ({"latitude": 91.0}, "latitude", "not a valid"),
        ({"longitude": -181.0}, "latitude", "not a valid"),
        ({"latitude": float("nan")}, "latitude", "not a valid"),
        ({"longitude": float("nan")}, "latitude", "not a valid"),
        ({"latitude": 35.6892, "longitude": 51.3890}, "latitude", "outside the mechanism's area"),
    ],
    ids=["blank_name", "latitude_91", "longitude_-181", "latitude_nan", "longitude_nan", "tehran"],
)
def test_add_place_refuses_bad_input(af_liaison: Membership, fields: dict[str, Any], field: str, words: str) -> None:
    before = (Place.objects.count(), LogEntry.objects.count())
    arguments: dict[str, Any] = {"name": "Post 7", "latitude": 33.28, "longitude": 69.95} | fields

    with pytest.raises(ValidationFailed) as caught:
        add_place(af_liaison, **arguments)

    assert list(caught.value.errors) == [field]
    assert words in caught.value.errors[field]
    assert (Place.objects.count(), LogEntry.objects.count()) == before


def test_load_crossings_refuses_bad_number_changing_nothing(mechanism: Any) -> None:
    header = (
        "name,lat,lon,afghan_province,pakistan_district,source,afghan_district,pakistan_province,"
        "coord_kind,coord_status,notes\n"
    )
    data = (header + "New Post,33.1,70.1,Khost,,,,,,ok,\n" + "Bad Post,north,70.2,Khost,,,,,,ok,\n").encode()
    before = (Crossing.objects.count(), LogEntry.objects.count())

    with pytest.raises(ValidationFailed) as caught:
        load_crossings(None, data, source_name="crossings.csv")

    assert "line 3, column lat" in caught.value.message
    assert (Crossing.objects.count(), LogEntry.objects.count()) == before
