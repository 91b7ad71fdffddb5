"""The dashboard page, its charts (spec and PNG) and GET /api/v1/analytics/dashboard: who may see them, what they
show, that they leak nothing, and that their queries do not grow with the records."""

from __future__ import annotations

import datetime as dt

import pytest
from analytics_world import MARK, World, build_world
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from support import PASSWORD, khost_strike_draft

from ceasefire.core.models import Membership
from ceasefire.core.services import issue_token
from ceasefire.incidents.services import file_complaint

pytestmark = pytest.mark.integration

NOVEMBER = "date_from=2025-11-01&date_to=2025-11-30&bucket=week"


@pytest.fixture
def world(mechanism) -> World:
    return build_world(mechanism)


def web(member: Membership) -> Client:
    client = Client()
    assert client.login(username=member.user.get_username(), password=PASSWORD)
    return client


def api(member: Membership) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_token(member)[1]}"})


def test_dashboard_page_shows_the_figures_with_inline_specs(world):
    response = web(world.member("af-viewer")).get(f"/dashboard/?{NOVEMBER}")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="chart-complaints"' in html and 'type="application/json"' in html
    assert 'data-spec-id="chart-casualties"' in html
    assert "complaints filed in the period" in html
    assert "Figures from the records your party may see only" in html
    assert "/exports/complaints.csv?date_from=2025-11-01&amp;date_to=2025-11-30" in html
    assert "Download" in html and "GeoJSON" in html and "XLSX" in html
    assert "<script>" not in html  # the CSP allows no inline code: specs are JSON data, drawn by analytics.js


def test_dashboard_page_for_a_mediator_says_it_counts_everything(world):
    html = web(world.member("tr-secretariat")).get(f"/dashboard/?{NOVEMBER}&by=state").content.decode()
    assert "Figures from every filed complaint" in html


def test_dashboard_leaks_no_record_af_may_not_see(world):
    html = web(world.member("af-liaison")).get("/dashboard/?date_from=2025-10-01&date_to=2025-12-31").content.decode()
    assert MARK not in html
    assert "Trade or transit obstruction" not in html  # P3's category, the only one of its kind
    body = api(world.member("af-liaison")).get("/api/v1/analytics/dashboard?date_from=2025-10-01").json()
    assert MARK not in str(body)
    assert body["complaints"]["total"] == 3
    assert all(f["best"] != 7313 for f in body["casualties_claimed"])
    assert "trade_obstruction" not in str(body)


def test_dashboard_api_gives_the_same_figures_and_the_specs(world):
    body = api(world.member("pk-liaison")).get(f"/api/v1/analytics/dashboard?{NOVEMBER}&by=respondent").json()
    assert body["period"]["buckets"] == ["2025-10-27", "2025-11-03", "2025-11-10", "2025-11-17", "2025-11-24"]
    assert body["complaints"]["total"] == 3
    assert {r["key"]: r["count"] for r in body["complaints"]["category"]} == {
        "air_strike": 1,
        "militant_attack": 1,
        "trade_obstruction": 1,
    }
    assert body["by"] == "respondent"
    assert {(r["bucket"], r["key"]): r["count"] for r in body["complaints"]["over_time"]} == {
        ("2025-11-10", "AF"): 2,  # P1 and P3, against AF
        ("2025-11-24", "PK"): 1,  # A1, notified to PK
    }
    assert set(body["charts"]) == {"complaints", "casualties", "flows", "events"}
    assert body["charts"]["complaints"]["mark"]["type"] == "bar"
    assert {c["slug"] for c in body["crossings"]["closed_now"]} >= {"torkham"}
    assert body["log"]["required_cosigners"] >= 0


def test_dashboard_api_refuses_bad_filters_by_field(world):
    response = api(world.member("af-viewer")).get("/api/v1/analytics/dashboard?bucket=year&by=colour")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    errors = response.json()["errors"]
    assert set(errors) == {"bucket", "by"}
    response = api(world.member("af-viewer")).get("/api/v1/analytics/dashboard?date_from=2025-12-01&date_to=2025-11-01")
    assert response.status_code == 422 and "date_to" in response.json()["errors"]


def test_dashboard_page_names_a_bad_filter_next_to_its_field(world):
    response = web(world.member("af-viewer")).get("/dashboard/?date_from=yesterday&bucket=year")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter a date as YYYY-MM-DD." in html and "Unknown bucket" in html


def test_dashboard_api_without_membership_counts_nothing(world, outsider):
    client = Client()
    client.force_login(outsider)
    body = client.get("/api/v1/analytics/dashboard").json()
    assert body["complaints"]["total"] == 0 and body["casualties_claimed"] == []


def test_dashboard_page_needs_a_membership(world, outsider):
    assert Client().get("/dashboard/").status_code == 302
    client = Client()
    client.force_login(outsider)
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/dashboard/charts/complaints.json").status_code == 403


def test_chart_spec_and_png_follow_the_page_filters(world):
    client = web(world.member("tr-investigator"))
    spec = client.get(f"/dashboard/charts/complaints.json?{NOVEMBER}&by=side").json()
    assert spec["mark"]["type"] == "bar"
    assert {row["series"] for row in spec["data"]["values"]} == {"Afghan side", "Pakistani side"}
    png = client.get(f"/dashboard/charts/casualties.png?{NOVEMBER}")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert client.get("/dashboard/charts/pie.json").status_code == 404


def test_dashboard_renders_right_to_left_in_pashto(world):
    client = web(world.member("af-viewer"))
    client.cookies["django_language"] = "ps"
    html = client.get(f"/dashboard/?{NOVEMBER}", HTTP_ACCEPT_LANGUAGE="ps").content.decode()
    assert 'dir="rtl"' in html


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add(member: Membership, n: int) -> None:
    for i in range(n):
        day = dt.datetime(2025, 11, 1 + i % 28, 6, tzinfo=dt.UTC)
        file_complaint(member, khost_strike_draft(starts_at=day, ends_at=day + dt.timedelta(hours=1)))


@pytest.mark.parametrize("path", ["/dashboard/", "/api/v1/analytics/dashboard"])
def test_dashboard_queries_do_not_grow_with_complaints(mechanism, af_liaison, af_viewer, path):
    client = api(af_viewer) if path.startswith("/api") else web(af_viewer)
    _add(af_liaison, 1)
    client.get(path)  # warm: the session, the token's last use
    cache.clear()
    built_one = _count(client, path)
    cached_one = _count(client, path)
    _add(af_liaison, 1)
    patched_one = _count(client, path)
    _add(af_liaison, 49)
    patched_many = _count(client, path)
    cached_many = _count(client, path)
    cache.clear()
    built_many = _count(client, path)
    assert (built_one, cached_one, patched_one) == (built_many, cached_many, patched_many)
    assert cached_one < built_one
