"""Template filters of the web UI: times shown no finer than the source knew them, distances, short hashes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

register = template.Library()

# What each precision shows of a moment: never finer than the source knew it.
# An hour-precise time keeps its minutes: in Asia/Kabul (UTC+4:30) a whole UTC hour falls on the half hour.
_FORMATS = {"minute": "j M Y, H:i", "hour": "j M Y, H:i", "day": "j M Y", "week": "j M Y", "month": "F Y"}


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def precise(value: dt.datetime | None, precision: str = "minute") -> str:
    """One moment in the user's time zone, to the given precision ("day" shows only the date)."""
    if value is None:
        return ""
    local = _local(value)
    text = formats.date_format(local, _FORMATS.get(precision, _FORMATS["minute"]))
    if precision == "week":
        return _("week of %(date)s") % {"date": text}
    return text


@register.filter
def time_window(incident: Any) -> str:
    """An incident's start–end window in the user's time zone, with the precision of its source."""
    precision = incident.time_precision
    start, end = _local(incident.starts_at), _local(incident.ends_at)
    first = precise(start, precision)
    if end == start:
        return first
    if precision in ("minute", "hour"):
        same_day = start.date() == end.date()
        last = formats.date_format(end, "H:i") if same_day else precise(end, precision)
    elif precision == "day":
        last = "" if start.date() == end.date() else precise(end, precision)
    elif precision == "month":
        last = "" if (start.year, start.month) == (end.year, end.month) else precise(end, precision)
    else:
        last = "" if end - start < dt.timedelta(days=7) else precise(end, precision)
    return f"{first} – {last}" if last else first


@register.filter
def km(value: float | None) -> str:
    if value is None:
        return ""
    return _("%(km)s km") % {"km": formats.number_format(value, 1)}


@register.filter
def short_hash(value: str, length: int = 12) -> str:
    return value[:length]
