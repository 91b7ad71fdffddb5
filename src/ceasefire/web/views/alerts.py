"""Early-warning pages: the alerts one may see (each with its statistic explained and the evidence one may see),
one alert, and one's subscriptions. Reads through analytics/alerts_queries.py, writes through
analytics/services.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ceasefire.analytics.alerts_queries import (
    AlertFilters,
    area_label,
    checked_filters,
    evidence_for,
    explain,
    get_alert,
    visible_alerts,
)
from ceasefire.analytics.early_warning_conf import early_warning_settings
from ceasefire.analytics.enums import AlertKind
from ceasefire.analytics.forms import AlertFilterForm, SubscriptionForm
from ceasefire.analytics.models import Alert, Subscription
from ceasefire.analytics.services import subscribe, unsubscribe
from ceasefire.border.conf import border_settings
from ceasefire.core.errors import DomainError, NotVisible
from ceasefire.core.models import Membership

from .common import member_required, render_page, require_member, wants_partial

PAGE_SIZE = 25


def _rows(member: Membership, alerts: list[Alert]) -> list[dict[str, Any]]:
    evidence = evidence_for(member, alerts)
    rows = []
    for alert in alerts:
        shown = evidence[alert.pk]
        count = len(shown.complaints) + len(shown.events) + len(shown.closures)
        rows.append(
            {"alert": alert, "explanation": explain(alert), "evidence": shown, "shown": count,
             "area": area_label(alert.area), "more": alert.statistic.get("evidence_count", 0) > count}
        )  # fmt: skip
    return rows


@member_required
def alert_list(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    form = AlertFilterForm(request.GET or None)
    filters = AlertFilters()
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                filters = checked_filters(**form.cleaned_data)
            except DomainError as exc:
                form.add_service_errors(exc)
                status = 422
        else:
            status = 422
    alerts = visible_alerts(member, filters) if status == 200 else Alert.objects.none()
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": _rows(member, list(page.object_list)),
        "filter_query": query.urlencode(),
        "subscriptions": Subscription.objects.visible_to(member).count(),
        "partial_only": wants_partial(request),  # the filter form, with its field errors, is not redrawn
        "conf": early_warning_settings(),
        "required_notice_hours": border_settings().arbitrary_min_notice_hours,
    }
    return render_page(request, "web/alerts/list.html", "alerts", context, status=status)


@member_required
def alert_detail(request: HttpRequest, public_code: str) -> HttpResponse:
    member = require_member(request)
    try:
        alert = get_alert(member, public_code)
    except NotVisible as exc:
        raise Http404 from exc
    (row,) = _rows(member, [alert])
    return render(request, "web/alerts/detail.html", {"row": row, "alert": alert, "chart": _chart(alert)})


def _chart(alert: Alert) -> dict[str, Any] | None:
    """Bars of the daily counts shown with a rate alert (SVG geometry: no inline style, which the CSP forbids),
    with the baseline's expectation as a line."""
    daily = alert.statistic.get("daily") or []
    first = alert.statistic.get("daily_from")
    if not daily or not first:
        return None
    start = dt.date.fromisoformat(first)
    rate = float(alert.statistic.get("baseline_rate", 0.0))
    peak = max(max(daily), rate, 1.0)
    step, height = 14, 100
    bars = []
    for i, count in enumerate(daily):
        day = start + dt.timedelta(days=i)
        bar = round(height * count / peak)
        bars.append(
            {"x": 30 + i * step, "y": 10 + height - bar, "h": bar, "count": count, "day": day,
             "inside": day >= alert.window_start}
        )  # fmt: skip
    return {
        "bars": bars,
        "width": 40 + len(daily) * step,
        "baseline_y": 10 + height - round(height * rate / peak),
        "axis_y": 10 + height,
        "peak": round(peak, 1),
        "first": start,
        "last": start + dt.timedelta(days=len(daily) - 1),
    }


def _subscriptions_page(
    request: HttpRequest, member: Membership, form: SubscriptionForm, status: int = 200
) -> HttpResponse:
    subscriptions = [(s, area_label(s.area)) for s in Subscription.objects.visible_to(member)]
    context = {"form": form, "subscriptions": subscriptions, "kinds": AlertKind.choices}
    return render(request, "web/alerts/subscriptions.html", context, status=status)


@member_required
def subscriptions(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    if request.method != "POST":
        return _subscriptions_page(request, member, SubscriptionForm())
    form = SubscriptionForm(request.POST)
    if form.is_valid():
        try:
            subscription = subscribe(member, **form.cleaned_data)
        except DomainError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Subscription %(code)s made.") % {"code": subscription.public_code})
            return redirect("web:alert-subscriptions")
    return _subscriptions_page(request, member, form, status=422)


@member_required
@require_POST
def unsubscribe_view(request: HttpRequest, public_code: str) -> HttpResponse:
    member = require_member(request)
    try:
        unsubscribe(member, code=public_code)
    except NotVisible as exc:
        raise Http404 from exc
    messages.success(request, _("Subscription %(code)s ended.") % {"code": public_code})
    return redirect("web:alert-subscriptions")
