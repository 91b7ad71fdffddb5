"""Admission moves through the API: submit, notify, reject, withdraw — each move, and each refusal changing
nothing."""

import pytest
from api_helpers import assert_problem, signed_in
from support import khost_strike_draft
from workflow_api_helpers import assert_conflict, move, notified, snapshot, workflow

from ceasefire.incidents.services import file_complaint
from ceasefire.verification.models import Transition

pytestmark = pytest.mark.integration


@pytest.fixture
def af_draft(af_liaison):
    return file_complaint(af_liaison, khost_strike_draft(), submit=False)


def test_submit_moves_the_draft_when_complainant_liaison(af_draft, af_liaison):
    response = move(af_liaison, af_draft, "submit")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["public_code"] == af_draft.public_code
    assert body["state"] == "submitted" and body["round"] == 1
    assert body["reply_due_at"] is None and "submit" not in body["actions"] and "withdraw" in body["actions"]
    assert Transition.objects.get(complaint=af_draft).to_state == "submitted"


def test_submit_is_refused_without_change_when_not_the_complainant(af_draft, af_viewer, pk_liaison, secretariat):
    before = snapshot()
    assert_problem(move(af_viewer, af_draft, "submit"), 403)
    assert_problem(move(pk_liaison, af_draft, "submit"), 404)  # a draft is the complainant's alone
    assert_problem(move(secretariat, af_draft, "submit"), 404)
    assert snapshot() == before


def test_submit_answers_409_with_state_when_submitted_already(af_complaint, af_liaison):
    before = snapshot()
    body = assert_conflict(move(af_liaison, af_complaint, "submit"), "submitted")
    assert set(body) == {"type", "title", "status", "detail", "errors", "state"}
    assert snapshot() == before


def test_notify_starts_the_reply_clock_when_secretariat(pk_complaint, secretariat, af_liaison):
    assert_problem(move(af_liaison, pk_complaint, "notify"), 404)  # the respondent sees nothing before notice
    response = move(secretariat, pk_complaint, "notify", {"note": "Admissible."})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "notified" and body["reply_due_at"] is not None
    assert "assign" in body["actions"] and "reject" in body["actions"]
    seen = workflow(af_liaison, pk_complaint)
    assert seen["actions"] == ["reply"]
    assert seen["timeline"][-1]["note"] == "Admissible."


def test_notify_is_refused_without_change_when_not_secretariat_or_bad(pk_complaint, tr_investigator, secretariat):
    before = snapshot()
    assert_problem(move(tr_investigator, pk_complaint, "notify"), 403)
    assert_problem(move(secretariat, pk_complaint, "notify", {"note": "x" * 20_001}), 422, "note")
    assert_problem(move(secretariat, pk_complaint, "notify", {"nope": 1}), 422, "nope")
    assert snapshot() == before
    notified(pk_complaint, secretariat)
    before = snapshot()
    assert_conflict(move(secretariat, pk_complaint, "notify"), "notified")
    assert snapshot() == before


def test_reject_shows_the_reason_to_the_complainant_when_secretariat(pk_complaint, secretariat, pk_liaison):
    response = move(secretariat, pk_complaint, "reject", {"reason": "Outside the agreement's territory."})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "rejected_inadmissible"
    entry = workflow(pk_liaison, pk_complaint)["timeline"][-1]
    assert entry["to_state"] == "rejected_inadmissible" and entry["note"] == "Outside the agreement's territory."


def test_reject_is_refused_without_change_when_not_allowed(pk_complaint, secretariat, tr_adjudicator, outsider):
    before = snapshot()
    assert_problem(move(secretariat, pk_complaint, "reject"), 422, "reason")
    assert_problem(move(tr_adjudicator, pk_complaint, "reject", {"reason": "No."}), 403)
    client = signed_in(outsider)
    assert_problem(client.post_json(f"/api/v1/complaints/{pk_complaint.public_code}/reject", {"reason": "No."}), 404)
    assert snapshot() == before
    move(secretariat, pk_complaint, "reject", {"reason": "Inadmissible."})
    before = snapshot()
    assert_conflict(move(secretariat, pk_complaint, "reject", {"reason": "Again."}), "rejected_inadmissible")
    assert snapshot() == before


def test_withdraw_ends_the_complaint_when_complainant_liaison(pk_complaint, pk_liaison, secretariat):
    notified(pk_complaint, secretariat)
    response = move(pk_liaison, pk_complaint, "withdraw", {"reason": "Settled bilaterally."})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "withdrawn" and response.json()["actions"] == []
    assert response.json()["reply_due_at"] is None


def test_withdraw_is_refused_without_change_when_not_allowed(pk_complaint, pk_liaison, af_liaison, secretariat):
    before = snapshot()
    assert_problem(move(af_liaison, pk_complaint, "withdraw"), 404)  # not notified: the respondent sees nothing
    assert_problem(move(pk_liaison, pk_complaint, "withdraw", {"reason": "x" * 20_001}), 422, "reason")
    assert snapshot() == before
    notified(pk_complaint, secretariat)
    before = snapshot()
    assert_problem(move(af_liaison, pk_complaint, "withdraw"), 403)
    assert_problem(move(secretariat, pk_complaint, "withdraw"), 403)
    assert snapshot() == before
    move(pk_liaison, pk_complaint, "withdraw")
    before = snapshot()
    assert_conflict(move(pk_liaison, pk_complaint, "withdraw"), "withdrawn")
    assert snapshot() == before
