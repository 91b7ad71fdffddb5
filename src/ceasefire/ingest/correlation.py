"""Which external events and other complaints may describe the same event as a complaint: a space-time window
widened by both sides' precisions, a compatible category, and a score with its reasons.

Pure numpy over arrays (queries.py loads them), so 10k complaints against 1M events run in seconds:
events sorted by start day, each complaint looks only at the slice its time window allows.

Score (0..1) = 0.35 distance + 0.35 time + 0.20 category + 0.10 actors, where
- distance: 1 - d/R, R = 25 km + the place uncertainty of both (exact 0, near 25, district 50, province 100 km);
- time: 1 - gap/(W+1), gap = days between the two date windows (0 when they overlap), W = 2 days + the
  complaint's own date slack (a week or a month when only that was known);
- category: 1 when the event's category is the complaint's, 0.5 when only compatible through
  incidents.enums.CATEGORY_MAPPING (or the source did not give a type); incompatible events are no candidates;
- actors: 1 when a complaint actor's name or alias appears among the event's actors (added by the caller).
Events known only to the country or the year never corroborate anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from ceasefire.incidents.enums import CATEGORY_MAPPING, Category

from .geometry import haversine_km

BASE_RADIUS_KM = 25.0
BASE_WINDOW_DAYS = 2
MAX_EVENT_UNCERTAINTY_KM = 100.0
WEIGHTS = {"distance": 0.35, "time": 0.35, "category": 0.20, "actors": 0.10}
MAX_CANDIDATES = 10
# Kilometres per degree of latitude, rounded down from the 111.19 of the sphere haversine_km measures on: a band
# of reach/KM_PER_DEGREE degrees is never narrower than the reach, so no event within reach falls outside it.
KM_PER_DEGREE = 111.0

CATEGORIES = list(Category.values)
_CATEGORY_INDEX = {c: i for i, c in enumerate(CATEGORIES)}

SAME, COMPATIBLE, INCOMPATIBLE = 2, 1, 0
CATCH_ALL = "Strategic developments/Other"


def event_compatibility(source: str, source_type: str, event_category: str, complaint_category: str) -> int:
    """How an external event's type fits a complaint's category (SAME, COMPATIBLE or INCOMPATIBLE)."""
    if event_category and event_category == complaint_category:
        return SAME
    mapped = CATEGORY_MAPPING[complaint_category]
    if source == "ucdp":
        if not source_type:  # GED rows without type_of_violence are still lethal organised violence
            return COMPATIBLE if mapped.ucdp else INCOMPATIBLE
        return COMPATIBLE if source_type.isdigit() and int(source_type) in mapped.ucdp else INCOMPATIBLE
    if source == "acled":
        return COMPATIBLE if source_type in mapped.acled else INCOMPATIBLE
    if source == "gdelt":
        return COMPATIBLE if source_type in mapped.cameo or source_type[:3] in mapped.cameo else INCOMPATIBLE
    return INCOMPATIBLE


def complaint_compatibility(category_a: str, category_b: str) -> int:
    """Two complaints' categories: the same, or sharing any external type they map to (one clash told by each
    side as cross-border fire and as an armed clash)."""
    if category_a == category_b:
        return SAME
    a, b = CATEGORY_MAPPING[category_a], CATEGORY_MAPPING[category_b]
    # ACLED's catch-all "Strategic developments/Other" is listed for five unrelated categories: sharing it says
    # nothing (a crossing closure and an expulsion are not one event told twice).
    acled = (set(a.acled) & set(b.acled)) - {CATCH_ALL}
    shared = acled or set(a.ucdp) & set(b.ucdp) or set(a.cameo) & set(b.cameo)
    return COMPATIBLE if shared else INCOMPATIBLE


@dataclass
class Points:
    """Things with a place and a date window: complaints or external events."""

    ids: npt.NDArray[np.int64]
    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    first_day: npt.NDArray[np.int64]  # days since 1970-01-01
    last_day: npt.NDArray[np.int64]
    uncertainty_km: npt.NDArray[np.float64]
    # Events: an index into `kinds`; complaints: an index into CATEGORIES.
    kind: npt.NDArray[np.int64]
    kinds: list[tuple[str, str, str]] = field(default_factory=list)  # events: (source, source_type, category)
    slack_days: npt.NDArray[np.int64] | None = None  # complaints only

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class Candidate:
    complaint_id: int
    target_id: int  # an external event's id, or another complaint's
    score: float
    distance_km: float
    radius_km: float
    gap_days: int
    window_days: int
    category: int  # SAME or COMPATIBLE
    actors: tuple[str, ...] = ()

    def reasons(self) -> dict[str, object]:
        return {
            "distance_km": round(self.distance_km, 2),
            "radius_km": round(self.radius_km, 1),
            "gap_days": self.gap_days,
            "window_days": self.window_days,
            "category": "same" if self.category == SAME else "compatible",
            "actors": list(self.actors),
            "points": {
                "distance": round(WEIGHTS["distance"] * max(0.0, 1 - self.distance_km / self.radius_km), 4),
                "time": round(WEIGHTS["time"] * max(0.0, 1 - self.gap_days / (self.window_days + 1)), 4),
                "category": WEIGHTS["category"] * (1.0 if self.category == SAME else 0.5),
                "actors": WEIGHTS["actors"] if self.actors else 0.0,
            },
        }


def _score(distance: npt.NDArray[np.float64], radius: npt.NDArray[np.float64] | float, gap: npt.NDArray[np.int64],
           window: int, category: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:  # fmt: skip
    return np.asarray(
        WEIGHTS["distance"] * np.maximum(0.0, 1 - distance / radius)
        + WEIGHTS["time"] * np.maximum(0.0, 1 - gap / (window + 1))
        + WEIGHTS["category"] * np.where(category == SAME, 1.0, 0.5)
    )


def rank(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Best first: score, then nearer, then closer in time, then the lower id (a stable order)."""
    return sorted(candidates, key=lambda c: (-round(c.score, 6), c.distance_km, c.gap_days, c.target_id))


