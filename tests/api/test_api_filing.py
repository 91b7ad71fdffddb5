"""Filing a complaint through the API: the happy path, and every bad input named and nothing saved."""

import json

import pytest
from api_helpers import as_member, assert_problem, filing_body, signed_in

from ceasefire.incidents.models import CasualtyClaim, Complaint, Incident
from ceasefire.ledger.models import LogEntry

pytestmark = pytest.mark.integration

URL = "/api/v1/complaints"


def _nothing_saved():
    return not Complaint.objects.exists() and not Incident.objects.exists() and not CasualtyClaim.objects.exists()


def test_filing_creates_complaint_when_input_valid(af_liaison):
    log_size = LogEntry.objects.count()
    response = as_member(af_liaison).post_json(URL, filing_body())
    assert response.status_code == 201, response.content
    body = response.json()
    complaint = Complaint.objects.get()
    assert body["public_code"] == complaint.public_code
    assert response["Location"] == f"/api/v1/complaints/{complaint.public_code}"
    assert body["state"] == "submitted"
    assert body["complainant"] == "AF"
    assert body["respondent"] == "PK"
    assert body["agreement"] == "doha-istanbul-2025"
    assert body["commitments"] == ["C2", "C3"]
    assert body["actors"] == ["pk-forces"]
    assert body["incident"]["side"] == "AF"
    assert body["incident"]["province"] == "Khost"
    assert body["incident"]["starts_at"] == "2025-11-24T20:00:00Z"
    assert body["incident"]["reference_dataset"]
    assert body["incident"]["nearest_crossing"]["slug"]
    assert body["casualty_claims"] == [
        {"claimant": "AF", "kind": "killed", "status": "civilian", "low": None, "best": 10, "high": None}
    ]
    assert body["evidence_count"] == 0
    assert body["created_at"].endswith("Z") or "+" in body["created_at"]
    assert "id" not in body and "id" not in body["incident"]
    assert LogEntry.objects.count() == log_size + 1


def test_filing_keeps_draft_when_submit_false(af_liaison):
    response = as_member(af_liaison).post_json(URL, filing_body(submit=False))
    assert response.status_code == 201
    assert response.json()["state"] == "draft"
    assert response.json()["submitted_at"] is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"latitude": 35.7, "longitude": 51.4}, "latitude"),  # Tehran: outside the mechanism's area
        ({"ends_at": "2025-11-24T19:00:00Z"}, "ends_at"),
        ({"commitments": ["C2", "C99"]}, "commitments"),
        ({"commitments": []}, "commitments"),
        ({"actors": ["pk-forces", "no-such-group"]}, "actors"),
        ({"respondent": "AF"}, "respondent"),
        ({"respondent": "TR"}, "respondent"),
        ({"narrative": "   "}, "narrative"),
        ({"category": "picnic"}, "category"),
        ({"tlp": "PURPLE"}, "tlp"),
        ({"agreement": "no-such-agreement"}, "agreement"),
        ({"place_id": 999999999}, "place_id"),
        ({"casualties": [{"kind": "killed", "status": "civilian", "best": 3, "low": 5}]}, "casualties.0"),
        ({"starts_at": "2999-01-01T00:00:00Z", "ends_at": "2999-01-02T00:00:00Z"}, "starts_at"),
    ],
)
def test_filing_names_field_and_saves_nothing_when_rule_broken(af_liaison, overrides, field):
    log_size = LogEntry.objects.count()
    response = as_member(af_liaison).post_json(URL, filing_body(**overrides))
    body = assert_problem(response, 422, field)
    assert body["type"] == "https://ceasefire.example/problems/validation"
    assert _nothing_saved()
    assert LogEntry.objects.count() == log_size


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"latitude": "north"}, "latitude"),
        ({"narrative": 5}, "narrative"),
        ({"commitments": "C2"}, "commitments"),
        ({"starts_at": "yesterday"}, "starts_at"),
        ({"starts_at": "2025-11-24T20:00:00"}, "starts_at"),  # no time zone: ambiguous
        ({"casualties": [{"kind": "killed", "status": "civilian", "best": "ten"}]}, "casualties.0.best"),
        ({"submit": "perhaps"}, "submit"),
        ({"comitments": ["C2"]}, "comitments"),  # a misspelt field is refused, not ignored
    ],
)
def test_filing_names_field_and_saves_nothing_when_type_wrong(af_liaison, overrides, field):
    response = as_member(af_liaison).post_json(URL, filing_body(**overrides))
    assert_problem(response, 422, field)
    assert _nothing_saved()


def test_filing_names_missing_field_when_absent(af_liaison):
    body = filing_body()
    del body["narrative"]
    problem = assert_problem(as_member(af_liaison).post_json(URL, body), 422, "narrative")
    assert problem["errors"]["narrative"] == "This field is required."
    assert _nothing_saved()


def test_filing_reports_every_bad_field_when_several_wrong(af_liaison):
    response = as_member(af_liaison).post_json(URL, filing_body(narrative="", respondent="AF", actors=["x"]))
    assert_problem(response, 422, "narrative", "respondent", "actors")


def test_filing_is_refused_when_body_malformed(af_liaison):
    client = as_member(af_liaison)
    response = client.post(URL, data='{"category": "air_strike",', content_type="application/json")
    body = assert_problem(response, 400, "body")
    assert body["type"] == "https://ceasefire.example/problems/malformed-body"
    assert _nothing_saved()


def test_filing_is_refused_when_body_not_an_object(af_liaison):
    response = as_member(af_liaison).post(URL, data=json.dumps([1, 2]), content_type="application/json")
    assert_problem(response, 422, "body")
    assert _nothing_saved()


def test_filing_is_forbidden_when_member_not_liaison(af_viewer):
    assert_problem(as_member(af_viewer).post_json(URL, filing_body()), 403)
    assert _nothing_saved()


def test_filing_is_forbidden_when_mediator(tr_investigator):
    assert_problem(as_member(tr_investigator).post_json(URL, filing_body()), 403)
    assert _nothing_saved()


def test_filing_is_forbidden_when_user_has_no_membership(admin):
    assert_problem(signed_in(admin).post_json(URL, filing_body()), 403)
    assert _nothing_saved()
