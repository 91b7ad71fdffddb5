"""The moves on a shared item through the API — forward, acknowledge, record an action, rate the response — and
the reads around them: receipts (the originator sees all, a recipient its own), a receipt's proof checked with the
offline verifier, the item's log entries, and the requests for action due."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from api_helpers import as_member, assert_problem
from django.utils import timezone
from intel_api_helpers import ITEMS, green_note, red_item, share_via_service

from ceasefire.intel.models import ActionTaken, IntelForward, IntelItem, Receipt, RequestForAction
from ceasefire.ledger.checkpoints import checkpoint_now
from ceasefire.ledger.keys import ensure_log_key
from ceasefire.ledger.receipts import verify_receipt

pytestmark = pytest.mark.integration


def _url(item, move=""):
    return f"{ITEMS}/{item.public_code}" + (f"/{move}" if move else "")


@pytest.fixture
def log_vkey(settings, tmp_path: Path) -> str:
    settings.LOG_KEY_FILE = str(tmp_path / "log-key")
    settings.LOG_ORIGIN = "ceasefire.test/log"
    return ensure_log_key()


# --- forward ------------------------------------------------------------------------------------------------------


def test_forward_reaches_new_party_when_originator_allowed(pk_liaison, af_liaison, tr_investigator):
    item = share_via_service(pk_liaison, forwarding_allowed=True)
    assert_problem(as_member(tr_investigator).get(_url(item)), 404)
    response = as_member(af_liaison).post_json(_url(item, "forward"), {"to_party": "tr", "note": "for the mediators"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["recipients"] == [{"party": "AF", "forwarded_by": None}, {"party": "TR", "forwarded_by": "AF"}]
    assert [(f["from_party"], f["to_party"], f["note"]) for f in body["forwards"]] == [
        ("AF", "TR", "for the mediators")
    ]
    assert as_member(tr_investigator).get(_url(item)).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"tlp": "AMBER+STRICT"}, "AMBER+STRICT"),
        ({"forwarding_allowed": False}, "did not allow"),
    ],
)
def test_forward_answers_403_when_item_may_not_be_forwarded(pk_liaison, af_liaison, overrides, words):
    item = share_via_service(pk_liaison, **overrides)
    body = assert_problem(as_member(af_liaison).post_json(_url(item, "forward"), {"to_party": "TR"}), 403)
    assert words in body["detail"]
    assert not IntelForward.objects.exists() and item.recipients.count() == 1


def test_forward_answers_403_for_red_item(pk_liaison, af_liaison):
    item = red_item(pk_liaison, ["af-liaison"])
    assert_problem(as_member(af_liaison).post_json(_url(item, "forward"), {"to_party": "TR"}), 403)
    assert not IntelForward.objects.exists()


def test_forward_answers_403_to_viewer_and_originator(pk_liaison, af_viewer):
    item = share_via_service(pk_liaison, forwarding_allowed=True)
    assert_problem(as_member(af_viewer).post_json(_url(item, "forward"), {"to_party": "TR"}), 403)
    assert_problem(as_member(pk_liaison).post_json(_url(item, "forward"), {"to_party": "TR"}), 403)
    assert not IntelForward.objects.exists()


@pytest.mark.parametrize(("to_party", "words"), [("XX", "XX"), ("PK", "already"), ("AF", "already")])
def test_forward_names_to_party_when_it_cannot_receive(pk_liaison, af_liaison, to_party, words):
    item = share_via_service(pk_liaison, forwarding_allowed=True)
    body = assert_problem(
        as_member(af_liaison).post_json(_url(item, "forward"), {"to_party": to_party}), 422, "to_party"
    )
    assert words in body["errors"]["to_party"]
    assert not IntelForward.objects.exists()


def test_forward_names_field_when_body_is_bad(pk_liaison, af_liaison):
    item = share_via_service(pk_liaison, forwarding_allowed=True)
    assert_problem(as_member(af_liaison).post_json(_url(item, "forward"), {"party": "TR"}), 422, "to_party", "party")
    assert_problem(as_member(af_liaison).post_json(_url(item, "forward"), {"to_party": ["TR"]}), 422, "to_party")
    assert not IntelForward.objects.exists()


def test_forward_answers_404_when_caller_may_not_see_item(pk_liaison, tr_investigator):
    item = share_via_service(pk_liaison, forwarding_allowed=True)
    assert_problem(as_member(tr_investigator).post_json(_url(item, "forward"), {"to_party": "QA"}), 404)
    assert not IntelForward.objects.exists()


# --- acknowledge --------------------------------------------------------------------------------------------------


def test_acknowledge_marks_own_receipt_once(pk_liaison, af_viewer, af_liaison):
    item = share_via_service(pk_liaison)
    response = as_member(af_viewer).post(_url(item, "acknowledge"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["party"], body["opened_by"], body["acknowledged_by"]) == ("AF", "af-viewer", "af-viewer")
    assert assert_problem(as_member(af_liaison).post(_url(item, "acknowledge")), 409)
    assert "acknowledge" not in as_member(af_liaison).get(_url(item)).json()["moves"]


def test_acknowledge_answers_403_to_originator_and_404_to_others(pk_liaison, tr_investigator):
    item = share_via_service(pk_liaison)
    assert_problem(as_member(pk_liaison).post(_url(item, "acknowledge")), 403)
    assert_problem(as_member(tr_investigator).post(_url(item, "acknowledge")), 404)
    assert not Receipt.objects.exists()


# --- actions and rating -------------------------------------------------------------------------------------------


def _today():
    return timezone.now().date().isoformat()


def test_action_is_recorded_by_addressee_then_rated_by_requester(pk_liaison, af_liaison):
    item = share_via_service(pk_liaison)
    action = {"text": "Raided the compound; three detained.", "taken_on": _today()}
    recorded = as_member(af_liaison).post_json(_url(item, "actions"), action)
    assert recorded.status_code == 201, recorded.content
    request = recorded.json()["request"]
    assert request["state"] == "answered"
    assert [(a["text"], a["recorded_by"]) for a in request["actions"]] == [(action["text"], "AF")]
    rated = as_member(pk_liaison).post_json(_url(item, "rating"), {"rating": "partial", "note": "Commanders escaped."})
    assert rated.status_code == 200, rated.content
    assert (rated.json()["request"]["rating"], rated.json()["request"]["state"]) == ("partial", "rated")
    assert "rate" not in rated.json()["moves"]
    # Rated: the answer is closed.
    assert_problem(as_member(af_liaison).post_json(_url(item, "actions"), action), 409)
    assert_problem(as_member(pk_liaison).post_json(_url(item, "rating"), {"rating": "satisfactory"}), 409)


def test_actions_and_rating_are_hidden_from_a_third_reader(secretariat, af_liaison, pk_liaison):
    item = green_note(
        secretariat,
        request={
            "addressee": "AF",
            "what": "Reopen the gate.",
            "due_at": (timezone.now() + dt.timedelta(days=2)).isoformat(),
        },
    )
    as_member(af_liaison).post_json(_url(item, "actions"), {"text": "Gate reopened.", "taken_on": _today()})
    as_member(secretariat).post_json(_url(item, "rating"), {"rating": "satisfactory"})
    third = as_member(pk_liaison).get(_url(item)).json()["request"]
    assert (third["what"], third["actions"], third["rating"], third["rated_at"]) == ("Reopen the gate.", [], "", None)
    assert as_member(af_liaison).get(_url(item)).json()["request"]["rating"] == "satisfactory"


@pytest.mark.parametrize("persona", ["pk_liaison", "af_viewer"])
def test_action_answers_403_when_caller_is_not_the_addressee_liaison(request, pk_liaison, persona):
    item = share_via_service(pk_liaison)
    client = as_member(request.getfixturevalue(persona))
    assert_problem(client.post_json(_url(item, "actions"), {"text": "Done.", "taken_on": _today()}), 403)
    assert not ActionTaken.objects.exists()


@pytest.mark.parametrize(
    ("action", "field"),
    [
        ({"text": " ", "taken_on": "TODAY"}, "taken_on"),
        ({"text": " ", "taken_on": "2025-01-01"}, "text"),
        ({"text": "Done.", "taken_on": "2999-01-01"}, "taken_on"),
        ({"text": "Done."}, "taken_on"),
    ],
)
def test_action_names_field_when_body_is_bad(pk_liaison, af_liaison, action, field):
    item = share_via_service(pk_liaison)
    assert_problem(as_member(af_liaison).post_json(_url(item, "actions"), action), 422, field)
    assert not ActionTaken.objects.exists()
    assert RequestForAction.objects.get().state == "open"


def test_action_answers_404_without_request_or_sight(pk_liaison, af_liaison, tr_investigator):
    plain = share_via_service(pk_liaison, request=None)
    assert_problem(as_member(af_liaison).post_json(_url(plain, "actions"), {"text": "x", "taken_on": _today()}), 404)
    item = share_via_service(pk_liaison)
    assert_problem(
        as_member(tr_investigator).post_json(_url(item, "actions"), {"text": "x", "taken_on": _today()}), 404
    )


def test_rating_refused_when_wrong_party_or_value_or_too_early(pk_liaison, af_liaison):
    item = share_via_service(pk_liaison)
    assert_problem(as_member(af_liaison).post_json(_url(item, "rating"), {"rating": "satisfactory"}), 403)
    assert_problem(as_member(pk_liaison).post_json(_url(item, "rating"), {"rating": "great"}), 422, "rating")
    body = assert_problem(as_member(pk_liaison).post_json(_url(item, "rating"), {"rating": "satisfactory"}), 422)
    assert "rating" in body["errors"]
    assert RequestForAction.objects.get().rating == ""


def test_rating_no_response_allowed_before_any_action(pk_liaison):
    item = share_via_service(pk_liaison)
    response = as_member(pk_liaison).post_json(_url(item, "rating"), {"rating": "no_response"})
    assert response.status_code == 200 and response.json()["request"]["rating"] == "no_response"


# --- receipts -----------------------------------------------------------------------------------------------------


@pytest.fixture
def opened(pk_liaison, af_viewer, tr_investigator):
    """PK's AMBER item for AF and TR, opened by one member of each."""
    item = share_via_service(pk_liaison, recipients=["AF", "TR"])
    as_member(af_viewer).get(_url(item))
    as_member(tr_investigator).get(_url(item))
    return item