def with_actors(candidate: Candidate, matched: Sequence[str]) -> Candidate:
    if not matched:
        return candidate
    return Candidate(
        candidate.complaint_id, candidate.target_id, candidate.score + WEIGHTS["actors"], candidate.distance_km,
        candidate.radius_km, candidate.gap_days, candidate.window_days, candidate.category, tuple(matched),
    )  # fmt: skip


def latitude_band(complaints: Points) -> tuple[float, float]:
    """The latitudes any event within reach of one of the complaints lies between: events outside the band never
    match, and are not loaded (a worldwide GDELT file has most of its rows outside it)."""
    reach = (BASE_RADIUS_KM + float(complaints.uncertainty_km.max()) + MAX_EVENT_UNCERTAINTY_KM) / KM_PER_DEGREE
    return float(complaints.lat.min()) - reach, float(complaints.lat.max()) + reach


def match_events(complaints: Points, events: Points, *, keep: int = 2 * MAX_CANDIDATES) -> list[Candidate]:
    """Every complaint's best `keep` compatible events within its space-time window (actors not yet scored)."""
    if not len(events) or not len(complaints):
        return []
    assert complaints.slack_days is not None
    order = np.argsort(events.first_day, kind="stable")
    e_first, e_last = events.first_day[order], events.last_day[order]
    e_lon, e_lat, e_unc = events.lon[order], events.lat[order], events.uncertainty_km[order]
    e_ids, e_kind = events.ids[order], events.kind[order]
    longest = int((e_last - e_first).max())
    # compatibility[category index, event kind] for every kind present
    compatibility = np.array(
        [[event_compatibility(s, t, c, category) for (s, t, c) in events.kinds] for category in CATEGORIES],
        dtype=np.int64,
    )
    found: list[Candidate] = []
    for i in range(len(complaints)):
        window = BASE_WINDOW_DAYS + int(complaints.slack_days[i])
        first, last = int(complaints.first_day[i]), int(complaints.last_day[i])
        lo = int(np.searchsorted(e_first, first - window - longest, "left"))
        hi = int(np.searchsorted(e_first, last + window, "right"))
        if lo >= hi:
            continue
        sl = slice(lo, hi)
        gap = np.maximum(0, np.maximum(first - e_last[sl], e_first[sl] - last))
        category = compatibility[complaints.kind[i]][e_kind[sl]]
        ok = (gap <= window) & (category > INCOMPATIBLE)
        reach = BASE_RADIUS_KM + complaints.uncertainty_km[i] + MAX_EVENT_UNCERTAINTY_KM
        ok &= np.abs(e_lat[sl] - complaints.lat[i]) <= reach / KM_PER_DEGREE
        idx = np.flatnonzero(ok)
        if not len(idx):
            continue
        idx += lo
        radius = BASE_RADIUS_KM + complaints.uncertainty_km[i] + e_unc[idx]
        distance = haversine_km(np.full(len(idx), complaints.lon[i]), np.full(len(idx), complaints.lat[i]),
                                e_lon[idx], e_lat[idx])  # fmt: skip
        near = distance <= radius
        if not near.any():
            continue
        idx, radius, distance = idx[near], radius[near], distance[near]
        gaps = np.maximum(0, np.maximum(first - e_last[idx], e_first[idx] - last))
        cats = compatibility[complaints.kind[i]][e_kind[idx]]
        scores = _score(distance, radius, gaps, window, cats)
        best = np.lexsort((e_ids[idx], gaps, distance, -np.round(scores, 6)))[:keep]
        cid = int(complaints.ids[i])
        found.extend(
            Candidate(
                cid,
                int(e_ids[idx[j]]),
                float(scores[j]),
                float(distance[j]),
                float(radius[j]),
                int(gaps[j]),
                window,
                int(cats[j]),
            )
            for j in best
        )
    return found


