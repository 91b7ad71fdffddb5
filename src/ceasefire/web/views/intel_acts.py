"""What a reader does on an item's page, one POST route each, calling its service: acknowledge, forward, record an
action taken on the request, rate the response.

One may not see the item: 404. One may see it but not do this: 403, before the form is even read. A refused input
comes back on the page next to its field with 422; a step the item no longer allows (acknowledged already, rated
already) comes back with 409 and the reason above the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from ceasefire.core.enums import TLP
from ceasefire.core.errors import Conflict, NotPermitted, NotVisible, ValidationFailed
from ceasefire.core.models import Membership
from ceasefire.intel import rules, services
from ceasefire.intel.forms import ActionForm, ForwardForm, RatingForm, ServiceErrors
from ceasefire.intel.models import IntelItem, RequestForAction

from .common import member_required, require_member
from .intel_detail import TEMPLATE, page_context, request_of, visible_or_404

Run = Callable[[Membership, IntelItem, Any], object]
# Why a member who sees the item may not do this (None: it may).
Refusal = Callable[[Membership, IntelItem], str | None]
MakeForm = Callable[[HttpRequest, IntelItem], ServiceErrors]


def _unless(predicate: Callable[[Membership, IntelItem], bool]) -> Refusal:
    return lambda member, item: None if predicate(member, item) else gettext("You may not do this with this item.")


def _forward_refusal(member: Membership, item: IntelItem) -> str | None:
    """TLP 2.0's own rule is the reason given when it is the reason: STRICT and RED never travel further."""
    if rules.can_forward(member, item):
        return None
    if item.tlp != TLP.AMBER and rules.is_recipient(member, item):
        return gettext("TLP:%(tlp)s items are not forwarded.") % {"tlp": item.tlp}
    return gettext("The originator did not allow forwarding, or you are not a recipient.")


def _on_request(predicate: Callable[[Membership, RequestForAction], bool]) -> Refusal:
    """An act on the request: an item that carries none has nothing to act on (404, as the service says)."""

    def refusal(member: Membership, item: IntelItem) -> str | None:
        found = request_of(item)
        if found is None:
            raise Http404
        return None if predicate(member, found) else gettext("You may not do this with this item.")

    return refusal


def _act(
    request: HttpRequest,
    public_code: str,
    *,
    refusal: Refusal,
    run: Run,
    done: str,
    form_name: str = "",
    make_form: MakeForm | None = None,
) -> HttpResponse:
    member = require_member(request)
    item = visible_or_404(member, public_code)
    reason = refusal(member, item)
    if reason is not None:
        return render(request, "web/forbidden.html", {"reason": reason}, status=403)
    form = make_form(request, item) if make_form is not None else None
    if form is not None and not form.is_valid():
        return render(request, TEMPLATE, page_context(member, item, **{form_name: form}), status=422)
    try:
        run(member, item, form)
    except NotVisible as exc:
        raise Http404 from exc
    except NotPermitted as exc:
        return render(request, "web/forbidden.html", {"reason": exc.message}, status=403)
    except Conflict as exc:
        return render(request, TEMPLATE, page_context(member, item, problem=exc.message), status=409)
    except ValidationFailed as exc:
        if form is None:
            return render(request, TEMPLATE, page_context(member, item, problem=exc.message), status=422)
        form.add_service_errors(exc)
        return render(request, TEMPLATE, page_context(member, item, **{form_name: form}), status=422)
    messages.success(request, done)
    return redirect("web:intel-detail", public_code=item.public_code)


@member_required
@require_POST
def acknowledge(request: HttpRequest, public_code: str) -> HttpResponse:
    return _act(
        request,
        public_code,
        refusal=_unless(rules.is_recipient),
        run=lambda m, item, f: services.acknowledge_item(m, item),
        done=gettext("You acknowledged the item; its originator sees when."),
    )


@member_required
@require_POST
def forward(request: HttpRequest, public_code: str) -> HttpResponse:
    return _act(
        request,
        public_code,
        refusal=_forward_refusal,
        form_name="forward_form",
        make_form=lambda r, item: ForwardForm(r.POST, item=item),
        run=lambda m, item, f: services.forward_item(
            m, item, to_party=f.cleaned_data["to_party"], note=f.cleaned_data["note"]
        ),
        done=gettext("The item was forwarded; its originator is told."),
    )


@member_required
@require_POST
def record_action(request: HttpRequest, public_code: str) -> HttpResponse:
    return _act(
        request,
        public_code,
        refusal=_on_request(rules.can_record_action),
        form_name="action_form",
        make_form=lambda r, item: ActionForm(r.POST, r.FILES),
        run=lambda m, item, f: services.record_action(
            m, item, text=f.cleaned_data["text"], taken_on=f.cleaned_data["taken_on"], files=f.uploads()
        ),
        done=gettext("The action was recorded; the requesting party is told."),
    )


@member_required
@require_POST
def rate(request: HttpRequest, public_code: str) -> HttpResponse:
    return _act(
        request,
        public_code,
        refusal=_on_request(rules.can_rate),
        form_name="rating_form",
        make_form=lambda r, item: RatingForm(r.POST),
        run=lambda m, item, f: services.rate_response(
            m, item, rating=f.cleaned_data["rating"], note=f.cleaned_data["note"]
        ),
        done=gettext("The response was rated; the party asked to act is told."),
    )
