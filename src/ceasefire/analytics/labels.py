"""Display names for the keys the aggregates group by (category, state, side, party codes, sources), in the
active language: the page, the charts and the exports name things the same way."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ceasefire.core.models import Party
from ceasefire.geo.enums import Side
from ceasefire.incidents.enums import CasualtyKind, CasualtyStatus, Category, ComplaintState
from ceasefire.ingest.enums import Source

from .queries import WEEK

BREAKDOWN_TITLES: dict[str, Promise] = {
    "category": _("Category"),
    "complainant": _("Complainant"),
    "respondent": _("Respondent"),
    "province": _("Province"),
    "side": _("Side of the reference line"),
    "state": _("State"),
}


def bucket_name(bucket: str) -> str:
    return gettext("week") if bucket == WEEK else gettext("month")


def casualty_kinds() -> dict[str, str]:
    return {k: str(v) for k, v in CasualtyKind.choices}


def casualty_statuses() -> dict[str, str]:
    return {k: str(v) for k, v in CasualtyStatus.choices}


def party_names() -> dict[str, str]:
    """Party code -> its name in the active language (one query)."""
    return {party.code: party.display_name for party in Party.objects.all()}


def source_names() -> dict[str, str]:
    return {k: str(v) for k, v in Source.choices}


def breakdown_labels(by: str) -> dict[str, str]:
    """What each key of a breakdown is called on the page; provinces are shown as stored."""
    if by == "category":
        return {k: str(v) for k, v in Category.choices}
    if by == "state":
        return {k: str(v) for k, v in ComplaintState.choices}
    if by == "side":
        return {k: str(v) for k, v in Side.choices}
    if by in ("complainant", "respondent"):
        return party_names()
    return {"": gettext("Province not known")}
