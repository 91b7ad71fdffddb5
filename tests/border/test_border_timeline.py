"""The derived statistics, from hand-made declarations with exact expected values (timeline.py, no database)."""

import datetime as dt

import pytest
from border_helpers import utc

from ceasefire.border.timeline import (
    Claim,
    arbitrary_reasons,
    closures,
    days_by_month,
    derive_segments,
    find_conflicts,
    is_closed,
    longest,
    month_calendar,
    stops_trade,
    trade_stoppages,
)

pytestmark = pytest.mark.unit

WINDOW = dt.timedelta(hours=24)
UNTIL = utc(2025, 12, 20)
# Torkham's 2025 as hand-made declarations: closed 12 Oct; returns only from 1 Nov; open 1 Dec at noon;
# closed again 10 Dec with 96 h notice and a reason.
TORKHAM = [
    Claim("A", "TR", utc(2025, 10, 12), "closed", reason="Clashes"),
    Claim("B", "PK", utc(2025, 11, 1), "restricted", restriction="returns_deportations_only"),
    Claim("C", "PK", utc(2025, 12, 1, 12), "open"),
    Claim("D", "AF", utc(2025, 12, 10), "closed", reason="Security", notice_hours=96),
]


def _segments(claims=TORKHAM, until=UNTIL):
    return derive_segments(claims, WINDOW, until)


def test_segments_follow_each_declaration_until_the_next():
    segments = _segments()
    assert [(s.start, s.end, s.state, s.days) for s in segments] == [
        (utc(2025, 10, 12), utc(2025, 11, 1), "closed", 20.0),
        (utc(2025, 11, 1), utc(2025, 12, 1, 12), "restricted", 30.5),
        (utc(2025, 12, 1, 12), utc(2025, 12, 10), "open", 8.5),
        (utc(2025, 12, 10), UNTIL, "closed", 10.0),
    ]
    assert [s.ongoing for s in segments] == [False, False, False, True]


def test_closure_intervals_and_longest_closure():
    runs = closures(_segments())
    assert [(r.start, r.end, r.days, r.ongoing, r.claim.code) for r in runs] == [
        (utc(2025, 10, 12), utc(2025, 11, 1), 20.0, False, "A"),
        (utc(2025, 12, 10), UNTIL, 10.0, True, "D"),
    ]
    assert longest(runs).claim.code == "A"


def test_trade_stoppage_counts_returns_only_restriction():
    runs = trade_stoppages(_segments())
    assert [(r.start, r.end, r.days) for r in runs] == [
        (utc(2025, 10, 12), utc(2025, 12, 1, 12), 50.5),
        (utc(2025, 12, 10), UNTIL, 10.0),
    ]


def test_days_closed_per_month_clip_at_month_boundaries():
    segments = _segments()
    assert days_by_month(segments, is_closed) == {(2025, 10): 20.0, (2025, 12): 10.0}
    assert days_by_month(segments, stops_trade) == {(2025, 10): 20.0, (2025, 11): 30.0, (2025, 12): 10.5}


def test_redeclared_closure_continues_the_same_closure():
    claims = [
        Claim("A", "TR", utc(2025, 10, 12), "closed"),
        Claim("B", "PK", utc(2025, 10, 20), "closed", reason="Still closed"),
        Claim("C", "PK", utc(2025, 10, 25), "open"),
    ]
    runs = closures(_segments(claims))
    assert [(r.days, r.claim.code) for r in runs] == [(13.0, "A")]


def test_arbitrary_closure_without_notice_or_reason():
    assert arbitrary_reasons(TORKHAM[0], min_notice_hours=72, requires_reason=True) == ["no advance notice stated"]
    assert arbitrary_reasons(TORKHAM[3], min_notice_hours=72, requires_reason=True) == []
    short = Claim("E", "PK", utc(2025, 10, 1), "closed", notice_hours=10)
    assert arbitrary_reasons(short, min_notice_hours=72, requires_reason=True) == [
        "10 h notice, less than 72 h",
        "no reason stated",
    ]
    assert arbitrary_reasons(short, min_notice_hours=6, requires_reason=False) == []


def test_conflicting_declarations_are_kept_and_shown_disputed():
    claims = [
        Claim("P", "PK", utc(2025, 11, 1), "restricted", restriction="returns_deportations_only"),
        Claim("F", "AF", utc(2025, 11, 1, 6), "closed"),
        Claim("T", "TR", utc(2025, 11, 5), "closed"),
    ]
    conflicts = find_conflicts(claims, WINDOW)
    assert [c.codes for c in conflicts] == [("P", "F")]
    assert conflicts[0].parties == ("AF", "PK")
    segments = _segments(claims, utc(2025, 11, 10))
    assert [(s.state, s.days, s.conflict.codes if s.conflict else None) for s in segments] == [
        ("disputed", 4.0, ("P", "F")),
        ("closed", 5.0, None),
    ]
    assert days_by_month(segments, lambda s: s.state == "disputed") == {(2025, 11): 4.0}


def test_no_conflict_for_same_party_same_state_or_outside_window():
    same_party = [Claim("A", "PK", utc(2025, 11, 1), "open"), Claim("B", "PK", utc(2025, 11, 1, 3), "closed")]
    same_state = [Claim("A", "PK", utc(2025, 11, 1), "closed"), Claim("B", "AF", utc(2025, 11, 1, 3), "closed")]
    apart = [Claim("A", "PK", utc(2025, 11, 1), "open"), Claim("B", "AF", utc(2025, 11, 2, 1), "closed")]
    for claims in (same_party, same_state, apart):
        assert find_conflicts(claims, WINDOW) == []


def test_set_aside_claim_leaves_the_timeline():
    claims = [
        Claim("P", "PK", utc(2025, 11, 1), "open", set_aside=True),
        Claim("F", "AF", utc(2025, 11, 1, 6), "closed"),
    ]
    assert find_conflicts(claims, WINDOW) == []
    assert [(s.state, s.start) for s in _segments(claims, utc(2025, 11, 3))] == [("closed", utc(2025, 11, 1, 6))]


def test_declaration_after_until_is_not_yet_in_force():
    assert [s.state for s in _segments(TORKHAM, utc(2025, 11, 15))] == ["closed", "restricted"]


def test_month_calendar_shows_dominant_state_per_day():
    claims = [Claim("A", "TR", utc(2025, 10, 12, 12), "closed"), Claim("B", "PK", utc(2025, 10, 14, 18), "open")]
    days = month_calendar(_segments(claims, utc(2025, 10, 31)), 2025, 10)
    assert len(days) == 31
    by_day = {d.day.day: d for d in days}
    assert by_day[11].state == "unknown"
    assert by_day[12].state == "closed"  # 12 h closed, 12 h unknown: the tie goes to the more severe state
    assert by_day[12].hours == {"closed": 12.0, "unknown": 12.0}
    assert by_day[13].state == "closed"
    assert by_day[14].state == "closed" and by_day[14].hours == {"closed": 18.0, "open": 6.0}
    assert by_day[15].state == "open"
