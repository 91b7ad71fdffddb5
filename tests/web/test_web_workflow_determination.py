"""The determination actions from the complaint page: draft, sign, dissent, appeal, close. Each one's happy path,
a refused input (422, nothing changed), a wrong persona (403) and a move the state no longer allows (409)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from support import login
from workflow_steps import advance, url

from ceasefire.verification.models import Appeal, Determination, Dissent, Signature

pytestmark = pytest.mark.integration


def _post(client, username, complaint, action, data=None):
    client.logout()
    login(client, username)
    return client.post(url(complaint, action), data or {})


def _draft(**overrides):
    data = {
        "outcome": "breach_confirmed",
        "responsible_party": "AF",
        "commitments": ["C4"],
        "measures": ["formal-warning", "compensation"],
        "reasons": "Two independent sources.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def findings_ready(pk_complaint, mechanism):
    return advance(mechanism, pk_complaint, "findings_ready")


@pytest.fixture
def drafted(pk_complaint, mechanism):
    return advance(mechanism, pk_complaint, "drafted")


@pytest.fixture
def determined(pk_complaint, mechanism):
    return advance(mechanism, pk_complaint, "determined")


# --- draft --------------------------------------------------------------------------------------------------------


def test_draft_determination_with_measures_from_the_agreement(client, findings_ready):
    assert _post(client, "tr-adjudicator", findings_ready, "draft_determination", _draft()).status_code == 302
    draft = Determination.objects.get(complaint=findings_ready)
    assert draft.effective_at is None and draft.responsible_party.code == "AF"
    assert sorted(m.code for m in draft.measures.all()) == ["compensation", "formal-warning"]
    page = client.get(url(findings_ready)).content.decode()
    assert "draft — mediators only" in page and "Two independent sources." in page


def test_draft_without_reasons_changes_nothing(client, findings_ready):
    response = _post(client, "tr-adjudicator", findings_ready, "draft_determination", _draft(reasons=""))
    assert response.status_code == 422
    assert "A determination states its reasons." in response.content.decode()
    assert not Determination.objects.exists()


def test_breach_without_responsible_party_is_refused_next_to_the_field(client, findings_ready):
    response = _post(client, "tr-secretariat", findings_ready, "draft_determination", _draft(responsible_party=None))
    assert response.status_code == 422
    assert "A confirmed breach names the responsible party." in response.content.decode()
    assert not Determination.objects.exists()


def test_draft_is_refused_to_an_investigator_and_parties(client, findings_ready):
    assert _post(client, "tr-investigator", findings_ready, "draft_determination", _draft()).status_code == 403
    assert _post(client, "pk-liaison", findings_ready, "draft_determination", _draft()).status_code == 403
    assert not Determination.objects.exists()


def test_draft_during_investigation_is_a_conflict(client, pk_complaint, mechanism):
    advance(mechanism, pk_complaint, "under_investigation")
    response = _post(client, "tr-adjudicator", pk_complaint, "draft_determination", _draft())
    assert response.status_code == 409
    assert "Under investigation" in response.content.decode()


# --- sign ---------------------------------------------------------------------------------------------------------


def test_second_signature_puts_the_determination_in_effect(client, drafted):
    assert _post(client, "tr-adjudicator", drafted, "sign").status_code == 302
    drafted.refresh_from_db()
    assert drafted.state == "findings_ready"
    assert _post(client, "qa-adjudicator", drafted, "sign").status_code == 302
    drafted.refresh_from_db()
    assert drafted.state == "determined"
    assert Determination.objects.get(complaint=drafted).effective_at is not None


def test_sign_is_refused_to_the_secretariat_and_parties(client, drafted):
    assert _post(client, "tr-secretariat", drafted, "sign").status_code == 403
    assert _post(client, "pk-liaison", drafted, "sign").status_code == 403
    assert not Signature.objects.exists()


def test_signing_twice_is_a_conflict(client, drafted):
    _post(client, "tr-adjudicator", drafted, "sign")
    response = _post(client, "tr-adjudicator", drafted, "sign")
    assert response.status_code == 409
    assert "TR has signed this determination already" in response.content.decode()
    assert Signature.objects.count() == 1


def test_sign_without_a_draft_is_a_conflict(client, findings_ready):
    response = _post(client, "tr-adjudicator", findings_ready, "sign")
    assert response.status_code == 409
    assert "There is no determination to sign" in response.content.decode()


# --- dissent ------------------------------------------------------------------------------------------------------


def test_dissent_is_shown_with_the_determination(client, determined):
    assert _post(client, "af-liaison", determined, "dissent", {"text": "We dissent."}).status_code == 302
    assert Dissent.objects.get().party.code == "AF"
    client.logout()
    login(client, "pk-viewer")
    assert "We dissent." in client.get(url(determined)).content.decode()


def test_empty_dissent_changes_nothing(client, determined):
    response = _post(client, "af-liaison", determined, "dissent", {"text": ""})
    assert response.status_code == 422
    assert "Write the dissenting statement." in response.content.decode()
    assert not Dissent.objects.exists()


def test_dissent_is_refused_to_viewers_and_mediators(client, determined):
    assert _post(client, "af-viewer", determined, "dissent", {"text": "x"}).status_code == 403
    assert _post(client, "tr-secretariat", determined, "dissent", {"text": "x"}).status_code == 403
    assert not Dissent.objects.exists()


def test_second_dissent_is_a_conflict(client, determined):
    _post(client, "af-liaison", determined, "dissent", {"text": "One."})
    response = _post(client, "af-liaison", determined, "dissent", {"text": "Two."})
    assert response.status_code == 409
    assert Dissent.objects.count() == 1


# --- appeal -------------------------------------------------------------------------------------------------------


def test_appeal_reopens_for_the_secretariat(client, determined):
    assert _post(client, "af-liaison", determined, "appeal", {"grounds": "Our account was ignored."}).status_code == 302
    determined.refresh_from_db()
    assert determined.state == "appealed"
    client.logout()
    login(client, "tr-secretariat")
    response = client.get(url(determined))
    assert "assign" in [panel.name for panel in response.context["actions"]]
    assert "Our account was ignored." in response.content.decode()


def test_appeal_without_grounds_changes_nothing(client, determined):
    response = _post(client, "af-liaison", determined, "appeal", {"grounds": ""})
    assert response.status_code == 422
    assert "State the grounds of the appeal." in response.content.decode()
    assert not Appeal.objects.exists()


def test_appeal_is_refused_to_viewers(client, determined):
    assert _post(client, "pk-viewer", determined, "appeal", {"grounds": "x"}).status_code == 403
    assert not Appeal.objects.exists()


def test_appeal_after_the_window_is_a_conflict(client, determined):
    with time_machine.travel(timezone.now() + dt.timedelta(days=40)):
        response = _post(client, "af-liaison", determined, "appeal", {"grounds": "Late."})
    assert response.status_code == 409
    assert "The appeal window closed at" in response.content.decode()


# --- close --------------------------------------------------------------------------------------------------------


def test_close_after_the_appeal_window(client, determined):
    with time_machine.travel(timezone.now() + dt.timedelta(days=40)):
        assert _post(client, "tr-secretariat", determined, "close", {"note": "Done."}).status_code == 302
    determined.refresh_from_db()
    assert determined.state == "closed"


def test_close_with_a_too_long_note_changes_nothing(client, determined):
    with time_machine.travel(timezone.now() + dt.timedelta(days=40)):
        response = _post(client, "tr-secretariat", determined, "close", {"note": "x" * 20_001})
    assert response.status_code == 422
    determined.refresh_from_db()
    assert determined.state == "determined"


def test_close_is_refused_to_an_adjudicator(client, determined):
    with time_machine.travel(timezone.now() + dt.timedelta(days=40)):
        assert _post(client, "tr-adjudicator", determined, "close").status_code == 403


def test_close_within_the_appeal_window_is_a_conflict(client, determined):
    response = _post(client, "tr-secretariat", determined, "close")
    assert response.status_code == 409
    assert "The appeal window is open until" in response.content.decode()
