"""The complaint page's workflow sections, per persona and state: who sees the history, the reply, deadlines,
determinations and appeals, and that the investigation (notes, tasks, grades, findings) and draft
determinations reach mediators only, before and after the determination."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from support import login
from workflow_steps import DRAFT_REASONS, NOTE, PARTY_USERS, SECRETS, WALK, advance, close_after_appeal_window, url

pytestmark = pytest.mark.integration


def _page(client, username, complaint):
    client.logout()
    login(client, username)
    return client.get(url(complaint))


def test_respondent_gets_404_before_notice_and_the_page_after(client, pk_complaint, mechanism):
    for username in ("af-liaison", "af-viewer"):
        assert _page(client, username, pk_complaint).status_code == 404
    advance(mechanism, pk_complaint, "notified")
    response = _page(client, "af-liaison", pk_complaint)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Reply due" in body and "left" in body
    assert "Reply to the complaint" in body


def test_parties_never_read_investigation_material_in_any_state(client, pk_complaint, mechanism):
    for state in WALK[1:]:
        advance(mechanism, pk_complaint, state)
        for username in PARTY_USERS:
            response = _page(client, username, pk_complaint)
            body = response.content.decode()
            assert response.status_code == 200, (state, username)
            for secret in SECRETS:
                assert secret not in body, (state, username, secret)
            assert 'id="investigation"' not in body
            assert (DRAFT_REASONS in body) == (state in ("determined", "appealed")), (state, username)


def test_parties_never_read_notes_once_closed(client, pk_complaint, mechanism):
    advance(mechanism, pk_complaint, "determined")
    with time_machine.travel(timezone.now() + dt.timedelta(days=40)):
        close_after_appeal_window(mechanism, pk_complaint)
        for username in PARTY_USERS:
            body = _page(client, username, pk_complaint).content.decode()
            assert "Closed" in body
            for secret in SECRETS:
                assert secret not in body, (username, secret)
        body = _page(client, "tr-investigator", pk_complaint).content.decode()
        assert NOTE in body and "Closed" in body


def test_mediators_see_the_investigation_and_the_draft_marked(client, pk_complaint, mechanism):
    advance(mechanism, pk_complaint, "drafted")
    for username in ("tr-secretariat", "tr-investigator", "qa-adjudicator"):
        body = _page(client, username, pk_complaint).content.decode()
        for secret in SECRETS:
            assert secret in body, (username, secret)
        assert DRAFT_REASONS in body
        assert "draft — mediators only" in body
        assert "Investigation due" not in body  # findings stopped its clock


def test_determination_in_effect_shows_signatures_and_the_timeline(client, pk_complaint, mechanism):
    advance(mechanism, pk_complaint, "appealed")
    body = _page(client, "pk-viewer", pk_complaint).content.decode()
    assert "in effect" in body and "draft — mediators only" not in body
    assert "Signed for" in body and "TR" in body and "QA" in body
    assert "Formal warning" in body and "C4" in body
    assert "The findings ignore our account." in body  # the appeal's grounds
    assert "Contested" in body and "Our forces were not in Islamabad." in body
    # the timeline: who acted, for which party, from and to
    assert "tr-secretariat" in body and "Under investigation" in body


def test_reply_figures_are_shown_apart_from_the_complainant(client, pk_complaint, mechanism):
    advance(mechanism, pk_complaint, "under_investigation")
    assert "Investigation due" in _page(client, "tr-secretariat", pk_complaint).content.decode()
    assert "Investigation due" not in _page(client, "af-liaison", pk_complaint).content.decode()
    response = _page(client, "pk-liaison", pk_complaint)
    groups = response.context["claims_by_party"]
    assert sorted(party.code for party, _ in groups) == ["AF", "PK"]
    body = response.content.decode()
    assert "the respondent" in body and "the complainant" in body


def test_timeline_times_are_in_the_viewers_time_zone(client, pk_complaint, mechanism):
    advance(mechanism, pk_complaint, "notified")
    moment = timezone.localtime(pk_complaint.notified_at, timezone=dt.timezone(dt.timedelta(hours=4, minutes=30)))
    body = _page(client, "af-liaison", pk_complaint).content.decode()
    assert moment.strftime("%H:%M") in body
    assert "Asia/Kabul" in body


def test_actions_panel_offers_only_the_members_actions(client, pk_complaint, mechanism):
    response = _page(client, "tr-secretariat", pk_complaint)
    names = [panel.name for panel in response.context["actions"]]
    assert names == ["notify", "reject"]
    response = _page(client, "pk-viewer", pk_complaint)
    assert response.context["actions"] == []
    assert 'id="actions"' not in response.content.decode()
