"""One visibility rule through the API: a complaint one may not see is absent from lists, counts and reads."""

import pytest
from api_helpers import as_member, assert_problem, filing_body, signed_in

from ceasefire.verification.services import notify_respondent

pytestmark = pytest.mark.integration


def _codes(client):
    body = client.get("/api/v1/complaints").json()
    return body["count"], {item["public_code"] for item in body["items"]}


def test_respondent_gets_404_when_complaint_not_notified(af_complaint, pk_liaison):
    client = as_member(pk_liaison)
    assert_problem(client.get(f"/api/v1/complaints/{af_complaint.public_code}"), 404)
    assert_problem(client.get(f"/api/v1/complaints/{af_complaint.public_code}/evidence"), 404)
    assert _codes(client) == (0, set())


def test_respondent_sees_complaint_when_notified(af_complaint, pk_liaison):
    notify_respondent(None, af_complaint)
    client = as_member(pk_liaison)
    assert client.get(f"/api/v1/complaints/{af_complaint.public_code}").status_code == 200
    assert _codes(client) == (1, {af_complaint.public_code})


def test_complainant_sees_own_complaint_when_submitted(af_complaint, pk_complaint, af_viewer):
    assert _codes(as_member(af_viewer)) == (1, {af_complaint.public_code})


@pytest.mark.parametrize("persona", ["tr_investigator", "qa_adjudicator", "secretariat"])
def test_mediators_see_every_complaint_when_submitted(af_complaint, pk_complaint, request, persona):
    client = as_member(request.getfixturevalue(persona))
    assert _codes(client) == (2, {af_complaint.public_code, pk_complaint.public_code})
    assert client.get(f"/api/v1/complaints/{af_complaint.public_code}").status_code == 200


def test_mediator_gets_404_when_complaint_is_draft(af_liaison, tr_investigator):
    draft = as_member(af_liaison).post_json("/api/v1/complaints", filing_body(submit=False)).json()
    client = as_member(tr_investigator)
    assert_problem(client.get(f"/api/v1/complaints/{draft['public_code']}"), 404)
    assert _codes(client) == (0, set())


@pytest.mark.parametrize("persona", ["admin", "outsider"])
def test_user_without_membership_sees_nothing_when_complaints_exist(af_complaint, pk_complaint, request, persona):
    client = signed_in(request.getfixturevalue(persona))
    assert _codes(client) == (0, set())
    assert_problem(client.get(f"/api/v1/complaints/{af_complaint.public_code}"), 404)
    for path in (
        "/api/v1/parties",
        "/api/v1/agreements",
        "/api/v1/actors",
        "/api/v1/crossings",
        "/api/v1/places?q=Khost",
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert response.json() == []
    assert_problem(client.get("/api/v1/agreements/doha-istanbul-2025"), 404)


def test_unknown_complaint_answers_like_invisible_one_when_code_made_up(af_liaison):
    body = assert_problem(as_member(af_liaison).get("/api/v1/complaints/CMP-2025-ZZZZ"), 404)
    assert body["type"] == "https://ceasefire.example/problems/not-found"
