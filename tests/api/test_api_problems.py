"""Every API error is RFC 9457 problem+json: domain errors, schema errors, absence, crashes."""

import json

import pytest
from api_helpers import PROBLEM, as_member, assert_problem
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory

from ceasefire.api.problems import dotted, schema_error_path
from ceasefire.api.urls import api
from ceasefire.core.errors import Conflict, NotPermitted, NotVisible, ValidationFailed
from ceasefire.incidents import evidence_store
from ceasefire.incidents.models import CustodyEvent

pytestmark = pytest.mark.integration

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


@pytest.mark.parametrize(
    ("error", "status", "slug"),
    [
        (ValidationFailed("Bad.", field="latitude"), 422, "validation"),
        (NotPermitted("No."), 403, "forbidden"),
        (NotVisible("Absent."), 404, "not-found"),
        (Conflict("Already signed.", field="signature"), 409, "conflict"),
        (Http404("gone"), 404, "not-found"),
    ],
)
def test_error_becomes_problem_when_raised_in_handler(error, status, slug):
    response = api.on_exception(RequestFactory().get("/api/v1/x"), error)
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = json.loads(response.content)
    assert set(body) == {"type", "title", "status", "detail", "errors"}
    assert body["type"] == f"https://ceasefire.example/problems/{slug}"
    assert body["status"] == status
    if getattr(error, "field", None):
        assert body["errors"] == {error.field: error.message}


def test_server_error_hides_internals_when_something_breaks(af_complaint, af_liaison, caplog):
    client = as_member(af_liaison)
    upload = client.post(f"/api/v1/complaints/{af_complaint.public_code}/evidence", data={"files": [_png()]}).json()[0]
    blob = evidence_store.path_for(upload["sha256"])
    blob.chmod(0o644)
    blob.unlink()  # the store lost the original: an operator's fault, not the caller's
    response = client.get(upload["download_url"])
    body = assert_problem(response, 500)
    assert body["type"] == "https://ceasefire.example/problems/server-error"
    assert str(blob) not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert response["X-Request-ID"] in body["detail"]
    assert not CustodyEvent.objects.filter(action="downloaded").exists()


def _png():
    return SimpleUploadedFile("a.png", PNG)


def test_wrong_method_answers_problem_when_not_allowed(af_liaison):
    response = as_member(af_liaison).delete("/api/v1/complaints")
    body = assert_problem(response, 405)
    assert body["type"] == "https://ceasefire.example/problems/method-not-allowed"
    assert "POST" in response["Allow"]


@pytest.mark.parametrize(
    ("loc", "path"),
    [
        (("body", "payload", "casualties", 0, "best"), "casualties.0.best"),
        (("body", "payload", "latitude"), "latitude"),
        (("body", "payload"), "body"),
        (("query", "limit"), "limit"),
        (("file", "files"), "files"),
    ],
)
def test_schema_error_path_is_dotted_when_nested(loc, path):
    assert schema_error_path(loc) == path


def test_service_index_is_dotted_when_bracketed():
    assert dotted("casualties[2]") == "casualties.2"


def test_unknown_route_answers_problem_when_path_made_up(af_liaison):
    body = assert_problem(as_member(af_liaison).get("/api/v1/no/such/thing"), 404)
    assert "no/such/thing" in body["detail"]
