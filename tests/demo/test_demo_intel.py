"""The demo's intelligence items: shared at their historic times through the services, seen exactly per TLP,
with their receipts, requests, actions and ratings filled in, logged in time order and loaded once."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from support import PASSWORD

from ceasefire.core.models import Membership
from ceasefire.demo.intel_items import ITEMS, TORKHAM_CLOSED
from ceasefire.demo.loader import load_demo
from ceasefire.intel.enums import ItemState, Rating, RequestState
from ceasefire.intel.models import IntelForward, IntelItem, Receipt, RequestForAction
from ceasefire.intel.queries import get_visible_item, linked_complaints, receipts_of, visible_items
from ceasefire.ledger.checkpoints import checkpoint_now
from ceasefire.ledger.models import LogEntry, LogHead
from ceasefire.ledger.services import ensure_log_key
from ceasefire.verification.enums import EventKind
from ceasefire.verification.models import Notification

pytestmark = pytest.mark.integration

PERSONAS = ("af-liaison", "pk-liaison", "tr-investigator", "qa-adjudicator", "tr-adjudicator", "tr-secretariat")
# item key → (TLP, the personas above who see it). Each side sees its own; GREEN is for everyone in the mechanism;
# AMBER for the recipient parties (a forward adds one); AMBER+STRICT the recipients only; RED the named people and
# its author, not even the author's colleagues.
EXPECTED = {
    "istanbul-schedule": ("GREEN", set(PERSONAS)),
    "ttp-khost": ("AMBER", set(PERSONAS)),
    "iskp-torkham": ("AMBER", {"af-liaison", "pk-liaison", "tr-investigator", "tr-adjudicator", "tr-secretariat"}),
    "crossings-2-nov": ("GREEN", set(PERSONAS)),
    "nrf-peshawar": ("AMBER+STRICT", {"af-liaison", "pk-liaison"}),
    "istanbul-6-7-nov": ("GREEN", set(PERSONAS)),
    "riyadh-red": ("RED", {"qa-adjudicator", "tr-adjudicator", "tr-secretariat"}),
}


@pytest.fixture
def demo(db):
    return load_demo(PASSWORD)


@pytest.fixture
def log_key(settings: Any, tmp_path: Path) -> str:
    settings.LOG_KEY_FILE = str(tmp_path / "log-key")
    settings.LOG_ORIGIN = "ceasefire.test/log"
    return ensure_log_key()


def member(username: str) -> Membership:
    return Membership.objects.select_related("party").get(user__username=username)


def items() -> dict[str, IntelItem]:
    return {spec.key: IntelItem.objects.get(title=spec.title) for spec in ITEMS}


def test_demo_intel_items_are_shared_with_their_tlp_in_2025_and_stay_visible(demo):
    found = items()
    assert set(found) == set(EXPECTED)
    for key, item in found.items():
        assert item.tlp == EXPECTED[key][0], key
        assert item.state == ItemState.SHARED
        assert item.shared_at is not None
        assert dt.datetime(2025, 10, 20, tzinfo=dt.UTC) < item.shared_at < dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
        assert item.expires_at is None or item.expires_at.year >= 2035, key
    assert {found[k].originator.code for k in ("ttp-khost", "iskp-torkham")} == {"PK"}
    assert found["nrf-peshawar"].originator.code == "AF"
    assert {found[k].author.user.username for k in ("istanbul-schedule", "riyadh-red")} == {"tr-secretariat"}
    red_people = set(found["riyadh-red"].people.values_list("user__username", flat=True))
    assert red_people == {"qa-adjudicator", "tr-adjudicator"}
    assert set(found["ttp-khost"].places.values_list("province", flat=True)) == {"Khost"}
    assert set(found["ttp-khost"].places.values_list("side", flat=True)) == {"AF"}
    assert found["nrf-peshawar"].places.get().side == "PK"
    assert found["ttp-khost"].files.get(action__isnull=True).stored_file.media_type == "image/png"


def test_demo_intel_is_seen_exactly_per_tlp_by_each_persona(demo):
    found = items()
    for username in PERSONAS:
        reader = member(username)
        listed = set(visible_items(reader).values_list("public_code", flat=True))
        for key, (_tlp, allowed) in EXPECTED.items():
            code = found[key].public_code
            expected = username in allowed
            assert (code in listed) is expected, (username, key)
            assert (get_visible_item(reader, code) is not None) is expected, (username, key)
    for username in ("af-viewer", "pk-analyst", "qa-investigator"):
        codes = set(visible_items(member(username)).values_list("public_code", flat=True))
        assert found["riyadh-red"].public_code not in codes
    qa_investigator = set(visible_items(member("qa-investigator")).values_list("public_code", flat=True))
    assert found["iskp-torkham"].public_code not in qa_investigator  # forwarded to Türkiye, not to Qatar
    assert found["ttp-khost"].public_code in qa_investigator


def test_demo_intel_receipts_actions_ratings_and_the_overdue_request_are_filled_in(demo):
    found = items()
    ttp, nrf = found["ttp-khost"].request, found["nrf-peshawar"].request
    assert ttp.addressee.code == "AF" and set(ttp.against.values_list("code", flat=True)) == {"ttp"}
    assert ttp.state == RequestState.RATED and ttp.rating == Rating.PARTIAL and ttp.rated_by.party.code == "PK"
    action = ttp.actions.get()
    assert action.recorded_by.party.code == "AF" and action.taken_on < ttp.due_at.date()
    assert action.files.get().stored_file.media_type == "application/pdf"
    assert ttp.overdue_flagged_at is None  # answered before its due date
    assert nrf.addressee.code == "PK" and not nrf.actions.exists()
    assert nrf.overdue_flagged_at is not None and nrf.overdue_flagged_at > nrf.due_at
    assert nrf.state == RequestState.RATED and nrf.rating == Rating.NO_RESPONSE and nrf.rated_by.party.code == "AF"
    assert not RequestForAction.objects.exclude(state=RequestState.RATED).exists()

    receipts = {key: set(item.receipts.values_list("recipient_key", flat=True)) for key, item in found.items()}
    assert receipts["ttp-khost"] == {"party:AF", "party:TR", "party:QA"}
    assert receipts["nrf-peshawar"] == {"party:PK"}
    assert receipts["iskp-torkham"] == {"party:AF", "party:TR"}
    qa_adjudicator = member("qa-adjudicator")
    assert f"user:{qa_adjudicator.user_id}" in receipts["riyadh-red"]  # RED: one receipt per named person
    assert all(key.startswith("user:") for key in receipts["riyadh-red"])
    acknowledged = Receipt.objects.filter(acknowledged_at__isnull=False)
    assert set(acknowledged.values_list("item__title", "party__code")) == {
        (found["ttp-khost"].title, "AF"),
        (found["iskp-torkham"].title, "AF"),
        (found["riyadh-red"].title, "QA"),
    }
    assert not Receipt.objects.filter(item=found["nrf-peshawar"], acknowledged_at__isnull=False).exists()
    # The originator sees who read its item; a recipient only its own receipt.
    assert receipts_of(member("pk-liaison"), found["ttp-khost"]).count() == 3
    assert set(receipts_of(member("af-liaison"), found["ttp-khost"]).values_list("party__code", flat=True)) == {"AF"}

    forward = IntelForward.objects.get(item=found["iskp-torkham"])
    assert (forward.from_party.code, forward.to_party.code, forward.by.user.username) == ("AF", "TR", "af-liaison")
    kinds = set(Notification.objects.filter(intel_item__isnull=False).values_list("kind", flat=True))
    assert {
        EventKind.INTEL_SHARED,
        EventKind.INTEL_FORWARDED,
        EventKind.ACTION_REQUESTED,
        EventKind.ACTION_RECORDED,
        EventKind.RESPONSE_RATED,
        EventKind.REQUEST_OVERDUE,
    } <= kinds


def test_demo_intel_cites_complaints_only_as_far_as_the_reader_sees_them(demo):
    found = items()
    ttp = found["ttp-khost"]
    cited = set(ttp.complaints.values_list("title", flat=True))
    assert cited == {
        "Infiltration attempt in Kurram repulsed, three soldiers martyred",
        "Infiltration attempt in North Waziristan near Ghulam Khan",
    }
    # Afghanistan was notified of the Kurram complaint, not (yet) of the Ghulam Khan one.
    af_sees = set(linked_complaints(member("af-liaison"), ttp).values_list("title", flat=True))
    assert "Infiltration attempt in Kurram repulsed, three soldiers martyred" in af_sees
    assert "Infiltration attempt in North Waziristan near Ghulam Khan" not in af_sees
    assert linked_complaints(member("tr-investigator"), ttp).count() == 2
    crossings = found["crossings-2-nov"]
    assert list(crossings.complaints.values_list("title", flat=True)) == [TORKHAM_CLOSED]


def test_demo_intel_is_logged_in_time_order_sealed_beyond_green_and_the_database_verifies(demo, log_key):
    found = items()
    for key, item in found.items():
        entries = LogEntry.objects.filter(subject_code=item.public_code).order_by("sequence")
        assert entries.exists(), key
        assert {entry.sealed for entry in entries} == {EXPECTED[key][0] not in ("GREEN", "CLEAR")}, key
        assert entries.first().created_at == item.shared_at
    times = list(LogEntry.objects.order_by("sequence").values_list("created_at", flat=True))
    assert times == sorted(times)
    checkpoint_now()  # the worker's checkpoint, so the audit also re-hashes the tiles against a signed head
    out = io.StringIO()
    call_command("log", "verify", "--database", stdout=out)
    assert "domain records matching their latest log entries" in out.getvalue()


def _counts() -> tuple[int, ...]:
    return (
        IntelItem.objects.count(),
        Receipt.objects.count(),
        RequestForAction.objects.count(),
        Notification.objects.count(),
        LogHead.objects.get().size,
    )


def test_a_second_load_shares_nothing_again(demo):
    before = _counts()
    assert before[0] == len(ITEMS)
    load_demo(PASSWORD)
    assert _counts() == before
