"""The respondent's reply through the API: accepted or contested with its own figures, its evidence through the
evidence operation once notified, and every refusal (too late, twice, wrong side, bad figures) changing nothing."""

import datetime as dt

import pytest
import time_machine
from api_helpers import as_member, assert_problem
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from workflow_api_helpers import assert_conflict, move, notified, snapshot, workflow

from ceasefire.incidents.models import CasualtyClaim
from ceasefire.verification.models import Reply

pytestmark = pytest.mark.integration

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
CONTESTED = {
    "kind": "contested",
    "account": "No Afghan territory was used; the attackers came from elsewhere.",
    "casualties": [{"kind": "killed", "status": "civilian", "best": 3}],
}


@pytest.fixture
def notice(pk_complaint, secretariat):
    return notified(pk_complaint, secretariat)


def test_reply_contests_with_own_figures_and_evidence_when_respondent(notice, af_liaison, pk_liaison):
    upload = as_member(af_liaison).post(
        f"/api/v1/complaints/{notice.public_code}/evidence",
        data={"files": [SimpleUploadedFile("map.png", PNG)], "description": "Our patrol map"},
    )
    assert upload.status_code == 201, upload.content  # the respondent adds evidence once notified
    response = move(af_liaison, notice, "reply", CONTESTED)
    assert response.status_code == 200, response.content
    assert "reply" not in response.json()["actions"]
    reply = Reply.objects.get(complaint=notice)
    assert (reply.kind, reply.by) == ("contested", af_liaison)
    assert CasualtyClaim.objects.filter(complaint=notice, claimant__code="AF", best=3).exists()
    seen = workflow(pk_liaison, notice)["reply"]  # the complainant reads the answer, attributed
    assert seen["kind"] == "contested" and seen["party"] == "AF" and seen["account"] == CONTESTED["account"]


def test_reply_accepts_without_account_when_respondent(notice, af_liaison):
    response = move(af_liaison, notice, "reply", {"kind": "accepted"})
    assert response.status_code == 200, response.content
    assert Reply.objects.get(complaint=notice).kind == "accepted"


def test_reply_names_each_bad_field_and_changes_nothing(notice, af_liaison):
    before = snapshot()
    bad = {"kind": "contested", "account": "", "casualties": [{"kind": "killed", "status": "civilian", "best": -1}]}
    body = assert_problem(move(af_liaison, notice, "reply", bad), 422, "account", "casualties.0")
    assert "account" in body["errors"]
    assert_problem(move(af_liaison, notice, "reply", {"kind": "maybe"}), 422, "kind")
    assert_problem(move(af_liaison, notice, "reply", {"account": "no kind"}), 422, "kind")
    assert snapshot() == before


def test_reply_is_refused_to_other_personas_without_change(pk_complaint, notice, pk_liaison, af_viewer, secretariat):
    before = snapshot()
    assert_problem(move(pk_liaison, notice, "reply", {"kind": "accepted"}), 403)
    assert_problem(move(af_viewer, notice, "reply", {"kind": "accepted"}), 403)
    assert_problem(move(secretariat, notice, "reply", {"kind": "accepted"}), 403)
    assert snapshot() == before


def test_reply_answers_404_before_notice(af_complaint, pk_liaison):
    before = snapshot()
    assert_problem(move(pk_liaison, af_complaint, "reply", {"kind": "accepted"}), 404)
    assert snapshot() == before


def test_reply_answers_409_when_twice(notice, af_liaison):
    move(af_liaison, notice, "reply", {"kind": "accepted"})
    before = snapshot()
    assert_conflict(move(af_liaison, notice, "reply", {"kind": "accepted"}), "notified")
    assert snapshot() == before


def test_reply_answers_409_with_closing_time_after_the_limit(af_complaint, secretariat, pk_liaison):
    late = notified(af_complaint, secretariat)
    before = snapshot()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=73)):
        body = assert_conflict(move(pk_liaison, late, "reply", CONTESTED), "notified")
    assert body["closed_at"] == late.reply_due_at.isoformat()
    assert "closed at" in body["detail"]
    assert snapshot() == before
