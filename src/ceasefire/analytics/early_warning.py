"""Early warning, the statistics: a one-sided Poisson CUSUM over daily counts against a trailing baseline.

Pure functions over numpy arrays of daily counts (index 0 is the first day; dates are the caller's business), so
each property is tested without a database (tests/analytics/test_early_warning.py). The method, its parameters
and why they were chosen are written up in docs/early-warning.md; in short:

- the in-control rate of day t is the mean count of the B days before it (λ0 = m / B, m the sum), never below
  a floor of `floor_events` per B days, so a quiet area still has a finite baseline;
- the out-of-control rate the test is tuned to is λ1 = k·λ0 (k = `ratio`);
- Lucas's (1985) Poisson CUSUM in count units: S_t = max(0, S_{t-1} + x_t − K), K = (λ1 − λ0) / ln(λ1 / λ0), the
  reference value; the log-likelihood-ratio CUSUM divided by ln k, so it is the optimal test of λ0 against λ1;
- it signals when S_t ≥ H, the decision interval, chosen for each baseline so that the in-control average run
  length (days to a false alarm when nothing changed) is at least `arl0`. The ARL comes from the exact Markov
  chain of S on a grid (Brook & Evans 1972): K and S are kept in integer grid units, so the chain the threshold
  was calibrated on is the statistic that runs — no floating-point drift between the two;
- after a signal S restarts at 0 (the classical CUSUM, the one the ARL describes); signals that follow the previous
  one within `cooldown_days` belong to the same episode and raise no new alert.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

Counts = NDArray[np.int64]


@dataclass(frozen=True)
class CusumParameters:
    baseline_days: int = 28  # B: the trailing window the in-control rate is estimated from
    guard_days: int = 7  # the week before the day tested stays out of its baseline, so a rise is not absorbed
    ratio: float = 2.0  # k: the test is tuned to a doubling of the rate
    arl0: float = 365.0  # in-control average run length, in days: about one false alarm a year per series
    floor_events: float = 1.0  # the baseline never assumes fewer than this many events per B days
    resolution: int = 20  # grid steps per standard deviation of a day's count (Markov chain and statistic)
    cooldown_days: int = 14  # a signal this soon after the previous one continues its episode

    @property
    def warmup_days(self) -> int:
        """Days of history needed before the first day that can be tested."""
        return self.baseline_days + self.guard_days


@dataclass(frozen=True)
class Design:
    """The test for one baseline: rate, grid step and the reference value and decision interval in grid units."""

    baseline_rate: float
    steps_per_count: int  # r: S and K are integers, in units of 1/r of a count
    reference_steps: int  # K·r, rounded
    threshold_steps: int  # H·r: the smallest grid value whose in-control ARL reaches arl0

    @property
    def reference(self) -> float:
        return self.reference_steps / self.steps_per_count

    @property
    def threshold(self) -> float:
        return self.threshold_steps / self.steps_per_count


@dataclass(frozen=True)
class CusumPath:
    """The statistic day by day; during the warm-up it stays zero and nothing is tested."""

    baseline: NDArray[np.float64]  # λ0 of each day (NaN during the warm-up)
    statistic: NDArray[np.float64]  # S_t in counts
    threshold: NDArray[np.float64]  # H of each day (NaN during the warm-up)
    reference: NDArray[np.float64]  # K of each day (NaN during the warm-up)
    alarms: list[int]  # days on which S_t ≥ H (before the restart)


@dataclass(frozen=True)
class Signal:
    """One episode: where the rise began (the day after S last stood at zero) and the day it was signalled."""

    onset: int
    alarm: int
    statistic: float  # S at the alarm, counts
    threshold: float  # H at the alarm, counts
    reference: float  # K at the alarm, counts per day
    baseline_rate: float  # λ0 at the alarm, per day
    observed: int  # counts from onset to alarm, inclusive
    expected: float  # the baseline's expectation over the same days


def reference_value(baseline_rate: float, ratio: float) -> float:
    """K = (λ1 − λ0) / (ln λ1 − ln λ0) with λ1 = k·λ0: the count per day above which evidence for λ1 accumulates."""
    return (ratio - 1.0) * baseline_rate / math.log(ratio)


def steps_per_count(baseline_rate: float, resolution: int) -> int:
    """Grid steps per count: `resolution` per standard deviation of a day's count, at least one."""
    return max(1, round(resolution / math.sqrt(max(baseline_rate, 1.0))))


