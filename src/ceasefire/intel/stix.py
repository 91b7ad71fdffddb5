"""STIX 2.1 interchange of intelligence: items exported as a bundle under the TLP 2.0 marking definitions, and a
bundle imported as a draft item of the importer's party.

Export: one identity per party involved (originator, recipients, the request's addressee), a report per item (title,
body, times, TLP marking, originator as creator) referring to its locations, threat actors and notes (distribution,
handling notes, request for action), with the item's public code and the linked complaints the reader may see as
external references. Ids of parties, actors and an item's objects are uuid5 under the project's namespace, so two
exports of the same records agree and a receiving platform can merge them.

Import (stix_import.py, re-exported here as import_bundle): the first report (else note, else indicator) becomes a
draft through services.save_item, with its TLP, its locations as places and its threat actors matched to our actor
registry. Recipients are never taken from a bundle: the importer chooses them when sharing. Anything wrong is a
ValidationFailed naming what, and nothing is saved. The fixed ids both sides use are in stix_vocabulary.py.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

import stix2
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext

from ceasefire.core.enums import TLP
from ceasefire.core.models import Membership, Party
from ceasefire.incidents.models import Actor, Complaint

from .models import IntelItem
from .queries import sees_request_exchange
from .stix_import import import_bundle
from .stix_vocabulary import (
    LABEL_DISTRIBUTION,
    LABEL_HANDLING,
    LABEL_REQUEST,
    MAX_BUNDLE_BYTES,
    REGISTRY_CREATED,
    SOURCE,
    SOURCE_ACTOR,
    SOURCE_COMPLAINT,
    SOURCE_PARTY,
    TLP2_IDS,
    stix_id,
    tlp_marking,
)

__all__ = ["MAX_BUNDLE_BYTES", "TLP2_IDS", "bundle_of", "import_bundle", "stix_id", "tlp_marking"]


def _identity(party: Party) -> stix2.v21.Identity:
    return stix2.v21.Identity(
        id=stix_id("identity", f"party:{party.code}"),
        created=REGISTRY_CREATED,
        modified=REGISTRY_CREATED,
        name=party.name,
        identity_class="organization",
        external_references=[{"source_name": SOURCE_PARTY, "external_id": party.code}],
    )


def _threat_actor(actor: Actor) -> stix2.v21.ThreatActor:
    aliases = [a for a in actor.aliases if isinstance(a, str) and a.strip()] if isinstance(actor.aliases, list) else []
    return stix2.v21.ThreatActor(
        id=stix_id("threat-actor", f"actor:{actor.code}"),
        created=REGISTRY_CREATED,
        modified=REGISTRY_CREATED,
        name=actor.name,
        aliases=aliases,
        description=actor.description or None,
        external_references=[{"source_name": SOURCE_ACTOR, "external_id": actor.code}],
    )


class _Collector:
    """The bundle's shared objects (markings, identities, threat actors), each once, whatever the items."""

    def __init__(self) -> None:
        self.markings: dict[str, stix2.v21.MarkingDefinition] = {}
        self.identities: dict[str, stix2.v21.Identity] = {}
        self.actors: dict[str, stix2.v21.ThreatActor] = {}

    def marking(self, level: str) -> str:
        if level not in self.markings:
            self.markings[level] = tlp_marking(level)
        return str(self.markings[level].id)

    def identity(self, party: Party) -> str:
        if party.code not in self.identities:
            self.identities[party.code] = _identity(party)
        return str(self.identities[party.code].id)

    def actor(self, actor: Actor) -> str:
        if actor.code not in self.actors:
            self.actors[actor.code] = _threat_actor(actor)
        return str(self.actors[actor.code].id)

    def shared_objects(self) -> list[Any]:
        return [
            *(self.markings[level] for level in TLP.values if level in self.markings),
            *(self.identities[code] for code in sorted(self.identities)),
            *(self.actors[code] for code in sorted(self.actors)),
        ]


def _distribution_text(item: IntelItem) -> str:
    parties = sorted(r.party.code for r in item.recipients.all())
    if item.tlp == TLP.CLEAR:
        return gettext("TLP:CLEAR: may be published.")
    if item.tlp == TLP.GREEN:
        return gettext("TLP:GREEN: every member of the mechanism.")
    if item.tlp == TLP.RED:
        return gettext("TLP:RED: the named people only.")
    text = gettext("TLP:%(tlp)s: members of the recipient parties %(parties)s.") % {
        "tlp": item.tlp,
        "parties": ", ".join(parties) or "-",
    }
    if item.forwarding_allowed:
        text += " " + gettext("Recipients may forward it to another party.")
    return text


