"""ACLED's event types and sub-event types ("event_type/sub_event_type"), mapped to the mechanism's taxonomy.

Every one of ACLED's 25 sub-event types is listed; "" means outside the mechanism's taxonomy (protests, riots,
agreements, arrests): such events are kept for analysts but never corroborate a complaint.
"""

from ceasefire.incidents.enums import Category
from ceasefire.ingest.enums import DatePrecision, PlacePrecision

SUB_EVENT_TYPES: dict[str, str] = {
    "Battles/Armed clash": Category.ARMED_CLASH,
    "Battles/Government regains territory": Category.GROUND_INCURSION,
    "Battles/Non-state actor overtakes territory": Category.MILITANT_ATTACK,
    "Explosions/Remote violence/Chemical weapon": Category.OTHER_HOSTILE_ACT,
    "Explosions/Remote violence/Air/drone strike": Category.AIR_STRIKE,
    "Explosions/Remote violence/Suicide bomb": Category.MILITANT_ATTACK,
    "Explosions/Remote violence/Shelling/artillery/missile attack": Category.CROSS_BORDER_FIRE,
    "Explosions/Remote violence/Remote explosive/landmine/IED": Category.MILITANT_ATTACK,
    "Explosions/Remote violence/Grenade": Category.MILITANT_ATTACK,
    "Protests/Peaceful protest": "",
    "Protests/Protest with intervention": "",
    "Protests/Excessive force against protesters": "",
    "Riots/Violent demonstration": "",
    "Riots/Mob violence": "",
    "Strategic developments/Agreement": "",
    "Strategic developments/Arrests": "",
    "Strategic developments/Change to group/activity": Category.MILITANT_SANCTUARY,
    "Strategic developments/Disrupted weapons use": Category.OTHER_HOSTILE_ACT,
    "Strategic developments/Headquarters or base established": Category.MILITANT_SANCTUARY,
    "Strategic developments/Looting/property destruction": Category.OTHER_HOSTILE_ACT,
    "Strategic developments/Non-violent transfer of territory": Category.GROUND_INCURSION,
    "Strategic developments/Other": Category.OTHER_HOSTILE_ACT,
    "Violence against civilians/Sexual violence": Category.OTHER_HOSTILE_ACT,
    "Violence against civilians/Attack": Category.MILITANT_ATTACK,
    "Violence against civilians/Abduction/forced disappearance": Category.OTHER_HOSTILE_ACT,
}

# ACLED spells a few event types differently across versions ("Strategic Developments", "protestors").
SPELLINGS = {"Strategic Developments": "Strategic developments", "protestors": "protesters"}

# time_precision: 1 the actual day, 2 a specific week or weekend, 3 only the month.
TIME_PRECISION: dict[str, str] = {"1": DatePrecision.DAY, "2": DatePrecision.WEEK, "3": DatePrecision.MONTH}
EXTRA_DAYS: dict[str, int] = {DatePrecision.DAY: 0, DatePrecision.WEEK: 6, DatePrecision.MONTH: 30}

# geo_precision: 1 the town itself, 2 near a town or part of a region, 3 a larger portion of a region.
GEO_PRECISION: dict[str, str] = {"1": PlacePrecision.EXACT, "2": PlacePrecision.NEAR, "3": PlacePrecision.PROVINCE}


def source_type(event_type: str, sub_event_type: str) -> str:
    joined = f"{event_type.strip()}/{sub_event_type.strip()}"
    for variant, spelling in SPELLINGS.items():
        joined = joined.replace(variant, spelling)
    return joined