def _poisson_pmf(rate: float, upto: int) -> NDArray[np.float64]:
    x = np.arange(upto + 1, dtype=np.float64)
    log_pmf = x * math.log(rate) - rate - np.array([math.lgamma(v + 1.0) for v in x])
    pmf: NDArray[np.float64] = np.exp(log_pmf)
    return pmf


def _transient(rate: float, reference_steps: int, states: int, steps: int) -> NDArray[np.float64]:
    """R: the chance of moving from grid state i to j (both below the threshold `states`) in one day."""
    n = states
    upto = int(rate + 12.0 * math.sqrt(rate) + 12.0) + (n + reference_steps) // steps + 1
    pmf = _poisson_pmf(rate, upto)
    origin, count = np.meshgrid(np.arange(n), np.arange(upto + 1), indexing="ij")
    target = origin + steps * count - reference_steps
    stays = target < n  # reaching n or beyond is the alarm: absorbed, not in the transient part
    cells = origin[stays] * n + np.maximum(target[stays], 0)
    weights = np.broadcast_to(pmf, origin.shape)[stays]
    return np.bincount(cells, weights=weights, minlength=n * n).reshape(n, n)


class _RunLengths:
    """In-control ARL from S = 0 for every threshold up to `states`, from one factorisation.

    The expected days to absorption L solve (I − R) L = 1 (Brook & Evans 1972). For a lower threshold H the chain
    is the leading H×H block of the same matrix, and the LU factors of a leading block are the leading blocks of
    the factors: one factorisation answers every H. I − R is strictly diagonally dominant (each row of R sums to
    less than one), so elimination without pivoting is stable; it is written out in numpy rather than LAPACK,
    whose threads fight over the two cores with everything else the worker runs.
    """

    def __init__(self, rate: float, reference_steps: int, states: int, steps: int) -> None:
        a = np.eye(states) - _transient(rate, reference_steps, states, steps)
        for k in range(states - 1):
            a[k + 1 :, k] /= a[k, k]
            a[k + 1 :, k + 1 :] -= np.multiply.outer(a[k + 1 :, k], a[k, k + 1 :])
        self.lu = a
        forward = np.ones(states)
        for i in range(1, states):
            forward[i] -= float(np.dot(a[i, :i], forward[:i]))
        self.forward = forward
        self.states = states

    def at(self, threshold_steps: int) -> float:
        if threshold_steps <= 0:
            return 1.0
        n, u = threshold_steps, self.lu
        x = np.zeros(n)
        for i in range(n - 1, -1, -1):
            x[i] = (self.forward[i] - float(np.dot(u[i, i + 1 : n], x[i + 1 : n]))) / u[i, i]
        return float(x[0])


def run_length(rate: float, reference_steps: int, threshold_steps: int, steps: int) -> float:
    """Average run length from S = 0 of the grid CUSUM when counts are Poisson(rate): days until S ≥ H.

    States 0 .. H−1 (grid units) are transient; from state i a count x leads to max(0, i + r·x − K).
    """
    if threshold_steps <= 0:
        return 1.0
    return _RunLengths(rate, reference_steps, threshold_steps, steps).at(threshold_steps)


@lru_cache(maxsize=4096)
def _design(baseline_rate: float, ratio: float, arl0: float, resolution: int) -> Design:
    steps = steps_per_count(baseline_rate, resolution)
    reference_steps = max(1, round(reference_value(baseline_rate, ratio) * steps))
    states = 4 * steps
    lengths = _RunLengths(baseline_rate, reference_steps, states, steps)
    while lengths.at(states) < arl0:  # widen until some threshold reaches arl0
        states *= 2
        lengths = _RunLengths(baseline_rate, reference_steps, states, steps)
    low, high = 0, states  # ARL(0) = 1 < arl0 <= ARL(high); the ARL grows with H
    while high - low > 1:
        middle = (low + high) // 2
        if lengths.at(middle) >= arl0:
            high = middle
        else:
            low = middle
    return Design(baseline_rate, steps, reference_steps, high)


def design(baseline_rate: float, parameters: CusumParameters) -> Design:
    """The test for one baseline rate (cached: baselines are sums of counts over B days, so few distinct ones)."""
    floor = parameters.floor_events / parameters.baseline_days
    rate = max(float(baseline_rate), floor)
    return _design(rate, parameters.ratio, parameters.arl0, parameters.resolution)


