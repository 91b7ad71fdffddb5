"""Early-warning detection on constructed data, through the worker's job: which alerts are raised, for whom, with
which evidence; the job run again raises nothing new; an alert is seen only by those who may see its records."""

from __future__ import annotations

import datetime as dt

import pytest
from alerts_helpers import KUNAR, NEAR_TORKHAM, at, codes, day, file_on, import_ucdp, notify_all, run_on, seen_by

from ceasefire.analytics.enums import ALL_AREAS, AlertKind, Audience
from ceasefire.analytics.models import Alert
from ceasefire.border.services import declare_status
from ceasefire.geo.models import Crossing
from ceasefire.ledger.models import LogEntry

pytestmark = pytest.mark.integration

STRIKES = day(2025, 11, 24)


@pytest.fixture
def af_rise(af_liaison):
    """Four Afghan complaints against Pakistan about strikes in Khost on one day, submitted (not yet notified)."""
    return [file_on(af_liaison, STRIKES) for _ in range(4)]


def test_rise_in_complaints_alerts_the_filer_and_the_mediators(af_rise, af_viewer, tr_investigator, qa_adjudicator):
    raised = run_on(day(2025, 12, 1))
    rates = [a for a in raised if a.kind == AlertKind.COMPLAINT_RATE]
    assert {(a.audience, a.party.code if a.party else None, a.area) for a in rates} == {
        (Audience.MEDIATORS, None, "Khost"),
        (Audience.MEDIATORS, None, ALL_AREAS),
        (Audience.PARTY, "AF", "Khost"),
        (Audience.PARTY, "AF", ALL_AREAS),
    }
    khost = next(a for a in rates if a.audience == Audience.PARTY and a.area == "Khost")
    assert khost.window_start == khost.window_end == STRIKES
    assert sorted(khost.complaint_codes) == sorted(c.public_code for c in af_rise)
    statistic = khost.statistic
    assert statistic["observed"] == 4 and statistic["cusum"] >= statistic["threshold"]
    assert statistic["baseline_rate"] == pytest.approx(1 / 28, abs=1e-3)  # a quiet province: the floor
    assert statistic["daily"][-1] == 4 and statistic["method"] == "poisson_cusum"
    # Both mediators see the mediators' alerts; the Afghan viewer sees the Afghan party's.
    assert codes(seen_by(tr_investigator, kind=AlertKind.COMPLAINT_RATE)) == codes(
        seen_by(qa_adjudicator, kind=AlertKind.COMPLAINT_RATE)
    )
    assert {a.audience for a in seen_by(af_viewer, kind=AlertKind.COMPLAINT_RATE)} == {Audience.PARTY}


def test_respondent_sees_no_alert_until_notified_then_its_own(af_rise, pk_viewer, analyst, secretariat):
    run_on(day(2025, 12, 1))
    assert seen_by(pk_viewer) == [] and seen_by(analyst) == []
    notify_all(secretariat, af_rise)
    raised = run_on(day(2025, 12, 1))
    mine = [a for a in raised if a.party is not None and a.party.code == "PK"]
    assert {(a.kind, a.area) for a in mine if a.kind == AlertKind.COMPLAINT_RATE} == {
        (AlertKind.COMPLAINT_RATE, "Khost"),
        (AlertKind.COMPLAINT_RATE, ALL_AREAS),
    }
    assert codes(seen_by(pk_viewer)) == codes(mine)
    assert all(a.party.code == "PK" for a in seen_by(analyst) if a.audience == Audience.PARTY)


def test_the_job_run_again_raises_nothing_new(af_rise):
    first = run_on(day(2025, 12, 1))
    assert first
    alerts, entries = Alert.objects.count(), LogEntry.objects.count()
    assert run_on(day(2025, 12, 1)) == []
    # Ten minutes or a week later, the look-back window has moved: the same signals are recognised.
    assert run_on(day(2025, 12, 8)) == []
    assert (Alert.objects.count(), LogEntry.objects.count()) == (alerts, entries)


