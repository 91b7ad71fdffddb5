"""API v1 of intelligence sharing: items (list, draft or share, read, revise a draft), forwarding, receipts,
requests for action (actions taken, the rating), the item's log entries, STIX 2.1 and CSV interchange.

Thin over services.py (every write) and queries.py (every read, through IntelItem.objects.visible_to). An item the
caller may not see answers 404 and is absent from lists, counts and exports. Reading an item (its detail or its
STIX) is the recipient's opening: services.open_item records the receipt before anything is shown.
No `from __future__ import annotations` in router modules: ninja reads the handlers' annotations at import.
"""

import json

from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from ceasefire.api.auth import acting
from ceasefire.api.schemas.intel import (
    ActionIn,
    ForwardIn,
    IntelEntryOut,
    IntelFilters,
    IntelItemIn,
    IntelItemOut,
    IntelPage,
    IntelQuery,
    IntelRequestPage,
    PageQuery,
    RatingIn,
    ReceiptOut,
    ReceiptQuery,
    intel_summary_out,
    receipt_out,
    request_overdue,
)
from ceasefire.core.enums import TLP
from ceasefire.core.errors import NotPermitted, NotVisible, ValidationFailed
from ceasefire.core.models import Membership
from ceasefire.ledger.models import LogCheckpoint
from ceasefire.ledger.tree import tree_size

from . import exports, services, stix
from .detail import item_detail
from .enums import ItemState
from .models import IntelItem, Receipt
from .queries import (
    ItemFilters,
    get_visible_item,
    is_originator_side,
    receipts_of,
    requests_due,
    visible_entries,
    visible_items,
)
from .receipts import receipt_proof

router = Router(tags=["intelligence"])

STIX_MEDIA_TYPE = "application/stix+json;version=2.1"


def _absent() -> NotVisible:
    return NotVisible(_("No such intelligence item."))


def _target(request: HttpRequest, code: str) -> tuple[Membership, IntelItem]:
    member = acting(request)
    item = get_visible_item(member, code)
    if item is None or member is None:
        raise _absent()
    return member, item


def _filters(params: IntelFilters) -> ItemFilters:
    errors: dict[str, str] = {}
    for name, allowed in (("tlp", TLP.values), ("state", ItemState.values)):
        value = getattr(params, name)
        if value and value not in allowed:
            errors[name] = _("Unknown %(field)s '%(value)s'; one of: %(allowed)s.") % {
                "field": name,
                "value": value,
                "allowed": ", ".join(allowed),
            }
    if errors:
        raise ValidationFailed(_("The filters have errors."), errors=errors)
    return ItemFilters(
        q=params.q,
        tlp=params.tlp,
        originator=params.originator,
        state=params.state,
        actor=params.actor,
        received=params.received,
    )


def _opened(member: Membership, code: str) -> dict[str, object]:
    """The item as the member may see it, read again after a move, and opened (a recipient's receipt)."""
    item = get_visible_item(member, code)
    if item is None:
        raise _absent()
    services.open_item(member, item)
    return item_detail(member, item)


def _attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- items --------------------------------------------------------------------------------------------------------


@router.get("/intel/items", response=IntelPage, summary="List intelligence items")
def list_intel_items(request: HttpRequest, params: Query[IntelQuery]) -> dict[str, object]:
    """Items you may see matching every filter given, newest first; `count` counts all pages. Expired items stay
    with their originator only."""
    items = visible_items(acting(request), _filters(params))
    now = timezone.now()
    page = items[params.offset : params.offset + params.limit]
    return {
        "count": items.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": [intel_summary_out(i, now) for i in page],
    }


@router.post("/intel/items", response={201: IntelItemOut}, summary="Draft or share an intelligence item")
def create_intel_item(request: HttpRequest, payload: IntelItemIn, response: HttpResponse) -> Status[dict[str, object]]:
    """A draft for your party (`share: false`, the default) or shared now (`share: true`, final; the recipients
    are told). Every bad field is named, and then nothing is saved."""
    member = acting(request)
    if member is None:
        raise NotPermitted(_("You act for no party, so you cannot share intelligence."))
    item = services.save_item(member, payload.to_draft(), share=payload.share)
    response["Location"] = reverse("api:get_intel_item", kwargs={"code": item.public_code})
    return Status(201, _opened(member, item.public_code))


@router.get("/intel/items/{code}", response=IntelItemOut, summary="One intelligence item")
def get_intel_item(request: HttpRequest, code: str) -> dict[str, object]:
    """The item with its distribution, request for action, forwards and receipts. A recipient's first reading
    is its receipt, recorded in the transparency log."""
    member, item = _target(request, code)
    services.open_item(member, item)
    return item_detail(member, item)


