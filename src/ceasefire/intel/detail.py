"""One intelligence item as a member may read it, for the API's detail: the distribution, the request for action
(its actions and rating only for the requesting and the addressed party), forwards, receipts (queries.receipts_of:
all for the originator's side, its own for a recipient), linked complaints the reader may see, and the moves the
member may make now (the same predicates the services check).

It only reads; the caller has found the item through queries.get_visible_item and opened it (services.open_item).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ceasefire.api.schemas.intel import (
    action_out,
    file_out,
    forward_out,
    intel_summary_out,
    receipt_out,
    recipient_out,
    request_out,
)
from ceasefire.core.models import Membership

from . import rules
from .enums import ItemState, RequestState
from .models import IntelFile, IntelForward, IntelItem, IntelRecipient, Receipt, RequestForAction
from .queries import linked_complaints, receipts_of, sees_request_exchange


def _moves(member: Membership, item: IntelItem, request: RequestForAction | None, receipts: list[Receipt]) -> list[str]:
    """What the member may do to the item now: the same predicates the services check."""
    moves = []
    if rules.can_revise(member, item):
        moves.append("revise")
    if rules.can_forward(member, item):
        moves.append("forward")
    if rules.is_recipient(member, item) and not any(r.acknowledged_at for r in receipts):
        moves.append("acknowledge")
    # A draft's request is not yet asked of anyone.
    if request is not None and item.state == ItemState.SHARED and request.state != RequestState.RATED:
        if rules.can_record_action(member, request):
            moves.append("record_action")
        if rules.can_rate(member, request):
            moves.append("rate")
    return moves


def _request_detail(
    member: Membership, item: IntelItem, now: dt.datetime
) -> tuple[RequestForAction | None, dict[str, object] | None]:
    """The request for action; its actions and rating only for the requesting and the addressed party, whose
    log entries they are (queries.entry_visible_to)."""
    request = (
        RequestForAction.objects.select_related("addressee", "item")
        .prefetch_related("against")
        .filter(item=item)
        .first()
    )
    if request is None:
        return None, None
    if not sees_request_exchange(member, item, request):
        return request, request_out(request, now, None)
    files: dict[int | None, list[IntelFile]] = {}
    for row in IntelFile.objects.filter(item=item, action__isnull=False).select_related(
        "stored_file", "added_by__party"
    ):
        files.setdefault(row.action_id, []).append(row)
    actions = [action_out(a, files.get(a.pk, [])) for a in request.actions.select_related("recorded_by__party")]
    return request, request_out(request, now, actions)


def item_detail(member: Membership, item: IntelItem) -> dict[str, object]:
    """Everything about the item this member may see; each part chosen through queries and rules."""
    now = timezone.now()
    receipts = list(receipts_of(member, item))
    request, request_body = _request_detail(member, item, now)
    recipients = IntelRecipient.objects.filter(item=item).select_related("party", "forward__from_party")
    files = IntelFile.objects.filter(item=item, action__isnull=True).select_related("stored_file", "added_by__party")
    forwards = IntelForward.objects.filter(item=item).select_related("from_party", "to_party")
    return intel_summary_out(item, now) | {
        "body": item.body,
        "handling": item.handling,
        "forwarding_allowed": item.forwarding_allowed,
        "source": item.source,
        "recipients": [recipient_out(r) for r in recipients],
        "people": sorted(p.user.get_username() for p in item.people.all()),
        "actors": sorted(a.code for a in item.actors.all()),
        "places": [
            {"name": p.name, "latitude": p.latitude, "longitude": p.longitude, "side": p.side, "province": p.province}
            for p in item.places.all()
        ],
        "complaints": sorted(linked_complaints(member, item).values_list("public_code", flat=True)),
        "files": [file_out(f) for f in files],
        "request": request_body,
        "forwards": [forward_out(f) for f in forwards],
        "receipts": [receipt_out(r) for r in receipts],
        "moves": _moves(member, item, request, receipts),
    }
