"""Early warning, detection: the statistics (early_warning*.py) run over what each audience may see
(alerts_records.py), giving alert candidates. Reads only; services.raise_alerts stores the new ones.

Per audience: `everyone` gets the rate of external events and closures without notice (records every member
sees); the mediators and each party get the rate of complaints, new activity near a crossing (complaints and
external events together) and repeated breaches of one commitment, each from the complaints they may see.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ceasefire.agreements.models import Commitment
from ceasefire.border.conf import border_settings
from ceasefire.core.models import Party
from ceasefire.geo.models import Crossing

from . import early_warning
from .alerts_records import (
    Allegation,
    Reader,
    Records,
    allegations,
    closures_without_notice,
    complaint_records,
    confirmed_breaches,
    event_records,
    readers,
)
from .early_warning_areas import crossing_area as _crossing_area
from .early_warning_areas import located_crossings
from .early_warning_conf import EarlyWarningSettings, early_warning_settings
from .early_warning_events import after_quiet, distances_km, threshold_reached
from .enums import ALL_AREAS, AlertKind, Audience

CONTEXT_DAYS = 14


@dataclass(frozen=True)
class AlertCandidate:
    kind: str
    audience: str
    party: Party | None
    area: str
    subject: str  # what the alert is about beyond kind and area (a crossing, a commitment), for the dedupe key
    window_start: dt.date
    window_end: dt.date
    statistic: dict[str, Any]
    complaint_codes: list[str] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)
    closure_codes: list[str] = field(default_factory=list)
    crossing: Crossing | None = None
    commitment: Commitment | None = None
    respondent: Party | None = None

    @property
    def dedupe_key(self) -> str:
        """The same signal seen again (next run, another worker) has the same key. The signal day, not the
        window's start: the onset estimate may move when the look-back moves; the day the rule fired does not."""
        party = self.party.code if self.party is not None else "-"
        return f"{self.audience}:{party}:{self.kind}:{self.area}:{self.subject}:{self.window_end.isoformat()}"[:200]


def detect(*, since: dt.date, until: dt.date, conf: EarlyWarningSettings | None = None) -> list[AlertCandidate]:
    """Every signal between `since` and `until` (inclusive), for every audience, oldest first."""
    conf = conf or early_warning_settings()
    _area_of_crossing.cache_clear()
    found: list[AlertCandidate] = []
    events: Records | None = None
    for reader in readers():
        # External events are the same for every reader (every member may read them): read them once.
        events = events if events is not None else event_records(reader, since, until)
        if reader.audience == Audience.EVERYONE:
            found += _rates(reader, AlertKind.EVENT_RATE, events, since, until, conf)
            found += _closures(reader, since, until)
            continue
        complaints = complaint_records(reader, since, until)
        found += _rates(reader, AlertKind.COMPLAINT_RATE, complaints, since, until, conf)
        found += _crossings(reader, complaints, events, since, conf)
        found += _repeated(reader, since, until, conf)
    return sorted(found, key=lambda c: (c.window_end, c.kind, c.area, c.subject, c.audience))


@functools.cache
def _area_of_crossing(pk: int) -> str:
    return _crossing_area(Crossing.objects.get(pk=pk))


def crossing_area(crossing: Crossing) -> str:
    """The crossing's province, computed once per run (detect clears the cache: the registry may change)."""
    return _area_of_crossing(crossing.pk)


def _day(ordinal: int) -> dt.date:
    return dt.date.fromordinal(ordinal)


def _evidence(ids: list[str], conf: EarlyWarningSettings) -> list[str]:
    return sorted(ids)[: conf.evidence_limit]


def _rates(
    reader: Reader, kind: str, records: Records, since: dt.date, until: dt.date, conf: EarlyWarningSettings
) -> list[AlertCandidate]:
    """The Poisson CUSUM over the daily counts of each province with records, and of the whole frontier."""
    if not len(records):
        return []
    first, last = since.toordinal(), until.toordinal()
    days = np.array(records.days, dtype=np.int64)
    areas = np.array(records.areas, dtype=object)
    found = []
    for area in [ALL_AREAS, *sorted({a for a in records.areas if a})]:
        chosen = np.ones(len(days), dtype=bool) if area == ALL_AREAS else areas == area
        for signal in early_warning.dated_signals(days[chosen], first_day=first, last_day=last, parameters=conf.cusum):
            inside = chosen & (days >= signal.onset) & (days <= signal.alarm)
            ids = [records.ids[i] for i in np.flatnonzero(inside)]
            # The days before the onset too, so a reader sees the rise against what came before it.
            shown_from = max(first, signal.onset - CONTEXT_DAYS)
            daily = early_warning.daily_counts(days[chosen], first_day=shown_from, last_day=signal.alarm)
            statistic = {
                "method": "poisson_cusum",
                "observed": signal.observed,
                "expected": signal.expected,
                "baseline_rate": round(signal.baseline_rate, 4),
                "baseline_days": conf.cusum.baseline_days,
                "guard_days": conf.cusum.guard_days,
                "ratio": conf.cusum.ratio,
                "reference": round(signal.reference, 4),
                "threshold": round(signal.threshold, 4),
                "cusum": round(signal.statistic, 4),
                "arl0": conf.cusum.arl0,
                "daily_from": _day(shown_from).isoformat(),
                "daily": [int(n) for n in daily],
                "evidence_count": len(ids),
            }
            found.append(
                AlertCandidate(
                    kind=kind,
                    audience=reader.audience,
                    party=reader.party,
                    area=area,
                    subject="",
                    window_start=_day(signal.onset),
                    window_end=_day(signal.alarm),
                    statistic=statistic,
                    complaint_codes=[] if kind == AlertKind.EVENT_RATE else _evidence(ids, conf),
                    event_ids=_evidence(ids, conf) if kind == AlertKind.EVENT_RATE else [],
                )
            )
    return found