@router.put("/intel/items/{code}", response=IntelItemOut, summary="Revise a draft item")
def revise_intel_item(request: HttpRequest, code: str, payload: IntelItemIn) -> dict[str, object]:
    """Replace a draft with this body, and share it when `share` is true. A shared item is final (409)."""
    member, item = _target(request, code)
    services.save_item(member, payload.to_draft(), share=payload.share, item=item)
    return _opened(member, code)


@router.post("/intel/items/{code}/forward", response=IntelItemOut, summary="Forward an item to another party")
def forward_intel_item(request: HttpRequest, code: str, payload: ForwardIn) -> dict[str, object]:
    """A recipient of a TLP:AMBER item passes it on, when the originator allowed it. AMBER+STRICT and RED never."""
    member, item = _target(request, code)
    services.forward_item(member, item, to_party=payload.to_party, note=payload.note)
    return _opened(member, code)


@router.post("/intel/items/{code}/acknowledge", response=ReceiptOut, summary="Acknowledge an item")
def acknowledge_intel_item(request: HttpRequest, code: str) -> dict[str, object]:
    """A recipient's explicit "received and understood", on its receipt; once."""
    member, item = _target(request, code)
    receipt = services.acknowledge_item(member, item)
    return receipt_out(receipts_of(member, item).get(pk=receipt.pk))


@router.post("/intel/items/{code}/actions", response={201: IntelItemOut}, summary="Record an action taken")
def record_intel_action(request: HttpRequest, code: str, payload: ActionIn) -> Status[dict[str, object]]:
    """The party the request for action is addressed to records what it did (evidence files: the web form)."""
    member, item = _target(request, code)
    services.record_action(member, item, text=payload.text, taken_on=payload.taken_on)
    return Status(201, _opened(member, code))


@router.post("/intel/items/{code}/rating", response=IntelItemOut, summary="Rate the response to a request")
def rate_intel_response(request: HttpRequest, code: str, payload: RatingIn) -> dict[str, object]:
    """The requesting party rates the response, once: satisfactory, partial, unsatisfactory or no_response."""
    member, item = _target(request, code)
    services.rate_response(member, item, rating=payload.rating, note=payload.note)
    return _opened(member, code)


# --- receipts and the log -----------------------------------------------------------------------------------------


@router.get("/intel/items/{code}/receipts", response=list[ReceiptOut], summary="Receipts of an item")
def list_intel_receipts(request: HttpRequest, code: str) -> list[dict[str, object]]:
    """Who opened the item and when: every recipient for the originator's side, your own for a recipient."""
    member, item = _target(request, code)
    return [receipt_out(r) for r in receipts_of(member, item)]


def _chosen_receipt(member: Membership, item: IntelItem, params: ReceiptQuery) -> Receipt | None:
    """The originator's side names the recipient; a recipient gets its own (naming another finds nothing)."""
    receipts = receipts_of(member, item)
    if params.party:
        return receipts.filter(recipient_key=f"party:{params.party.strip().upper()}").first()
    if params.person:
        return receipts.filter(recipient_key__startswith="user:", opened_by__user__username=params.person).first()
    if is_originator_side(member, item):
        raise ValidationFailed(_("Name the recipient: ?party=CODE or, for TLP:RED, ?person=USERNAME."), field="party")
    return receipts.first()


@router.get(
    "/intel/items/{code}/receipt",
    summary="A receipt's proof (.tlog-proof)",
    openapi_extra={"responses": {200: {"description": "C2SP tlog-proof", "content": {"text/plain": {}}}}},
)
def get_intel_receipt(request: HttpRequest, code: str, params: Query[ReceiptQuery]) -> HttpResponse:
    """Proof that the item reached the recipient when it was opened: the log entry of the opening under a signed
    checkpoint, checked offline with `ceasefire log verify-receipt`. 409 until a checkpoint covers it."""
    member, item = _target(request, code)
    receipt = _chosen_receipt(member, item, params)
    if receipt is None:
        raise NotVisible(_("No receipt of this item is yours to download."))
    text = receipt_proof(member, item, receipt)
    filename = f"{item.public_code}-receipt-{receipt.opened_sequence}.tlog-proof"
    return _attachment(text, "text/plain; charset=utf-8", filename)


@router.get("/intel/items/{code}/log", response=list[IntelEntryOut], summary="An item's log entries")
def list_intel_log_entries(request: HttpRequest, code: str) -> list[dict[str, object]]:
    """The entries you may hold: all for the originator's side; for a reader the shared versions, forwards, its
    own receipts and, for the addressed party, the request's entries."""
    member, item = _target(request, code)
    integrated = tree_size()
    latest = LogCheckpoint.objects.order_by("-size").values_list("size", flat=True).first() or 0
    return [
        {
            "index": entry.sequence,
            "time": entry.created_at,
            "kind": entry.kind,
            "sealed": entry.sealed,
            "checkpointed": entry.sequence < min(latest, integrated),
        }
        for entry in visible_entries(member, item)
    ]


