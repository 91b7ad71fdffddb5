"""API v1 of early warning: the alerts a caller may see (with their statistic explained and the evidence the
caller may see), and the caller's own subscriptions. Writes go through analytics/services.py, reads through
alerts_queries.py (Alert.objects.visible_to); an alert or a subscription one may not see answers 404.

A router of its own beside analytics/api.py (the dashboard's), mounted in api/urls.py.
No `from __future__ import annotations`: ninja reads the handlers' annotations.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field, field_validator

from ceasefire.api.auth import acting
from ceasefire.core.errors import NotPermitted, NotVisible

from .alerts_queries import Evidence, checked_filters, evidence_for, explain, get_alert, visible_alerts
from .enums import ALL_AREAS, ALL_KINDS, AlertKind
from .models import Alert, Subscription
from .services import subscribe, unsubscribe

router = Router(tags=["early warning"])
MAX_PAGE = 200


class AlertQuery(Schema):
    kind: str = Field("", description=f"One of: {', '.join(AlertKind.values)} (default: every kind)")
    area: str = Field("", description=f"A province as the geo layer names it, or '{ALL_AREAS}' (the whole frontier)")
    date_from: dt.date | None = Field(None, description="Alerts whose window ends on or after this day")
    date_to: dt.date | None = Field(None, description="Alerts whose window starts on or before this day")
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0)

    @field_validator("date_from", "date_to", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value


class EvidenceOut(Schema):
    complaints: list[str] = Field(description="Public codes of the complaints behind the alert that you may see")
    events: list[str] = Field(description="External events as source:source_id (used inside the instance only)")
    closures: list[str] = Field(description="Codes of the declarations that began the closures")


class AlertOut(Schema):
    public_code: str
    kind: str
    kind_label: str
    audience: str = Field(description="everyone, mediators or party: whose records it was computed from")
    party: str | None = Field(description="The party it was computed for (audience 'party')")
    area: str = Field(description=f"A province, or '{ALL_AREAS}' for the whole frontier")
    crossing: str | None = Field(description="Slug of the crossing it concerns")
    commitment: str | None = Field(description="Code of the commitment it concerns")
    respondent: str | None = Field(description="Code of the party alleged or found in breach")
    window_start: dt.date
    window_end: dt.date = Field(description="The day the rule fired")
    statistic: dict[str, Any]
    explanation: str
    evidence: EvidenceOut
    created_at: dt.datetime


class AlertPage(Schema):
    count: int = Field(description="How many visible alerts match the filters (all pages)")
    limit: int
    offset: int
    items: list[AlertOut]


class SubscriptionIn(Schema):
    area: str = Field(description=f"A province, or '{ALL_AREAS}'")
    kind: str = Field(ALL_KINDS, description=f"One of: {', '.join(AlertKind.values)}, or '{ALL_KINDS}'")
    in_app: bool = True
    email: bool = False


class SubscriptionOut(Schema):
    public_code: str
    area: str
    kind: str
    in_app: bool
    email: bool
    created_at: dt.datetime


def alert_out(alert: Alert, evidence: Evidence) -> dict[str, Any]:
    return {
        "public_code": alert.public_code,
        "kind": alert.kind,
        "kind_label": str(AlertKind(alert.kind).label),
        "audience": alert.audience,
        "party": alert.party.code if alert.party is not None else None,
        "area": alert.area,
        "crossing": alert.crossing.slug if alert.crossing is not None else None,
        "commitment": alert.commitment.code if alert.commitment is not None else None,
        "respondent": alert.respondent.code if alert.respondent is not None else None,
        "window_start": alert.window_start,
        "window_end": alert.window_end,
        "statistic": alert.statistic,
        "explanation": explain(alert),
        "evidence": {
            "complaints": [c.public_code for c in evidence.complaints],
            "events": [f"{e.source}:{e.source_id}" for e in evidence.events],
            "closures": [d.public_code for d in evidence.closures],
        },
        "created_at": alert.created_at,
    }


def subscription_out(subscription: Subscription) -> dict[str, Any]:
    return {
        "public_code": subscription.public_code,
        "area": subscription.area,
        "kind": subscription.kind,
        "in_app": subscription.in_app,
        "email": subscription.email,
        "created_at": subscription.created_at,
    }


@router.get("/analytics/alerts", response=AlertPage, summary="Early-warning alerts")
def list_alerts(request: HttpRequest, params: Query[AlertQuery]) -> dict[str, Any]:
    """Alerts computed from records you may see, newest signal first; each with its statistic explained and the
    evidence you may see. An unknown kind or area is refused (422) naming the field."""
    member = acting(request)
    filters = checked_filters(kind=params.kind, area=params.area, date_from=params.date_from, date_to=params.date_to)
    alerts = visible_alerts(member, filters)
    page = list(alerts[params.offset : params.offset + params.limit])
    evidence = evidence_for(member, page)
    return {
        "count": alerts.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": [alert_out(a, evidence[a.pk]) for a in page],
    }


@router.get("/analytics/alerts/{code}", response=AlertOut, summary="One early-warning alert")
def get_alert_by_code(request: HttpRequest, code: str) -> dict[str, Any]:
    member = acting(request)
    alert = get_alert(member, code)
    return alert_out(alert, evidence_for(member, [alert])[alert.pk])


@router.get("/analytics/subscriptions", response=list[SubscriptionOut], summary="Your alert subscriptions")
def list_alert_subscriptions(request: HttpRequest) -> list[dict[str, Any]]:
    return [subscription_out(s) for s in Subscription.objects.visible_to(acting(request))]


@router.get("/analytics/subscriptions/{code}", response=SubscriptionOut, summary="One of your subscriptions")
def get_alert_subscription(request: HttpRequest, code: str) -> dict[str, Any]:
    found = Subscription.objects.visible_to(acting(request)).filter(public_code=code).first()
    if found is None:
        raise NotVisible(_("No such subscription."))
    return subscription_out(found)


@router.post("/analytics/subscriptions", response={201: SubscriptionOut}, summary="Subscribe to alerts")
def create_alert_subscription(
    request: HttpRequest, payload: SubscriptionIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Be told of alerts of one kind (or 'all') in one area (or 'all'), in the app and/or by e-mail. An unknown
    area or kind is refused (422) naming the field; the same area and kind twice is a conflict (409)."""
    member = acting(request)
    if member is None:
        raise NotPermitted(_("You act for no party, so you cannot subscribe to alerts."))
    subscription = subscribe(member, area=payload.area, kind=payload.kind, in_app=payload.in_app, email=payload.email)
    response["Location"] = reverse("api:get_alert_subscription", kwargs={"code": subscription.public_code})
    return Status(201, subscription_out(subscription))


@router.delete("/analytics/subscriptions/{code}", response={204: None}, summary="End a subscription")
def delete_alert_subscription(request: HttpRequest, code: str) -> HttpResponse:
    member = acting(request)
    if member is None:
        raise NotVisible(_("No such subscription."))
    unsubscribe(member, code=code)
    return HttpResponse(status=204)
