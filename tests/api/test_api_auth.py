"""Bearer tokens and the browser session as API credentials."""

import datetime as dt
import json

import pytest
from api_helpers import assert_problem, filing_body, signed_in
from django.test import Client
from django.utils import timezone

from ceasefire.core.models import ApiToken
from ceasefire.core.services import issue_token, revoke_token
from ceasefire.incidents.models import Complaint

pytestmark = pytest.mark.integration


def _bearer(secret):
    return Client(headers={"Authorization": f"Bearer {secret}"})


def test_me_answers_token_membership_when_token_valid(af_liaison):
    _token, secret = issue_token(af_liaison)
    response = _bearer(secret).get("/api/v1/me")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "af-liaison"
    assert body["authenticated_by"] == "token"
    assert body["party"]["code"] == "AF"
    assert body["role"] == "liaison"
    assert body["time_zone"] == "Asia/Kabul"


def test_token_use_is_noted_when_token_valid(af_liaison):
    token, secret = issue_token(af_liaison)
    _bearer(secret).get("/api/v1/parties")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_request_is_refused_when_token_unknown(mechanism):
    body = assert_problem(_bearer("cf_00000000_not-a-real-secret").get("/api/v1/me"), 401)
    assert "unknown" in body["detail"].lower()


def test_request_is_refused_when_token_expired(af_liaison):
    token, secret = issue_token(af_liaison, expires_at=timezone.now() + dt.timedelta(hours=1))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    body = assert_problem(_bearer(secret).get("/api/v1/me"), 401)
    assert "expired" in body["detail"]


def test_request_is_refused_when_token_revoked(af_liaison):
    token, secret = issue_token(af_liaison)
    revoke_token(token)
    body = assert_problem(_bearer(secret).get("/api/v1/complaints"), 401)
    assert "revoked" in body["detail"]


def test_request_is_refused_when_membership_inactive(af_liaison):
    _token, secret = issue_token(af_liaison)
    af_liaison.is_active = False
    af_liaison.save(update_fields=["is_active"])
    body = assert_problem(_bearer(secret).get("/api/v1/me"), 401)
    assert "no longer active" in body["detail"]


def test_request_is_refused_when_no_credentials(mechanism):
    response = Client().get("/api/v1/complaints")
    body = assert_problem(response, 401)
    assert "Bearer" in body["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_request_is_refused_when_scheme_not_bearer(mechanism):
    response = Client(headers={"Authorization": "Basic YWRtaW46eA=="}).get("/api/v1/me")
    body = assert_problem(response, 401)
    assert "Basic" in body["detail"]


def test_bad_token_is_refused_when_session_also_present(af_liaison):
    client = signed_in(af_liaison)
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer cf_bad"})
    assert_problem(response, 401)


def test_me_answers_session_membership_when_signed_in(af_liaison):
    client = signed_in(af_liaison)
    body = client.get("/api/v1/me").json()
    assert body["authenticated_by"] == "session"
    assert body["party"]["code"] == "AF"


def test_session_post_is_refused_when_csrf_missing(af_liaison):
    client = signed_in(af_liaison, enforce_csrf_checks=True)
    response = client.post("/api/v1/complaints", data=json.dumps(filing_body()), content_type="application/json")
    body = assert_problem(response, 403)
    assert body["type"].endswith("/csrf")
    assert not Complaint.objects.exists()


def test_session_post_files_complaint_when_csrf_sent(af_liaison):
    client = signed_in(af_liaison, enforce_csrf_checks=True)
    client.get("/api/v1/docs")  # any page rendering the token sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/complaints",
        data=json.dumps(filing_body()),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201, response.content
    assert Complaint.objects.count() == 1


def test_token_post_needs_no_csrf_when_token_valid(af_liaison):
    _token, secret = issue_token(af_liaison)
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {secret}"})
    response = client.post("/api/v1/complaints", data=json.dumps(filing_body()), content_type="application/json")
    assert response.status_code == 201, response.content


def test_me_has_no_party_when_user_without_membership(admin):
    client = signed_in(admin)
    body = client.get("/api/v1/me").json()
    assert body["username"] == "admin"
    assert body["party"] is None
    assert body["role"] is None
