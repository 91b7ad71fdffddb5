"""The respondent's reply: accepted or contested (own account, casualty figures, evidence), once, in time."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.utils import timezone
from django.utils.formats import date_format
from wf_steps import (
    JPEG,
    Cast,
    assert_log_consistent,
    conflict,
    drive,
    expect,
    log_since,
    log_size,
    refuse_all_but,
    refused,
)

from ceasefire.core.errors import ValidationFailed
from ceasefire.incidents.drafts import CasualtyFigure, EvidenceUpload
from ceasefire.incidents.enums import ComplaintState
from ceasefire.incidents.models import CasualtyClaim
from ceasefire.incidents.versions import complaint_version, is_sealed
from ceasefire.verification import services
from ceasefire.verification.models import Notification, Reply, Transition

pytestmark = pytest.mark.integration
S = ComplaintState


@pytest.mark.parametrize("where", [S.NOTIFIED, S.UNDER_INVESTIGATION])
def test_the_respondent_liaison_contests_with_its_account_figures_and_evidence(where: str, cast: Cast) -> None:
    complaint = drive(cast, where)
    refuse_all_but(
        cast,
        lambda m: services.reply_to_complaint(m, complaint, kind="accepted"),
        expect(ok={"af_liaison"}),
    )
    moves = Transition.objects.count()
    before = log_size()
    reply = services.reply_to_complaint(
        cast.af_liaison,
        complaint,
        kind="contested",
        account="  No one crossed from Afghan soil.  ",
        casualties=[CasualtyFigure(kind="killed", status="civilian", best=0)],
        evidence=[EvidenceUpload(file=io.BytesIO(JPEG + b"reply"), filename="reply.jpg")],
    )
    assert (reply.kind, reply.account, reply.by) == ("contested", "No one crossed from Afghan soil.", cast.af_liaison)
    assert Transition.objects.count() == moves  # a reply is no move: the state stays
    complaint.refresh_from_db()
    assert complaint.state == where
    assert list(CasualtyClaim.objects.filter(complaint=complaint, claimant__code="AF").values_list("best")) == [(0,)]
    assert complaint.evidence.count() == 2
    entries = log_since(before)
    assert [e.kind for e in entries] == ["complaint.replied"]
    record = dict(entries[0].record)
    workflow = record.pop("workflow")
    assert record == complaint_version(complaint)
    assert workflow["reply"] == "contested" and workflow["account"] == "No one crossed from Afghan soil."
    assert workflow["evidence"] == [complaint.evidence.get(added_by=cast.af_liaison).public_code]
    assert entries[0].sealed == is_sealed(complaint) and entries[0].party_code == "AF"
    told = set(Notification.objects.filter(kind="replied").values_list("recipient__user__username", flat=True))
    assert {"pk-liaison", "pk-viewer", "pk-analyst", "tr-secretariat"} <= told
    assert "af-liaison" not in told
    assert ("tr-investigator" in told) == (where == S.UNDER_INVESTIGATION)
    assert_log_consistent()


def test_an_accepted_complaint_needs_no_account(cast: Cast) -> None:
    complaint = drive(cast, S.NOTIFIED)
    reply = services.reply_to_complaint(cast.af_liaison, complaint, kind="accepted")
    assert reply.kind == "accepted" and reply.account == ""
    assert_log_consistent()


@pytest.mark.parametrize(
    ("kind", "account", "casualties", "field"),
    [
        ("contested", "   ", [], "account"),
        ("no_reply", "", [], "kind"),
        ("maybe", "", [], "kind"),
        ("contested", "x" * 20_001, [], "account"),
        ("accepted", "", [CasualtyFigure(kind="killed", status="civilian", best=5, low=9)], "casualties[0]"),
    ],
)
def test_bad_replies_are_refused_naming_the_field(
    kind: str, account: str, casualties: list[CasualtyFigure], field: str, cast: Cast
) -> None:
    complaint = drive(cast, S.NOTIFIED)
    error = refused(
        ValidationFailed,
        lambda: services.reply_to_complaint(
            cast.af_liaison, complaint, kind=kind, account=account, casualties=casualties
        ),
    )
    assert field in error.errors, error.errors


def test_a_reply_after_the_limit_is_refused_naming_the_time_it_closed(cast: Cast) -> None:
    complaint = drive(cast, S.NOTIFIED)
    due = complaint.reply_due_at
    assert due is not None
    with time_machine.travel(due + dt.timedelta(seconds=1), tick=False):
        error = conflict(lambda: services.reply_to_complaint(cast.af_liaison, complaint, kind="accepted"), S.NOTIFIED)
    assert error.extensions["closed_at"] == due.isoformat()
    shown = date_format(timezone.localtime(due), "j M Y, H:i")
    assert f"closed at {shown}" in error.message
    with time_machine.travel(due, tick=False):  # at the limit itself the reply is still in time
        services.reply_to_complaint(cast.af_liaison, complaint, kind="accepted")
    assert Reply.objects.get(complaint=complaint).kind == "accepted"


def test_a_second_reply_is_refused_naming_the_first(cast: Cast) -> None:
    complaint = drive(cast, S.NOTIFIED)
    services.reply_to_complaint(cast.af_liaison, complaint, kind="contested", account="Not us.")
    error = conflict(
        lambda: services.reply_to_complaint(cast.af_liaison, complaint, kind="accepted"), S.NOTIFIED, "Contested"
    )
    assert "reply already" in error.message
    assert Reply.objects.get(complaint=complaint).kind == "contested"
