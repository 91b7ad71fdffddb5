"""An intelligence item's page and what hangs off it: the item (opening it is a recipient's receipt), who read it,
its request for action with the actions taken and the rating, its files, its log entries, its receipt proof and its
STIX bundle. Every read starts from queries.get_visible_item: an item one may not see answers 404.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render

from ceasefire.core.errors import Conflict, NotVisible
from ceasefire.core.models import Membership
from ceasefire.incidents import evidence_store
from ceasefire.intel import queries, rules, services, stix
from ceasefire.intel.enums import RequestState
from ceasefire.intel.forms import ActionForm, ForwardForm, RatingForm
from ceasefire.intel.models import IntelItem, RequestForAction
from ceasefire.intel.receipts import receipt_proof
from ceasefire.ledger.checkpoints import latest_checkpoint
from ceasefire.ledger.tree import tree_size

from .common import member_required, require_member

TEMPLATE = "web/intel/detail.html"


def visible_or_404(member: Membership, public_code: str) -> IntelItem:
    item = queries.get_visible_item(member, public_code)
    if item is None:
        raise Http404
    return item


def request_of(item: IntelItem) -> RequestForAction | None:
    return RequestForAction.objects.filter(item=item).select_related("addressee", "rated_by__user").first()


def page_context(member: Membership, item: IntelItem, **bound: Any) -> dict[str, Any]:
    """Everything the page shows this member; `bound` carries a refused form (forward_form=...) back with its
    errors, or `problem`, a refusal to show above the page."""
    request = request_of(item)
    shows_request = queries.sees_request_exchange(member, item, request)
    receipts = list(queries.receipts_of(member, item))
    originator = queries.is_originator_side(member, item)
    mine = None if originator else next(iter(receipts), None)
    open_request = shows_request and request is not None and request.state != RequestState.RATED
    files = [f for f in item.files.all() if f.action_id is None]
    context: dict[str, Any] = {
        "item": item,
        "originator_side": originator,
        "recipients": [r for r in item.recipients.all()],
        "people": [p.user for p in item.people.all()],
        "forwards": list(item.forwards.select_related("from_party", "to_party", "by__user")),
        "places": list(item.places.all()),
        "files": files,
        "complaints": list(queries.linked_complaints(member, item)),
        "receipts": receipts,
        "my_receipt": mine,
        "request": request if shows_request else None,
        "actions": list(request.actions.select_related("recorded_by__user", "recorded_by__party"))
        if shows_request and request is not None
        else [],
        "action_files": [f for f in item.files.all() if f.action_id is not None] if shows_request else [],
        "can_edit": rules.can_revise(member, item),
        "may_acknowledge": mine is not None and mine.acknowledged_at is None,
        "forward_form": bound.get("forward_form")
        or (ForwardForm(item=item) if rules.can_forward(member, item) else None),
        "action_form": bound.get("action_form")
        or (ActionForm() if open_request and request and rules.can_record_action(member, request) else None),
        "rating_form": bound.get("rating_form")
        or (RatingForm() if open_request and request and rules.can_rate(member, request) else None),
        "problem": bound.get("problem", ""),
    }
    return context


@member_required
def intel_detail(request: HttpRequest, public_code: str) -> HttpResponse:
    member = require_member(request)
    item = visible_or_404(member, public_code)
    services.open_item(member, item)  # a recipient's first opening is its receipt, in the log
    return render(request, TEMPLATE, page_context(member, item))


def _download(body: bytes | str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@member_required
def intel_receipt(request: HttpRequest, public_code: str) -> HttpResponse:
    """The member's own receipt as a tlog-proof; the originator's side names the recipient (?recipient=party:AF)."""
    member = require_member(request)
    item = visible_or_404(member, public_code)
    receipts = queries.receipts_of(member, item)
    wanted = request.GET.get("recipient", "")
    receipt = receipts.filter(recipient_key=wanted).first() if wanted else receipts.first()
    if receipt is None:
        raise Http404
    try:
        proof = receipt_proof(member, item, receipt)
    except NotVisible as exc:
        raise Http404 from exc
    except Conflict as exc:
        # Not yet under a signed checkpoint: the page says so; the link works again in a minute.
        messages.error(request, exc.message)
        return redirect("web:intel-detail", public_code=item.public_code)
    who = receipt.recipient_key.replace(":", "-")
    return _download(proof, f"{item.public_code}-receipt-{who}.tlog-proof", "text/plain; charset=utf-8")


@member_required
def intel_stix(request: HttpRequest, public_code: str) -> HttpResponse:
    member = require_member(request)
    item = visible_or_404(member, public_code)
    services.open_item(member, item)  # the bundle carries the item's content: taking it is opening it
    bundle = stix.bundle_of([item], member=member)
    body = json.dumps(bundle, ensure_ascii=False, indent=2)
    return _download(body, f"{item.public_code}.stix.json", "application/stix+json; charset=utf-8")


@member_required
def intel_log(request: HttpRequest, public_code: str) -> HttpResponse:
    member = require_member(request)
    item = visible_or_404(member, public_code)
    latest = latest_checkpoint()
    context = {
        "item": item,
        "entries": queries.visible_entries(member, item),
        "checkpointed": min(tree_size(), latest.size if latest else 0),
        "receipt_sequences": {r.opened_sequence: r.recipient_key for r in queries.receipts_of(member, item)},
    }
    return render(request, "web/intel/log.html", context)


@member_required
def intel_file(request: HttpRequest, public_code: str, sha256: str) -> HttpResponseBase:
    member = require_member(request)
    item = visible_or_404(member, public_code)
    attached = item.files.filter(stored_file__sha256=sha256.lower()).select_related("stored_file").first()
    if attached is None:
        raise Http404
    if attached.action_id is not None and not queries.sees_request_exchange(member, item, request_of(item)):
        raise Http404
    services.open_item(member, item)
    response = FileResponse(
        evidence_store.open_blob(attached.stored_file.sha256),
        as_attachment=True,
        filename=attached.filename,
        content_type=attached.stored_file.media_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