def test_each_raised_alert_has_one_sealed_log_entry(af_rise):
    raised = run_on(day(2025, 12, 1))
    entries = LogEntry.objects.filter(kind="alert.raised")
    assert sorted(e.subject_code for e in entries) == sorted(a.public_code for a in raised)
    assert all(e.sealed and e.party_code == "" for e in entries)
    entry = entries.get(subject_code=raised[0].public_code)
    assert entry.record["alert"] == raised[0].public_code and entry.record["complaints"] == raised[0].complaint_codes


def test_drafts_and_steady_activity_raise_nothing(af_liaison):
    for _ in range(4):
        file_on(af_liaison, STRIKES, submit=False)
    for week in range(16):  # one complaint a week in Kunar from August: that is its baseline, not a rise
        file_on(af_liaison, day(2025, 8, 1) + dt.timedelta(days=7 * week), place=KUNAR)
    raised = run_on(day(2025, 12, 1))
    assert [a for a in raised if a.kind == AlertKind.COMPLAINT_RATE] == []


def test_rise_in_external_events_is_for_every_member(tmp_path, af_viewer, pk_viewer, tr_investigator):
    count = import_ucdp(tmp_path, [(day(2025, 10, 12), KUNAR)] * 6)
    assert count == 6
    raised = run_on(day(2025, 10, 20))
    events = [a for a in raised if a.kind == AlertKind.EVENT_RATE]
    assert {(a.audience, a.area) for a in events} == {(Audience.EVERYONE, "Kunar"), (Audience.EVERYONE, ALL_AREAS)}
    kunar = next(a for a in events if a.area == "Kunar")
    assert len(kunar.event_ids) == 6 and all(e.startswith("ucdp:") for e in kunar.event_ids)
    for member in (af_viewer, pk_viewer, tr_investigator):
        assert codes(events) <= codes(seen_by(member))


def test_new_activity_near_a_crossing_after_quiet_days(tmp_path, af_liaison, pk_viewer, tr_investigator):
    import_ucdp(tmp_path, [(day(2025, 10, 1), NEAR_TORKHAM), (day(2025, 10, 20), NEAR_TORKHAM)])
    complaint = file_on(af_liaison, day(2025, 10, 25), place=NEAR_TORKHAM)
    raised = run_on(day(2025, 11, 1))
    near = [a for a in raised if a.kind == AlertKind.CROSSING_ACTIVITY]
    assert {a.crossing.slug for a in near} == {"torkham"}
    by_audience = {(a.audience, a.party.code if a.party else None, a.window_end) for a in near}
    # The events (every member sees them) alert each restricted audience on 1 and 20 October (19 quiet days
    # between); the complaint 5 days after the second event is not after 14 quiet days.
    assert by_audience == {
        (audience, party, when)
        for audience, party in ((Audience.MEDIATORS, None), (Audience.PARTY, "AF"), (Audience.PARTY, "PK"))
        for when in (day(2025, 10, 1), day(2025, 10, 20))
    }
    first = next(a for a in near if a.window_end == day(2025, 10, 1) and a.audience == Audience.MEDIATORS)
    assert first.statistic["nearest_km"] < 6 and first.statistic["quiet_days"] == 14
    assert all(complaint.public_code not in a.complaint_codes for a in seen_by(pk_viewer))
    assert all(a.crossing.slug == "torkham" for a in seen_by(tr_investigator, kind=AlertKind.CROSSING_ACTIVITY))


