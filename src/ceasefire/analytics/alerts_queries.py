"""Reading alerts, for the pages and the API alike: the filtered list (Alert.objects.visible_to), one alert by its
code, each alert's evidence as the reader may see it (each record through its own visibility rule, a page's
evidence in a fixed number of queries whatever its length), and the statistic explained in words.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext

from ceasefire.border.models import StatusDeclaration
from ceasefire.core.errors import NotVisible, ValidationFailed
from ceasefire.core.models import Membership
from ceasefire.incidents.models import Complaint
from ceasefire.ingest.models import ExternalEvent

from .early_warning_areas import known_areas
from .enums import ALL_AREAS, ALL_KINDS, AlertKind
from .models import Alert, AlertQuerySet


@dataclass(frozen=True)
class AlertFilters:
    kind: str = ""
    area: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def checked_filters(*, kind: str = "", area: str = "", **dates: dt.date | None) -> AlertFilters:
    """Filters as given, refused with the field at fault when a kind or an area does not exist."""
    kind, area = (kind or "").strip(), (area or "").strip()
    errors = {}
    if kind and kind != ALL_KINDS and kind not in AlertKind.values:
        errors["kind"] = gettext("Unknown kind of alert '%(value)s'; known kinds: %(kinds)s.") % {
            "value": kind,
            "kinds": ", ".join(AlertKind.values),
        }
    if area and area not in known_areas():
        errors["area"] = gettext("Unknown province '%(value)s': choose a province or 'all'.") % {"value": area}
    start, end = dates.get("date_from"), dates.get("date_to")
    if start and end and end < start:
        errors["date_to"] = gettext("The last day comes before the first.")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), errors=errors)
    return AlertFilters("" if kind == ALL_KINDS else kind, area, start, end)


def visible_alerts(member: Membership | None, filters: AlertFilters | None = None) -> AlertQuerySet:
    """The alerts the member may see, newest signal first, matching every filter given."""
    filters = filters or AlertFilters()
    alerts = Alert.objects.visible_to(member).select_related("party", "crossing", "commitment", "respondent")
    if filters.kind:
        alerts = alerts.filter(kind=filters.kind)
    if filters.area:
        alerts = alerts.filter(area=filters.area)
    if filters.date_from:
        alerts = alerts.filter(window_end__gte=filters.date_from)
    if filters.date_to:
        alerts = alerts.filter(window_start__lte=filters.date_to)
    return alerts


def get_alert(member: Membership | None, code: str) -> Alert:
    found = visible_alerts(member).filter(public_code=code).first()
    if found is None:
        raise NotVisible(gettext("No such alert."))
    return found


@dataclass
class Evidence:
    """An alert's evidence as one reader may see it."""

    complaints: list[Complaint] = field(default_factory=list)
    events: list[ExternalEvent] = field(default_factory=list)
    closures: list[StatusDeclaration] = field(default_factory=list)


def evidence_for(member: Membership | None, alerts: Iterable[Alert]) -> dict[int, Evidence]:
    """Evidence per alert pk, each record read through its own visibility rule: a complaint the reader may no
    longer see is left out, never named. Queries: one per kind of record, whatever the number of alerts."""
    alerts = list(alerts)
    codes = {code for a in alerts for code in a.complaint_codes}
    complaints = {
        c.public_code: c
        for c in Complaint.objects.visible_to(member).filter(public_code__in=codes).select_related("incident")
    }
    by_source: dict[str, set[str]] = defaultdict(set)
    for a in alerts:
        for event_id in a.event_ids:
            source, _sep, source_id = event_id.partition(":")
            by_source[source].add(source_id)
    events: dict[str, ExternalEvent] = {}
    if by_source:
        wanted = Q()
        for source, ids in by_source.items():
            wanted |= Q(source=source, source_id__in=ids)
        for event in ExternalEvent.objects.visible_to(member).filter(wanted):
            events[f"{event.source}:{event.source_id}"] = event
    closure_codes = {code for a in alerts for code in a.closure_codes}
    closures = {
        d.public_code: d
        for d in StatusDeclaration.objects.visible_to(member)
        .filter(public_code__in=closure_codes)
        .select_related("crossing", "party")
    }
    return {
        a.pk: Evidence(
            [complaints[c] for c in a.complaint_codes if c in complaints],
            [events[e] for e in a.event_ids if e in events],
            [closures[c] for c in a.closure_codes if c in closures],
        )
        for a in alerts
    }


