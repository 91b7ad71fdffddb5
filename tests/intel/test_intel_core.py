"""The intel write path end to end on the real database: sharing, visibility per TLP, receipts, requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from support_intel import intel_draft

from ceasefire.core.errors import Conflict, NotPermitted, NotVisible, ValidationFailed
from ceasefire.intel import services
from ceasefire.intel.models import IntelItem, Receipt
from ceasefire.ledger.models import LogEntry
from ceasefire.ledger.versions import domain_problems

pytestmark = pytest.mark.integration


def test_amber_item_reaches_only_its_recipients(
    pk_liaison: Any, af_liaison: Any, af_viewer: Any, tr_investigator: Any
) -> None:
    item = services.save_item(pk_liaison, intel_draft(), share=True)
    assert IntelItem.objects.visible_to(af_viewer).filter(pk=item.pk).exists()
    assert IntelItem.objects.visible_to(pk_liaison).filter(pk=item.pk).exists()
    assert not IntelItem.objects.visible_to(tr_investigator).filter(pk=item.pk).exists()
    entry = LogEntry.objects.get(subject_code=item.public_code)
    assert entry.kind == "intel.shared" and entry.sealed


def test_first_opening_is_a_receipt_once(pk_liaison: Any, af_liaison: Any, af_viewer: Any) -> None:
    item = services.save_item(pk_liaison, intel_draft(), share=True)
    first = services.open_item(af_viewer, item)
    again = services.open_item(af_liaison, item)
    assert first is not None and again is not None and first.pk == again.pk
    assert services.open_item(pk_liaison, item) is None
    assert Receipt.objects.filter(item=item).count() == 1
    assert LogEntry.objects.filter(subject_code=item.public_code, kind="intel_receipt.opened").count() == 1


def test_red_without_people_is_refused_and_nothing_saved(pk_liaison: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.save_item(pk_liaison, intel_draft(tlp="RED", recipients=[], request=None), share=True)
    assert "people" in refused.value.errors
    assert not IntelItem.objects.exists() and not LogEntry.objects.filter(kind__startswith="intel").exists()


def test_recipient_outside_mechanism_is_refused(pk_liaison: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.save_item(pk_liaison, intel_draft(recipients=["XX"]), share=True)
    assert "XX" in refused.value.errors["recipients"]


def test_expiry_in_past_is_refused(pk_liaison: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.save_item(pk_liaison, intel_draft(expires_at=timezone.now() - dt.timedelta(hours=1)), share=True)
    assert "expires_at" in refused.value.errors


def test_strict_item_is_never_forwarded(pk_liaison: Any, af_liaison: Any) -> None:
    item = services.save_item(pk_liaison, intel_draft(tlp="AMBER+STRICT"), share=True)
    with pytest.raises(NotPermitted):
        services.forward_item(af_liaison, item, to_party="TR")


def test_forward_when_allowed_reaches_new_party(pk_liaison: Any, af_liaison: Any, tr_investigator: Any) -> None:
    item = services.save_item(pk_liaison, intel_draft(forwarding_allowed=True), share=True)
    services.forward_item(af_liaison, item, to_party="TR", note="for the investigators")
    assert IntelItem.objects.visible_to(tr_investigator).filter(pk=item.pk).exists()
    assert domain_problems()[1] == []


def test_request_cycle_action_then_rating(pk_liaison: Any, af_liaison: Any) -> None:
    item = services.save_item(pk_liaison, intel_draft(), share=True)
    with pytest.raises(NotPermitted):
        services.record_action(pk_liaison, item, text="done", taken_on=timezone.now().date())
    services.record_action(af_liaison, item, text="Raided the compound; 3 detained.", taken_on=timezone.now().date())
    request = services.rate_response(pk_liaison, item, rating="partial", note="Commanders escaped.")
    assert request.rating == "partial"
    with pytest.raises(Conflict):
        services.rate_response(pk_liaison, item, rating="satisfactory")


def test_expired_item_leaves_recipient_but_stays_with_originator(pk_liaison: Any, af_liaison: Any) -> None:
    item = services.save_item(pk_liaison, intel_draft(), share=True)
    later = timezone.now() + dt.timedelta(days=31)
    assert not IntelItem.objects.visible_to(af_liaison, now=later).filter(pk=item.pk).exists()
    assert IntelItem.objects.visible_to(pk_liaison, now=later).filter(pk=item.pk).exists()


def test_overdue_request_is_flagged_once(pk_liaison: Any, af_liaison: Any) -> None:
    services.save_item(pk_liaison, intel_draft(), share=True)
    later = timezone.now() + dt.timedelta(days=8)
    assert services.flag_overdue_requests(now=later) == 1
    assert services.flag_overdue_requests(now=later) == 0


def test_unseen_item_cannot_be_acted_on(pk_liaison: Any, tr_investigator: Any) -> None:
    item = services.save_item(pk_liaison, intel_draft(), share=True)
    with pytest.raises(NotVisible):
        services.forward_item(tr_investigator, item, to_party="QA")


def test_red_named_colleague_of_author_gets_a_receipt(mechanism: Any) -> None:
    secretariat, adjudicator = mechanism.members["tr-secretariat"], mechanism.members["tr-adjudicator"]
    draft = intel_draft(tlp="RED", recipients=[], people=["tr-adjudicator"], request=None)
    item = services.save_item(secretariat, draft, share=True)
    receipt = services.open_item(adjudicator, item)
    assert receipt is not None and receipt.recipient_key == f"user:{adjudicator.user_id}"
    assert services.open_item(secretariat, item) is None


def test_export_opens_each_unopened_item_once(pk_liaison: Any, af_liaison: Any) -> None:
    items = [services.save_item(pk_liaison, intel_draft(title=f"Report {i}"), share=True) for i in range(3)]
    services.open_item(af_liaison, items[0])
    assert services.open_items(af_liaison, IntelItem.objects.all()) == 2
    assert services.open_items(af_liaison, IntelItem.objects.all()) == 0
    assert services.open_items(pk_liaison, IntelItem.objects.all()) == 0
    assert Receipt.objects.filter(party__code="AF").count() == 3
