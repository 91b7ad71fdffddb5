"""Read helpers over IntelItem.objects.visible_to: lists with filters, one item, who read it, requests due, and
which of an item's log entries a member may hold. Nothing here widens what the visibility rule allows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from ceasefire.core.enums import TLP
from ceasefire.core.models import Membership
from ceasefire.incidents.models import Complaint
from ceasefire.ledger.models import LogEntry

from . import enums
from .enums import ItemState, RequestState
from .models import IntelItem, Receipt, RequestForAction

LIST_RELATED = ("originator", "author__user", "request__addressee")


@dataclass(frozen=True)
class ItemFilters:
    q: str = ""
    tlp: str = ""
    originator: str = ""  # party code
    state: str = ""
    actor: str = ""  # actor code
    received: bool = False  # only items shared with the member's party (not its own)


def visible_items(member: Membership | None, filters: ItemFilters | None = None) -> QuerySet[IntelItem]:
    items = IntelItem.objects.visible_to(member).select_related(*LIST_RELATED)
    if filters is None or member is None:
        return items
    if filters.q.strip():
        items = items.filter(search_text__contains=filters.q.strip().lower())
    if filters.tlp:
        items = items.filter(tlp=filters.tlp)
    if filters.originator:
        items = items.filter(originator__code=filters.originator.upper())
    if filters.state:
        items = items.filter(state=filters.state)
    if filters.actor:
        items = items.filter(actors__code=filters.actor).distinct()
    if filters.received:
        items = items.exclude(originator_id=member.party_id)
    return items


def get_visible_item(member: Membership | None, public_code: str) -> IntelItem | None:
    return (
        IntelItem.objects.visible_to(member)
        .select_related(*LIST_RELATED)
        .prefetch_related("recipients__party", "people__user", "actors", "places", "files__stored_file", "forwards")
        .filter(public_code=public_code)
        .first()
    )


def linked_complaints(member: Membership | None, item: IntelItem) -> QuerySet[Complaint]:
    """An item's complaints that this reader may see too: a link never reveals a complaint."""
    return Complaint.objects.visible_to(member).filter(intel_items=item)


def is_originator_side(member: Membership | None, item: IntelItem) -> bool:
    """Whoever holds the item as its source: the originator party, and for RED only the author."""
    if member is None or member.party_id != item.originator_id:
        return False
    return item.tlp != TLP.RED or member.user_id == item.author.user_id


def sees_request_exchange(member: Membership, item: IntelItem, request: RequestForAction | None) -> bool:
    """The actions taken on a request, their files and the rating are between the requesting side and the party
    asked to act (whose log entries they are, see entry_visible_to): other readers of a GREEN item see the request,
    not the exchange."""
    return request is not None and (is_originator_side(member, item) or member.party_id == request.addressee_id)


def receipts_of(member: Membership | None, item: IntelItem) -> QuerySet[Receipt]:
    """The originator sees who read what; a recipient sees its own receipt only."""
    receipts = Receipt.objects.filter(item=item).select_related("party", "opened_by__user", "acknowledged_by__user")
    if member is None:
        return receipts.none()
    if is_originator_side(member, item):
        return receipts
    return receipts.filter(Q(recipient_key=f"party:{member.party.code}") | Q(recipient_key=f"user:{member.user_id}"))


def requests_due(member: Membership | None, *, now: dt.datetime | None = None) -> QuerySet[RequestForAction]:
    """Open requests for action the member's party must answer or is waiting on, on items it may see."""
    if member is None:
        return RequestForAction.objects.none()
    now = now or timezone.now()
    return (
        RequestForAction.objects.filter(item__in=IntelItem.objects.visible_to(member, now=now))
        .filter(Q(addressee_id=member.party_id) | Q(item__originator_id=member.party_id))
        .filter(item__state=ItemState.SHARED)
        .exclude(state=RequestState.RATED)
        .select_related("item__originator", "addressee")
        .order_by("due_at", "pk")
    )


def entry_visible_to(member: Membership, item: IntelItem, entry: LogEntry) -> bool:
    """May `member`, who can see `item`, hold this log entry's record (and its receipt)?

    The originator's side holds every entry; a reader holds the item's shared versions, its own receipts, and the
    request's entries when its party is the addressee."""
    if entry.subject_code != item.public_code:
        return False
    if is_originator_side(member, item):
        return True
    if entry.kind.startswith("intel."):
        return entry.kind in (enums.ITEM_SHARED, enums.ITEM_FORWARDED)
    if entry.kind.startswith("intel_receipt."):
        return entry.record.get("recipient") in (f"party:{member.party.code}", f"user:{member.user_id}")
    request = getattr(item, "request", None)
    return request is not None and request.addressee_id == member.party_id


def visible_entries(member: Membership, item: IntelItem) -> list[LogEntry]:
    entries = LogEntry.objects.filter(subject_code=item.public_code).order_by("sequence")
    return [entry for entry in entries if entry_visible_to(member, item, entry)]
