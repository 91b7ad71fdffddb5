"""Early-warning pages: /alerts/ (within visibility, evidence, the statistic explained), one alert, and
/alerts/subscriptions/ (subscribe, unsubscribe, bad input shown next to the field, nothing saved)."""

from __future__ import annotations

import pytest
from alerts_helpers import KHOST, NEAR_TORKHAM, day, file_on, run_on
from django.db import connection
from django.test.utils import CaptureQueriesContext
from support import login

from ceasefire.analytics.enums import Audience
from ceasefire.analytics.models import Alert, Subscription
from ceasefire.analytics.services import subscribe
from ceasefire.ledger.models import LogEntry

pytestmark = pytest.mark.integration


@pytest.fixture
def af_alerts(af_liaison):
    complaints = [file_on(af_liaison, day(2025, 11, 24), place=KHOST) for _ in range(4)]
    run_on(day(2025, 12, 1))
    return complaints


def _af_alert() -> Alert:
    alert = Alert.objects.filter(audience=Audience.PARTY, party__code="AF", area="Khost").first()
    assert alert is not None
    return alert


def test_alert_list_shows_what_the_member_may_see(af_alerts, client, af_viewer):
    page = login(client, "af-viewer").get("/alerts/")
    assert page.status_code == 200
    html = page.content.decode()
    alert = _af_alert()
    assert alert.public_code in html and "Rise in complaints" in html and "Poisson CUSUM" in html
    assert all(c.public_code in html for c in af_alerts)  # the evidence, linked
    assert f'href="/complaints/{af_alerts[0].public_code}/"' in html
    assert 'href="/alerts/"' in html and 'aria-current="page"' in html  # the navigation link


def test_other_party_sees_neither_the_alert_nor_its_evidence(af_alerts, client, pk_viewer):
    login(client, "pk-viewer")
    html = client.get("/alerts/").content.decode()
    alert = _af_alert()
    assert alert.public_code not in html and not any(c.public_code in html for c in af_alerts)
    assert client.get(f"/alerts/{alert.public_code}/").status_code == 404
    assert client.get("/alerts/ALR-2025-NONE/").status_code == 404


def test_alert_page_explains_and_draws_the_daily_counts(af_alerts, client, af_viewer):
    alert = _af_alert()
    html = login(client, "af-viewer").get(f"/alerts/{alert.public_code}/").content.decode()
    assert "<svg" in html and 'class="bar-window"' in html and "24 Nov 2025: 4" in html
    assert "expected" in html and alert.public_code in html


def test_alert_page_in_pashto_is_right_to_left(af_alerts, client, af_viewer):
    login(client, "af-viewer")
    client.cookies["django_language"] = "ps"
    html = client.get("/alerts/", headers={"accept-language": "ps"}).content.decode()
    assert 'dir="rtl"' in html


def test_unknown_filter_values_are_named(client, af_viewer):
    login(client, "af-viewer")
    response = client.get("/alerts/?kind=earthquake&area=Atlantis")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Unknown kind of alert" in html and "Unknown province" in html and "Atlantis" in html


def test_subscribe_and_unsubscribe(client, af_viewer, pk_viewer):
    login(client, "af-viewer")
    response = client.post(
        "/alerts/subscriptions/", {"area": "Kunar", "kind": "crossing_activity", "in_app": "on", "email": "on"}
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert (subscription.membership, subscription.area, subscription.kind, subscription.email) == (
        af_viewer,
        "Kunar",
        "crossing_activity",
        True,
    )
    html = client.get("/alerts/subscriptions/").content.decode()
    assert "Kunar" in html and "New activity near a crossing" in html
    assert client.post(f"/alerts/subscriptions/{subscription.public_code}/end/").status_code == 302
    assert not Subscription.objects.exists()


def test_bad_subscription_shows_the_error_by_the_field_and_saves_nothing(client, af_viewer):
    login(client, "af-viewer")
    before = LogEntry.objects.count()
    response = client.post("/alerts/subscriptions/", {"area": "Atlantis", "kind": "all", "in_app": "on"})
    assert response.status_code == 422
    assert "Unknown province" in response.content.decode() and "Atlantis" in response.content.decode()
    response = client.post("/alerts/subscriptions/", {"area": "all", "kind": "earthquake", "in_app": "on"})
    assert response.status_code == 422 and "Unknown kind of alert" in response.content.decode()
    response = client.post("/alerts/subscriptions/", {"area": "all", "kind": "all"})  # no channel
    assert response.status_code == 422 and "at least one channel" in response.content.decode()
    assert not Subscription.objects.exists() and LogEntry.objects.count() == before
    subscribe(af_viewer, area="all")
    response = client.post("/alerts/subscriptions/", {"area": "all", "kind": "all", "in_app": "on"})
    assert response.status_code == 422 and "already subscribe" in response.content.decode()


def test_ending_another_members_subscription_answers_404(client, af_viewer, pk_viewer):
    theirs = subscribe(pk_viewer, area="all")
    login(client, "af-viewer")
    assert client.post(f"/alerts/subscriptions/{theirs.public_code}/end/").status_code == 404
    assert client.get(f"/alerts/subscriptions/{theirs.public_code}/end/").status_code == 405
    assert Subscription.objects.filter(pk=theirs.pk).exists()


def test_pages_need_a_membership(mechanism, client, outsider):
    assert client.get("/alerts/").status_code == 302  # to sign in
    client.force_login(outsider)
    assert client.get("/alerts/").status_code == 403
    assert client.get("/alerts/subscriptions/").status_code == 403


def test_alert_list_queries_do_not_grow_with_the_page(af_liaison, client, af_viewer):
    file_on(af_liaison, day(2025, 10, 12), place=NEAR_TORKHAM)  # one alert: new activity near Torkham
    run_on(day(2025, 10, 14))
    login(client, "af-viewer")
    client.get("/alerts/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/alerts/").content.decode().count('class="card alert-card') == 1
    for _ in range(4):
        file_on(af_liaison, day(2025, 11, 24), place=KHOST)
    run_on(day(2025, 12, 1))
    with CaptureQueriesContext(connection) as many:
        assert client.get("/alerts/").content.decode().count('class="card alert-card') > 2
    assert len(many) == len(one)
