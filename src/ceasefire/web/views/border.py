"""Border pages: the crossings list and map layer, a crossing's page (timeline, calendar strips, closures,
declarations and conflicts, registry history), flows and trade pages, and their charts (Vega-Lite spec for
vega-embed, PNG by vl-convert). Every write goes through border/services.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ceasefire.border import charts, rules
from ceasefire.border.conf import border_settings
from ceasefire.border.enums import DerivedState
from ceasefire.border.forms import (
    DeclarationForm,
    FlowFilterForm,
    FlowImportForm,
    LossClaimForm,
    ObstacleForm,
    ObstacleUpdateForm,
    RegistryForm,
    ResolveForm,
    TradeDayForm,
)
from ceasefire.border.quality import crossing_flags
from ceasefire.border.queries import (
    crossing_rows,
    crossing_timeline,
    flow_counts,
    flow_totals,
    get_crossing,
    get_obstacle,
    loss_claims_by_claimant,
    obstacles,
    registry_history,
    trade_days,
)
from ceasefire.border.services import (
    claim_losses,
    declare_status,
    import_flow_csv,
    record_trade_day,
    report_obstacle,
    resolve_conflict,
    update_crossing,
    update_obstacle,
)
from ceasefire.core.errors import DomainError, NotPermitted
from ceasefire.core.models import Membership
from ceasefire.geo.models import Crossing
from ceasefire.geo.reference import reference

from .common import member_required, require_member

MAX_UPLOAD = 5 * 1024 * 1024


def _crossing_or_404(member: Membership, slug: str) -> Crossing:
    crossing = get_crossing(member, slug)
    if crossing is None:
        raise Http404
    return crossing


def _forbidden(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "web/forbidden.html", {"reason": reason}, status=403)


def _definition() -> dict[str, Any]:
    settings = border_settings()
    return {"definition": settings}


@member_required
def crossing_list(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    rows = crossing_rows(member)
    context = {
        "rows": rows,
        "closed_now": [r for r in rows if r.timeline.state_now == DerivedState.CLOSED],
        "arbitrary": [(r.crossing, c) for r in rows for c in r.timeline.arbitrary],
        "conflicts": [(r.crossing, c) for r in rows for c in r.timeline.conflicts],
        "dataset": reference().dataset_name,
        **_definition(),
    }
    return render(request, "web/border/list.html", context)


@member_required
def crossings_geojson(request: HttpRequest) -> HttpResponse:
    """The map layer: located crossings coloured by their derived state now."""
    member = require_member(request)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [r.crossing.longitude, r.crossing.latitude]},
            "properties": {
                "name": r.crossing.name,
                "state": r.timeline.state_now,
                "state_label": str(DerivedState(r.timeline.state_now).label),
                "flags": [f.message for f in r.flags],
                "url": reverse("web:border-crossing", args=[r.crossing.slug]),
            },
        }
        for r in crossing_rows(member)
        if r.crossing.has_coordinate
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features}, content_type="application/geo+json")


def _detail_context(member: Membership, crossing: Crossing, **forms: Any) -> dict[str, Any]:
    timeline = crossing_timeline(member, crossing)
    return {
        "crossing": crossing,
        "timeline": timeline,
        "flags": crossing_flags(crossing),
        "history": registry_history(member, crossing),
        "declare_form": forms.get("declare_form") or (DeclarationForm() if rules.can_declare_status(member) else None),
        "resolve_form": forms.get("resolve_form"),
        "can_resolve": rules.can_resolve_conflict(member),
        "can_edit": rules.can_edit_registry(member),
        "dataset": reference().dataset_name,
        **_definition(),
    }


@member_required
def crossing_detail(request: HttpRequest, slug: str) -> HttpResponse:
    member = require_member(request)
    crossing = _crossing_or_404(member, slug)
    return render(request, "web/border/detail.html", _detail_context(member, crossing))


@member_required
@require_POST
def declare(request: HttpRequest, slug: str) -> HttpResponse:
    member = require_member(request)
    crossing = _crossing_or_404(member, slug)
    if not rules.can_declare_status(member):
        return _forbidden(request, _("You may not declare a crossing's status."))
    form = DeclarationForm(request.POST)
    if form.is_valid():
        try:
            declaration = declare_status(member, crossing=crossing, **form.service_kwargs())
        except DomainError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Declaration %(code)s recorded.") % {"code": declaration.public_code})
            return redirect("web:border-crossing", slug=crossing.slug)
    return render(request, "web/border/detail.html", _detail_context(member, crossing, declare_form=form), status=422)


@member_required
@require_POST
def resolve(request: HttpRequest, slug: str) -> HttpResponse:
    member = require_member(request)
    crossing = _crossing_or_404(member, slug)
    if not rules.can_resolve_conflict(member):
        return _forbidden(request, _("Only the mediators resolve conflicting declarations."))
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            resolution = resolve_conflict(
                member,
                crossing=crossing,
                codes=form.code_list(),
                accepted_code=form.cleaned_data["accepted"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Conflict resolved (%(code)s).") % {"code": resolution.public_code})
            return redirect("web:border-crossing", slug=crossing.slug)
    return render(request, "web/border/detail.html", _detail_context(member, crossing, resolve_form=form), status=422)


@member_required
def edit_registry(request: HttpRequest, slug: str) -> HttpResponse:
    member = require_member(request)
    crossing = _crossing_or_404(member, slug)
    if not rules.can_edit_registry(member):
        return _forbidden(request, _("Only the secretariat edits the crossing registry."))
    if request.method != "POST":
        return render(
            request, "web/border/registry.html", {"crossing": crossing, "form": RegistryForm.for_crossing(crossing)}
        )
    form = RegistryForm(request.POST)
    if form.is_valid():
        try:
            update_crossing(member, crossing, changes=form.changes(), note=form.cleaned_data["note"])
        except DomainError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The registry entry was updated."))
            return redirect("web:border-crossing", slug=crossing.slug)
    return render(request, "web/border/registry.html", {"crossing": crossing, "form": form}, status=422)


def _flow_filters(request: HttpRequest) -> tuple[FlowFilterForm, dict[str, Any]]:
    form = FlowFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v and k in ("crossing", "date_from", "date_to")}
    return form, filters


@member_required
def flows_page(request: HttpRequest) -> HttpResponse:
    return _render_flows(request, require_member(request))


def _render_flows(
    request: HttpRequest, member: Membership, import_form: FlowImportForm | None = None, status: int = 200
) -> HttpResponse:
    form, filters = _flow_filters(request)
    context = {
        "filter_form": form,
        "totals": flow_totals(member, **filters),
        "import_form": import_form or (FlowImportForm() if rules.can_report_figures(member) else None),
        "chart_query": request.GET.urlencode(),
    }
    return render(request, "web/border/flows.html", context, status=status)


@member_required
@require_POST
def flows_import(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    if not rules.can_report_figures(member):
        return _forbidden(request, _("You may not report flow figures."))
    form = FlowImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", _("The file is larger than 5 MB; split it into batches."))
        else:
            try:
                batch = import_flow_csv(member, upload.read(), file_name=upload.name)
            except DomainError as exc:
                form.add_error("file", exc.message)
                form.row_errors = exc.errors  # type: ignore[attr-defined]
            else:
                messages.success(
                    request,
                    _("%(rows)d rows imported as batch %(code)s.") % {"rows": batch.rows, "code": batch.public_code},
                )
                return redirect("web:border-flows")
    return _render_flows(request, member, import_form=form, status=422)


def _trade_context(member: Membership, **forms: Any) -> dict[str, Any]:
    reports = rules.can_report_figures(member)
    return {
        "trade": trade_days(member),
        "claims": loss_claims_by_claimant(member),
        "obstacles": obstacles(member),
        "trade_form": forms.get("trade_form") or (TradeDayForm() if reports else None),
        "loss_form": forms.get("loss_form") or (LossClaimForm() if rules.can_claim_losses(member) else None),
        "obstacle_form": forms.get("obstacle_form") or (ObstacleForm() if reports else None),
        "update_form": ObstacleUpdateForm() if reports else None,
        "update_errors": forms.get("update_errors"),
    }


@member_required
def trade_page(request: HttpRequest) -> HttpResponse:
    return render(request, "web/border/trade.html", _trade_context(require_member(request)))


def _trade_post(
    request: HttpRequest, form_class: type, form_key: str, allowed: bool, save: Any, done: str
) -> HttpResponse:
    member = require_member(request)
    if not allowed:
        return _forbidden(request, _("You may not record this."))
    form = form_class(request.POST)
    if form.is_valid():
        try:
            save(member, form.cleaned_data)
        except DomainError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, done)
            return redirect("web:border-trade")
    return render(request, "web/border/trade.html", _trade_context(member, **{form_key: form}), status=422)


@member_required
@require_POST
def trade_record(request: HttpRequest) -> HttpResponse:
    return _trade_post(
        request,
        TradeDayForm,
        "trade_form",
        rules.can_report_figures(require_member(request)),
        lambda m, data: record_trade_day(m, **data),
        _("Trade figures recorded."),
    )


@member_required
@require_POST
def loss_claim(request: HttpRequest) -> HttpResponse:
    return _trade_post(
        request,
        LossClaimForm,
        "loss_form",
        rules.can_claim_losses(require_member(request)),
        lambda m, data: claim_losses(m, **data),
        _("Loss claim recorded."),
    )


@member_required
@require_POST
def obstacle_report(request: HttpRequest) -> HttpResponse:
    return _trade_post(
        request,
        ObstacleForm,
        "obstacle_form",
        rules.can_report_figures(require_member(request)),
        lambda m, data: report_obstacle(m, **data),
        _("Obstacle reported."),
    )


@member_required
@require_POST
def obstacle_update(request: HttpRequest, code: str) -> HttpResponse:
    member = require_member(request)
    obstacle = get_obstacle(member, code)
    if obstacle is None:
        raise Http404
    form = ObstacleUpdateForm(request.POST)
    if form.is_valid():
        try:
            update_obstacle(member, obstacle, status=form.cleaned_data["status"], note=form.cleaned_data["note"])
        except NotPermitted as exc:
            return _forbidden(request, exc.message)
        except DomainError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Obstacle %(code)s updated.") % {"code": obstacle.public_code})
            return redirect("web:border-trade")
    context = _trade_context(member, update_errors=(obstacle.public_code, form.errors))
    return render(request, "web/border/trade.html", context, status=422)


# --- charts --------------------------------------------------------------------------------------------------


def _chart_spec(member: Membership, name: str, request: HttpRequest) -> dict[str, Any]:
    crossing = None
    slug = request.GET.get("crossing", "")
    if slug:
        crossing = get_crossing(member, slug)
        if crossing is None:
            raise Http404
    title_suffix = f" · {crossing.name.split(' (')[0]}" if crossing else ""
    if name == "flows":
        form, filters = _flow_filters(request)
        if crossing is not None:
            filters["crossing"] = crossing
        counts = flow_counts(member, **filters)
        if form.is_valid() and form.cleaned_data.get("category"):
            counts = counts.filter(category=form.cleaned_data["category"])
        rows = counts.values("day", "category", "total", "source")
        return charts.flows_spec(rows, title=_("Returns and deportations per day") + title_suffix)
    if name == "trade":
        trade_rows = trade_days(member, crossing=crossing).values(
            "day", "trucks_waiting", "trucks_waiting_high", "trucks_crossed"
        )
        return charts.trade_spec(trade_rows, title=_("Trucks waiting and crossed") + title_suffix)
    if name == "closures":
        crossings = [r for r in crossing_rows(member) if crossing is None or r.crossing.pk == crossing.pk]
        return charts.closures_spec(
            [(r.crossing.name, r.timeline.months) for r in crossings if r.timeline.months],
            title=_("Days closed per month (UTC)") + title_suffix,
        )
    raise Http404


@member_required
def chart_spec(request: HttpRequest, name: str) -> HttpResponse:
    return JsonResponse(_chart_spec(require_member(request), name, request))


@member_required
def chart_png(request: HttpRequest, name: str) -> HttpResponse:
    png = charts.render_png(_chart_spec(require_member(request), name, request))
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="{name}.png"'
    return response
