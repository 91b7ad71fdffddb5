"""API v1 of external event data: events (UCDP and GDELT only: ACLED's terms keep its rows inside the web UI),
import runs and uploads, a complaint's correlation links and investigators' decisions on them.

No `from __future__ import annotations` in router modules: ninja reads the handlers' annotations at import.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from ceasefire.api.auth import acting
from ceasefire.api.schemas.ingest import (
    DecisionIn,
    EventOut,
    EventPage,
    EventQuery,
    GroupIn,
    ImportRunOut,
    LinkOut,
    RefreshOut,
    event_out,
    link_out,
    run_out,
)
from ceasefire.core.errors import NotPermitted, NotVisible, ValidationFailed
from ceasefire.geo.enums import Side
from ceasefire.incidents.enums import Category
from ceasefire.incidents.queries import get_visible_complaint

from . import queries, services
from .enums import LICENCES, Source, exportable_sources

router = Router(tags=["external events"])


def _event_filter(params: EventQuery) -> queries.EventFilter:
    errors: dict[str, str] = {}
    for name, allowed in (("source", exportable_sources()), ("category", Category.values), ("side", Side.values)):
        value = getattr(params, name)
        if value and value not in allowed:
            errors[name] = _("Unknown %(field)s '%(value)s'; one of: %(allowed)s.") % {
                "field": name,
                "value": value,
                "allowed": ", ".join(allowed),
            }
    if errors:
        raise ValidationFailed(_("The filters have errors."), errors=errors)
    return queries.EventFilter(
        source=params.source, category=params.category, side=params.side, date_from=params.date_from,
        date_to=params.date_to, q=params.q, exportable_only=True,
    )  # fmt: skip


@router.get("/events", response=EventPage, summary="List external events")
def list_events(request: HttpRequest, params: Query[EventQuery]) -> dict[str, object]:
    """Events from sources whose licence allows export (UCDP GED, GDELT), each with its attribution."""
    qs = queries.filter_events(acting(request), _event_filter(params)).order_by("-starts_on", "source", "source_id")
    page = list(qs[params.offset : params.offset + params.limit])
    return {
        "count": qs.count(),
        "limit": params.limit,
        "offset": params.offset,
        "attribution": [attribution for _s, attribution in queries.licences_of(e.source for e in page)],
        "items": [event_out(e) for e in page],
    }


@router.get("/events/{source}/{source_id}", response=EventOut, summary="One external event")
def get_event(request: HttpRequest, source: str, source_id: str) -> dict[str, object]:
    event = queries.get_visible_event(acting(request), source, source_id)
    if event is None or not LICENCES.get(source, LICENCES[Source.ACLED]).exportable:
        raise NotVisible(_("No such external event."))
    return event_out(event)


@router.get("/imports", response=list[ImportRunOut], summary="Import runs")
def list_imports(request: HttpRequest) -> list[dict[str, object]]:
    return [run_out(r) for r in queries.visible_runs(acting(request))[:100]]


@router.get("/imports/{code}", response=ImportRunOut, summary="One import run")
def get_import(request: HttpRequest, code: str) -> dict[str, object]:
    run = queries.get_visible_run(acting(request), code)
    if run is None:
        raise NotVisible(_("No such import."))
    return run_out(run)


@router.post("/imports", response={202: ImportRunOut}, summary="Upload a file to import")
def create_import(
    request: HttpRequest, response: HttpResponse, source: Form[str], file: File[UploadedFile]
) -> Status[dict[str, object]]:
    """The file is checked (format, header) and its import queued; poll the run for its progress."""
    member = acting(request)
    if member is None:
        raise NotPermitted(_("You act for no party, so you cannot import event data."))
    run = services.queue_import(member, source=source, upload=file, filename=file.name or "upload")
    response["Location"] = reverse("api:get_import", kwargs={"code": run.public_code})
    return Status(202, run_out(run))


def _complaint(request: HttpRequest, public_code: str):  # type: ignore[no-untyped-def]
    member = acting(request)
    complaint = get_visible_complaint(member, public_code)
    if complaint is None:
        raise NotVisible(_("No such complaint."))
    return member, complaint


@router.get("/complaints/{public_code}/correlations", response=list[LinkOut], summary="A complaint's correlations")
def list_correlations(request: HttpRequest, public_code: str) -> list[dict[str, object]]:
    """Mediators see every candidate and decision; others only confirmed corroboration."""
    member, complaint = _complaint(request, public_code)
    links = [*queries.links_for_complaint(member, complaint), *queries.pair_links_naming(member, complaint)]
    return [link_out(link) for link in links]


@router.post(
    "/complaints/{public_code}/correlations/refresh", response=RefreshOut, summary="Look for corroboration again"
)
def refresh_correlations(request: HttpRequest, public_code: str) -> dict[str, int]:
    member, complaint = _complaint(request, public_code)
    if member is None:
        raise NotVisible(_("No such complaint."))
    return {"candidates": services.refresh_correlations(member, complaints=[complaint])}


def _link(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    member = acting(request)
    link = queries.get_visible_link(member, code)
    if link is None or member is None or not member.is_mediator:
        raise NotVisible(_("No such correlation."))
    return member, link


@router.post("/correlations/{code}/decision", response=LinkOut, summary="Confirm or reject a correlation")
def decide_correlation(request: HttpRequest, code: str, payload: DecisionIn) -> dict[str, object]:
    member, link = _link(request, code)
    return link_out(services.decide_link(member, link, confirm=payload.confirm, note=payload.note))


@router.post("/correlations/{code}/group", response=LinkOut, summary="Group two complaints under one incident")
def group_correlation(request: HttpRequest, code: str, payload: GroupIn) -> dict[str, object]:
    member, link = _link(request, code)
    services.group_complaints(member, link, note=payload.note)
    link.refresh_from_db()
    return link_out(link)
