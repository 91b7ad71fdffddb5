"""External events: the list and one event, the export (licence permitting), imports with their progress, the
map layer's GeoJSON (points, H3 hexagons, timeline) and a complaint's correlations with investigators' decisions."""

from __future__ import annotations

import csv
import json
from typing import Any

import h3.api.basic_int as h3
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ceasefire.core.errors import DomainError, NotPermitted
from ceasefire.core.models import Membership
from ceasefire.incidents.models import Complaint
from ceasefire.incidents.queries import get_visible_complaint
from ceasefire.ingest import queries, rules, services
from ceasefire.ingest.enums import LICENCES, Source
from ceasefire.ingest.forms import DecisionForm, EventFilterForm, ImportForm
from ceasefire.ingest.models import CorrelationLink

from .common import member_required, render_page, require_member

PAGE_SIZE = 50
MAX_POINTS = 5000


def _filters(request: HttpRequest) -> EventFilterForm:
    return EventFilterForm(request.GET or None)


@member_required
def event_list(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    form = _filters(request)
    qs = queries.filter_events(member, form.to_filter()).order_by("-starts_on", "source", "source_id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "filter_query": query.urlencode(),
        "licences": [(Source(s).label, lic) for s, lic in LICENCES.items()],
        "can_import": rules.can_import_events(member),
    }
    return render_page(request, "web/ingest/events.html", "table", context)


@member_required
def event_detail(request: HttpRequest, source: str, source_id: str) -> HttpResponse:
    event = queries.get_visible_event(require_member(request), source, source_id)
    if event is None:
        raise Http404
    return render(request, "web/ingest/event.html", {"event": event, "licence": event.licence})


class _Echo:
    def write(self, value: str) -> str:
        return value


@member_required
def event_export(request: HttpRequest) -> StreamingHttpResponse:
    """CSV of the filtered events whose licence allows export; ACLED rows never leave the instance."""
    member = require_member(request)
    qs = queries.filter_events(member, _filters(request).to_filter(exportable_only=True)).order_by("starts_on", "pk")
    writer = csv.writer(_Echo())
    columns = ["source", "source_id", "starts_on", "ends_on", "date_precision", "latitude", "longitude",
               "place_precision", "location", "admin1", "admin2", "country", "side", "distance_km", "category",
               "source_type", "actor1", "actor2", "fatalities_best", "fatalities_low", "fatalities_high"]  # fmt: skip

    def rows() -> Any:
        for source, attribution in queries.licences_of(s for s, lic in LICENCES.items() if lic.exportable):
            yield writer.writerow([f"# {source}: {attribution}"])
        yield writer.writerow(columns)
        for values in qs.values_list(*columns).iterator(chunk_size=5000):
            yield writer.writerow(values)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="external-events.csv"'
    return response


# --- imports ---


@member_required
def import_list(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    may_import = rules.can_import_events(member)
    form = ImportForm()
    status = 200
    if request.method == "POST":
        if not may_import:
            return render(request, "web/forbidden.html", {"reason": _("You cannot import event data.")}, status=403)
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                run = services.queue_import(
                    member, source=form.cleaned_data["source"], upload=upload, filename=upload.name
                )
            except DomainError as exc:
                form.add_error("file" if exc.field in (None, "file") else exc.field, exc.message)
            else:
                messages.success(
                    request, _("The file was uploaded; its import runs in the background, and this page follows it.")
                )
                return redirect("web:ingest-run", code=run.public_code)
        status = 422
    runs = list(queries.visible_runs(member)[:50])
    return render(
        request, "web/ingest/imports.html", {"form": form if may_import else None, "runs": runs}, status=status
    )


@member_required
def import_run(request: HttpRequest, code: str) -> HttpResponse:
    run = queries.get_visible_run(require_member(request), code)
    if run is None:
        raise Http404
    return render_page(request, "web/ingest/run.html", "progress", {"run": run})


# --- the map layer ---


def _geojson(payload: dict[str, Any]) -> HttpResponse:
    return HttpResponse(json.dumps(payload, ensure_ascii=False), content_type="application/geo+json")


def _bbox(request: HttpRequest) -> tuple[float, float, float, float] | None:
    try:
        west, south, east, north = (float(v) for v in request.GET.get("bbox", "").split(","))
    except ValueError:
        return None
    return west, south, east, north


@member_required
def map_points(request: HttpRequest) -> HttpResponse:
    qs = queries.filter_events(require_member(request), _filters(request).to_filter())
    box = _bbox(request)
    if box:
        qs = qs.filter(longitude__range=(box[0], box[2]), latitude__range=(box[1], box[3]))
    rows = qs.order_by("-starts_on", "pk").values_list(
        "source", "source_id", "longitude", "latitude", "starts_on", "category", "source_type", "fatalities_best"
    )[:MAX_POINTS]
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "source": source,
                "id": source_id,
                "date": day.isoformat(),
                "category": category,
                "type": kind,
                "fatalities": best,
                "url": reverse("web:ingest-event", args=[source, source_id]),
            },
        }
        for source, source_id, lon, lat, day, category, kind, best in rows
    ]
    return _geojson({"type": "FeatureCollection", "features": features, "truncated": len(features) == MAX_POINTS})


