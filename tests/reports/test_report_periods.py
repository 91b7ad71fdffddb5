"""Report periods: a UTC day or a Monday-to-Sunday week, the period before it, and which is due when."""

from __future__ import annotations

import datetime as dt

import pytest

from ceasefire.reports.periods import latest_due, period_containing, trend_days

pytestmark = pytest.mark.unit


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_daily_period_is_one_utc_day_compared_with_the_day_before():
    period = period_containing("daily", dt.date(2025, 11, 25))

    assert (period.start, period.end) == (utc(2025, 11, 25), utc(2025, 11, 26))
    assert (period.previous.first_day, period.previous.last_day) == (dt.date(2025, 11, 24), dt.date(2025, 11, 24))


@pytest.mark.parametrize("day", [24, 26, 30])
def test_weekly_period_runs_monday_to_sunday_whatever_day_is_given(day):
    period = period_containing("weekly", dt.date(2025, 11, day))

    assert (period.first_day, period.last_day) == (dt.date(2025, 11, 24), dt.date(2025, 11, 30))
    assert (period.previous.first_day, period.previous.last_day) == (dt.date(2025, 11, 17), dt.date(2025, 11, 23))
    assert len(period.days) == 7


def test_daily_report_of_yesterday_falls_due_at_six_utc():
    assert latest_due("daily", utc(2025, 11, 26, 5, 59)).first_day == dt.date(2025, 11, 24)
    assert latest_due("daily", utc(2025, 11, 26, 6, 0)).first_day == dt.date(2025, 11, 25)


def test_weekly_report_of_last_week_falls_due_on_monday_at_six_utc():
    assert latest_due("weekly", utc(2025, 12, 1, 5, 0)).first_day == dt.date(2025, 11, 17)
    assert latest_due("weekly", utc(2025, 12, 1, 6, 0)).first_day == dt.date(2025, 11, 24)
    assert latest_due("weekly", utc(2025, 12, 4, 12, 0)).first_day == dt.date(2025, 11, 24)


def test_due_time_is_read_in_utc_whatever_the_zone_given():
    kabul = dt.timezone(dt.timedelta(hours=4, minutes=30))
    # 10:00 in Kabul is 05:30 UTC: yesterday's report is not due yet.
    assert latest_due("daily", dt.datetime(2025, 11, 26, 10, 0, tzinfo=kabul)).first_day == dt.date(2025, 11, 24)


def test_trend_covers_two_weeks_for_a_day_and_four_for_a_week():
    daily = trend_days(period_containing("daily", dt.date(2025, 11, 25)))
    weekly = trend_days(period_containing("weekly", dt.date(2025, 11, 25)))

    assert (len(daily), daily[-1], daily[0]) == (14, dt.date(2025, 11, 25), dt.date(2025, 11, 12))
    assert (len(weekly), weekly[-1], weekly[0]) == (28, dt.date(2025, 11, 30), dt.date(2025, 11, 3))


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="monthly"):
        period_containing("monthly", dt.date(2025, 11, 25))
