"""Appeal (once per side, within the window) reopens the investigation as a new round; closing after the window."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from wf_steps import (
    Cast,
    after_appeal_window,
    assert_log_consistent,
    assert_move,
    conflict,
    determine,
    drive,
    expect,
    log_since,
    log_size,
    refuse_all_but,
    refused,
)

from ceasefire.core.errors import ValidationFailed
from ceasefire.incidents.enums import ComplaintState
from ceasefire.verification import queries, services
from ceasefire.verification.models import Appeal, Determination, Findings, Notification

pytestmark = pytest.mark.integration
S = ComplaintState


def test_a_side_appeals_and_the_assignment_reopens_round_two(cast: Cast) -> None:
    complaint = drive(cast, S.DETERMINED)
    first = Determination.objects.get(complaint=complaint)
    refuse_all_but(
        cast,
        lambda m: services.appeal_determination(m, complaint, grounds="One source, counted twice."),
        expect(ok={"af_liaison", "pk_liaison"}),
    )
    refused(ValidationFailed, lambda: services.appeal_determination(cast.af_liaison, complaint, grounds=" "))
    before = log_size()
    appeal = services.appeal_determination(cast.af_liaison, complaint, grounds="One source, counted twice.")
    assert_move(
        complaint,
        log_since(before),
        verb="appealed",
        by=cast.af_liaison,
        from_state=S.DETERMINED,
        to_state=S.APPEALED,
        note="One source, counted twice.",
    )
    assert (appeal.party.code, appeal.determination) == ("AF", first)
    told = set(Notification.objects.filter(kind="appealed").values_list("recipient__user__username", flat=True))
    assert {"pk-liaison", "tr-secretariat", "tr-adjudicator", "qa-adjudicator"} <= told and "af-liaison" not in told

    before = log_size()
    services.assign_investigators(cast.secretariat, complaint, [cast.qa_investigator], note="A fresh look.")
    entries = log_since(before)
    assert [e.kind for e in entries] == ["complaint.investigation_reopened"]
    assert_move(
        complaint,
        entries,
        verb="investigation_reopened",
        by=cast.secretariat,
        from_state=S.APPEALED,
        to_state=S.UNDER_INVESTIGATION,
        note="A fresh look.\n\nAF: One source, counted twice.",
        round=2,
    )
    assert complaint.round == 2 and complaint.investigation_due_at is not None
    reopened = set(Notification.objects.filter(kind="reopened").values_list("recipient__user__username", flat=True))
    assert {"af-liaison", "pk-liaison"} <= reopened
    # round 2 is the new investigators' round: the first round's investigator no longer acts
    from ceasefire.core.errors import NotPermitted

    refused(NotPermitted, lambda: services.record_findings(cast.tr_investigator, complaint, summary="Old view."))
    services.record_findings(cast.qa_investigator, complaint, summary="The second source is independent.")
    assert list(Findings.objects.filter(complaint=complaint).values_list("round", flat=True)) == [1, 2]
    second = determine(cast, complaint, outcome="inconclusive", reasons="The sources cannot be told apart.")
    assert second.round == 2 and second.pk != first.pk
    first.refresh_from_db()
    assert first.outcome == "breach_confirmed" and first.in_effect
    complaint.refresh_from_db()
    assert complaint.state == S.DETERMINED
    for viewer in (cast.af_viewer, cast.pk_viewer, cast.secretariat):
        assert [(d.round, d.outcome) for d in queries.determinations_of(viewer, complaint)] == [
            (1, "breach_confirmed"),
            (2, "inconclusive"),
        ]
    assert queries.current_determination(complaint) == second
    assert [e.round for e in queries.timeline(complaint, cast.secretariat)] == [1, 1, 1, 1, 1, 1, 2, 2, 2]
    # AF appealed once already; PK may still appeal the new determination
    conflict(
        lambda: services.appeal_determination(cast.af_liaison, complaint, grounds="Again."),
        S.DETERMINED,
        "AF has appealed this complaint's determination already",
    )
    services.appeal_determination(cast.pk_liaison, complaint, grounds="Round two ignored the intercepts.")
    assert Appeal.objects.filter(complaint=complaint).count() == 2
    assert_log_consistent()


def test_an_appeal_after_the_window_is_refused_naming_when_it_closed(cast: Cast) -> None:
    complaint = drive(cast, S.DETERMINED)
    determination = Determination.objects.get(complaint=complaint)
    assert determination.appeal_until is not None
    with time_machine.travel(determination.appeal_until + dt.timedelta(seconds=1), tick=False):
        error = conflict(
            lambda: services.appeal_determination(cast.pk_liaison, complaint, grounds="Late."), S.DETERMINED
        )
    assert error.extensions["closed_at"] == determination.appeal_until.isoformat()
    assert "The appeal window closed at" in error.message
    assert "appeal" not in queries.actions_for(
        cast.pk_liaison, complaint, now=determination.appeal_until + dt.timedelta(seconds=1)
    )


def test_only_the_secretariat_closes_and_only_after_the_window(cast: Cast) -> None:
    complaint = drive(cast, S.DETERMINED)
    determination = Determination.objects.get(complaint=complaint)
    error = conflict(lambda: services.close_complaint(cast.secretariat, complaint), S.DETERMINED, "appeal window")
    assert error.extensions["appeal_until"] == determination.appeal_until.isoformat()  # type: ignore[union-attr]
    with time_machine.travel(after_appeal_window(complaint), tick=False):
        refuse_all_but(cast, lambda m: services.close_complaint(m, complaint), expect(ok={"secretariat"}))
        before = log_size()
        services.close_complaint(cast.secretariat, complaint, note="No appeal came.")
        assert_move(
            complaint,
            log_since(before),
            verb="closed",
            by=cast.secretariat,
            from_state=S.DETERMINED,
            to_state=S.CLOSED,
            note="No appeal came.",
        )
    told = set(Notification.objects.filter(kind="closed").values_list("recipient__user__username", flat=True))
    assert {"af-liaison", "pk-liaison"} <= told
    conflict(lambda: services.appeal_determination(cast.pk_liaison, complaint, grounds="Too late."), S.CLOSED)
    assert_log_consistent()


def test_an_appealed_complaint_cannot_be_closed(cast: Cast) -> None:
    complaint = drive(cast, S.APPEALED)
    with time_machine.travel(after_appeal_window(complaint), tick=False):
        conflict(lambda: services.close_complaint(cast.secretariat, complaint), S.APPEALED)