def _day(day: dt.date) -> str:
    return date_format(day, "j M Y")


def area_label(area: str) -> str:
    return gettext("the whole frontier") if area == ALL_AREAS else area


def explain(alert: Alert) -> str:
    """What the statistic says, in words (the reader's language)."""
    s: dict[str, Any] = alert.statistic
    if alert.kind in (AlertKind.COMPLAINT_RATE, AlertKind.EVENT_RATE):
        return gettext(
            "%(observed)d %(what)s from %(start)s to %(end)s where the baseline rate of %(rate).2f a day (the mean "
            "of %(days)d days ending %(guard)d days earlier) expected %(expected).1f. The Poisson CUSUM, tuned to a "
            "%(ratio)g-fold rise, reached %(cusum).2f against its threshold of %(threshold).2f, which is set so "
            "that with no change it would signal falsely about once in %(arl0).0f days."
        ) % {
            "observed": s.get("observed", 0),
            "what": gettext("complaints") if alert.kind == AlertKind.COMPLAINT_RATE else gettext("external events"),
            "start": _day(alert.window_start),
            "end": _day(alert.window_end),
            "rate": s.get("baseline_rate", 0.0),
            "days": s.get("baseline_days", 0),
            "guard": s.get("guard_days", 0),
            "expected": s.get("expected", 0.0),
            "ratio": s.get("ratio", 0.0),
            "cusum": s.get("cusum", 0.0),
            "threshold": s.get("threshold", 0.0),
            "arl0": s.get("arl0", 0.0),
        }
    if alert.kind == AlertKind.CROSSING_ACTIVITY:
        return gettext(
            "%(records)d records within %(km)g km of %(crossing)s on %(end)s (the nearest %(nearest).1f km away), "
            "after %(quiet)d days with none."
        ) % {
            "records": s.get("records", 0),
            "km": s.get("distance_km", 0.0),
            "crossing": alert.crossing.name if alert.crossing else "",
            "end": _day(alert.window_end),
            "nearest": s.get("nearest_km", 0.0),
            "quiet": s.get("quiet_days", 0),
        }
    if alert.kind == AlertKind.REPEATED_BREACH:
        values = {
            "count": s.get("count", 0),
            "commitment": alert.commitment.code if alert.commitment else "",
            "respondent": alert.respondent.code if alert.respondent else "",
            "days": s.get("window_days", 0),
            "threshold": s.get("threshold", 0),
        }
        if s.get("rule") == "determinations":
            return (
                gettext(
                    "%(count)d determinations in effect confirm a breach of commitment %(commitment)s by "
                    "%(respondent)s (the rule: %(threshold)d or more)."
                )
                % values
            )
        return (
            gettext(
                "%(count)d complaints allege a breach of commitment %(commitment)s by %(respondent)s within "
                "%(days)d days (the rule: %(threshold)d or more)."
            )
            % values
        )
    notice = s.get("notice_hours")
    return gettext(
        "%(crossing)s was declared closed by %(party)s from %(start)s with %(notice)s, where the working "
        "definition requires %(required)d hours."
    ) % {
        "crossing": alert.crossing.name if alert.crossing else "",
        "party": s.get("declared_by", ""),
        "start": _day(alert.window_start),
        "notice": gettext("no notice stated")
        if notice is None
        else gettext("%(hours)d hours' notice") % {"hours": notice},
        "required": s.get("required_hours", 0),
    }