# --- requests for action ------------------------------------------------------------------------------------------


@router.get("/intel/requests", response=IntelRequestPage, summary="Requests for action due")
def list_intel_requests(request: HttpRequest, params: Query[PageQuery]) -> dict[str, object]:
    """Open requests your party must answer or is waiting on, soonest due first."""
    member = acting(request)
    due = requests_due(member)
    now = timezone.now()
    page = due[params.offset : params.offset + params.limit]
    return {
        "count": due.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": [
            {
                "item": r.item.public_code,
                "title": r.item.title,
                "originator": r.item.originator.code,
                "addressee": r.addressee.code,
                "what": r.what,
                "where": r.where,
                "due_at": r.due_at,
                "state": r.state,
                "overdue": request_overdue(r, now),
                "yours_to_answer": member is not None and r.addressee_id == member.party_id,
            }
            for r in page
        ],
    }


# --- interchange --------------------------------------------------------------------------------------------------

_STIX_DOC = {200: {"description": "A STIX 2.1 bundle with TLP 2.0 markings", "content": {STIX_MEDIA_TYPE: {}}}}


@router.get("/intel/items/{code}/stix", summary="An item as a STIX 2.1 bundle", openapi_extra={"responses": _STIX_DOC})
def get_intel_stix(request: HttpRequest, code: str) -> HttpResponse:
    """The item (report, notes, threat actors, locations, identities) with its TLP 2.0 marking. Reading it is
    an opening, like the item itself."""
    member, item = _target(request, code)
    services.open_item(member, item)
    bundle = stix.bundle_of([item], member=member)
    return _attachment(_json(bundle), STIX_MEDIA_TYPE, f"{item.public_code}.stix.json")


@router.get("/intel/export.stix", summary="Export items as a STIX 2.1 bundle", openapi_extra={"responses": _STIX_DOC})
def export_intel_stix(request: HttpRequest, params: Query[IntelFilters]) -> HttpResponse:
    """Every item you may see matching the filters (those of the list), in one bundle."""
    member = acting(request)
    items = visible_items(member, _filters(params))
    services.open_items(member, items)  # the export hands the content over: receipts
    bundle = stix.bundle_of(items, member=member)
    return _attachment(_json(bundle), STIX_MEDIA_TYPE, f"intel-{timezone.now():%Y%m%d}.stix.json")


@router.get(
    "/intel/export.csv",
    summary="Export items as CSV",
    openapi_extra={"responses": {200: {"description": "RFC 4180 CSV, UTF-8", "content": {"text/csv": {}}}}},
)
def export_intel_csv(request: HttpRequest, params: Query[IntelFilters]) -> HttpResponse:
    """Every item you may see matching the filters, one row each, with a header row."""
    member = acting(request)
    items = visible_items(member, _filters(params))
    services.open_items(member, items)
    content = exports.csv_response_bytes(items, member=member)
    return _attachment(content, "text/csv; charset=utf-8", f"intel-{timezone.now():%Y%m%d}.csv")


def _json(document: object) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


_IMPORT_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {"type": "object", "description": "A STIX 2.1 bundle"}},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        },
    },
}


def _bundle_bytes(request: HttpRequest) -> tuple[bytes, str]:
    """The uploaded bundle, read no further than one byte past the limit (the import refuses it as too large)."""
    limit = stix.MAX_BUNDLE_BYTES + 1
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed(_("Send the bundle as the multipart field `file`."), field="file")
        return upload.read(limit), upload.name or "bundle.json"
    try:
        raw = request.read(limit)
    except RawPostDataException:  # something read the body already
        raw = request.body[:limit]
    return raw, "bundle.json"


@router.post(
    "/intel/import/stix",
    response={201: IntelItemOut},
    summary="Import a STIX 2.1 bundle as a draft",
    openapi_extra={"requestBody": _IMPORT_BODY},
)
def import_intel_stix(request: HttpRequest, response: HttpResponse) -> Status[dict[str, object]]:
    """The bundle (raw JSON body, or multipart field `file`) becomes a draft item of your party, to check and
    share. A malformed, oversized or empty bundle is refused naming why, and nothing is saved."""
    member = acting(request)
    if member is None:
        raise NotPermitted(_("You act for no party, so you cannot import intelligence."))
    raw, filename = _bundle_bytes(request)
    item = stix.import_bundle(member, raw, filename=filename)
    response["Location"] = reverse("api:get_intel_item", kwargs={"code": item.public_code})
    return Status(201, _opened(member, item.public_code))
