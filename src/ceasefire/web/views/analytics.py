"""The dashboard (figures of a period within what the member may see, with charts drawn by vega-embed from inline
Vega-Lite specs, and each chart as PNG or spec) and the party scorecards."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ceasefire.analytics import labels
from ceasefire.analytics.dashboard import Dashboard, build_dashboard, resolve_period
from ceasefire.analytics.queries import BREAKDOWNS, BUCKETS, Period
from ceasefire.analytics.scorecards import DEFINITIONS, Scorecard, scorecards
from ceasefire.border.enums import DerivedState
from ceasefire.core.charts import render_png
from ceasefire.core.errors import ValidationFailed
from ceasefire.core.rules import is_mediator
from ceasefire.ingest.enums import LICENCES
from ceasefire.intel.enums import Rating
from ceasefire.verification.enums import Outcome, ReplyKind

from .common import member_required, render_page, require_member

CHARTS = ("complaints", "casualties", "flows", "events")


def _date(raw: str, field: str, errors: dict[str, str]) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors[field] = _("Enter a date as YYYY-MM-DD.")
        return None


def _period(request: HttpRequest) -> tuple[Period, str, dict[str, str]]:
    """The period and breakdown asked for in the query string; a bad value is named and the default used."""
    errors: dict[str, str] = {}
    date_from = _date(request.GET.get("date_from", "").strip(), "date_from", errors)
    date_to = _date(request.GET.get("date_to", "").strip(), "date_to", errors)
    bucket = request.GET.get("bucket", "").strip()
    by = request.GET.get("by", "").strip() or "category"
    try:
        period = resolve_period(date_from=date_from, date_to=date_to, bucket=bucket, by=by)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        period = resolve_period()
    return period, by if by in BREAKDOWNS else "category", errors


def _query(period: Period, by: str) -> str:
    return f"date_from={period.start}&date_to={period.end}&bucket={period.bucket}&by={by}"


@member_required
def dashboard(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    period, by, errors = _period(request)
    board = build_dashboard(member, period, by=by)
    source_names = labels.source_names()
    context = {
        "board": board,
        "errors": errors,
        "query": _query(period, by),
        "complaint_query": f"date_from={period.start}&date_to={period.end}",
        "breakdowns": [(key, title) for key, title in labels.BREAKDOWN_TITLES.items()],
        "buckets": [(b, labels.bucket_name(b)) for b in BUCKETS],
        "tables": _tables(board),
        "charts": [(name, board.specs[name]) for name in CHARTS],
        "casualty_rows": _casualty_rows(board),
        "crossing_states": [
            (state, label, board.crossing_states.get(state, 0)) for state, label in DerivedState.choices
        ],
        "event_rows": [
            (source_names.get(source, source), count, LICENCES[source].exportable if source in LICENCES else False)
            for source, count in board.event_totals.items()
        ],
        "events_total": sum(board.event_totals.values()),
        "now": timezone.now(),
        "whole_view": is_mediator(member),
        "raw": {"date_from": request.GET.get("date_from", ""), "date_to": request.GET.get("date_to", "")},
    }
    return render_page(request, "web/analytics/dashboard.html", "figures", context, status=422 if errors else 200)


def _casualty_rows(board: Dashboard) -> list[tuple[str, str, str, int, int]]:
    parties, kinds, statuses = labels.party_names(), labels.casualty_kinds(), labels.casualty_statuses()
    return [
        (parties.get(f.claimant, f.claimant), kinds.get(f.kind, f.kind), statuses.get(f.status, f.status), f.best,
         f.complaints)
        for f in board.casualties
    ]  # fmt: skip


def _tables(board: Dashboard) -> list[tuple[str, str, list[tuple[str, str, int]]]]:
    """The breakdown tables: (key, heading, [(value key, label, count)]), provinces limited to the first 15."""
    found = []
    for key, title in labels.BREAKDOWN_TITLES.items():
        names = labels.breakdown_labels(key)
        rows = getattr(board.breakdowns, key)
        if key == "province":
            rows = rows[:15]
        found.append((key, str(title), [(value, names.get(value, value or "—"), n) for value, n in rows]))
    return found


def _chart(request: HttpRequest, name: str) -> dict[str, Any]:
    if name not in CHARTS:
        raise Http404
    period, by, _errors = _period(request)
    return build_dashboard(require_member(request), period, by=by).specs[name]


@member_required
def chart_spec(request: HttpRequest, name: str) -> HttpResponse:
    return JsonResponse(_chart(request, name))


@member_required
def chart_png(request: HttpRequest, name: str) -> HttpResponse:
    response = HttpResponse(render_png(_chart(request, name)), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="{name}.png"'
    return response


@member_required
def scorecard_page(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    errors: dict[str, str] = {}
    date_from = _date(request.GET.get("date_from", "").strip(), "date_from", errors)
    date_to = _date(request.GET.get("date_to", "").strip(), "date_to", errors)
    period = None
    if (date_from or date_to) and not errors:
        try:
            period = resolve_period(date_from=date_from, date_to=date_to)
        except ValidationFailed as exc:
            errors.update(exc.errors)
    cards = scorecards(member, period)
    context = {
        "cards": cards,
        "tables": [(card, scorecard_rows(card)) for card in cards.cards],
        "errors": errors,
        "definitions": [
            (key, term, str(text) % {"hours": cards.min_notice_hours} if key == "closures" else text)
            for key, term, text in DEFINITIONS
        ],
        "raw": {"date_from": request.GET.get("date_from", ""), "date_to": request.GET.get("date_to", "")},
    }
    return render_page(request, "web/analytics/scorecards.html", "cards", context, status=422 if errors else 200)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f} %"


def scorecard_rows(card: Scorecard) -> list[tuple[str, list[tuple[str, str]]]]:
    """A card as (section, [(what, figure)]): every party's card lists the same rows, zeros included."""
    hours = "—" if card.median_reply_hours is None else _("%(hours)s h") % {"hours": card.median_reply_hours}
    return [
        (
            _("Complaints"),
            [(_("Filed by it"), str(card.filed)), (_("Against it"), str(card.against))],
        ),
        (
            _("Determinations on complaints against it"),
            [(str(label), str(card.outcomes_against.get(key, 0))) for key, label in Outcome.choices]
            + [(_("Breaches attributed to it"), str(card.breaches))],
        ),
        (
            _("Determinations on complaints it filed"),
            [(str(label), str(card.outcomes_filed.get(key, 0))) for key, label in Outcome.choices],
        ),
        (
            _("Replies to complaints against it"),
            [(str(label), str(card.replies.get(key, 0))) for key, label in ReplyKind.choices]
            + [(_("Reply rate"), _percent(card.reply_rate)), (_("Median reply time"), hours)],
        ),
        (
            _("Requests for action addressed to it"),
            [
                (_("Received"), str(card.requests)),
                (_("Answered"), str(card.requests_answered)),
                (_("Overdue"), str(card.requests_overdue)),
            ]
            + [
                (_("Rated: %(rating)s") % {"rating": label}, str(card.ratings.get(key, 0)))
                for key, label in Rating.choices
            ],
        ),
        (
            _("Crossing closures it declared"),
            [
                (_("Closures"), str(card.closures)),
                (_("Without the required notice"), str(card.closures_without_notice)),
            ],
        ),
    ]
