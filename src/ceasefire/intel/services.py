"""The write path of intelligence sharing: drafting and sharing items, forwarding, receipts, requests for action.

Every function checks its rule, writes, and appends its transparency-log entry in one transaction; web views, the
API, the CLI, the STIX import and the demo all call these. Entries of an item that is not CLEAR or GREEN (and of
every draft) are sealed: the public log shows their time and commitment only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from ceasefire.core.codes import new_public_code
from ceasefire.core.enums import TLP, PartyKind
from ceasefire.core.errors import Conflict, NotPermitted, NotVisible, ValidationFailed
from ceasefire.core.models import Membership, Party
from ceasefire.geo.queries import locate
from ceasefire.incidents.drafts import EvidenceUpload
from ceasefire.incidents.services import store_uploads
from ceasefire.ledger.services import record_change
from ceasefire.verification.enums import EventKind

from . import enums, rules
from .drafts import IntelDraft, check_draft
from .enums import ItemState, Rating, RequestState
from .models import (
    ActionTaken,
    IntelFile,
    IntelForward,
    IntelItem,
    IntelPerson,
    IntelPlace,
    IntelRecipient,
    Receipt,
    RequestForAction,
)
from .notify import readers, tell
from .versions import item_version


def _visible(member: Membership, item: IntelItem) -> IntelItem:
    """The item re-read through the visibility rule, locked for the change; absent (404) when not visible."""
    found = IntelItem.objects.visible_to(member).select_for_update().filter(pk=item.pk).first()
    if found is None:
        raise NotVisible(gettext("No such intelligence item."))
    return found


def _log(member: Membership | None, item: IntelItem, kind: str, record: dict[str, Any]) -> int:
    return record_change(
        member, kind=kind, subject_code=item.public_code, record=record, sealed=item.restricted
    ).sequence


def _write_distribution(member: Membership, item: IntelItem, draft: IntelDraft, resolved: dict[str, object]) -> None:
    """(Re)write everything a draft names; an item being revised loses what its new draft no longer names."""
    item.recipients.all().delete()
    item.people.all().delete()
    item.places.all().delete()
    IntelRecipient.objects.bulk_create(IntelRecipient(item=item, party=p) for p in resolved["recipients"])  # type: ignore[attr-defined]
    IntelPerson.objects.bulk_create(IntelPerson(item=item, user=u) for u in resolved["people"])  # type: ignore[attr-defined]
    for place in draft.places:
        placement = locate(place.longitude, place.latitude)
        IntelPlace.objects.create(
            item=item,
            name=place.name.strip(),
            latitude=place.latitude,
            longitude=place.longitude,
            side=placement.side,
            province=placement.province,
        )
    item.actors.set(resolved["actors"])  # type: ignore[arg-type]
    item.complaints.set(resolved["complaints"])  # type: ignore[arg-type]
    request = resolved["request"]
    RequestForAction.objects.filter(item=item).delete()
    if draft.request is not None and isinstance(request, dict):
        created = RequestForAction.objects.create(
            item=item,
            addressee=request["addressee"],
            what=draft.request.what.strip(),
            where=draft.request.where.strip(),
            due_at=draft.request.due_at,
        )
        created.against.set(request["against"])
    for upload, stored in store_uploads(draft.files):
        IntelFile.objects.create(item=item, stored_file=stored, filename=upload.filename, added_by=member)


def save_item(member: Membership, draft: IntelDraft, *, share: bool, item: IntelItem | None = None) -> IntelItem:
    """Draft a new item (or revise a draft) for the member's party, and share it when `share` is True.

    Sharing is final: a shared item is never edited (a correction is a new item). Recipients are told at once."""
    if not rules.can_share(member):
        raise NotPermitted(gettext("Only liaison officers, the secretariat and analysts share intelligence."))
    if item is not None:
        item = _visible(member, item)
        if not rules.is_originator(member, item):
            raise NotPermitted(gettext("Only the originator's party revises its drafts."))
        if not rules.can_revise(member, item):
            raise Conflict(
                gettext("A shared item is final; share a new item to correct it."), extensions={"state": item.state}
            )
    resolved = check_draft(member, draft, final=share)
    now = timezone.now()
    with transaction.atomic():
        if item is None:
            item = IntelItem(
                public_code=new_public_code(
                    "INT", now.year, lambda c: IntelItem.objects.filter(public_code=c).exists()
                ),
                originator=member.party,
                author=member,
                created_at=now,
            )
        new = item.pk is None
        item.title, item.body, item.tlp = draft.title.strip(), draft.body.strip(), draft.tlp
        item.handling, item.forwarding_allowed, item.expires_at = (
            draft.handling.strip(),
            draft.forwarding_allowed,
            draft.expires_at,
        )
        item.source = draft.source or item.source
        item.state = ItemState.SHARED if share else ItemState.DRAFT
        item.shared_at = now if share else None
        item.updated_at = now
        item.search_text = " ".join([item.title, item.body, *(p.name for p in draft.places)]).lower()
        item.save()
        _write_distribution(member, item, draft, resolved)
        kind = enums.ITEM_SHARED if share else (enums.ITEM_DRAFTED if new else enums.ITEM_REVISED)
        _log(member, item, kind, item_version(item))
        if share:
            party = member.party.code
            tell(item, EventKind.INTEL_SHARED, actor=member, audience=readers(item), params={"party": party})
            if draft.request is not None:
                request = item.request
                tell(
                    item,
                    EventKind.ACTION_REQUESTED,
                    actor=member,
                    audience=Q(party_id=request.addressee_id) & readers(item),
                    params={"party": party, "due": request.due_at.isoformat()},
                )
    return item


def forward_item(member: Membership, item: IntelItem, *, to_party: str, note: str = "") -> IntelForward:
    """An AMBER recipient passes the item to another party, when the originator allowed it. Recorded in the log."""
    with transaction.atomic():
        item = _visible(member, item)
        if not rules.can_forward(member, item):
            raise NotPermitted(
                gettext("TLP:%(tlp)s items are not forwarded.") % {"tlp": item.tlp}
                if item.tlp != TLP.AMBER
                else gettext("The originator did not allow forwarding, or you are not a recipient.")
            )
        party = Party.objects.filter(
            code=to_party.strip().upper(), kind__in=[PartyKind.PARTY, PartyKind.MEDIATOR]
        ).first()
        if party is None:
            raise ValidationFailed(
                gettext("Not a party or mediator of the mechanism: %(code)s.") % {"code": to_party}, field="to_party"
            )
        if party.pk == item.originator_id or item.recipients.filter(party=party).exists():
            raise ValidationFailed(
                gettext("%(party)s has this item already.") % {"party": party.code}, field="to_party"
            )
        forward = IntelForward.objects.create(
            item=item, from_party=member.party, to_party=party, by=member, note=note.strip()[:500]
        )
        IntelRecipient.objects.create(item=item, party=party, forward=forward)
        item.updated_at = timezone.now()
        item.save(update_fields=["updated_at"])
        _log(
            member,
            item,
            enums.ITEM_FORWARDED,
            item_version(item) | {"forward": {"from": member.party.code, "to": party.code}},
        )
        tell(
            item,
            EventKind.INTEL_FORWARDED,
            actor=member,
            audience=Q(party=party) | Q(party_id=item.originator_id),
            params={"party": member.party.code},
        )
    return forward


def _recipient_key(member: Membership, item: IntelItem) -> str:
    return f"user:{member.user_id}" if item.tlp == TLP.RED else f"party:{member.party.code}"


def open_item(member: Membership, item: IntelItem) -> Receipt | None:
    """Record a recipient's first opening (who, when) as a receipt in the log; the originator's own reads and
    later openings record nothing. Called by every surface that shows the item's content."""
    if not rules.is_recipient(member, item):
        return None
    key = _recipient_key(member, item)
    existing = Receipt.objects.filter(item=item, recipient_key=key).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        item = _visible(member, item)
        now = timezone.now()
        record = {"item": item.public_code, "recipient": key, "party": member.party.code, "opened_at": now.isoformat()}
        try:
            with transaction.atomic():
                receipt = Receipt.objects.create(
                    item=item,
                    party=member.party,
                    recipient_key=key,
                    opened_by=member,
                    opened_at=now,
                    opened_sequence=-1,
                )
        except IntegrityError:
            return Receipt.objects.get(item=item, recipient_key=key)  # opened at the same moment by a colleague
        receipt.opened_sequence = _log(member, item, enums.RECEIPT_OPENED, record)
        receipt.save(update_fields=["opened_sequence"])
    return receipt


