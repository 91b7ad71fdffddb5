"""The early warning's statistics (analytics/early_warning*.py): the Poisson CUSUM and its threshold, and the rules
over individual records. Pure functions: no database."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.analytics import early_warning as ew
from ceasefire.analytics.early_warning_events import after_quiet, distances_km, threshold_reached

pytestmark = pytest.mark.unit

PARAMETERS = ew.CusumParameters()
WARMUP = PARAMETERS.warmup_days


def series(*parts: tuple[int, int]) -> np.ndarray:
    """Daily counts: (count per day, days) for each stretch."""
    return np.concatenate([np.full(days, count, dtype=np.int64) for count, days in parts])


@settings(max_examples=60, deadline=None)
@given(count=st.integers(min_value=0, max_value=60), days=st.integers(min_value=0, max_value=400))
def test_no_alert_on_a_constant_series(count, days):
    assert ew.signals(series((count, days))) == []
    assert ew.cusum(series((count, days))).alarms == []


@settings(max_examples=60, deadline=None)
@given(
    before=st.integers(min_value=1, max_value=30),
    factor=st.integers(min_value=3, max_value=8),
    quiet=st.integers(min_value=WARMUP, max_value=120),
)
def test_alert_within_a_week_of_a_threefold_step(before, factor, quiet):
    counts = series((before, quiet), (before * factor, 30))
    found = ew.signals(counts)
    assert found, "a step to three times the rate or more must be signalled"
    first = found[0]
    assert quiet <= first.alarm <= quiet + 6
    assert first.onset >= quiet - 1  # the onset estimate is at (or just before) the step
    assert first.observed >= before * factor


@settings(max_examples=30, deadline=None)
@given(per_day=st.integers(min_value=2, max_value=10), quiet=st.integers(min_value=WARMUP, max_value=100))
def test_alert_when_a_quiet_area_wakes_up(per_day, quiet):
    """Zero for weeks (the baseline floor of one event per 28 days), then `per_day` records a day: at most two days."""
    found = ew.signals(series((0, quiet), (per_day, 10)))
    assert found and quiet <= found[0].alarm <= quiet + 1


def test_one_record_in_a_quiet_area_is_not_an_alert():
    assert ew.signals(series((0, 60), (1, 1), (0, 60))) == []


@settings(max_examples=40, deadline=None)
@given(
    days=st.lists(st.integers(min_value=0, max_value=150), min_size=0, max_size=300),
    shift=st.integers(min_value=-700_000, max_value=50_000),
)
def test_signals_do_not_depend_on_the_date_origin(days, shift):
    """Records given by day number (date.toordinal() in the app): moving every record and the span analysed by
    the same number of days moves every signal by as many, with the same statistic."""
    origin = 739_000  # 2024
    found = ew.dated_signals([origin + d for d in days], first_day=origin, last_day=origin + 150)
    start = origin + shift
    moved = ew.dated_signals([start + d for d in days], first_day=start, last_day=start + 150)
    assert [(s.onset + shift, s.alarm + shift, s.observed, s.statistic) for s in found] == [
        (s.onset, s.alarm, s.observed, s.statistic) for s in moved
    ]


def test_daily_counts_bins_records_by_day_within_the_span():
    counts = ew.daily_counts([10, 10, 12, 9, 15], first_day=10, last_day=13)
    assert counts.tolist() == [2, 0, 1, 0]


@settings(max_examples=40, deadline=None)
@given(
    head=st.lists(st.integers(min_value=0, max_value=6), min_size=0, max_size=80),
    tail=st.lists(st.integers(min_value=0, max_value=6), min_size=WARMUP + 1, max_size=140),
)
def test_earlier_history_does_not_change_later_signals_once_the_statistic_restarts(head, tail):
    """What the worker relies on when its look-back window slides: once the full series and the shorter one both
    stand at zero on the same day, every later alarm is the same (the CUSUM restarts from zero in both)."""
    full = np.array(head + tail, dtype=np.int64)
    short = np.array(tail, dtype=np.int64)
    offset = len(head)
    full_path, short_path = ew.cusum(full), ew.cusum(short)
    meet = next(
        (t for t in range(WARMUP, len(short)) if short_path.statistic[t] == 0 and full_path.statistic[t + offset] == 0),
        None,
    )
    if meet is None:
        return
    later_full = [a - offset for a in full_path.alarms if a - offset > meet]
    later_short = [a for a in short_path.alarms if a > meet]
    assert later_full == later_short


def test_counts_must_be_non_negative_integers():
    with pytest.raises(ValueError):
        ew.cusum(np.array([1, -1, 2]))


def test_no_test_during_the_warm_up():
    path = ew.cusum(series((0, WARMUP), (50, 1)))
    assert np.isnan(path.baseline[:WARMUP]).all() and not np.isnan(path.baseline[WARMUP])
    assert path.alarms == [WARMUP]
    assert ew.cusum(series((50, WARMUP))).alarms == []


def test_baseline_is_the_trailing_mean_before_the_guard():
    counts = np.arange(60, dtype=np.int64)
    baseline = ew.trailing_baseline(counts, PARAMETERS)
    t = 50
    window = counts[t - PARAMETERS.guard_days - PARAMETERS.baseline_days : t - PARAMETERS.guard_days]
    assert baseline[t] == pytest.approx(window.mean())


@pytest.mark.parametrize("rate", [1 / 28, 0.3, 1.0, 4.0, 25.0])
def test_threshold_is_the_smallest_reaching_the_in_control_run_length(rate):
    design = ew.design(rate, PARAMETERS)
    at = ew.run_length(rate, design.reference_steps, design.threshold_steps, design.steps_per_count)
    below = ew.run_length(rate, design.reference_steps, design.threshold_steps - 1, design.steps_per_count)
    assert at >= PARAMETERS.arl0 > below
    assert design.reference == pytest.approx(ew.reference_value(rate, PARAMETERS.ratio), abs=1 / design.steps_per_count)


def test_reference_value_lies_between_the_two_rates():
    for rate in (0.1, 1.0, 10.0):
        assert rate < ew.reference_value(rate, 2.0) < 2 * rate
        assert ew.reference_value(rate, 2.0) == pytest.approx(rate / np.log(2))


@pytest.mark.parametrize("rate", [0.2, 2.0])
def test_run_length_agrees_with_simulation(rate):
    """The Markov chain's ARL against 3,000 simulated runs of the same grid CUSUM (seeded): within 6 %."""
    params = ew.CusumParameters(arl0=60.0)
    design = ew.design(rate, params)
    rng = np.random.default_rng(20251019)
    lengths = []
    for _ in range(3000):
        state, days = 0, 0
        while state < design.threshold_steps:
            days += 1
            state = max(0, state + design.steps_per_count * int(rng.poisson(rate)) - design.reference_steps)
        lengths.append(days)
    expected = ew.run_length(rate, design.reference_steps, design.threshold_steps, design.steps_per_count)
    assert np.mean(lengths) == pytest.approx(expected, rel=0.06)