def _crossings(
    reader: Reader, complaints: Records, events: Records, since: dt.date, conf: EarlyWarningSettings
) -> list[AlertCandidate]:
    """A complaint or external event within `crossing_km` of a crossing after `quiet_days` days without one."""
    together = complaints.extend(events)
    if not len(together):
        return []
    days, latitudes, longitudes = together.arrays()
    is_complaint = np.arange(len(together)) < len(complaints)
    found = []
    for crossing in located_crossings():
        assert crossing.latitude is not None and crossing.longitude is not None
        distance = distances_km(latitudes, longitudes, crossing.latitude, crossing.longitude)
        near = np.flatnonzero(distance <= conf.crossing_km)
        if not len(near):
            continue
        for window in after_quiet(days[near].tolist(), quiet_days=conf.quiet_days, since=since.toordinal()):
            today = near[days[near] == window.end]
            statistic = {
                "distance_km": conf.crossing_km,
                "quiet_days": conf.quiet_days,
                "nearest_km": round(float(distance[today].min()), 2),
                "records": len(today),
                "evidence_count": len(today),
            }
            found.append(
                AlertCandidate(
                    kind=AlertKind.CROSSING_ACTIVITY,
                    audience=reader.audience,
                    party=reader.party,
                    area=crossing_area(crossing),
                    subject=crossing.slug,
                    window_start=_day(window.start),
                    window_end=_day(window.end),
                    statistic=statistic,
                    complaint_codes=_evidence([together.ids[i] for i in today if is_complaint[i]], conf),
                    event_ids=_evidence([together.ids[i] for i in today if not is_complaint[i]], conf),
                    crossing=crossing,
                )
            )
    return found


def _repeated(reader: Reader, since: dt.date, until: dt.date, conf: EarlyWarningSettings) -> list[AlertCandidate]:
    """K complaints alleging one commitment against one respondent within W days; or a second (third, ...)
    determination confirming a breach of it."""
    found = []
    alleged: dict[tuple[int, int], list[Allegation]] = defaultdict(list)
    for row in allegations(reader, since, until):
        alleged[(row.commitment_id, row.respondent_id)].append(row)
    confirmed: dict[tuple[int, int], list[Allegation]] = defaultdict(list)
    for row in confirmed_breaches(reader, until):
        confirmed[(row.commitment_id, row.respondent_id)].append(row)
    keys = set(alleged) | set(confirmed)
    commitments = Commitment.objects.in_bulk([k[0] for k in keys])
    parties = Party.objects.in_bulk([k[1] for k in keys])

    def candidate(key: tuple[int, int], rule: str, start: int, end: int, codes: list[str], **extra: Any) -> None:
        commitment, respondent = commitments[key[0]], parties[key[1]]
        codes = sorted(set(codes))
        found.append(
            AlertCandidate(
                kind=AlertKind.REPEATED_BREACH,
                audience=reader.audience,
                party=reader.party,
                area=ALL_AREAS,
                subject=f"{rule}:{commitment.pk}:{respondent.code}",
                window_start=_day(start),
                window_end=_day(end),
                statistic={"rule": rule, "count": len(codes), "evidence_count": len(codes)} | extra,
                complaint_codes=_evidence(codes, conf),
                commitment=commitment,
                respondent=respondent,
            )
        )

    for key, rows in alleged.items():
        for window in threshold_reached(
            [r.day for r in rows], window_days=conf.repeat_window_days, threshold=conf.repeat_threshold
        ):
            inside = [r for r in rows if window.start <= r.day <= window.end]
            candidate(
                key, "complaints", min(r.day for r in inside), window.end, [r.code for r in inside],
                threshold=conf.repeat_threshold, window_days=conf.repeat_window_days,
            )  # fmt: skip
    for key, rows in confirmed.items():
        distinct: list[Allegation] = []
        for row in rows:
            if row.code not in {r.code for r in distinct}:
                distinct.append(row)
        for n in range(conf.confirmed_threshold, len(distinct) + 1):
            last = distinct[n - 1]
            if last.day < since.toordinal():
                continue
            codes = [r.code for r in distinct[:n]]
            candidate(key, "determinations", distinct[0].day, last.day, codes, threshold=conf.confirmed_threshold)
    return found


def _closures(reader: Reader, since: dt.date, until: dt.date) -> list[AlertCandidate]:
    required = border_settings().arbitrary_min_notice_hours
    found = []
    for closure in closures_without_notice(reader, since, until):
        day = closure.started_at.astimezone(dt.UTC).date()
        found.append(
            AlertCandidate(
                kind=AlertKind.CLOSURE_WITHOUT_NOTICE,
                audience=reader.audience,
                party=reader.party,
                area=crossing_area(closure.crossing),
                subject=closure.code,
                window_start=day,
                window_end=day,
                statistic={
                    "notice_hours": closure.notice_hours,
                    "required_hours": required,
                    "declared_by": closure.party,
                    "reason_stated": closure.reason_stated,
                    "started_at": closure.started_at.isoformat(),
                    "evidence_count": 1,
                },
                closure_codes=[closure.code],
                crossing=closure.crossing,
            )
        )
    return found
