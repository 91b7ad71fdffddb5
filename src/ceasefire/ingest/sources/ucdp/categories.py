"""UCDP GED's type_of_violence and precision codes, mapped to the mechanism's taxonomy and precisions."""

from ceasefire.incidents.enums import Category
from ceasefire.ingest.enums import DatePrecision, PlacePrecision

# 1 state-based (a government against another or a rebel group): the clash between forces the mechanism hears of;
# 2 non-state (armed groups against each other): militant activity; 3 one-sided (against civilians): an attack.
TYPE_OF_VIOLENCE: dict[str, str] = {
    "1": Category.ARMED_CLASH,
    "2": Category.MILITANT_SANCTUARY,
    "3": Category.MILITANT_ATTACK,
}

# where_prec 1 exact place .. 7 only the country or international waters. Absent: taken as district-level, the
# widest precision still useful for corroboration, so a missing code never makes an event look more exact.
WHERE_PREC: dict[str, str] = {
    "1": PlacePrecision.EXACT,
    "2": PlacePrecision.NEAR,
    "3": PlacePrecision.DISTRICT,
    "4": PlacePrecision.PROVINCE,
    "5": PlacePrecision.REGION,
    "6": PlacePrecision.COUNTRY,
    "7": PlacePrecision.COUNTRY,
    "": PlacePrecision.DISTRICT,
}

# date_prec 1 exact day, 2 within 2-6 days, 3 within a week... as GED's codebook; 4 month, 5 year.
DATE_PREC: dict[str, str] = {
    "1": DatePrecision.DAY,
    "2": DatePrecision.DAYS,
    "3": DatePrecision.WEEK,
    "4": DatePrecision.MONTH,
    "5": DatePrecision.YEAR,
}


def date_precision(code: str, span_days: int) -> str:
    """The given code, or when absent what the span between date_start and date_end says."""
    if code in DATE_PREC:
        return DATE_PREC[code]
    if span_days <= 1:
        return DatePrecision.DAY
    return DatePrecision.DAYS if span_days <= 6 else DatePrecision.WEEK if span_days <= 7 else DatePrecision.MONTH
