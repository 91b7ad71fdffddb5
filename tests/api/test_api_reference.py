"""Reference data through the API: health, parties, agreements, actors, gazetteer search and crossings."""

import pytest
from api_helpers import as_member, assert_problem
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ceasefire.geo.models import Crossing

pytestmark = pytest.mark.integration


def test_health_answers_ok_when_anonymous(db):
    with CaptureQueriesContext(connection) as ctx:
        response = Client().get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert len(ctx.captured_queries) == 0


def test_parties_lists_all_when_member(af_viewer):
    body = as_member(af_viewer).get("/api/v1/parties").json()
    assert [(p["code"], p["kind"]) for p in body] == [
        ("AF", "party"),
        ("PK", "party"),
        ("QA", "mediator"),
        ("TR", "mediator"),
    ]
    assert body[3]["names"]["tr"] == "Türkiye"


def test_agreements_lists_doha_istanbul_when_member(pk_viewer):
    body = as_member(pk_viewer).get("/api/v1/agreements").json()
    assert [a["code"] for a in body] == ["doha-istanbul-2025"]
    assert body[0]["parties"] == ["AF", "PK", "QA", "TR"]
    assert body[0]["signed_on"] == "2025-10-19"
    assert "commitments" not in body[0]


def test_agreement_detail_has_commitments_and_penalties_when_member(tr_adjudicator):
    body = as_member(tr_adjudicator).get("/api/v1/agreements/doha-istanbul-2025").json()
    commitments = {c["code"]: c for c in body["commitments"]}
    assert len(commitments) == 10
    assert commitments["C5"]["bound_parties"] == ["AF"]
    assert commitments["C9"]["bound_parties"] == ["PK"]
    assert {p["code"] for p in body["penalty_types"]} >= {"formal-warning", "compensation"}


def test_agreement_detail_answers_404_when_code_unknown(af_viewer):
    assert_problem(as_member(af_viewer).get("/api/v1/agreements/no-such"), 404)


def test_actors_lists_registry_when_member(af_viewer):
    actors = {a["code"]: a for a in as_member(af_viewer).get("/api/v1/actors").json()}
    assert actors["pk-forces"]["party"] == "PK"
    assert actors["ttp"]["party"] is None
    assert "TTP" in actors["ttp"]["aliases"]


def test_places_finds_gazetteer_entries_when_q_given(af_viewer):
    body = as_member(af_viewer).get("/api/v1/places?q=Khost&limit=5").json()
    assert 1 <= len(body) <= 5
    assert all("khost" in (p["name"] + p["ascii_name"]).lower() for p in body)
    assert {"id", "latitude", "longitude", "admin1", "country_code"} <= set(body[0])


def test_places_is_empty_when_q_blank(af_viewer):
    assert as_member(af_viewer).get("/api/v1/places?q=").json() == []


def test_places_names_limit_when_too_large(af_viewer):
    assert_problem(as_member(af_viewer).get("/api/v1/places?q=Kabul&limit=1000"), 422, "limit")


def test_crossings_flag_coordinate_when_missing_or_suspect(af_viewer):
    body = as_member(af_viewer).get("/api/v1/crossings").json()
    assert len(body) == Crossing.objects.count() > 0
    for crossing in body:
        doubtful = crossing["coord_status"] in ("missing", "SUSPECT") or crossing["latitude"] is None
        assert crossing["coord_flagged"] is doubtful
    assert any(c["coord_flagged"] for c in body)  # the bundled list has a suspect one
    assert any(not c["coord_flagged"] for c in body)
