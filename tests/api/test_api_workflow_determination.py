"""The determination through the API: draft (codes resolved, unknown ones named), sign to the quorum, dissent,
appeal, close. A draft never reaches a party; every refusal changes nothing."""

import datetime as dt

import pytest
import time_machine
from api_helpers import assert_problem
from django.utils import timezone
from workflow_api_helpers import (
    SECRET_DRAFT,
    assert_conflict,
    determined,
    drafted,
    findings_ready,
    get,
    investigating,
    move,
    no_secret,
    snapshot,
    workflow,
)

from ceasefire.verification.models import Appeal, Determination, Dissent, Signature

pytestmark = pytest.mark.integration

BREACH = {
    "outcome": "breach_confirmed",
    "reasons": SECRET_DRAFT,
    "responsible_party": "AF",
    "commitments": ["C4"],
    "measures": ["formal-warning"],
}


def test_draft_resolves_codes_when_adjudicator(pk_complaint, secretariat, tr_investigator, tr_adjudicator):
    findings_ready(pk_complaint, secretariat, tr_investigator)
    response = move(tr_adjudicator, pk_complaint, "determination", BREACH)
    assert response.status_code == 200, response.content
    assert "sign" in response.json()["actions"]
    draft = Determination.objects.get(complaint=pk_complaint)
    assert draft.responsible_party.code == "AF" and draft.effective_at is None
    assert [c.code for c in draft.commitments.all()] == ["C4"]
    assert [m.code for m in draft.measures.all()] == ["formal-warning"]
    shown = workflow(tr_adjudicator, pk_complaint)["determinations"]
    assert [(d["in_effect"], d["reasons"]) for d in shown] == [(False, SECRET_DRAFT)]


def test_draft_names_unknown_codes_and_changes_nothing(
    pk_complaint, secretariat, tr_investigator, tr_adjudicator, pk_liaison, analyst
):
    findings_ready(pk_complaint, secretariat, tr_investigator)
    before = snapshot()
    unknown = BREACH | {"responsible_party": "ZZ", "commitments": ["C4", "C99"], "measures": ["exile"]}
    body = assert_problem(
        move(tr_adjudicator, pk_complaint, "determination", unknown),
        422,
        "responsible_party",
        "commitments.1",
        "measures.0",
    )
    assert "C99" in body["errors"]["commitments.1"]
    assert_problem(move(tr_adjudicator, pk_complaint, "determination", BREACH | {"reasons": ""}), 422, "reasons")
    assert_problem(move(tr_adjudicator, pk_complaint, "determination", BREACH | {"outcome": "maybe"}), 422, "outcome")
    assert_problem(move(pk_liaison, pk_complaint, "determination", BREACH), 403)
    assert_problem(move(analyst, pk_complaint, "determination", unknown), 403)  # codes are not looked at
    assert snapshot() == before


def test_draft_answers_409_with_state_before_findings(pk_complaint, secretariat, tr_investigator, tr_adjudicator):
    investigating(pk_complaint, secretariat, tr_investigator)
    before = snapshot()
    assert_conflict(move(tr_adjudicator, pk_complaint, "determination", BREACH), "under_investigation")
    assert_conflict(move(tr_adjudicator, pk_complaint, "determination/sign"), "under_investigation")
    assert snapshot() == before


def test_signatures_of_both_mediators_put_it_in_effect(
    pk_complaint, secretariat, tr_investigator, tr_adjudicator, qa_adjudicator, af_liaison, pk_liaison
):
    drafted(pk_complaint, secretariat, tr_investigator, tr_adjudicator)
    first = move(tr_adjudicator, pk_complaint, "determination/sign")
    assert first.status_code == 200 and first.json()["state"] == "findings_ready"
    for party in (af_liaison, pk_liaison):
        seen = get(party, f"/api/v1/complaints/{pk_complaint.public_code}/workflow")
        assert seen.json()["determinations"] == []
        no_secret(seen)
    second = move(qa_adjudicator, pk_complaint, "determination/sign")
    assert second.status_code == 200, second.content
    assert second.json()["state"] == "determined" and second.json()["appeal_until"] is not None
    shown = workflow(af_liaison, pk_complaint)["determinations"]
    assert [s["party"] for s in shown[0]["signatures"]] == ["TR", "QA"] and shown[0]["in_effect"]
    assert {"dissent", "appeal"} <= set(workflow(af_liaison, pk_complaint)["actions"])