def _request_note(
    item: IntelItem, collect: _Collector, common: dict[str, Any], report_id: str, member: Membership | None
) -> Any:
    request = getattr(item, "request", None)
    if request is None:
        return None
    against = list(request.against.all())
    lines = [
        gettext("What: %(what)s") % {"what": request.what},
        gettext("Where: %(where)s") % {"where": request.where or "-"},
        gettext("Against: %(actors)s") % {"actors": ", ".join(a.name for a in against) or "-"},
        gettext("Addressed to: %(party)s") % {"party": request.addressee.code},
        gettext("Due: %(due)s") % {"due": request.due_at.astimezone(dt.UTC).isoformat()},
        gettext("State: %(state)s") % {"state": request.get_state_display()},
    ]
    # The rating is between the requesting party and the one asked to act (queries.sees_request_exchange).
    if request.rating and member is not None and sees_request_exchange(member, item, request):
        lines.append(gettext("Rating: %(rating)s") % {"rating": request.get_rating_display()})
    return stix2.v21.Note(
        id=stix_id("note", f"intel:{item.public_code}:request"),
        abstract=gettext("Request for action"),
        content="\n".join(lines),
        labels=[LABEL_REQUEST],
        object_refs=[report_id, collect.identity(request.addressee), *(collect.actor(a) for a in against)],
        **common,
    )


def _item_objects(
    item: IntelItem, collect: _Collector, complaint_codes: list[str], member: Membership | None
) -> list[Any]:
    """The report of one item and the objects only it owns (its locations and notes), under its TLP marking."""
    report_id = stix_id("report", f"intel:{item.public_code}")
    common = {
        "created": item.created_at,
        "modified": max(item.updated_at, item.created_at),
        "created_by_ref": collect.identity(item.originator),
        "object_marking_refs": [collect.marking(item.tlp)],
    }
    locations = [
        stix2.v21.Location(
            id=stix_id("location", f"intel:{item.public_code}:place:{n}"),
            name=place.name,
            latitude=place.latitude,
            longitude=place.longitude,
            description=place.province or None,
            **common,
        )
        for n, place in enumerate(item.places.all())
    ]
    recipients = [collect.identity(r.party) for r in item.recipients.all()]
    notes = [
        stix2.v21.Note(
            id=stix_id("note", f"intel:{item.public_code}:distribution"),
            abstract=gettext("Distribution"),
            content=_distribution_text(item),
            labels=[LABEL_DISTRIBUTION],
            object_refs=[report_id, *recipients],
            **common,
        )
    ]
    if item.handling:
        notes.append(
            stix2.v21.Note(
                id=stix_id("note", f"intel:{item.public_code}:handling"),
                abstract=gettext("Handling notes"),
                content=item.handling,
                labels=[LABEL_HANDLING],
                object_refs=[report_id],
                **common,
            )
        )
    request_note = _request_note(item, collect, common, report_id, member)
    if request_note is not None:
        notes.append(request_note)
    actors = [collect.actor(a) for a in item.actors.all()]
    report = stix2.v21.Report(
        id=report_id,
        name=item.title,
        description=item.body,
        published=item.shared_at or item.updated_at,
        report_types=["threat-report"],
        object_refs=[*(o.id for o in locations), *actors, *(n.id for n in notes)],
        external_references=[
            {"source_name": SOURCE, "external_id": item.public_code},
            *({"source_name": SOURCE_COMPLAINT, "external_id": code} for code in complaint_codes),
        ],
        **common,
    )
    return [report, *locations, *notes]


def _visible_complaint_codes(items: list[IntelItem], member: Membership | None) -> dict[int, list[str]]:
    """Each item's linked complaints that the reader may see too: an export never reveals a complaint."""
    links = (
        IntelItem.complaints.through.objects.filter(
            intelitem__in=items, complaint__in=Complaint.objects.visible_to(member)
        )
        .order_by("complaint__public_code")
        .values_list("intelitem_id", "complaint__public_code")
    )
    codes: dict[int, list[str]] = {}
    for item_id, code in links:
        codes.setdefault(item_id, []).append(code)
    return codes


def bundle_of(items: Iterable[IntelItem], *, member: Membership | None) -> dict[str, Any]:
    """A STIX 2.1 bundle of the items, as a JSON-able dict. The caller passes items it read through visible_items;
    nothing here widens that (linked complaints go through Complaint.objects.visible_to)."""
    items = list(items)
    prefetch_related_objects(
        items,
        "originator",
        "recipients__party",
        "actors",
        "places",
        "request__addressee",
        "request__against",
    )
    complaints = _visible_complaint_codes(items, member)
    collect = _Collector()
    own = [obj for item in items for obj in _item_objects(item, collect, complaints.get(item.pk, []), member)]
    bundle = stix2.v21.Bundle(objects=[*collect.shared_objects(), *own], allow_custom=False)
    exported: dict[str, Any] = json.loads(bundle.serialize())
    return exported