def test_cooldown_keeps_one_episode_to_one_signal():
    counts = series((1, 60), (6, 40))
    path = ew.cusum(counts)
    assert len(path.alarms) > 3  # the statistic restarts and alarms again while the rate stays high ...
    assert len(ew.signals(counts)) == 1  # ... but it is one episode


def test_signal_reports_what_was_observed_and_expected():
    counts = series((2, 60), (12, 3), (2, 10))
    (signal,) = ew.signals(counts)
    assert signal.onset == 60 and signal.alarm == 60
    assert signal.observed == 12
    assert signal.baseline_rate == pytest.approx(2.0)
    assert signal.expected == pytest.approx(2.0)
    assert signal.statistic >= signal.threshold


# --- rules over individual records --------------------------------------------------------------------------------


def test_after_quiet_fires_on_the_first_record_after_the_quiet_days():
    fired = after_quiet([10, 10, 12, 40, 54, 55, 70, 70], quiet_days=14, since=0)
    assert [(w.start, w.end, w.count) for w in fired] == [(26, 40, 1), (56, 70, 2)]


def test_after_quiet_needs_the_quiet_days_inside_the_data():
    assert [w.end for w in after_quiet([20, 40], quiet_days=14, since=0)] == [20, 40]
    assert [w.end for w in after_quiet([20, 40], quiet_days=14, since=10)] == [40]


@settings(max_examples=50, deadline=None)
@given(days=st.lists(st.integers(min_value=0, max_value=300), max_size=40), shift=st.integers(-1000, 1000))
def test_rules_do_not_depend_on_the_date_origin(days, shift):
    moved = [d + shift for d in days]
    quiet = [(w.start + shift, w.end + shift, w.count) for w in after_quiet(days, quiet_days=7, since=0)]
    assert quiet == [(w.start, w.end, w.count) for w in after_quiet(moved, quiet_days=7, since=shift)]
    reached = [(w.start + shift, w.end + shift, w.count) for w in threshold_reached(days, window_days=30, threshold=3)]
    assert reached == [(w.start, w.end, w.count) for w in threshold_reached(moved, window_days=30, threshold=3)]


def test_threshold_reached_once_per_rise():
    fired = threshold_reached([1, 5, 9, 10, 20, 80, 81, 82], window_days=30, threshold=3)
    assert [(w.start, w.end, w.count) for w in fired] == [(-20, 9, 3), (53, 82, 3)]


def test_threshold_counts_records_of_one_day_together():
    assert [w.end for w in threshold_reached([5, 5, 5], window_days=1, threshold=3)] == [5]
    assert threshold_reached([5, 5, 6], window_days=1, threshold=3) == []


def test_distances_km_known_answer():
    # Torkham to Chaman–Spin Boldak: 561 km on the sphere.
    d = distances_km(np.array([34.11472, 30.92222]), np.array([71.08472, 66.44472]), 30.92222, 66.44472)
    assert float(d[0]) == pytest.approx(561.4, abs=0.5) and float(d[1]) == 0.0