def match_complaints(complaints: Points) -> list[Candidate]:
    """Pairs of complaints that may describe one event; each pair once, on the lower id."""
    found: list[Candidate] = []
    n = len(complaints)
    if n < 2:
        return found
    assert complaints.slack_days is not None
    compatibility = np.array([[complaint_compatibility(a, b) for b in CATEGORIES] for a in CATEGORIES], dtype=np.int64)
    for i in range(n - 1):
        j = np.arange(i + 1, n)
        window = BASE_WINDOW_DAYS + int(max(complaints.slack_days[i], 0))
        window_j = BASE_WINDOW_DAYS + complaints.slack_days[j]
        gap = np.maximum(0, np.maximum(complaints.first_day[i] - complaints.last_day[j],
                                       complaints.first_day[j] - complaints.last_day[i]))  # fmt: skip
        category = compatibility[complaints.kind[i]][complaints.kind[j]]
        radius = BASE_RADIUS_KM + complaints.uncertainty_km[i] + complaints.uncertainty_km[j]
        distance = haversine_km(np.full(len(j), complaints.lon[i]), np.full(len(j), complaints.lat[i]),
                                complaints.lon[j], complaints.lat[j])  # fmt: skip
        widest = np.maximum(window, window_j)
        ok = (gap <= widest) & (category > INCOMPATIBLE) & (distance <= radius)
        for k in np.flatnonzero(ok):
            w = int(widest[k])
            score = float(_score(distance[k : k + 1], float(radius[k]), gap[k : k + 1], w, category[k : k + 1])[0])
            a, b = int(complaints.ids[i]), int(complaints.ids[j[k]])
            low, high = min(a, b), max(a, b)
            found.append(
                Candidate(low, high, score, float(distance[k]), float(radius[k]), int(gap[k]), w, int(category[k]))
            )
    return found
