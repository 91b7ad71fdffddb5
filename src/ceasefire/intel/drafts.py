"""What a party says when it shares intelligence, and the check of all of it before anything is written.

`check_draft` collects every problem into one ValidationFailed (field → message) and resolves codes and names to
rows, so a bad item — a recipient outside the mechanism, RED without named people, an expiry in the past, a request
addressed to a party that could not read it — changes nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext

from ceasefire.core.enums import TLP, PartyKind
from ceasefire.core.errors import ValidationFailed
from ceasefire.core.models import Membership, Party
from ceasefire.incidents.drafts import EvidenceUpload
from ceasefire.incidents.models import Actor, Complaint

MAX_BODY = 50_000
MAX_PLACES = 50


@dataclass(frozen=True)
class PlaceDraft:
    name: str
    latitude: float
    longitude: float


@dataclass
class RequestDraft:
    """A request for action: what, where, against whom, by when, and which party is asked."""

    addressee: str  # party code
    what: str
    due_at: dt.datetime
    where: str = ""
    against: list[str] = field(default_factory=list)  # actor codes


@dataclass
class IntelDraft:
    title: str
    body: str
    tlp: str
    recipients: list[str] = field(default_factory=list)  # party codes (AMBER, AMBER+STRICT)
    people: list[str] = field(default_factory=list)  # usernames (RED)
    handling: str = ""
    forwarding_allowed: bool = False
    expires_at: dt.datetime | None = None
    actors: list[str] = field(default_factory=list)
    places: list[PlaceDraft] = field(default_factory=list)
    complaints: list[str] = field(default_factory=list)  # public codes
    files: list[EvidenceUpload] = field(default_factory=list)
    request: RequestDraft | None = None
    source: str = ""


def _parties(codes: list[str], member: Membership, errors: dict[str, str]) -> list[Party]:
    wanted = sorted({c.strip().upper() for c in codes if c.strip()})
    found = {p.code: p for p in Party.objects.filter(code__in=wanted, kind__in=[PartyKind.PARTY, PartyKind.MEDIATOR])}
    outside = [c for c in wanted if c not in found]
    if outside:
        errors["recipients"] = gettext("Not a party or mediator of the mechanism: %(codes)s.") % {
            "codes": ", ".join(outside)
        }
    elif member.party.code in found:
        errors["recipients"] = gettext("Your own party is the originator, not a recipient.")
    return [found[c] for c in wanted if c in found]


def _people(usernames: list[str], errors: dict[str, str]) -> list[Any]:
    wanted = sorted({u.strip() for u in usernames if u.strip()})
    users = {
        u.get_username(): u
        for u in get_user_model()
        .objects.filter(username__in=wanted, memberships__is_active=True, is_active=True)
        .distinct()
    }
    outside = [u for u in wanted if u not in users]
    if outside:
        errors["people"] = gettext("Not a member of the mechanism: %(names)s.") % {"names": ", ".join(outside)}
    return [users[u] for u in wanted if u in users]


def _distribution(draft: IntelDraft, member: Membership, errors: dict[str, str], *, final: bool) -> dict[str, Any]:
    """TLP decides who is named: parties for AMBER and AMBER+STRICT, people for RED, nobody for CLEAR and GREEN."""
    if draft.tlp not in TLP.values:
        errors["tlp"] = gettext("Choose a TLP level: CLEAR, GREEN, AMBER, AMBER+STRICT or RED.")
        return {"recipients": [], "people": []}
    recipients = _parties(draft.recipients, member, errors)
    people = _people(draft.people, errors)
    amber = draft.tlp in (TLP.AMBER, TLP.AMBER_STRICT)
    if amber and final and not recipients and "recipients" not in errors:
        errors["recipients"] = gettext("TLP:%(tlp)s needs at least one recipient party.") % {"tlp": draft.tlp}
    if not amber and recipients:
        errors["recipients"] = gettext("Only AMBER and AMBER+STRICT items name recipient parties.")
    if draft.tlp == TLP.RED and final and not people and "people" not in errors:
        errors["people"] = gettext("TLP:RED is for named people only: name at least one.")
    if draft.tlp != TLP.RED and people:
        errors["people"] = gettext("Only TLP:RED items name people.")
    if draft.forwarding_allowed and draft.tlp != TLP.AMBER:
        errors["forwarding_allowed"] = gettext("Only TLP:AMBER can be forwarded; %(tlp)s never is.") % {
            "tlp": f"TLP:{draft.tlp}"
        }
    return {"recipients": recipients, "people": people}


def _places(draft: IntelDraft, errors: dict[str, str]) -> list[PlaceDraft]:
    if len(draft.places) > MAX_PLACES:
        errors["places"] = gettext("At most %(n)d places.") % {"n": MAX_PLACES}
    for place in draft.places:
        lat, lon = place.latitude, place.longitude
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            errors["places"] = gettext("%(name)s: the coordinates are out of range.") % {"name": place.name}
        elif not place.name.strip():
            errors["places"] = gettext("Every place needs a name.")
        elif len(place.name) > 200 or "\x00" in place.name:
            errors["places"] = gettext("%(name)s: a place name is at most 200 printable characters.") % {
                "name": place.name[:40]
            }
    return draft.places


def _request(
    draft: IntelDraft, member: Membership, resolved: dict[str, Any], errors: dict[str, str], now: dt.datetime
) -> dict[str, Any] | None:
    request = draft.request
    if request is None:
        return None
    addressee = Party.objects.filter(code=request.addressee.strip().upper()).first()
    readers = resolved["recipients"] if draft.tlp in (TLP.AMBER, TLP.AMBER_STRICT) else None
    if draft.tlp == TLP.RED:
        readers = list(Party.objects.filter(memberships__user__in=resolved["people"], memberships__is_active=True))
    if addressee is None or addressee.pk == member.party_id:
        errors["request.addressee"] = gettext("Address the request to another party of the mechanism.")
    elif readers is not None and addressee not in readers:
        errors["request.addressee"] = gettext("%(party)s is not among those the item is shared with.") % {
            "party": addressee.code
        }
    if not request.what.strip():
        errors["request.what"] = gettext("Say what action is requested.")
    if request.due_at <= now:
        errors["request.due_at"] = gettext("The due date must be in the future.")
    against = list(Actor.objects.filter(code__in=request.against))
    missing = sorted(set(request.against) - {a.code for a in against})
    if missing:
        errors["request.against"] = gettext("Unknown actor: %(codes)s.") % {"codes": ", ".join(missing)}
    return {"addressee": addressee, "against": against}


def check_draft(member: Membership, draft: IntelDraft, *, final: bool) -> dict[str, Any]:
    """Every problem at once, or the draft's references resolved to rows. `final` is True when sharing."""
    errors: dict[str, str] = {}
    now = timezone.now()
    # A NUL byte is refused here with a message rather than by PostgreSQL with a database error.
    for name in ("title", "body", "handling"):
        if "\x00" in getattr(draft, name):
            errors[name] = gettext("The text contains a NUL character.")
    if not draft.title.strip():
        errors["title"] = gettext("Give the item a title.")
    elif len(draft.title) > 200:
        errors["title"] = gettext("The title is longer than 200 characters.")
    if not draft.body.strip():
        errors["body"] = gettext("Write what the intelligence is.")
    elif len(draft.body) > MAX_BODY:
        errors["body"] = gettext("The body is longer than %(n)d characters.") % {"n": MAX_BODY}
    if draft.expires_at is not None and draft.expires_at <= now:
        errors["expires_at"] = gettext("The expiry must be in the future.")
    resolved = _distribution(draft, member, errors, final=final)
    resolved["places"] = _places(draft, errors)
    actors = list(Actor.objects.filter(code__in=draft.actors))
    missing = sorted(set(draft.actors) - {a.code for a in actors})
    if missing:
        errors["actors"] = gettext("Unknown actor: %(codes)s.") % {"codes": ", ".join(missing)}
    resolved["actors"] = actors
    complaints = list(Complaint.objects.visible_to(member).filter(public_code__in=draft.complaints))
    unknown = sorted(set(draft.complaints) - {c.public_code for c in complaints})
    if unknown:
        errors["complaints"] = gettext("No such complaint: %(codes)s.") % {"codes": ", ".join(unknown)}
    resolved["complaints"] = complaints
    resolved["request"] = _request(draft, member, resolved, errors, now)
    if errors:
        raise ValidationFailed(next(iter(errors.values())), errors=errors)
    return resolved
