"""The border layer's settings, with the mechanism's working defaults. Override any of them in Django settings.

The agreement defines "arbitrary" closure; the published texts never did, so the working definition is
configuration and is shown on every page that counts arbitrary closures.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class BorderSettings:
    # A closure is arbitrary when it was declared with less notice than this (or none stated) ...
    arbitrary_min_notice_hours: int
    # ... or, when this is true, without a stated reason.
    arbitrary_requires_reason: bool
    # Declarations by different parties whose effective times lie this close are claims about the same time.
    conflict_window_hours: int
    # A crossing's coordinate further than this from the reference line contradicts "a crossing on the line".
    max_km_from_line: float


def border_settings() -> BorderSettings:
    return BorderSettings(
        arbitrary_min_notice_hours=int(getattr(settings, "BORDER_ARBITRARY_MIN_NOTICE_HOURS", 72)),
        arbitrary_requires_reason=bool(getattr(settings, "BORDER_ARBITRARY_REQUIRES_REASON", True)),
        conflict_window_hours=int(getattr(settings, "BORDER_CONFLICT_WINDOW_HOURS", 24)),
        max_km_from_line=float(getattr(settings, "BORDER_MAX_KM_FROM_LINE", 5.0)),
    )
