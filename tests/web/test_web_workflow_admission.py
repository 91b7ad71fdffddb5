"""The admission and reply actions from the complaint page: submit, notify, reject, withdraw, reply. Each one's
happy path, a refused input (422, message shown, nothing changed), a wrong persona (403, or 404 for one who may
not see the complaint) and a move the state no longer allows (409, naming the state)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from support import islamabad_attack_draft, login
from workflow_steps import advance, png, url

from ceasefire.incidents.models import CasualtyClaim, Complaint, Evidence
from ceasefire.incidents.services import file_complaint
from ceasefire.verification.models import Reply, Transition

pytestmark = pytest.mark.integration

LONG = "x" * 20_001


def _post(client, username, complaint, action, data=None):
    client.logout()
    login(client, username)
    return client.post(url(complaint, action), data or {})


def _state(complaint):
    return Complaint.objects.get(pk=complaint.pk).state


# --- submit -------------------------------------------------------------------------------------------------------


def test_submit_moves_a_draft_to_submitted(client, pk_liaison):
    draft = file_complaint(pk_liaison, islamabad_attack_draft(), submit=False)
    response = _post(client, "pk-liaison", draft, "submit")
    assert response.status_code == 302
    assert _state(draft) == "submitted"


def test_submit_is_refused_to_others(client, pk_liaison):
    draft = file_complaint(pk_liaison, islamabad_attack_draft(), submit=False)
    assert _post(client, "pk-viewer", draft, "submit").status_code == 403
    assert _post(client, "af-liaison", draft, "submit").status_code == 404
    assert _state(draft) == "draft"


def test_submit_twice_is_a_conflict_naming_the_state(client, pk_complaint):
    response = _post(client, "pk-liaison", pk_complaint, "submit")
    assert response.status_code == 409
    assert "Submitted" in response.content.decode()


# --- notify -------------------------------------------------------------------------------------------------------


def test_notify_starts_the_reply_clock(client, pk_complaint):
    response = _post(client, "tr-secretariat", pk_complaint, "notify", {"note": "Admissible."})
    assert response.status_code == 302
    pk_complaint.refresh_from_db()
    assert pk_complaint.state == "notified" and pk_complaint.reply_due_at is not None
    page = client.get(url(pk_complaint)).content.decode()
    assert "The respondent was notified" in page and "Admissible." in page


def test_notify_with_a_too_long_note_changes_nothing(client, pk_complaint):
    response = _post(client, "tr-secretariat", pk_complaint, "notify", {"note": LONG})
    assert response.status_code == 422
    assert "At most 20000 characters" in response.content.decode()
    assert _state(pk_complaint) == "submitted"


def test_notify_is_refused_to_parties(client, pk_complaint):
    assert _post(client, "pk-liaison", pk_complaint, "notify").status_code == 403
    assert _post(client, "af-liaison", pk_complaint, "notify").status_code == 404
    assert _state(pk_complaint) == "submitted"


def test_notify_twice_is_a_conflict(client, pk_complaint, mechanism):
    advance(mechanism, pk_complaint, "notified")
    response = _post(client, "tr-secretariat", pk_complaint, "notify")
    assert response.status_code == 409
    body = response.content.decode()
    assert "Respondent notified" in body and "nothing was changed" in body


# --- reject -------------------------------------------------------------------------------------------------------


def test_reject_shows_the_reason_to_the_complainant(client, pk_complaint):
    response = _post(client, "tr-secretariat", pk_complaint, "reject", {"reason": "Outside the agreement's area."})
    assert response.status_code == 302
    assert _state(pk_complaint) == "rejected_inadmissible"
    client.logout()
    login(client, "pk-liaison")
    assert "Outside the agreement&#x27;s area." in client.get(url(pk_complaint)).content.decode()


def test_reject_without_a_reason_says_so_next_to_the_field(client, pk_complaint):
    response = _post(client, "tr-secretariat", pk_complaint, "reject", {"reason": "  "})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Give the reason the complaint is inadmissible." in body
    assert 'id="reason-error"' in body
    assert _state(pk_complaint) == "submitted"


def test_reject_is_refused_to_an_investigator(client, pk_complaint):
    assert _post(client, "tr-investigator", pk_complaint, "reject", {"reason": "No."}).status_code == 403
    assert _state(pk_complaint) == "submitted"


def test_reject_after_investigation_opened_is_a_conflict(client, pk_complaint, mechanism):
    advance(mechanism, pk_complaint, "under_investigation")
    response = _post(client, "tr-secretariat", pk_complaint, "reject", {"reason": "Late."})
    assert response.status_code == 409
    assert "Under investigation" in response.content.decode()


# --- withdraw -----------------------------------------------------------------------------------------------------


def test_withdraw_by_the_complainant(client, pk_complaint):
    response = _post(client, "pk-liaison", pk_complaint, "withdraw", {"reason": "Settled bilaterally."})
    assert response.status_code == 302
    assert _state(pk_complaint) == "withdrawn"


def test_withdraw_with_a_too_long_reason_changes_nothing(client, pk_complaint):
    response = _post(client, "pk-liaison", pk_complaint, "withdraw", {"reason": LONG})
    assert response.status_code == 422
    assert "At most 20000 characters" in response.content.decode()
    assert _state(pk_complaint) == "submitted"


def test_withdraw_is_refused_to_the_respondent_and_viewers(client, pk_complaint, mechanism):
    advance(mechanism, pk_complaint, "notified")
    assert _post(client, "af-liaison", pk_complaint, "withdraw").status_code == 403
    assert _post(client, "pk-viewer", pk_complaint, "withdraw").status_code == 403
    assert _state(pk_complaint) == "notified"


def test_withdraw_after_determination_is_a_conflict(client, pk_complaint, mechanism):
    advance(mechanism, pk_complaint, "determined")
    response = _post(client, "pk-liaison", pk_complaint, "withdraw")
    assert response.status_code == 409
    assert "Determined" in response.content.decode()


# --- reply --------------------------------------------------------------------------------------------------------


def _reply_form(**overrides):
    data = {"kind": "contested", "account": "Our forces were elsewhere.", "killed_civilian_best": "2"}
    data.update(overrides)
    return data


def test_reply_records_account_figures_and_evidence(client, pk_complaint, mechanism):
    advance(mechanism, pk_complaint, "notified")
    response = _post(client, "af-liaison", pk_complaint, "reply", _reply_form(evidence=[png("ours.png")]))
    assert response.status_code == 302
    reply = Reply.objects.get(complaint=pk_complaint)
    assert reply.kind == "contested" and reply.account == "Our forces were elsewhere."
    claim = CasualtyClaim.objects.get(complaint=pk_complaint, claimant__code="AF")
    assert (claim.kind, claim.status, claim.best) == ("killed", "civilian", 2)
    assert Evidence.objects.filter(complaint=pk_complaint, filename="ours.png").exists()
    page = client.get(url(pk_complaint)).content.decode()
    assert "Our forces were elsewhere." in page and "ours.png" in page


def test_reply_contesting_without_an_account_changes_nothing(client, pk_complaint, mechanism):
    advance(mechanism, pk_complaint, "notified")
    response = _post(client, "af-liaison", pk_complaint, "reply", _reply_form(account="", evidence=[png()]))
    assert response.status_code == 422
    body = response.content.decode()
    assert "A contested complaint needs the party&#x27;s own account." in body
    assert "choose them again" in body
    assert not Reply.objects.exists()
    assert not CasualtyClaim.objects.filter(claimant__code="AF").exists()
    assert not Evidence.objects.filter(complaint=pk_complaint).exists()


def test_reply_is_refused_to_others(client, pk_complaint, mechanism):
    assert _post(client, "af-liaison", pk_complaint, "reply", _reply_form()).status_code == 404  # before notice
    advance(mechanism, pk_complaint, "notified")
    assert _post(client, "af-viewer", pk_complaint, "reply", _reply_form()).status_code == 403
    assert _post(client, "pk-liaison", pk_complaint, "reply", _reply_form()).status_code == 403
    assert not Reply.objects.exists()


def test_reply_after_the_time_limit_is_a_conflict_with_the_time_it_closed(client, pk_complaint, mechanism):
    advance(mechanism, pk_complaint, "notified")
    with time_machine.travel(timezone.now() + dt.timedelta(hours=73)):
        response = _post(client, "af-liaison", pk_complaint, "reply", _reply_form())
    assert response.status_code == 409
    assert "The reply time limit closed at" in response.content.decode()
    assert not Reply.objects.exists()
    assert Transition.objects.filter(complaint=pk_complaint).count() == 1
