"""The notifications page, the unread count in the header, read marks, and the private Atom feed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from support import login
from workflow_steps import advance

from ceasefire.verification import notify
from ceasefire.verification.models import FeedKey, Notification

pytestmark = pytest.mark.integration

ATOM = "{http://www.w3.org/2005/Atom}"


def _unread(member):
    return Notification.objects.visible_to(member).filter(read_at__isnull=True).count()


def test_notifications_list_links_the_complaint_and_counts_unread(client, pk_complaint, mechanism, pk_liaison):
    advance(mechanism, pk_complaint, "notified")
    login(client, "pk-liaison")
    response = client.get(reverse("web:notifications"))
    body = response.content.decode()
    assert response.status_code == 200
    assert f"{pk_complaint.public_code} was notified to the respondent" in body
    assert reverse("web:complaint-detail", args=[pk_complaint.public_code]) in body
    assert response.context["unread_notifications"] == _unread(pk_liaison) == 1
    assert 'class="unread-count"' in body


def test_parties_never_get_mediator_only_notifications(client, pk_complaint, mechanism, pk_liaison, af_liaison):
    advance(mechanism, pk_complaint, "findings_ready")
    for username in ("pk-liaison", "af-liaison", "pk-viewer"):
        client.logout()
        login(client, username)
        body = client.get(reverse("web:notifications")).content.decode()
        assert "Findings on" not in body and "Investigators were assigned" not in body
    client.logout()
    login(client, "tr-secretariat")
    assert "Findings on" in client.get(reverse("web:notifications")).content.decode()


def test_mark_one_read_then_all(client, pk_complaint, mechanism, secretariat):
    advance(mechanism, pk_complaint, "findings_ready")
    login(client, "tr-secretariat")
    before = _unread(secretariat)
    assert before >= 2
    first = Notification.objects.visible_to(secretariat).first()
    assert client.post(reverse("web:notifications-read"), {"notification": first.pk}).status_code == 302
    assert _unread(secretariat) == before - 1
    assert client.post(reverse("web:notifications-read")).status_code == 302
    assert _unread(secretariat) == 0
    assert 'class="unread-count"' not in client.get(reverse("web:notifications")).content.decode()


def test_marking_another_members_notification_is_404(client, pk_complaint, mechanism, secretariat):
    advance(mechanism, pk_complaint, "notified")
    theirs = Notification.objects.filter(recipient__user__username="pk-liaison").first()
    login(client, "tr-secretariat")
    assert client.post(reverse("web:notifications-read"), {"notification": theirs.pk}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_feed_shows_the_members_notifications_as_atom(client, pk_complaint, mechanism, pk_liaison):
    advance(mechanism, pk_complaint, "notified")
    key = notify.feed_key_of(pk_liaison).key
    response = client.get(reverse("web:notification-feed", args=[key]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 -- our own response, in a test
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert titles and all(pk_complaint.public_code in t for t in titles)


def test_feed_applies_the_same_visibility(client, pk_complaint, mechanism, af_liaison):
    advance(mechanism, pk_complaint, "findings_ready")
    key = notify.feed_key_of(af_liaison).key
    body = client.get(reverse("web:notification-feed", args=[key])).content.decode()
    assert "Findings on" not in body
    assert Notification.objects.filter(recipient=af_liaison, mediators_only=True).count() == 0
    assert "was notified to the respondent" in body


def test_feed_with_an_unknown_or_replaced_key_is_404(client, pk_liaison):
    assert client.get(reverse("web:notification-feed", args=["no-such-key"])).status_code == 404
    old = notify.feed_key_of(pk_liaison).key
    login(client, "pk-liaison")
    page = client.get(reverse("web:notifications")).content.decode()
    assert old in page
    assert client.post(reverse("web:notifications-feed-key")).status_code == 302
    new = FeedKey.objects.get(membership=pk_liaison).key
    assert new != old
    client.logout()
    assert client.get(reverse("web:notification-feed", args=[old])).status_code == 404
    assert client.get(reverse("web:notification-feed", args=[new])).status_code == 200


def test_unread_count_is_one_query(client, pk_complaint, mechanism, django_assert_num_queries):
    from ceasefire.web.context import unread_count

    advance(mechanism, pk_complaint, "notified")
    member = mechanism.members["pk-liaison"]
    with django_assert_num_queries(1):
        assert unread_count(member) == 1
