"""The complaint list: filters in the query string, 25 rows a page, the table swapped alone by HTMX."""

from __future__ import annotations

from typing import Any, cast

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse

from ceasefire.core.models import Party
from ceasefire.incidents.forms import ComplaintFilterForm
from ceasefire.incidents.listing import ComplaintResults

from .common import acting_member, member_required, render_page

PAGE_SIZE = 25


@member_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    form = ComplaintFilterForm(request.GET or None, parties=list(Party.objects.all()))
    complaints = ComplaintResults(acting_member(request), form.to_filter())
    # ComplaintResults pages like a queryset (count() and slices), which is all Paginator uses.
    page = Paginator(cast(Any, complaints), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "filter_query": query.urlencode()}
    return render_page(request, "web/complaints/list.html", "table", context)
