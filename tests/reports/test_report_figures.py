"""The figures of a report against the previous period, on the constructed world (report_world.py): what reached
each party in each week, by category and complainant, determinations, casualties kept apart per claimant, and
the border part."""

from __future__ import annotations

import datetime as dt

import pytest
from report_world import WEEK, day

from ceasefire.border.enums import DerivedState
from ceasefire.core.models import Party
from ceasefire.reports.border_figures import border_figures
from ceasefire.reports.enums import ReportKind
from ceasefire.reports.figures import complaint_figures
from ceasefire.reports.periods import period_containing
from ceasefire.reports.queries import party_reader

pytestmark = pytest.mark.integration

WEEKLY = period_containing(ReportKind.WEEKLY, WEEK)


def figures_for(code: str, period=WEEKLY):
    parties = list(Party.objects.filter(code__in=("AF", "PK")).order_by("code"))
    return complaint_figures(party_reader(Party.objects.get(code=code)), period, parties)


def counts(rows):
    return {row.key: (row.current, row.previous) for row in rows}


def by_code(rows):
    return {row.label: (row.current, row.previous) for row in rows}


def test_af_counts_what_reached_it_this_week_against_last_week(world):
    figures = figures_for("AF")

    assert (figures.filed.current, figures.filed.previous) == (3, 1)
    assert counts(figures.by_category) == {
        "air_strike": (1, 0),
        "cross_border_fire": (1, 0),
        "militant_attack": (1, 1),
    }
    assert by_code(figures.by_complainant) == {"Afghanistan": (2, 0), "Pakistan": (1, 1)}
    assert figures.filed.change == 2


def test_af_lists_exactly_its_new_complaints_in_order_of_occurrence(world):
    listed = [row.code for row in figures_for("AF").new]

    assert sorted(listed) == sorted(c.public_code for c in (world.af_a, world.af_b, world.pk_new))
    assert world.pk_hidden.public_code not in listed and world.pk_draft.public_code not in listed


def test_mediators_count_every_submitted_complaint_but_no_draft(world):
    figures = figures_for("TR")

    assert (figures.filed.current, figures.filed.previous) == (4, 1)
    assert counts(figures.by_category)["airspace_violation"] == (1, 0)
    assert "other_hostile_act" not in counts(figures.by_category)


def test_respondent_counts_a_complaint_in_the_week_it_was_notified(world):
    figures = figures_for("PK")

    # pk_new and pk_hidden filed, af_a notified to PK on Thursday; af_b never notified.
    assert (figures.filed.current, figures.filed.previous) == (3, 1)
    assert world.af_b.public_code not in [row.code for row in figures.new]


def test_determinations_in_effect_this_week_with_outcome_and_attribution(world):
    figures = figures_for("AF")

    assert (figures.determined.current, figures.determined.previous) == (2, 0)
    assert counts(figures.by_outcome) == {"breach_confirmed": (1, 0), "not_substantiated": (1, 0)}
    rows = {row.complaint: row for row in figures.determinations}
    assert rows[world.pk_old.public_code].responsible == "Afghanistan"
    assert rows[world.pk_old.public_code].effective == day(3)
    assert rows[world.af_a.public_code].responsible == ""


def test_casualties_stay_apart_per_claimant(world):
    claimed = {c.claimant.code: c for c in figures_for("AF").casualties}

    assert (claimed["AF"].killed.current, claimed["AF"].injured.current) == (13, 4)
    assert (claimed["AF"].killed.previous, claimed["AF"].injured.previous) == (0, 0)
    assert (claimed["PK"].killed.current, claimed["PK"].injured.current) == (12, 27)
    assert (claimed["PK"].killed.previous, claimed["PK"].injured.previous) == (12, 27)


def test_casualties_of_a_complaint_af_may_not_see_are_not_counted_for_af(world):
    af = {c.claimant.code: c for c in figures_for("AF").casualties}
    mediators = {c.claimant.code: c for c in figures_for("QA").casualties}

    assert af["PK"].killed.current == 12
    assert mediators["PK"].killed.current == 12 + 77


def test_daily_figures_compare_with_the_day_before(world):
    tuesday = period_containing(ReportKind.DAILY, day(1))
    wednesday = period_containing(ReportKind.DAILY, day(2))

    assert (figures_for("AF", tuesday).filed.current, figures_for("AF", tuesday).filed.previous) == (2, 0)
    assert (figures_for("AF", wednesday).filed.current, figures_for("AF", wednesday).filed.previous) == (1, 2)


def test_trend_rows_count_per_day_and_complainant(world):
    trend = {(row["day"], row["party"]): row["count"] for row in figures_for("AF").trend}

    assert trend[(day(1).isoformat(), "AF")] == 2
    assert trend[(day(2).isoformat(), "PK")] == 1  # pk_new reached AF when it was notified, on Wednesday
    assert trend[((WEEK - dt.timedelta(days=6)).isoformat(), "PK")] == 1


def test_border_state_closures_and_flows_of_the_week(world):
    figures = border_figures(party_reader(Party.objects.get(code="AF")), WEEKLY)

    torkham = next(c for c in figures.crossings if c.slug == "torkham")
    assert torkham.state == DerivedState.CLOSED
    assert figures.closed_now == 1
    [closure] = figures.closures
    assert closure.crossing == torkham.name and closure.began_in_period and closure.end is None
    assert closure.days_in_period == 3.75  # Thursday 06:00 to Monday 00:00
    assert closure.arbitrary  # declared with no notice and no reason
    flows = {(line.category, line.source): (line.current, line.previous) for line in figures.flows}
    assert flows == {("Returns", "AF"): (400, 100), ("Deportations", "AF"): (40, 0)}
    assert figures.flow_source == "AF"