def test_receipts_all_for_originator_own_for_recipient(opened, pk_viewer, af_liaison, tr_investigator):
    def parties(member):
        response = as_member(member).get(_url(opened, "receipts"))
        assert response.status_code == 200, response.content
        return [(r["party"], r["opened_by"]) for r in response.json()]

    assert parties(pk_viewer) == [("AF", "af-viewer"), ("TR", "tr-investigator")]
    assert parties(af_liaison) == [("AF", "af-viewer")]
    assert parties(tr_investigator) == [("TR", "tr-investigator")]


def test_receipts_answer_404_when_caller_may_not_see_item(opened, qa_investigator):
    assert_problem(as_member(qa_investigator).get(_url(opened, "receipts")), 404)
    assert_problem(as_member(qa_investigator).get(_url(opened, "receipt")), 404)


def test_receipt_proof_verifies_offline_for_recipient_and_originator(opened, log_vkey, af_liaison, pk_liaison):
    checkpoint_now()
    response = as_member(af_liaison).get(_url(opened, "receipt"))
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"].endswith('.tlog-proof"')
    report = verify_receipt(response.content.decode(), [log_vkey])
    assert report.record["recipient"] == "party:AF" and report.record["item"] == opened.public_code
    assert report.leaf["sequence"] == Receipt.objects.get(party__code="AF").opened_sequence

    by_originator = as_member(pk_liaison).get(_url(opened, "receipt") + "?party=TR")
    assert verify_receipt(by_originator.content.decode(), [log_vkey]).record["recipient"] == "party:TR"
    assert_problem(as_member(pk_liaison).get(_url(opened, "receipt")), 422, "party")