def acknowledge_item(member: Membership, item: IntelItem) -> Receipt:
    """A recipient's explicit "received and understood", on top of the receipt its opening made."""
    if not rules.is_recipient(member, item):
        raise NotPermitted(gettext("Only a recipient acknowledges an item."))
    receipt = open_item(member, item)
    assert receipt is not None
    with transaction.atomic():
        item = _visible(member, item)
        now = timezone.now()
        updated = Receipt.objects.filter(pk=receipt.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=now, acknowledged_by=member
        )
        if not updated:
            raise Conflict(gettext("This item was acknowledged already."))
        _log(
            member,
            item,
            enums.RECEIPT_ACKNOWLEDGED,
            {"item": item.public_code, "recipient": receipt.recipient_key, "acknowledged_at": now.isoformat()},
        )
        receipt.refresh_from_db()
    return receipt


def _request_of(member: Membership, item: IntelItem) -> RequestForAction:
    item = _visible(member, item)
    request = RequestForAction.objects.select_for_update().filter(item=item).first()
    if request is None:
        raise NotVisible(gettext("This item carries no request for action."))
    return request


def record_action(
    member: Membership, item: IntelItem, *, text: str, taken_on: dt.date, files: Sequence[EvidenceUpload] = ()
) -> ActionTaken:
    """The addressee records what it did in answer to the request (text, date, evidence)."""
    errors = {}
    if not text.strip():
        errors["text"] = gettext("Say what action was taken.")
    if taken_on > timezone.now().date():
        errors["taken_on"] = gettext("The action's date cannot be in the future.")
    with transaction.atomic():
        request = _request_of(member, item)
        if not rules.can_record_action(member, request):
            raise NotPermitted(gettext("Only the party the request is addressed to records actions on it."))
        if request.state == RequestState.RATED:
            raise Conflict(
                gettext("The response was rated; no more actions are recorded."), extensions={"state": request.state}
            )
        if errors:
            raise ValidationFailed(next(iter(errors.values())), errors=errors)
        action = ActionTaken.objects.create(request=request, text=text.strip(), taken_on=taken_on, recorded_by=member)
        hashes = []
        for upload, stored in store_uploads(files):
            IntelFile.objects.create(
                item=request.item, action=action, stored_file=stored, filename=upload.filename, added_by=member
            )
            hashes.append(stored.sha256)
        RequestForAction.objects.filter(pk=request.pk).update(state=RequestState.ANSWERED)
        _log(
            member,
            request.item,
            enums.ACTION_RECORDED,
            {
                "item": request.item.public_code,
                "text": action.text,
                "taken_on": taken_on.isoformat(),
                "files": sorted(hashes),
            },
        )
        tell(
            request.item,
            EventKind.ACTION_RECORDED,
            actor=member,
            audience=Q(party_id=request.item.originator_id),
            params={"party": member.party.code},
        )
    return action


