"""The record version of an intelligence item that its `intel.<verb>` log entries commit to.

Salted in the log like every version, so a sealed entry reveals nothing; `ceasefire log verify --database` rebuilds
the current version from the database and compares it with the latest entry."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ceasefire.ledger.versions import RecordType, register

from .models import IntelItem


def item_version(item: IntelItem) -> dict[str, Any]:
    request = getattr(item, "request", None)
    return {
        "public_code": item.public_code,
        "state": item.state,
        "originator": item.originator.code,
        "tlp": item.tlp,
        "title": item.title,
        "body": item.body,
        "handling": item.handling,
        "forwarding_allowed": item.forwarding_allowed,
        "expires_at": item.expires_at.isoformat() if item.expires_at else None,
        "recipients": sorted(r.party.code for r in item.recipients.all()),
        "people": sorted(p.user.get_username() for p in item.people.all()),
        "actors": sorted(a.code for a in item.actors.all()),
        "places": [[p.name, p.latitude, p.longitude] for p in item.places.all()],
        "complaints": sorted(c.public_code for c in item.complaints.all()),
        "files": sorted(f.stored_file.sha256 for f in item.files.all() if f.action_id is None),
        "request": None
        if request is None
        else {
            "addressee": request.addressee.code,
            "what": request.what,
            "where": request.where,
            "against": sorted(a.code for a in request.against.all()),
            "due_at": request.due_at.isoformat(),
        },
    }


def _items() -> QuerySet[IntelItem]:
    return IntelItem.objects.select_related("originator", "request__addressee").prefetch_related(
        "recipients__party", "people__user", "actors", "places", "complaints", "files__stored_file", "request__against"
    )


def register_item_versions() -> None:
    register(
        RecordType(
            name="intelligence item",
            records=_items,
            code=lambda item: str(item.public_code),
            version=item_version,
            kind_prefix="intel.",
            annotations=frozenset({"forward"}),
        )
    )
