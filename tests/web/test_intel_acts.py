"""What readers do on an item's page: forward (as TLP 2.0 and the originator allow), record an action taken on the
request, rate the response. Each through a POST, each refused by field, by rule (403) or by state (409)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from intel_web_helpers import share
from support import login
from web_helpers import png_bytes

from ceasefire.incidents.drafts import EvidenceUpload
from ceasefire.intel import services
from ceasefire.intel.models import ActionTaken, IntelFile, IntelForward, RequestForAction
from ceasefire.ledger.models import LogEntry

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def evidence_dir(settings: Any, tmp_path: Path) -> Path:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return settings.EVIDENCE_DIR


def url(name: str, item: Any) -> str:
    return reverse(f"web:{name}", args=[item.public_code])


def today() -> str:
    return timezone.localdate().isoformat()


def test_a_recipient_forwards_what_the_originator_allowed(client, pk_liaison, af_liaison, mechanism):
    item = share(pk_liaison, forwarding_allowed=True, request=None)
    login(client, "af-liaison")
    page = client.get(url("intel-detail", item)).content.decode()
    assert 'id="forward"' in page and '<option value="QA">' in page and '<option value="PK">' not in page
    response = client.post(url("intel-forward", item), {"to_party": "QA", "note": "For the mediators."})
    assert response.status_code == 302
    forward = IntelForward.objects.get(item=item)
    assert (forward.from_party.code, forward.to_party.code) == ("AF", "QA")
    client.logout()
    login(client, "qa-investigator")
    assert client.get(url("intel-detail", item)).status_code == 200
    client.logout()
    login(client, "pk-liaison")
    assert "For the mediators." in client.get(url("intel-detail", item)).content.decode()


def test_forwarding_refused_by_field_saves_nothing(client, pk_liaison, af_liaison):
    item = share(pk_liaison, forwarding_allowed=True, request=None)
    entries = LogEntry.objects.count()
    login(client, "af-liaison")
    response = client.post(url("intel-forward", item), {"to_party": "AF"})  # not offered: AF has it
    assert response.status_code == 422
    assert "to_party" in response.context["forward_form"].errors
    assert not IntelForward.objects.exists() and LogEntry.objects.count() == entries


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"tlp": "AMBER+STRICT", "forwarding_allowed": False}, "TLP:AMBER+STRICT items are not forwarded."),
        ({"forwarding_allowed": False}, "The originator did not allow forwarding"),
        (
            {"tlp": "RED", "recipients": [], "people": ["af-liaison"], "forwarding_allowed": False},
            "TLP:RED items are not forwarded.",
        ),
    ],
)
def test_what_may_not_be_forwarded_is_refused_with_the_reason(client, pk_liaison, af_liaison, overrides, reason):
    item = share(pk_liaison, **({"forwarding_allowed": True, "request": None} | overrides))
    login(client, "af-liaison")
    assert 'id="forward"' not in client.get(url("intel-detail", item)).content.decode()
    response = client.post(url("intel-forward", item), {"to_party": "QA"})
    assert response.status_code == 403
    assert reason in response.content.decode()
    assert not IntelForward.objects.exists()


def test_the_originator_may_not_forward_its_own_item(client, pk_liaison):
    item = share(pk_liaison, forwarding_allowed=True, request=None)
    login(client, "pk-liaison")
    assert client.post(url("intel-forward", item), {"to_party": "QA"}).status_code == 403


def test_the_addressee_records_an_action_with_evidence(client, pk_liaison, af_liaison):
    item = share(pk_liaison)
    login(client, "af-liaison")
    page = client.get(url("intel-detail", item)).content.decode()
    assert 'id="action-form"' in page and 'id="rating-form"' not in page
    photo = SimpleUploadedFile("raid.png", png_bytes(3, 3))
    response = client.post(
        url("intel-action", item), {"text": "Raided the compound.", "taken_on": today(), "files": photo}
    )
    assert response.status_code == 302
    action = ActionTaken.objects.get()
    assert action.text == "Raided the compound." and action.recorded_by == af_liaison
    assert RequestForAction.objects.get(item=item).state == "answered"
    attached = IntelFile.objects.get(action=action)
    client.logout()
    login(client, "pk-liaison")
    page = client.get(url("intel-detail", item)).content.decode()
    assert "Raided the compound." in page and "raid.png" in page
    assert (
        client.get(reverse("web:intel-file", args=[item.public_code, attached.stored_file.sha256])).status_code == 200
    )


def test_an_action_refused_by_field_saves_nothing(client, pk_liaison, af_liaison):
    item = share(pk_liaison)
    entries = LogEntry.objects.count()
    login(client, "af-liaison")
    tomorrow = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    response = client.post(url("intel-action", item), {"text": "", "taken_on": tomorrow})
    assert response.status_code == 422
    errors = response.context["action_form"].errors
    assert "Say what action was taken." in errors["text"][0]
    assert "taken_on" in errors
    assert not ActionTaken.objects.exists() and LogEntry.objects.count() == entries
    missing = client.post(url("intel-action", item), {"text": "Done."})
    assert missing.status_code == 422 and "taken_on" in missing.context["action_form"].errors


def test_only_the_addressee_records_actions(client, pk_liaison, af_liaison):
    item = share(pk_liaison, recipients=["AF", "QA"])
    for username in ("pk-liaison", "af-viewer", "qa-investigator"):
        client.logout()
        login(client, username)
        assert client.post(url("intel-action", item), {"text": "x", "taken_on": today()}).status_code == 403
    assert not ActionTaken.objects.exists()


def test_an_item_without_a_request_has_no_action_or_rating_to_post(client, pk_liaison, af_liaison):
    item = share(pk_liaison, request=None)
    login(client, "af-liaison")
    assert client.post(url("intel-action", item), {"text": "x", "taken_on": today()}).status_code == 404
    client.logout()
    login(client, "pk-liaison")
    assert client.post(url("intel-rate", item), {"rating": "satisfactory"}).status_code == 404


def test_the_requester_rates_the_response_once(client, pk_liaison, af_liaison):
    item = share(pk_liaison)
    services.record_action(af_liaison, item, text="Raided the compound.", taken_on=timezone.localdate())
    login(client, "pk-liaison")
    assert 'id="rating-form"' in client.get(url("intel-detail", item)).content.decode()
    response = client.post(url("intel-rate", item), {"rating": "partial", "note": "Commanders escaped."})
    assert response.status_code == 302
    request = RequestForAction.objects.get(item=item)
    assert (request.state, request.rating, request.rating_note) == ("rated", "partial", "Commanders escaped.")
    page = client.get(url("intel-detail", item)).content.decode()
    assert "Partial" in page and 'id="rating-form"' not in page
    client.logout()
    login(client, "af-liaison")  # the addressee sees the rating, and may record no more actions
    page = client.get(url("intel-detail", item)).content.decode()
    assert "Commanders escaped." in page and 'id="action-form"' not in page
    late = client.post(url("intel-action", item), {"text": "More.", "taken_on": today()})
    assert late.status_code == 409 and "no more actions are recorded" in late.content.decode()


def test_a_rating_refused_by_field_or_state(client, pk_liaison, af_liaison):
    item = share(pk_liaison)
    login(client, "pk-liaison")
    early = client.post(url("intel-rate", item), {"rating": "satisfactory"})
    assert early.status_code == 422
    assert "No action is recorded yet" in early.context["rating_form"].errors["rating"][0]
    empty = client.post(url("intel-rate", item), {"rating": ""})
    assert empty.status_code == 422 and "Choose a rating" in empty.context["rating_form"].errors["rating"][0]
    assert client.post(url("intel-rate", item), {"rating": "no_response"}).status_code == 302
    again = client.post(url("intel-rate", item), {"rating": "partial"})
    assert again.status_code == 409 and "rated already" in again.content.decode()
    client.logout()
    login(client, "af-liaison")
    assert client.post(url("intel-rate", item), {"rating": "satisfactory"}).status_code == 403


def test_the_request_is_between_requester_and_addressee(client, secretariat, af_liaison, pk_liaison):
    """A GREEN item every member reads; its request, actions and their evidence are the two sides' business."""
    item = share(secretariat, tlp="GREEN", recipients=[], title="Situation note")
    photo = EvidenceUpload(file=io.BytesIO(png_bytes()), filename="patrol.png")
    services.record_action(af_liaison, item, text="Patrol sent.", taken_on=timezone.localdate(), files=[photo])
    evidence = reverse("web:intel-file", args=[item.public_code, IntelFile.objects.get().stored_file.sha256])
    login(client, "pk-liaison")
    page = client.get(url("intel-detail", item)).content.decode()
    assert "Situation note" in page
    assert 'id="request"' not in page and "Patrol sent." not in page
    assert client.get(evidence).status_code == 404
    client.logout()
    login(client, "af-viewer")
    assert "Patrol sent." in client.get(url("intel-detail", item)).content.decode()
    assert client.get(evidence).status_code == 200
