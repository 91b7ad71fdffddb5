"""Choices of the external event data: sources and their licences, precisions, import runs and correlation links.
Imports nothing from the project."""

from __future__ import annotations

from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    UCDP = "ucdp", _("UCDP GED")
    ACLED = "acled", _("ACLED")
    GDELT = "gdelt", _("GDELT")


class Licence(NamedTuple):
    name: str
    attribution: str
    # ACLED's terms forbid redistributing its rows: they stay inside this instance, never exported or published.
    exportable: bool
    url: str


LICENCES: dict[str, Licence] = {
    Source.UCDP: Licence(
        "CC BY 4.0",
        "UCDP Georeferenced Event Dataset (GED), Uppsala Conflict Data Program; Sundberg & Melander 2013, "
        "Journal of Peace Research 50(4). CC BY 4.0.",
        True,
        "https://ucdp.uu.se/downloads/",
    ),
    Source.ACLED: Licence(
        "ACLED terms of use",
        "Armed Conflict Location & Event Data Project (ACLED), acleddata.com. Not for redistribution.",
        False,
        "https://acleddata.com/terms-of-use/",
    ),
    Source.GDELT: Licence(
        "free use with citation",
        "The GDELT Project (gdeltproject.org), event data; free for any use with citation.",
        True,
        "https://www.gdeltproject.org/about.html#termsofuse",
    ),
}


def exportable_sources() -> list[str]:
    return [source for source, licence in LICENCES.items() if licence.exportable]


class DatePrecision(models.TextChoices):
    """How exactly the source knew the date; the window an event may have happened in grows with it."""

    DAY = "day", _("To the day")
    DAYS = "days", _("Within a few days")
    WEEK = "week", _("Within a week")
    MONTH = "month", _("Within a month")
    YEAR = "year", _("Within a year")


# Extra days either side of an event's dates when correlating, by date precision.
DATE_SLACK_DAYS: dict[str, int] = {
    DatePrecision.DAY: 0,
    DatePrecision.DAYS: 3,
    DatePrecision.WEEK: 7,
    DatePrecision.MONTH: 31,
    DatePrecision.YEAR: 366,
}


class PlacePrecision(models.TextChoices):
    EXACT = "exact", _("Exact place")
    NEAR = "near", _("Near a named place (within 25 km)")
    DISTRICT = "district", _("District")
    PROVINCE = "province", _("Province")
    REGION = "region", _("Part of a country or larger")
    COUNTRY = "country", _("Only the country")


# How far (km) the true place may lie from the given point, by place precision.
PLACE_UNCERTAINTY_KM: dict[str, float] = {
    PlacePrecision.EXACT: 0.0,
    PlacePrecision.NEAR: 25.0,
    PlacePrecision.DISTRICT: 50.0,
    PlacePrecision.PROVINCE: 100.0,
    PlacePrecision.REGION: 250.0,
    PlacePrecision.COUNTRY: 1000.0,
}


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class LinkStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