def test_sign_is_refused_without_change_when_not_allowed(
    pk_complaint, secretariat, tr_investigator, tr_adjudicator, af_liaison, pk_liaison
):
    drafted(pk_complaint, secretariat, tr_investigator, tr_adjudicator)
    move(tr_adjudicator, pk_complaint, "determination/sign")
    before = snapshot()
    assert_conflict(move(tr_adjudicator, pk_complaint, "determination/sign"), "findings_ready")  # TR signed
    assert_problem(move(secretariat, pk_complaint, "determination/sign"), 403)
    assert_problem(move(af_liaison, pk_complaint, "determination/sign"), 403)
    assert_problem(move(pk_liaison, pk_complaint, "determination/sign"), 403)
    assert snapshot() == before
    assert Signature.objects.count() == 1


def test_dissent_once_per_side_after_effect(
    pk_complaint, secretariat, tr_investigator, tr_adjudicator, qa_adjudicator, af_liaison, af_viewer
):
    drafted(pk_complaint, secretariat, tr_investigator, tr_adjudicator)
    before = snapshot()
    assert_conflict(move(af_liaison, pk_complaint, "determination/dissent", {"text": "Early."}), "findings_ready")
    assert_problem(move(af_viewer, pk_complaint, "determination/dissent", {"text": "Viewer."}), 403)
    assert snapshot() == before
    move(tr_adjudicator, pk_complaint, "determination/sign")
    move(qa_adjudicator, pk_complaint, "determination/sign")
    before = snapshot()
    assert_problem(move(af_liaison, pk_complaint, "determination/dissent", {"text": " "}), 422, "text")
    assert_problem(move(tr_adjudicator, pk_complaint, "determination/dissent", {"text": "We differ."}), 403)
    assert snapshot() == before
    response = move(af_liaison, pk_complaint, "determination/dissent", {"text": "The attackers were not ours."})
    assert response.status_code == 200, response.content
    assert "dissent" not in response.json()["actions"]
    assert Dissent.objects.get().party.code == "AF"
    before = snapshot()
    assert_problem(move(af_liaison, pk_complaint, "determination/dissent", {"text": "Again."}), 409)
    assert snapshot() == before


def test_appeal_reopens_and_close_waits_for_the_window(
    pk_complaint, af_complaint, secretariat, tr_investigator, tr_adjudicator, qa_adjudicator, af_liaison, pk_liaison
):
    determined(pk_complaint, secretariat, tr_investigator, tr_adjudicator, qa_adjudicator)
    before = snapshot()
    assert_problem(move(af_liaison, pk_complaint, "appeal", {"grounds": ""}), 422, "grounds")
    assert_problem(move(secretariat, pk_complaint, "appeal", {"grounds": "Mediators cannot."}), 403)
    assert_conflict(move(secretariat, pk_complaint, "close"), "determined")  # the window is open
    assert snapshot() == before
    response = move(af_liaison, pk_complaint, "appeal", {"grounds": "New witness statements."})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "appealed" and "assign" not in response.json()["actions"]
    assert Appeal.objects.get().party.code == "AF"
    assert workflow(pk_liaison, pk_complaint)["appeals"][0]["grounds"] == "New witness statements."
    before = snapshot()
    assert_conflict(move(pk_liaison, pk_complaint, "appeal", {"grounds": "Too."}), "appealed")
    assert snapshot() == before
    reopened = move(secretariat, pk_complaint, "assign", {"investigators": ["qa-investigator"]}).json()
    assert (reopened["state"], reopened["round"]) == ("under_investigation", 2)

    determined(af_complaint, secretariat, tr_investigator, tr_adjudicator, qa_adjudicator)
    with time_machine.travel(timezone.now() + dt.timedelta(days=60)):
        before = snapshot()
        assert_problem(move(af_liaison, af_complaint, "close"), 403)
        assert_conflict(move(pk_liaison, af_complaint, "appeal", {"grounds": "Late."}), "determined")
        assert snapshot() == before
        closed = move(secretariat, af_complaint, "close", {"note": "Window passed."})
        assert closed.status_code == 200, closed.content
        assert closed.json()["state"] == "closed"
