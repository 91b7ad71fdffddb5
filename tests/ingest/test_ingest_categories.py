"""The mapping tables from each source's types to the mechanism's taxonomy: complete, and as decided."""

from __future__ import annotations

import csv

import pytest
from ingest_helpers import DATA

from ceasefire.incidents.enums import CATEGORY_MAPPING, Category
from ceasefire.ingest.correlation import COMPATIBLE, INCOMPATIBLE, SAME, complaint_compatibility, event_compatibility
from ceasefire.ingest.sources.acled.categories import SUB_EVENT_TYPES, source_type
from ceasefire.ingest.sources.gdelt.categories import category_of
from ceasefire.ingest.sources.ucdp.categories import TYPE_OF_VIOLENCE

pytestmark = pytest.mark.unit


def test_every_acled_sub_event_type_of_the_codebook_is_mapped():
    with (DATA / "acled_event_categories.csv").open(encoding="utf-8") as f:
        codebook = {source_type(r["event_type"], r["sub_event_type"]) for r in csv.DictReader(f)}

    assert codebook == set(SUB_EVENT_TYPES)


def test_acled_mapping_as_decided():
    assert SUB_EVENT_TYPES["Explosions/Remote violence/Air/drone strike"] == Category.AIR_STRIKE
    assert SUB_EVENT_TYPES["Explosions/Remote violence/Shelling/artillery/missile attack"] == Category.CROSS_BORDER_FIRE
    assert SUB_EVENT_TYPES["Battles/Armed clash"] == Category.ARMED_CLASH
    assert SUB_EVENT_TYPES["Protests/Peaceful protest"] == ""
    assert source_type("Strategic Developments", "Other") == "Strategic developments/Other"


def test_acled_types_named_by_the_taxonomy_exist_in_acled():
    named = {t for mapping in CATEGORY_MAPPING.values() for t in mapping.acled}

    assert named <= set(SUB_EVENT_TYPES)


def test_ucdp_type_of_violence_mapping():
    assert TYPE_OF_VIOLENCE == {
        "1": Category.ARMED_CLASH,
        "2": Category.MILITANT_SANCTUARY,
        "3": Category.MILITANT_ATTACK,
    }


@pytest.mark.parametrize(
    ("code", "category"),
    [("195", "air_strike"), ("1951", "air_strike"), ("196", "cross_border_fire"), ("194", "cross_border_fire"),
     ("191", "crossing_closure"), ("174", "forced_expulsion"), ("1831", "militant_attack"), ("1724", ""),
     ("199", "armed_clash"), ("2041", "militant_attack"), ("051", ""), ("0871", "")],
)  # fmt: skip
def test_cameo_codes_map_by_code_then_base_then_root(code, category):
    assert category_of(code) == category


def test_event_compatibility_uses_the_taxonomy_mapping():
    assert (
        event_compatibility("acled", "Explosions/Remote violence/Air/drone strike", "air_strike", "air_strike") == SAME
    )
    # ACLED armed clash is listed for a ground incursion in CATEGORY_MAPPING, but is not its own category.
    assert event_compatibility("acled", "Battles/Armed clash", "armed_clash", "ground_incursion") == COMPATIBLE
    assert event_compatibility("acled", "Protests/Peaceful protest", "", "air_strike") == INCOMPATIBLE
    assert event_compatibility("ucdp", "1", "armed_clash", "air_strike") == COMPATIBLE
    assert event_compatibility("ucdp", "2", "militant_sanctuary", "air_strike") == INCOMPATIBLE
    assert event_compatibility("ucdp", "", "", "cross_border_fire") == COMPATIBLE
    assert event_compatibility("ucdp", "", "", "crossing_closure") == INCOMPATIBLE
    assert event_compatibility("gdelt", "1951", "air_strike", "air_strike") == SAME
    assert event_compatibility("gdelt", "1952", "air_strike", "air_strike") == SAME
    assert event_compatibility("gdelt", "196", "cross_border_fire", "armed_clash") == COMPATIBLE
    assert event_compatibility("gdelt", "042", "", "armed_clash") == INCOMPATIBLE


def test_complaint_categories_compatible_when_sharing_an_external_type():
    assert complaint_compatibility("cross_border_fire", "cross_border_fire") == SAME
    assert complaint_compatibility("cross_border_fire", "armed_clash") == COMPATIBLE
    assert complaint_compatibility("air_strike", "forced_expulsion") == INCOMPATIBLE
    assert complaint_compatibility("crossing_closure", "trade_obstruction") == COMPATIBLE  # CAMEO 191, a blockade
    assert complaint_compatibility("crossing_closure", "forced_expulsion") == INCOMPATIBLE  # only ACLED's catch-all
