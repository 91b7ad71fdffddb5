"""Admission: submit, notify (by the secretariat or automatically), reject as inadmissible, withdraw."""

from __future__ import annotations

import pytest
from wf_steps import (
    Cast,
    assert_log_consistent,
    assert_move,
    drive,
    expect,
    log_since,
    log_size,
    new_complaint,
    refuse_all_but,
    refused,
)

from ceasefire.core.errors import ValidationFailed
from ceasefire.incidents.enums import ComplaintState
from ceasefire.incidents.models import Complaint
from ceasefire.verification import services
from ceasefire.verification.models import Notification

pytestmark = pytest.mark.integration
S = ComplaintState
PK_SIDE = {"pk_liaison", "pk_viewer", "analyst"}
AF_SIDE = {"af_liaison", "af_viewer"}
MEDIATORS = {"tr_investigator", "qa_investigator", "tr_adjudicator", "qa_adjudicator", "secretariat"}


def test_only_the_complainant_liaison_submits_its_draft(cast: Cast) -> None:
    complaint = drive(cast, S.DRAFT)
    allowed = refuse_all_but(
        cast,
        lambda m: services.submit_complaint(m, complaint),
        expect(ok={"pk_liaison"}, hidden=AF_SIDE | MEDIATORS),
    )
    assert allowed == ["pk_liaison"]
    before = log_size()
    services.submit_complaint(cast.pk_liaison, complaint)
    entries = log_since(before)
    assert_move(complaint, entries, verb="submitted", by=cast.pk_liaison, from_state=S.DRAFT, to_state=S.SUBMITTED)
    assert complaint.submitted_at is not None and complaint.notified_at is None
    assert [e.kind for e in entries] == ["complaint.submitted"]
    assert set(Notification.objects.values_list("recipient__user__username", "kind")) == {
        ("tr-secretariat", "submitted")
    }
    assert_log_consistent()


def test_only_the_secretariat_notifies_and_the_reply_clock_starts(cast: Cast) -> None:
    complaint = drive(cast, S.SUBMITTED)
    refuse_all_but(
        cast,
        lambda m: services.notify_respondent(m, complaint, note="Please answer."),
        expect(ok={"secretariat"}, hidden=AF_SIDE),
    )
    before = log_size()
    services.notify_respondent(cast.secretariat, complaint, note="Please answer.")
    entry = assert_move(
        complaint,
        log_since(before),
        verb="notified",
        by=cast.secretariat,
        from_state=S.SUBMITTED,
        to_state=S.NOTIFIED,
        note="Please answer.",
    )
    assert complaint.notified_at is not None and complaint.reply_due_at is not None
    assert complaint.reply_due_at - complaint.notified_at == __import__("datetime").timedelta(hours=72)
    assert entry.record["workflow"]["reply_due_at"] == complaint.reply_due_at.isoformat()
    assert Complaint.objects.visible_to(cast.af_viewer).filter(pk=complaint.pk).exists()
    assert_log_consistent()


def test_the_agreements_automatic_notice_happens_on_submission(cast: Cast) -> None:
    agreement = cast.mechanism.agreement
    agreement.notify_automatically = True
    agreement.response_hours = 24
    agreement.save()
    before = log_size()
    complaint = new_complaint(cast)
    entries = log_since(before)
    assert [e.kind for e in entries] == ["complaint.submitted", "complaint.notified"]
    assert_move(
        complaint,
        entries,
        verb="notified",
        by=None,
        from_state=S.SUBMITTED,
        to_state=S.NOTIFIED,
        note="Notified automatically on admission, as the agreement provides.",
    )
    assert complaint.reply_due_at is not None and complaint.notified_at is not None
    assert (complaint.reply_due_at - complaint.notified_at).total_seconds() == 24 * 3600
    # nobody is asked to notify by hand: the secretariat hears of the notice, not of a submission
    assert not Notification.objects.filter(kind="submitted").exists()
    assert Notification.objects.filter(recipient=cast.af_liaison, kind="notified").exists()
    assert_log_consistent()


@pytest.mark.parametrize("where", [S.SUBMITTED, S.NOTIFIED])
def test_only_the_secretariat_rejects_with_a_reason_shown_to_the_complainant(where: str, cast: Cast) -> None:
    complaint = drive(cast, where)
    hidden = AF_SIDE if where == S.SUBMITTED else set()
    refuse_all_but(
        cast,
        lambda m: services.reject_complaint(m, complaint, reason="Outside the agreement's period."),
        expect(ok={"secretariat"}, hidden=hidden),
    )
    refused(ValidationFailed, lambda: services.reject_complaint(cast.secretariat, complaint, reason="  "), "reason")
    before = log_size()
    services.reject_complaint(cast.secretariat, complaint, reason="Outside the agreement's period.")
    assert_move(
        complaint,
        log_since(before),
        verb="rejected",
        by=cast.secretariat,
        from_state=where,
        to_state=S.REJECTED_INADMISSIBLE,
        note="Outside the agreement's period.",
    )
    assert complaint.reply_due_at is None
    told = Notification.objects.filter(kind="rejected")
    assert {n.params["reason"] for n in told} == {"Outside the agreement's period."}
    assert told.filter(recipient=cast.pk_liaison).exists()
    assert told.filter(recipient=cast.af_liaison).exists() == (where == S.NOTIFIED)
    assert_log_consistent()


def test_a_missing_reason_is_named(cast: Cast) -> None:
    complaint = drive(cast, S.SUBMITTED)
    error = refused(ValidationFailed, lambda: services.reject_complaint(cast.secretariat, complaint, reason=""))
    assert error.field == "reason"


@pytest.mark.parametrize("where", [S.SUBMITTED, S.NOTIFIED, S.UNDER_INVESTIGATION, S.FINDINGS_READY])
def test_only_the_complainant_liaison_withdraws_before_determination(where: str, cast: Cast) -> None:
    complaint = drive(cast, where)
    hidden = AF_SIDE if where == S.SUBMITTED else set()
    refuse_all_but(cast, lambda m: services.withdraw_complaint(m, complaint), expect(ok={"pk_liaison"}, hidden=hidden))
    before = log_size()
    services.withdraw_complaint(cast.pk_liaison, complaint, reason="Settled bilaterally.")
    assert_move(
        complaint,
        log_since(before),
        verb="withdrawn",
        by=cast.pk_liaison,
        from_state=where,
        to_state=S.WITHDRAWN,
        note="Settled bilaterally.",
    )
    assert complaint.reply_due_at is None and complaint.investigation_due_at is None
    told = set(Notification.objects.filter(kind="withdrawn").values_list("recipient__user__username", flat=True))
    assert "tr-secretariat" in told and "pk-liaison" not in told  # the actor is not told of its own act
    assert ("af-liaison" in told) == (where != S.SUBMITTED)
    assert_log_consistent()


def test_a_withdrawn_or_rejected_complaint_stays_so(cast: Cast) -> None:
    from wf_steps import conflict

    withdrawn = drive(cast, S.WITHDRAWN)
    conflict(lambda: services.withdraw_complaint(cast.pk_liaison, withdrawn), S.WITHDRAWN)
    conflict(lambda: services.notify_respondent(cast.secretariat, withdrawn), S.WITHDRAWN)
    rejected = drive(cast, S.REJECTED_INADMISSIBLE)
    conflict(lambda: services.reject_complaint(cast.secretariat, rejected, reason="Again."), S.REJECTED_INADMISSIBLE)
    conflict(lambda: services.withdraw_complaint(cast.pk_liaison, rejected), S.REJECTED_INADMISSIBLE)
