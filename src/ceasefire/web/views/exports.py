"""Downloads of any list as CSV, GeoJSON or XLSX, with the list page's own filters from the query string, and the
ACLED-compatible CSV of determined incidents. Every row comes through the list's own visible_to query
(analytics/exports_tables.py); an unknown list or format is absent (404)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from ceasefire.analytics import exports
from ceasefire.analytics.exports_acled import determined_incidents_table
from ceasefire.analytics.exports_tables import complaints_table, crossings_table, events_table, intel_table
from ceasefire.core.models import Membership, Party
from ceasefire.incidents.forms import ComplaintFilterForm
from ceasefire.ingest.forms import EventFilterForm
from ceasefire.intel.forms import IntelFilterForm
from ceasefire.intel.queries import ItemFilters

from .common import member_required, require_member

TABLES = ("complaints", "events", "crossings", "intel")


def export_table(member: Membership, table: str, request: HttpRequest) -> exports.ExportTable:
    """The named list with the filters its page reads (a bad filter value is ignored, as on the page)."""
    if table == "complaints":
        form = ComplaintFilterForm(request.GET or None, parties=list(Party.objects.all()))
        return complaints_table(member, form.to_filter())
    if table == "events":
        return events_table(member, EventFilterForm(request.GET or None).to_filter(exportable_only=True))
    if table == "crossings":
        return crossings_table(member)
    if table == "intel":
        return intel_table(member, ItemFilters(**IntelFilterForm(request.GET or None).values()))
    raise Http404


@member_required
def download(request: HttpRequest, table: str, fmt: str) -> HttpResponseBase:
    member = require_member(request)
    if table not in TABLES or fmt not in exports.FORMATS:
        raise Http404
    return exports.response(export_table(member, table, request), fmt, party_code=member.party.code)


@member_required
def acled_csv(request: HttpRequest) -> HttpResponseBase:
    member = require_member(request)
    return exports.response(determined_incidents_table(member), "csv", party_code=member.party.code)
