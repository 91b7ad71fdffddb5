"""CAMEO event codes (GDELT's EventCode) mapped to the mechanism's taxonomy, and GDELT's geographic types.

Looked up by the full code, then its three-digit base code, then its two-digit root; codes outside these
(statements, consultations, aid, ...) are kept uncategorised and never corroborate a complaint.
"""

from ceasefire.incidents.enums import Category
from ceasefire.ingest.enums import PlacePrecision

CAMEO: dict[str, str] = {
    "150": Category.OTHER_HOSTILE_ACT,  # demonstrate military or police power
    "163": Category.TRADE_OBSTRUCTION,  # impose embargo, boycott or sanctions
    "174": Category.FORCED_EXPULSION,  # expel or deport individuals
    "180": Category.MILITANT_ATTACK,  # use unconventional violence
    "181": Category.OTHER_HOSTILE_ACT,  # abduct, hijack or take hostage
    "183": Category.MILITANT_ATTACK,  # conduct suicide, car or other non-military bombing
    "1831": Category.MILITANT_ATTACK,
    "1832": Category.MILITANT_ATTACK,
    "1833": Category.MILITANT_ATTACK,
    "185": Category.MILITANT_ATTACK,  # attempt to assassinate
    "186": Category.MILITANT_ATTACK,  # assassinate
    "190": Category.ARMED_CLASH,  # use conventional military force
    "191": Category.CROSSING_CLOSURE,  # impose blockade, restrict movement
    "192": Category.GROUND_INCURSION,  # occupy territory
    "193": Category.ARMED_CLASH,  # fight with small arms and light weapons
    "194": Category.CROSS_BORDER_FIRE,  # fight with artillery and tanks
    "195": Category.AIR_STRIKE,  # employ aerial weapons
    "1951": Category.AIR_STRIKE,  # precision-guided aerial munitions
    "1952": Category.AIR_STRIKE,  # remotely piloted aerial munitions
    "196": Category.CROSS_BORDER_FIRE,  # violate ceasefire
}

ROOTS: dict[str, str] = {
    "15": Category.OTHER_HOSTILE_ACT,  # exhibit force posture
    "18": Category.MILITANT_ATTACK,  # assault
    "19": Category.ARMED_CLASH,  # fight
    "20": Category.MILITANT_ATTACK,  # use unconventional mass violence
}


def category_of(code: str) -> str:
    return CAMEO.get(code) or CAMEO.get(code[:3]) or ROOTS.get(code[:2], "")


# ActionGeo_Type: 1 country, 2 US state, 3 US city, 4 world city, 5 world state (ADM1). 0: no place.
GEO_TYPE: dict[str, str] = {
    "1": PlacePrecision.COUNTRY,
    "2": PlacePrecision.PROVINCE,
    "3": PlacePrecision.NEAR,
    "4": PlacePrecision.NEAR,
    "5": PlacePrecision.PROVINCE,
}