def rate_response(member: Membership, item: IntelItem, *, rating: str, note: str = "") -> RequestForAction:
    """The requesting party rates the response; a rating is final. `no_response` needs no action recorded."""
    if rating not in Rating.values:
        raise ValidationFailed(
            gettext("Choose a rating: satisfactory, partial, unsatisfactory or no response."), field="rating"
        )
    with transaction.atomic():
        request = _request_of(member, item)
        if not rules.can_rate(member, request):
            raise NotPermitted(gettext("Only the requesting party rates the response."))
        if request.state == RequestState.RATED:
            raise Conflict(gettext("The response was rated already."), extensions={"state": request.state})
        if request.state == RequestState.OPEN and rating != Rating.NO_RESPONSE and request.due_at > timezone.now():
            raise ValidationFailed(
                gettext("No action is recorded yet; rate it once there is one, or after the due date."), field="rating"
            )
        now = timezone.now()
        RequestForAction.objects.filter(pk=request.pk).update(
            state=RequestState.RATED, rating=rating, rating_note=note.strip(), rated_by=member, rated_at=now
        )
        _log(
            member,
            request.item,
            enums.RESPONSE_RATED,
            {"item": request.item.public_code, "rating": rating, "note": note.strip()},
        )
        tell(
            request.item,
            EventKind.RESPONSE_RATED,
            actor=member,
            audience=Q(party_id=request.addressee_id),
            params={"party": member.party.code, "rating": rating},
        )
        request.refresh_from_db()
    return request


def flag_overdue_requests(*, now: dt.datetime | None = None) -> int:
    """The worker's sweep: requests past their due date with no action recorded are flagged once, logged, and
    both sides told. Returns how many were flagged."""
    now = now or timezone.now()
    flagged = 0
    due = RequestForAction.objects.filter(
        state=RequestState.OPEN, due_at__lt=now, overdue_flagged_at__isnull=True, item__state=ItemState.SHARED
    )
    for request_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            if not RequestForAction.objects.filter(
                pk=request_id, overdue_flagged_at__isnull=True, state=RequestState.OPEN
            ).update(overdue_flagged_at=now):
                continue
            request = RequestForAction.objects.select_related("item").get(pk=request_id)
            _log(
                None,
                request.item,
                enums.REQUEST_OVERDUE,
                {"item": request.item.public_code, "due_at": request.due_at.isoformat()},
            )
            audience = Q(party_id=request.item.originator_id) | (
                Q(party_id=request.addressee_id) & readers(request.item)
            )
            tell(
                request.item,
                EventKind.REQUEST_OVERDUE,
                actor=None,
                audience=audience,
                params={"due": request.due_at.isoformat()},
                now=now,
            )
            flagged += 1
    return flagged


def open_items(member: Membership | None, items: Iterable[IntelItem]) -> int:
    """An export hands over the items' content, so it is an opening of each: receipts for those not yet opened
    (found in one query, so a repeated export costs no query per item). Returns how many receipts were made."""
    if member is None:
        return 0
    items = list(items)
    keys = [f"party:{member.party.code}", f"user:{member.user_id}"]
    opened = set(
        Receipt.objects.filter(item__in=[i.pk for i in items], recipient_key__in=keys).values_list("item_id", flat=True)
    )
    made = 0
    for item in items:
        if item.pk not in opened and rules.is_recipient(member, item):
            made += open_item(member, item) is not None
    return made