def test_receipt_proof_is_only_ones_own(opened, log_vkey, af_liaison):
    checkpoint_now()
    assert_problem(as_member(af_liaison).get(_url(opened, "receipt") + "?party=TR"), 404)


def test_receipt_proof_of_red_item_is_per_person(pk_liaison, af_liaison, log_vkey):
    item = red_item(pk_liaison, ["af-liaison"])
    as_member(af_liaison).get(_url(item))
    checkpoint_now()
    text = as_member(pk_liaison).get(_url(item, "receipt") + "?person=af-liaison").content.decode()
    assert verify_receipt(text, [log_vkey]).record["recipient"].startswith("user:")


def test_receipt_proof_answers_409_before_checkpoint_and_404_before_opening(opened, log_vkey, af_liaison, pk_liaison):
    assert_problem(as_member(af_liaison).get(_url(opened, "receipt")), 409)
    unopened = share_via_service(pk_liaison)
    assert_problem(as_member(af_liaison).get(_url(unopened, "receipt")), 404)


# --- log entries --------------------------------------------------------------------------------------------------


def test_log_entries_all_for_originator_and_own_for_recipient(opened, log_vkey, pk_liaison, af_liaison):
    checkpoint_now()
    mine = as_member(pk_liaison).get(_url(opened, "log")).json()
    assert [e["kind"] for e in mine] == ["intel.shared", "intel_receipt.opened", "intel_receipt.opened"]
    assert all(e["sealed"] and e["checkpointed"] for e in mine)
    theirs = as_member(af_liaison).get(_url(opened, "log")).json()
    af_index = Receipt.objects.get(party__code="AF").opened_sequence
    assert [(e["kind"], e["index"]) for e in theirs][1:] == [("intel_receipt.opened", af_index)]


def test_log_entries_answer_404_when_caller_may_not_see_item(opened, qa_adjudicator):
    assert_problem(as_member(qa_adjudicator).get(_url(opened, "log")), 404)


# --- requests for action ------------------------------------------------------------------------------------------


def test_requests_list_what_is_due_and_awaited(pk_liaison, af_viewer, tr_investigator):
    item = share_via_service(pk_liaison)
    share_via_service(pk_liaison, request=None)

    def rows(member):
        response = as_member(member).get("/api/v1/intel/requests")
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["count"] == len(body["items"])
        return [(r["item"], r["addressee"], r["yours_to_answer"], r["overdue"]) for r in body["items"]]

    assert rows(af_viewer) == [(item.public_code, "AF", True, False)]
    assert rows(pk_liaison) == [(item.public_code, "AF", False, False)]
    assert rows(tr_investigator) == []
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        assert rows(af_viewer) == [(item.public_code, "AF", True, True)]
    assert_problem(as_member(af_viewer).get("/api/v1/intel/requests?limit=0"), 422, "limit")


def test_requests_leave_the_list_once_rated(pk_liaison, af_liaison):
    item = share_via_service(pk_liaison)
    as_member(pk_liaison).post_json(_url(item, "rating"), {"rating": "no_response"})
    assert as_member(af_liaison).get("/api/v1/intel/requests").json()["count"] == 0
    assert IntelItem.objects.get().request.state == "rated"