@member_required
def map_hexagons(request: HttpRequest) -> HttpResponse:
    try:
        resolution = max(2, min(7, int(request.GET.get("res", "5"))))
    except ValueError:
        resolution = 5
    cells = queries.hexagons(require_member(request), _filters(request).to_filter(), resolution)
    features = []
    for cell, count in cells:
        ring = [[lon, lat] for lat, lon in h3.cell_to_boundary(cell)]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
                "properties": {"count": count, "cell": h3.int_to_str(cell)},
            }
        )
    return _geojson({"type": "FeatureCollection", "features": features})


@member_required
def map_timeline(request: HttpRequest) -> JsonResponse:
    months = queries.timeline(require_member(request), _filters(request).to_filter())
    return JsonResponse({"months": [{"month": m, "count": n} for m, n in months]})


# --- a complaint's correlations ---


def _complaint_or_404(member: Membership, public_code: str) -> Complaint:
    complaint = get_visible_complaint(member, public_code)
    if complaint is None:
        raise Http404
    return complaint


def _correlation_context(member: Membership, complaint: Complaint) -> dict[str, Any]:
    links = list(queries.links_for_complaint(member, complaint))
    pairs = list(queries.pair_links_naming(member, complaint))
    return {
        "complaint": complaint,
        "event_links": [link for link in links if not link.is_pair],
        "pair_links": [link for link in links if link.is_pair] + pairs,
        "sees_candidates": rules.can_see_candidate_links(member),
        "can_decide": rules.can_decide_links(member),
        "can_group": rules.can_group_complaints(member),
        "decision_form": DecisionForm(),
        "licences": queries.licences_of(link.event.source for link in links if link.event),
    }


@member_required
def complaint_correlations(request: HttpRequest, public_code: str) -> HttpResponse:
    member = require_member(request)
    complaint = _complaint_or_404(member, public_code)
    return render_page(request, "web/ingest/correlations.html", "links", _correlation_context(member, complaint))


@member_required
@require_POST
def refresh_view(request: HttpRequest, public_code: str) -> HttpResponse:
    member = require_member(request)
    complaint = _complaint_or_404(member, public_code)
    try:
        held = services.refresh_correlations(member, complaints=[complaint])
    except NotPermitted as exc:
        return render(request, "web/forbidden.html", {"reason": exc.message}, status=403)
    messages.success(request, _("%(n)d candidate link(s) found.") % {"n": held})
    return redirect("web:complaint-correlations", public_code=complaint.public_code)


def _link_or_404(member: Membership, code: str) -> CorrelationLink:
    link = queries.get_visible_link(member, code)
    if link is None or not rules.can_see_candidate_links(member):
        raise Http404
    return link


@member_required
@require_POST
def decide_view(request: HttpRequest, code: str) -> HttpResponse:
    member = require_member(request)
    link = _link_or_404(member, code)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    action = request.POST.get("action", "")
    try:
        if action == "group":
            services.group_complaints(member, link, note=note)
            messages.success(request, _("The two complaints are now grouped under one incident."))
        elif action in ("confirm", "reject"):
            services.decide_link(member, link, confirm=action == "confirm", note=note)
            messages.success(request, _("Confirmed.") if action == "confirm" else _("Rejected."))
        else:
            messages.error(request, _("Choose confirm, reject or group."))
    except NotPermitted as exc:
        return render(request, "web/forbidden.html", {"reason": exc.message}, status=403)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("web:complaint-correlations", public_code=link.complaint.public_code)
