"""Early warning, the rules over individual records (the rate test is early_warning.py): new activity after quiet
days, and a count reaching a threshold within a sliding window. Pure functions over day numbers (integers: days
since any origin the caller chose), so they are tested without a database and do not depend on the origin.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Window:
    """A rule fired on day `end` over the records of days `start` .. `end` (inclusive)."""

    start: int
    end: int
    count: int


def after_quiet(days: Sequence[int], *, quiet_days: int, since: int) -> list[Window]:
    """Days with activity after at least `quiet_days` days with none.

    `days` holds one day number per record (repeats allowed). A day qualifies when it has a record and none of the
    `quiet_days` days before it has one — and the whole quiet stretch lies at or after `since`, the first day the
    caller has records for: quiet is only known where there was data to be quiet in.
    """
    if quiet_days < 1:
        raise ValueError("quiet_days must be at least 1")
    ordered = sorted(days)
    fired: list[Window] = []
    previous: int | None = None
    index = 0
    while index < len(ordered):
        day = ordered[index]
        same = index
        while same < len(ordered) and ordered[same] == day:
            same += 1
        quiet_from = day - quiet_days
        if quiet_from >= since and (previous is None or previous < quiet_from):
            fired.append(Window(quiet_from, day, same - index))
        previous = day
        index = same
    return fired


def threshold_reached(days: Sequence[int], *, window_days: int, threshold: int) -> list[Window]:
    """Days on which the records of the last `window_days` days (that day included) reach `threshold`, having
    been below it the day before: one firing per rise, however long the count stays at or above it."""
    if window_days < 1 or threshold < 1:
        raise ValueError("window_days and threshold must be at least 1")
    ordered = np.sort(np.asarray(days, dtype=np.int64))
    fired: list[Window] = []
    for day in np.unique(ordered):
        start = int(day) - window_days + 1
        now = int(np.searchsorted(ordered, day, side="right") - np.searchsorted(ordered, start, side="left"))
        before = int(np.searchsorted(ordered, day, side="left") - np.searchsorted(ordered, start - 1, side="left"))
        if now >= threshold > before:
            fired.append(Window(start, int(day), now))
    return fired


def distances_km(
    latitudes: NDArray[np.float64], longitudes: NDArray[np.float64], latitude: float, longitude: float
) -> NDArray[np.float64]:
    """Great-circle distance (haversine) from many points to one, in kilometres."""
    p1, p2 = np.radians(latitudes), math.radians(latitude)
    dp, dl = p2 - p1, np.radians(longitude - longitudes)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * math.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))
