"""The worker's schedule: every due report (public, and internal for each party and mediator, in each configured
language) is generated once; running the job again, or again later the same day, generates nothing more."""

from __future__ import annotations

import datetime as dt

import pytest

from ceasefire.core.worker import JOBS
from ceasefire.ledger.models import LogEntry
from ceasefire.reports.models import Report
from ceasefire.reports.schedule import run_schedule

pytestmark = pytest.mark.integration

MONDAY_MORNING = dt.datetime(2025, 12, 1, 6, 30, tzinfo=dt.UTC)


def test_the_schedule_is_registered_with_the_worker():
    assert JOBS["reports.schedule"].run is run_schedule


def test_schedule_generates_each_due_report_once(mechanism, settings):
    settings.REPORT_LANGUAGES = ["en"]

    first = run_schedule(MONDAY_MORNING)

    slots = sorted((r.kind, str(r.period_start), r.audience, r.party.code if r.party else "-") for r in first)
    assert slots == sorted(
        [(kind, start, "public", "-") for kind, start in (("daily", "2025-11-30"), ("weekly", "2025-11-24"))]
        + [
            (kind, start, "internal", code)
            for kind, start in (("daily", "2025-11-30"), ("weekly", "2025-11-24"))
            for code in ("AF", "PK", "QA", "TR")
        ]
    )
    assert all(r.created_by is None and r.edition == 1 for r in first)
    reports, entries = Report.objects.count(), LogEntry.objects.count()

    assert run_schedule(MONDAY_MORNING) == []
    assert run_schedule(MONDAY_MORNING + dt.timedelta(hours=5)) == []
    assert (Report.objects.count(), LogEntry.objects.count()) == (reports, entries)


def test_before_six_nothing_new_is_due_once_the_previous_day_is_done(mechanism, settings):
    settings.REPORT_LANGUAGES = ["en"]
    settings.REPORT_PARTIES = ["AF"]
    run_schedule(MONDAY_MORNING)  # Sunday's daily and last week's weekly

    generated = run_schedule(MONDAY_MORNING + dt.timedelta(hours=23))  # Tuesday 05:30: Monday's not yet due

    assert generated == []
    due_tuesday = run_schedule(MONDAY_MORNING + dt.timedelta(days=1))
    assert {(r.kind, str(r.period_start), r.audience) for r in due_tuesday} == {
        ("daily", "2025-12-01", "public"),
        ("daily", "2025-12-01", "internal"),
    }


def test_an_unknown_configured_language_is_skipped_and_the_others_generated(mechanism, settings, caplog):
    settings.REPORT_LANGUAGES = ["xx", "ps"]
    settings.REPORT_PARTIES = []

    generated = run_schedule(MONDAY_MORNING)

    assert {(r.kind, r.audience, r.language) for r in generated} == {
        ("daily", "public", "ps"),
        ("weekly", "public", "ps"),
    }
    assert "not generated" in caplog.text
