"""The early warning's parameters, with the mechanism's working defaults; override any of them in Django settings
(EARLY_WARNING = {"ratio": 3.0, ...}). docs/early-warning.md says why each default was chosen."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from django.conf import settings

from .early_warning import CusumParameters


@dataclass(frozen=True)
class EarlyWarningSettings:
    cusum: CusumParameters = field(default_factory=CusumParameters)
    # New activity near a crossing: a record within this distance of a crossing ...
    crossing_km: float = 15.0
    # ... after this many days without one.
    quiet_days: int = 14
    # Repeated breaches: this many complaints alleging one commitment against one respondent ...
    repeat_threshold: int = 3
    # ... within this many days; or this many determinations confirming a breach of it, whenever made.
    repeat_window_days: int = 30
    confirmed_threshold: int = 2
    # The worker looks this far back each run: long enough for the baseline, and for an episode to be recognised
    # as the one already alerted rather than a new one.
    lookback_days: int = 365
    # Subscribers are told of alerts whose rule fired within this many days (a complaint filed late can still
    # raise an alert about last week); older ones are recorded, not notified.
    notify_within_days: int = 30
    # At most this many evidence records are kept on one alert (the statistic keeps the full count).
    evidence_limit: int = 200


def early_warning_settings() -> EarlyWarningSettings:
    overrides = dict(getattr(settings, "EARLY_WARNING", {}) or {})
    cusum_fields = {f.name for f in dataclasses.fields(CusumParameters)}
    cusum = CusumParameters(**{k: v for k, v in overrides.items() if k in cusum_fields})
    rest = {k: v for k, v in overrides.items() if k not in cusum_fields}
    return EarlyWarningSettings(cusum=cusum, **rest)