def test_complaint_near_a_quiet_crossing_alerts_only_who_may_see_it(af_liaison, pk_viewer, af_viewer):
    complaint = file_on(af_liaison, day(2025, 10, 25), place=NEAR_TORKHAM)
    raised = run_on(day(2025, 11, 1))
    near = [a for a in raised if a.kind == AlertKind.CROSSING_ACTIVITY]
    assert {(a.audience, a.party.code if a.party else None) for a in near} == {
        (Audience.MEDIATORS, None),
        (Audience.PARTY, "AF"),
    }
    assert all(a.complaint_codes == [complaint.public_code] for a in near)
    assert seen_by(pk_viewer, kind=AlertKind.CROSSING_ACTIVITY) == []
    assert len(seen_by(af_viewer, kind=AlertKind.CROSSING_ACTIVITY)) == 1


def test_repeated_allegations_of_one_commitment(af_liaison, tr_investigator):
    filed = [
        file_on(af_liaison, day(2025, 11, 2), commitments=["C2"]),
        file_on(af_liaison, day(2025, 11, 15), place=KUNAR, commitments=["C2"]),
        file_on(af_liaison, day(2025, 11, 29), commitments=["C2", "C3"]),
    ]
    raised = run_on(day(2025, 12, 1))
    repeated = [a for a in raised if a.kind == AlertKind.REPEATED_BREACH]
    assert {(a.audience, a.commitment.code, a.respondent.code) for a in repeated} == {
        (Audience.MEDIATORS, "C2", "PK"),
        (Audience.PARTY, "C2", "PK"),
    }
    alert = repeated[0]
    assert (alert.window_start, alert.window_end) == (day(2025, 11, 2), day(2025, 11, 29))
    assert sorted(alert.complaint_codes) == sorted(c.public_code for c in filed)
    assert alert.statistic["rule"] == "complaints" and alert.statistic["count"] == 3
    assert len(seen_by(tr_investigator, kind=AlertKind.REPEATED_BREACH)) == 1


def test_closure_without_notice_is_for_every_member(tr_investigator, af_viewer, pk_viewer):
    torkham, chaman = Crossing.objects.get(slug="torkham"), Crossing.objects.get(slug__startswith="chaman")
    without = declare_status(tr_investigator, crossing=torkham, status="closed", effective_at=at(day(2025, 10, 12)))
    declare_status(
        tr_investigator,
        crossing=chaman,
        status="closed",
        effective_at=at(day(2025, 10, 12)),
        notice_hours=96,
        reason="Announced four days ahead.",
    )
    raised = run_on(day(2025, 10, 14))
    closures = [a for a in raised if a.kind == AlertKind.CLOSURE_WITHOUT_NOTICE]
    assert [(a.audience, a.crossing.slug, a.closure_codes) for a in closures] == [
        (Audience.EVERYONE, "torkham", [without.public_code])
    ]
    assert closures[0].statistic["notice_hours"] is None and closures[0].statistic["required_hours"] == 72
    assert closures[0].area  # the province Torkham lies in, as the geo layer places it
    for member in (af_viewer, pk_viewer, tr_investigator):
        assert codes(closures) <= codes(seen_by(member))


def test_af_member_never_sees_an_alert_computed_from_records_af_may_not_see(
    pk_liaison, af_liaison, af_viewer, tr_investigator
):
    """Pakistan's complaints against Afghanistan, not yet notified: Afghanistan may not see them, so neither the
    alerts computed from them nor their evidence reach any Afghan member, whatever their role."""
    hidden = [file_on(pk_liaison, day(2025, 11, 11), place=(33.70, 73.05)) for _ in range(4)]
    raised = run_on(day(2025, 11, 20))
    assert raised
    hidden_codes = {c.public_code for c in hidden}
    from_hidden = [a for a in raised if set(a.complaint_codes) & hidden_codes]
    assert from_hidden and all(a.audience in (Audience.MEDIATORS, Audience.PARTY) for a in from_hidden)
    assert all(a.party is None or a.party.code == "PK" for a in from_hidden)
    for member in (af_liaison, af_viewer):
        seen = seen_by(member)
        assert not codes(seen) & codes(from_hidden)
        assert not any(set(a.complaint_codes) & hidden_codes for a in seen)
    assert codes(from_hidden) & codes(seen_by(tr_investigator))
