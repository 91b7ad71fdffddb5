"""What a party says when it files a complaint, and the check of all of it before anything is written.

`check_draft` collects every problem of a draft into one ValidationFailed (field → message) and resolves codes to
rows; services.file_complaint calls it first, so a bad draft changes nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from ceasefire.agreements.models import Agreement
from ceasefire.core.enums import TLP, PartyKind
from ceasefire.core.errors import ValidationFailed
from ceasefire.core.models import Membership, Party
from ceasefire.geo.models import Place
from ceasefire.geo.reference import reference

from .enums import CasualtyKind, CasualtyStatus, Category, TimePrecision
from .models import Actor

MAX_NARRATIVE = 20_000


@dataclass(frozen=True)
class CasualtyFigure:
    kind: str
    status: str
    best: int
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class EvidenceUpload:
    """A file as received (an UploadedFile or any binary file object) with what the filer says about it."""

    file: Any
    filename: str
    description: str = ""
    source: str = ""
    captured_at: dt.datetime | None = None


@dataclass
class ComplaintDraft:
    """Everything a party says when it files a complaint, before any of it is checked."""

    category: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_precision: str
    latitude: float
    longitude: float
    respondent: str  # party code
    narrative: str
    commitments: Sequence[str] = ()  # commitment codes of the agreement
    actors: Sequence[str] = ()  # actor codes
    title: str = ""
    tlp: str = TLP.AMBER
    place_id: int | None = None
    place_description: str = ""
    casualties: Sequence[CasualtyFigure] = ()
    agreement_code: str | None = None
    evidence: Sequence[EvidenceUpload] = field(default_factory=list)


def check_draft(member: Membership, draft: ComplaintDraft) -> dict[str, Any]:
    """Validate every field, collecting all problems, and resolve codes to rows. Raises ValidationFailed."""
    errors: dict[str, str] = {}
    resolved: dict[str, Any] = {}

    agreements = Agreement.objects.filter(is_active=True, parties=member.party)
    agreement = agreements.filter(code=draft.agreement_code).first() if draft.agreement_code else agreements.first()
    if agreement is None:
        errors["agreement"] = (
            gettext("Unknown agreement '%(code)s'.") % {"code": draft.agreement_code}
            if draft.agreement_code
            else gettext("Your party is bound by no agreement in force.")
        )
    resolved["agreement"] = agreement

    if draft.category not in Category.values:
        errors["category"] = gettext("Unknown category '%(category)s'.") % {"category": draft.category}
    if draft.time_precision not in TimePrecision.values:
        errors["time_precision"] = gettext("Unknown time precision '%(precision)s'.") % {
            "precision": draft.time_precision
        }
    if draft.tlp not in TLP.values:
        errors["tlp"] = gettext("Unknown TLP level '%(tlp)s'.") % {"tlp": draft.tlp}

    if draft.ends_at < draft.starts_at:
        errors["ends_at"] = gettext("The end of the time window is before its start.")
    if draft.starts_at > timezone.now() + dt.timedelta(minutes=5):
        errors["starts_at"] = gettext("The incident cannot start in the future.")

    lat, lon = draft.latitude, draft.longitude
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        errors["latitude"] = gettext("Latitude must be between -90 and 90.")
    elif not (math.isfinite(lon) and -180 <= lon <= 180):
        errors["longitude"] = gettext("Longitude must be between -180 and 180.")
    elif not reference().in_area(lon, lat):
        errors["latitude"] = gettext(
            "The point %(lat).4f, %(lon).4f lies outside the mechanism's area "
            "(Afghanistan and Pakistan and 25 km around them)."
        ) % {"lat": lat, "lon": lon}

    respondent = Party.objects.filter(code=draft.respondent.upper()).first() if draft.respondent else None
    if respondent is None:
        errors["respondent"] = gettext("Unknown party '%(party)s'.") % {"party": draft.respondent}
    elif respondent.pk == member.party_id:
        errors["respondent"] = gettext("A party cannot file a complaint against itself.")
    elif respondent.kind != PartyKind.PARTY:
        errors["respondent"] = gettext("%(party)s is a %(kind)s, not a party to the ceasefire.") % {
            "party": respondent.name,
            "kind": respondent.kind,
        }
    elif agreement is not None and not agreement.parties.filter(pk=respondent.pk).exists():
        errors["respondent"] = gettext("%(party)s is not a party to %(agreement)s.") % {
            "party": respondent.name,
            "agreement": agreement.title,
        }
    resolved["respondent"] = respondent

    codes = list(dict.fromkeys(draft.commitments))
    if not codes:
        errors["commitments"] = gettext("Name at least one commitment allegedly breached.")
    elif agreement is not None:
        found = {c.code: c for c in agreement.commitments.filter(code__in=codes).prefetch_related("bound_parties")}
        unknown = [c for c in codes if c not in found]
        if unknown:
            errors["commitments"] = gettext("Unknown commitment(s) of %(agreement)s: %(codes)s.") % {
                "agreement": agreement.code,
                "codes": ", ".join(unknown),
            }
        elif respondent is not None and "respondent" not in errors:
            unbound = [c for c in codes if respondent not in found[c].bound_parties.all()]
            if unbound:
                errors["commitments"] = gettext("%(party)s is not bound by: %(codes)s.") % {
                    "party": respondent.name,
                    "codes": ", ".join(unbound),
                }
        resolved["commitments"] = list(found.values())

    actor_codes = list(dict.fromkeys(draft.actors))
    actors = list(Actor.objects.filter(code__in=actor_codes))
    unknown_actors = sorted(set(actor_codes) - {a.code for a in actors})
    if unknown_actors:
        errors["actors"] = gettext("Unknown actor(s): %(codes)s.") % {"codes": ", ".join(unknown_actors)}
    resolved["actors"] = actors

    narrative = draft.narrative.strip()
    if not narrative:
        errors["narrative"] = gettext("The narrative is empty: say what happened.")
    elif len(narrative) > MAX_NARRATIVE:
        errors["narrative"] = gettext("The narrative is longer than %(limit)d characters.") % {"limit": MAX_NARRATIVE}
    if len(draft.title) > 200:
        errors["title"] = gettext("The title is longer than 200 characters.")

    place = None
    if draft.place_id is not None:
        place = Place.objects.filter(pk=draft.place_id).first()
        if place is None:
            errors["place"] = gettext("Unknown gazetteer place.")
    resolved["place"] = place

    for i, figure in enumerate(draft.casualties):
        problem = casualty_problem(figure)
        if problem:
            errors[f"casualties[{i}]"] = problem
    if errors:
        raise ValidationFailed(gettext("The complaint has errors; nothing was saved."), errors=errors)
    return resolved


def casualty_problem(figure: CasualtyFigure) -> str | None:
    if figure.kind not in CasualtyKind.values:
        return gettext("Unknown casualty kind '%(kind)s'.") % {"kind": figure.kind}
    if figure.status not in CasualtyStatus.values:
        return gettext("Unknown casualty status '%(status)s'.") % {"status": figure.status}
    numbers = [n for n in (figure.low, figure.best, figure.high) if n is not None]
    if any(n < 0 for n in numbers):
        return gettext("Casualty figures cannot be negative.")
    if figure.low is not None and figure.low > figure.best:
        return gettext("The low estimate is above the best estimate.")
    if figure.high is not None and figure.high < figure.best:
        return gettext("The high estimate is below the best estimate.")
    return None
