"""The worker's early-warning job: every ten minutes, detect over the look-back and raise what is new.

Idempotent: an alert already raised has the same dedupe key when seen again, and raise_alerts skips it; the
look-back (a year by default) is long enough for the baseline to warm up and for an episode already alerted to be
recognised as the same one.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .alerts_detect import detect
from .early_warning_conf import early_warning_settings
from .models import Alert

JOB_NAME = "analytics.early_warning"
EVERY_SECONDS = 600.0


def run_early_warning(*, today: dt.date | None = None) -> list[Alert]:
    """Detect over [today − look-back, today] (UTC days) and raise the new alerts; returns them."""
    from .services import raise_alerts

    conf = early_warning_settings()
    today = today or timezone.now().astimezone(dt.UTC).date()
    since = today - dt.timedelta(days=conf.lookback_days)
    notify_since = today - dt.timedelta(days=conf.notify_within_days)
    return raise_alerts(None, candidates=detect(since=since, until=today, conf=conf), notify_since=notify_since)
