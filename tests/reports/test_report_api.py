"""API v1 of reports and publications: reads within visibility (a report one may not read answers 404), files,
generation on demand and publishing by the secretariat only, problem+json naming the field at fault."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from api.api_helpers import as_member, assert_problem, signed_in
from verification.wf_steps import drive

from ceasefire.core.models import Party
from ceasefire.incidents.enums import ComplaintState
from ceasefire.reports.models import Publication, Report
from ceasefire.reports.services import generate_report

pytestmark = pytest.mark.integration

DAY = dt.date(2025, 11, 25)


@pytest.fixture
def reports(mechanism):
    """One public and one internal report for each party."""
    made = {"public": generate_report(None, kind="daily", day=DAY, audience="public")}
    for code in ("AF", "PK"):
        made[code] = generate_report(
            None, kind="daily", day=DAY, audience="internal", party=Party.objects.get(code=code)
        )
    return made


def codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()}


def test_each_reader_lists_the_reports_it_may_read(reports, af_viewer, pk_liaison, tr_investigator, outsider):
    public, af, pk = (reports[k].public_code for k in ("public", "AF", "PK"))

    assert codes(as_member(af_viewer).get("/api/v1/reports")) == {public, af}
    assert codes(as_member(pk_liaison).get("/api/v1/reports")) == {public, pk}
    assert codes(as_member(tr_investigator).get("/api/v1/reports")) == {public, af, pk}
    assert codes(signed_in(outsider).get("/api/v1/reports")) == {public}
    assert codes(as_member(tr_investigator).get("/api/v1/reports?audience=internal")) == {af, pk}


def test_a_report_another_party_may_not_read_answers_404(reports, pk_liaison, af_viewer):
    af = reports["AF"].public_code

    assert_problem(as_member(pk_liaison).get(f"/api/v1/reports/{af}"), 404)
    assert_problem(as_member(pk_liaison).get(f"/api/v1/reports/{af}/pdf"), 404)
    assert_problem(as_member(af_viewer).get("/api/v1/reports/RPT-2025-ZZZZ"), 404)


def test_files_download_with_their_recorded_digest(reports, af_viewer):
    record = as_member(af_viewer).get(f"/api/v1/reports/{reports['AF'].public_code}").json()

    pdf = as_member(af_viewer).get(record["pdf_url"])
    html = as_member(af_viewer).get(record["html_url"])

    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == record["pdf_sha256"] == reports["AF"].pdf_sha256
    assert pdf["Digest"] == f"sha-256={record['pdf_sha256']}"
    assert html.status_code == 200 and b'<html lang="en" dir="ltr">' in html.content
    assert record["on_schedule"] is True and record["party"] == "AF"


def test_secretariat_generates_on_demand_a_new_edition(reports, secretariat):
    body = {"kind": "daily", "date": "2025-11-25", "audience": "internal", "party": "af", "language": "ps"}

    response = as_member(secretariat).post_json("/api/v1/reports", body)

    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["party"], created["language"], created["on_schedule"], created["edition"]) == ("AF", "ps", False, 1)
    again = as_member(secretariat).post_json("/api/v1/reports", body).json()
    assert again["edition"] == 2 and again["code"] != created["code"]


@pytest.mark.parametrize("persona", ["af_liaison", "tr_investigator", "tr_adjudicator", "analyst"])
def test_only_the_secretariat_generates(mechanism, request, persona):
    body = {"kind": "daily", "date": "2025-11-25", "audience": "public"}

    assert_problem(as_member(request.getfixturevalue(persona)).post_json("/api/v1/reports", body), 403)
    assert not Report.objects.exists()


@pytest.mark.parametrize("person", ["outsider", "admin"])
def test_a_signed_in_person_without_membership_may_not_generate(mechanism, request, person):
    body = {"kind": "daily", "date": "2025-11-25", "audience": "public"}

    client = signed_in(request.getfixturevalue(person))
    problem = assert_problem(client.post_json("/api/v1/reports", body), 403)
    assert "Only the secretariat generates reports" in problem["detail"]
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"audience": "internal"}, "party"),
        ({"audience": "internal", "party": "ZZ"}, "party"),
        ({"audience": "public", "party": "AF"}, "party"),
        ({"audience": "public", "language": "xx"}, "language"),
    ],
)
def test_bad_generation_requests_name_the_field(mechanism, secretariat, body, field):
    response = as_member(secretariat).post_json("/api/v1/reports", {"kind": "weekly", "date": "2025-11-25", **body})

    assert_problem(response, 422, field)
    assert not Report.objects.exists()


def test_publish_list_and_withdraw_through_the_api(cast, secretariat, af_viewer):
    complaint = drive(cast, ComplaintState.DETERMINED)

    made = as_member(secretariat).post_json(
        "/api/v1/publications", {"complaint": complaint.public_code, "summary": "Found planned across the line."}
    )

    assert made.status_code == 201, made.content
    publication = made.json()
    assert (publication["complaint"], publication["outcome"]) == (complaint.public_code, "breach_confirmed")
    assert [p["code"] for p in as_member(af_viewer).get("/api/v1/publications").json()] == [publication["code"]]
    withdrawn = as_member(secretariat).post_json(
        f"/api/v1/publications/{publication['code']}/withdraw", {"reason": "Wording."}
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    assert as_member(af_viewer).get("/api/v1/publications").json() == []
    assert_problem(
        as_member(secretariat).post_json(f"/api/v1/publications/{publication['code']}/withdraw", {"reason": "x"}),
        409,
    )


def test_publication_refusals_are_specific(cast, secretariat, af_liaison):
    determined = drive(cast, ComplaintState.DETERMINED)
    notified = drive(cast, ComplaintState.NOTIFIED)

    def publish(member, code, summary="Summary."):
        return as_member(member).post_json("/api/v1/publications", {"complaint": code, "summary": summary})

    assert_problem(publish(af_liaison, determined.public_code), 403)
    assert_problem(publish(secretariat, determined.public_code, summary=" "), 422, "summary")
    assert_problem(publish(secretariat, "CMP-2025-ZZZZ"), 422, "complaint")
    assert assert_problem(publish(secretariat, notified.public_code), 409)["state"] == "notified"
    assert_problem(
        as_member(secretariat).post_json("/api/v1/publications/PUB-2025-ZZZZ/withdraw", {"reason": "x"}), 404
    )
    assert not Publication.objects.exists()