def trailing_baseline(counts: Counts, parameters: CusumParameters) -> NDArray[np.float64]:
    """λ0 of each day: the mean of the B days ending `guard_days` before it; NaN while there is not enough history."""
    counts = np.asarray(counts, dtype=np.int64)
    days, window, guard = len(counts), parameters.baseline_days, parameters.guard_days
    baseline = np.full(days, np.nan)
    if days <= window + guard:
        return baseline
    cumulative = np.concatenate(([0], np.cumsum(counts)))
    t = np.arange(window + guard, days)
    sums = cumulative[t - guard] - cumulative[t - guard - window]
    baseline[t] = sums / window
    return baseline


def cusum(counts: Counts, parameters: CusumParameters | None = None) -> CusumPath:
    """The Poisson CUSUM over a series of daily counts, restarting at zero after each alarm."""
    parameters = parameters or CusumParameters()
    counts = np.asarray(counts, dtype=np.int64)
    if counts.ndim != 1 or (len(counts) and counts.min() < 0):
        raise ValueError("daily counts are a one-dimensional array of non-negative integers")
    days = len(counts)
    baseline = trailing_baseline(counts, parameters)
    statistic = np.zeros(days)
    threshold = np.full(days, np.nan)
    reference = np.full(days, np.nan)
    alarms: list[int] = []
    state = 0  # S in grid units of the current day's design; rescaled when the grid changes
    scale = 0
    for t in range(parameters.warmup_days, days):
        test = design(float(baseline[t]), parameters)
        if scale and test.steps_per_count != scale:
            state = round(state * test.steps_per_count / scale)
        scale = test.steps_per_count
        state = max(0, state + scale * int(counts[t]) - test.reference_steps)
        statistic[t] = state / scale
        threshold[t] = test.threshold
        reference[t] = test.reference
        if state >= test.threshold_steps:
            alarms.append(t)
            state = 0
    return CusumPath(baseline, statistic, threshold, reference, alarms)


def signals(counts: Counts, parameters: CusumParameters | None = None) -> list[Signal]:
    """Episodes of a rise: the first alarm of each, with the onset estimate and what was observed and expected.

    The onset is the day after the statistic last stood at zero (or last alarmed) before the alarm: the CUSUM's
    change-point estimate. Alarms within `cooldown_days` of the previous alarm continue its episode.
    """
    parameters = parameters or CusumParameters()
    counts = np.asarray(counts, dtype=np.int64)
    path = cusum(counts, parameters)
    floor = parameters.floor_events / parameters.baseline_days
    found: list[Signal] = []
    previous: int | None = None
    for alarm in path.alarms:
        earlier, previous = previous, alarm
        if earlier is not None and alarm - earlier <= parameters.cooldown_days:
            continue
        limit = max(parameters.warmup_days, earlier + 1 if earlier is not None else 0)
        onset = alarm
        while onset - 1 >= limit and path.statistic[onset - 1] > 0:
            onset -= 1
        days = slice(onset, alarm + 1)
        found.append(
            Signal(
                onset=onset,
                alarm=alarm,
                statistic=float(path.statistic[alarm]),
                threshold=float(path.threshold[alarm]),
                reference=float(path.reference[alarm]),
                baseline_rate=max(float(path.baseline[alarm]), floor),
                observed=int(counts[days].sum()),
                expected=round(float(np.maximum(path.baseline[days], floor).sum()), 3),
            )
        )
    return found


def daily_counts(days: Sequence[int] | NDArray[np.int64], *, first_day: int, last_day: int) -> Counts:
    """Records per day from `first_day` to `last_day` inclusive (day numbers, e.g. date.toordinal()); records
    outside the span are left out."""
    if last_day < first_day:
        return np.zeros(0, dtype=np.int64)
    offsets = np.asarray(days, dtype=np.int64) - first_day
    inside = offsets[(offsets >= 0) & (offsets <= last_day - first_day)]
    return np.bincount(inside, minlength=last_day - first_day + 1).astype(np.int64)


def dated_signals(
    days: Sequence[int] | NDArray[np.int64],
    *,
    first_day: int,
    last_day: int,
    parameters: CusumParameters | None = None,
) -> list[Signal]:
    """Signals over records given by their day numbers; onset and alarm are day numbers too. The calendar plays
    no part: moving every record and the span by the same number of days moves every signal by as many."""
    counts = daily_counts(days, first_day=first_day, last_day=last_day)
    return [
        dataclasses.replace(s, onset=first_day + s.onset, alarm=first_day + s.alarm)
        for s in signals(counts, parameters)
    ]
