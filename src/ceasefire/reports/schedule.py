"""The worker's report schedule: the daily report of the day before at 06:00 UTC, the weekly report of the week
before on Monday at 06:00 UTC, for the public and for each party and mediator (or those configured), in each
configured language.

Idempotent: a slot (kind, period, audience, party, language) already in the archive is left as it is, so the job
may run every few minutes, on several workers at once, or again after a restart. Only the most recent due period
of each kind is generated; a worker that was stopped for days does not fill the gap by itself (the secretariat
generates any past period on demand).
"""

from __future__ import annotations

import datetime as dt
import logging
import os

from django.conf import settings
from django.utils import timezone

from ceasefire.core.errors import DomainError
from ceasefire.core.models import Party

from .enums import Audience, ReportKind
from .models import Report, slot_of
from .periods import latest_due
from .queries import report_parties

logger = logging.getLogger(__name__)


def scheduled_languages() -> list[str]:
    """CEASEFIRE_REPORT_LANGUAGES (comma-separated, default English), or settings.REPORT_LANGUAGES."""
    configured = getattr(settings, "REPORT_LANGUAGES", None)
    if configured is None:
        configured = (os.environ.get("CEASEFIRE_REPORT_LANGUAGES") or "en").split(",")
    return [code.strip() for code in configured if code.strip()]


def scheduled_parties() -> list[Party]:
    """The parties that get an internal report: CEASEFIRE_REPORT_PARTIES (comma-separated codes) or
    settings.REPORT_PARTIES; by default every party and mediator."""
    configured = getattr(settings, "REPORT_PARTIES", None)
    if configured is None and os.environ.get("CEASEFIRE_REPORT_PARTIES") is not None:
        configured = os.environ["CEASEFIRE_REPORT_PARTIES"].split(",")
    parties = report_parties()
    if configured is not None:
        parties = parties.filter(code__in=[code.strip().upper() for code in configured if code.strip()])
    return list(parties)


def run_schedule(now: dt.datetime | None = None) -> list[Report]:
    """Generate every scheduled report due at `now` that is not archived yet; return the reports generated."""
    from .services import generate_report

    now = now or timezone.now()
    parties = scheduled_parties()
    generated: list[Report] = []
    for kind in (ReportKind.DAILY, ReportKind.WEEKLY):
        period = latest_due(kind, now)
        for language in scheduled_languages():
            for audience, party in [(Audience.PUBLIC, None), *[(Audience.INTERNAL, p) for p in parties]]:
                slot = slot_of(kind, period.first_day, audience, party, language)
                if Report.objects.filter(slot=slot).exists():
                    continue
                try:
                    report = generate_report(
                        None,
                        kind=kind,
                        day=period.first_day,
                        audience=audience,
                        party=party,
                        language=language,
                        only_if_missing=True,
                    )
                except DomainError as error:  # a misconfigured language: say so, go on with the others
                    logger.error("scheduled %s report %s not generated: %s", kind, slot, error.message)
                    continue
                generated.append(report)
    return generated
