"""API v1 of early warning: GET /analytics/alerts (and one alert), GET/POST/DELETE /analytics/subscriptions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from alerts_helpers import KHOST, day, file_on, run_on
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ceasefire.analytics.enums import Audience
from ceasefire.analytics.models import Alert, Subscription
from ceasefire.core.services import issue_token
from ceasefire.ledger.models import LogEntry

pytestmark = pytest.mark.integration


def client_for(member: Any) -> Client:
    _token, secret = issue_token(member, name="alerts-tests")
    return Client(headers={"Authorization": f"Bearer {secret}"})


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = json.loads(response.content)
    return body


def post(client: Client, path: str, data: Any) -> Any:
    return client.post(path, data=json.dumps(data), content_type="application/json")


@pytest.fixture
def af_alerts(af_liaison):
    complaints = [file_on(af_liaison, day(2025, 11, 24), place=KHOST) for _ in range(4)]
    run_on(day(2025, 12, 1))
    return complaints


def test_alerts_list_within_visibility_with_evidence_and_explanation(af_alerts, af_viewer, pk_viewer):
    body = client_for(af_viewer).get("/api/v1/analytics/alerts").json()
    assert body["count"] == len(body["items"]) > 0
    khost = next(i for i in body["items"] if i["kind"] == "complaint_rate" and i["area"] == "Khost")
    assert khost["audience"] == "party" and khost["party"] == "AF"
    assert sorted(khost["evidence"]["complaints"]) == sorted(c.public_code for c in af_alerts)
    assert khost["statistic"]["observed"] == 4 and "Poisson CUSUM" in khost["explanation"]
    assert khost["window_end"] == "2025-11-24"
    assert client_for(pk_viewer).get("/api/v1/analytics/alerts").json() == {
        "count": 0,
        "limit": 50,
        "offset": 0,
        "items": [],
    }


def test_alert_filters(af_alerts, af_viewer):
    client = client_for(af_viewer)
    khost = client.get("/api/v1/analytics/alerts?area=Khost").json()["items"]
    assert khost and {i["area"] for i in khost} == {"Khost"}
    assert client.get("/api/v1/analytics/alerts?kind=closure_without_notice").json()["count"] == 0
    assert client.get("/api/v1/analytics/alerts?date_from=2025-11-25").json()["count"] == 0
    assert client.get("/api/v1/analytics/alerts?date_to=2025-11-24&kind=all").json()["count"] > 0


def test_unknown_kind_area_or_bad_date_is_refused(af_viewer):
    client = client_for(af_viewer)
    assert "earthquake" in problem(client.get("/api/v1/analytics/alerts?kind=earthquake"), 422)["errors"]["kind"]
    assert "Atlantis" in problem(client.get("/api/v1/analytics/alerts?area=Atlantis"), 422)["errors"]["area"]
    problem(client.get("/api/v1/analytics/alerts?date_from=yesterday"), 422)
    problem(client.get("/api/v1/analytics/alerts?date_from=2025-12-01&date_to=2025-11-01"), 422)


def test_one_alert_or_404(af_alerts, af_viewer, pk_viewer):
    alert = Alert.objects.filter(audience=Audience.PARTY, party__code="AF").first()
    assert alert is not None
    body = client_for(af_viewer).get(f"/api/v1/analytics/alerts/{alert.public_code}").json()
    assert body["public_code"] == alert.public_code and body["evidence"]["complaints"]
    problem(client_for(pk_viewer).get(f"/api/v1/analytics/alerts/{alert.public_code}"), 404)
    problem(client_for(af_viewer).get("/api/v1/analytics/alerts/ALR-2025-NONE"), 404)


def test_subscriptions_create_list_delete(af_viewer, pk_viewer):
    client = client_for(af_viewer)
    response = post(client, "/api/v1/analytics/subscriptions", {"area": "Kunar", "kind": "event_rate", "email": True})
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["area"], created["kind"], created["in_app"], created["email"]) == (
        "Kunar",
        "event_rate",
        True,
        True,
    )
    assert response["Location"].endswith(f"/analytics/subscriptions/{created['public_code']}")
    assert [s["public_code"] for s in client.get("/api/v1/analytics/subscriptions").json()] == [created["public_code"]]
    other = client_for(pk_viewer)
    assert other.get("/api/v1/analytics/subscriptions").json() == []
    problem(other.get(f"/api/v1/analytics/subscriptions/{created['public_code']}"), 404)
    problem(other.delete(f"/api/v1/analytics/subscriptions/{created['public_code']}"), 404)
    assert client.delete(f"/api/v1/analytics/subscriptions/{created['public_code']}").status_code == 204
    problem(client.delete(f"/api/v1/analytics/subscriptions/{created['public_code']}"), 404)
    assert not Subscription.objects.exists()


def test_bad_subscription_is_refused_and_nothing_saved(af_viewer):
    client = client_for(af_viewer)
    before = LogEntry.objects.count()
    body = problem(post(client, "/api/v1/analytics/subscriptions", {"area": "Atlantis", "kind": "all"}), 422)
    assert set(body["errors"]) == {"area"} and "Atlantis" in body["errors"]["area"]
    body = problem(post(client, "/api/v1/analytics/subscriptions", {"area": "all", "kind": "earthquake"}), 422)
    assert set(body["errors"]) == {"kind"}
    problem(post(client, "/api/v1/analytics/subscriptions", {"kind": "all"}), 422)  # area is required
    problem(post(client, "/api/v1/analytics/subscriptions", {"area": "all", "in_app": False}), 422)
    assert not Subscription.objects.exists() and LogEntry.objects.count() == before
    assert post(client, "/api/v1/analytics/subscriptions", {"area": "all"}).status_code == 201
    problem(post(client, "/api/v1/analytics/subscriptions", {"area": "all", "kind": "all"}), 409)


def test_without_membership_nothing_is_listed_and_nothing_saved(mechanism, outsider, client):
    client.force_login(outsider)
    assert client.get("/api/v1/analytics/alerts").json()["count"] == 0
    assert client.get("/api/v1/analytics/subscriptions").json() == []
    problem(Client().get("/api/v1/analytics/alerts"), 401)


def test_alert_list_queries_do_not_grow_with_the_page(af_liaison, af_viewer):
    for _ in range(4):
        file_on(af_liaison, day(2025, 11, 24), place=KHOST)
    file_on(af_liaison, day(2025, 11, 29), commitments=["C2"])  # and a repeated-breach alert
    run_on(day(2025, 12, 1))
    client = client_for(af_viewer)
    client.get("/api/v1/analytics/alerts")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/v1/analytics/alerts?limit=1").json()["items"]) == 1
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/analytics/alerts?limit=50").json()["items"]) > 2
    assert len(many) == len(one)
