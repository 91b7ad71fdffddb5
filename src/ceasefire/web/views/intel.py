"""Intelligence lists: the items one may see (filters in the query string, 25 rows a page, the table swapped alone
by HTMX), the same list as CSV or a STIX 2.1 bundle, and the requests for action due. Every row comes from
queries.visible_items or queries.requests_due, which start from IntelItem.objects.visible_to."""

from __future__ import annotations

import json
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ceasefire.core.models import Membership
from ceasefire.intel import exports, queries, rules, services, stix
from ceasefire.intel.forms import IntelFilterForm
from ceasefire.intel.models import IntelItem, Receipt

from .common import member_required, render_page, require_member

PAGE_SIZE = 25


def filtered_items(member: Membership, request: HttpRequest) -> tuple[IntelFilterForm, QuerySet[IntelItem]]:
    form = IntelFilterForm(request.GET or None)
    return form, queries.visible_items(member, queries.ItemFilters(**form.values()))


def _with_opened(member: Membership, items: QuerySet[IntelItem]) -> QuerySet[IntelItem]:
    """Whether the member's party (or, for RED, the member) has opened each item: one subquery, not one per row."""
    mine = Q(recipient_key=f"party:{member.party.code}") | Q(recipient_key=f"user:{member.user_id}")
    return items.annotate(opened=Exists(Receipt.objects.filter(mine, item=OuterRef("pk"))))


@member_required
def intel_list(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    form, items = filtered_items(member, request)
    page = Paginator(_with_opened(member, items), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "filter_query": query.urlencode(),
        "can_share": rules.can_share(member),
        "now": timezone.now(),
    }
    return render_page(request, "web/intel/list.html", "table", context)


def _attachment(body: bytes | str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _export_name(member: Membership, extension: str) -> str:
    return f"intel-{member.party.code}-{timezone.now():%Y%m%d-%H%M}.{extension}"


@member_required
def export_csv(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    _form, items = filtered_items(member, request)
    services.open_items(member, items)  # the export hands the content over: receipts
    body = exports.csv_response_bytes(items, member=member)
    return _attachment(body, _export_name(member, "csv"), "text/csv; charset=utf-8")


@member_required
def export_stix(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    _form, items = filtered_items(member, request)
    services.open_items(member, items)
    bundle = stix.bundle_of(items, member=member)
    body = json.dumps(bundle, ensure_ascii=False, indent=2)
    return _attachment(body, _export_name(member, "stix.json"), "application/stix+json; charset=utf-8")


@member_required
def requests_page(request: HttpRequest) -> HttpResponse:
    """Requests for action the member's party must answer, and those it awaits an answer to."""
    member = require_member(request)
    now = timezone.now()
    due = list(queries.requests_due(member, now=now))
    context: dict[str, Any] = {
        "to_answer": [r for r in due if r.addressee_id == member.party_id],
        "awaited": [r for r in due if r.item.originator_id == member.party_id],
        "now": now,
    }
    return render(request, "web/intel/requests.html", context)
