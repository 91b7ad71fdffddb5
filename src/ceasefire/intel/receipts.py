"""A recipient's receipt download: the tlog-proof of its opening's log entry under a cosigned checkpoint, which
anyone verifies offline (`ceasefire log verify-receipt`): "you were told on this date"."""

from __future__ import annotations

from django.utils.translation import gettext

from ceasefire.core.errors import Conflict, NotVisible
from ceasefire.core.models import Membership
from ceasefire.ledger.models import LogEntry
from ceasefire.ledger.receipts import build_receipt, covering_checkpoint

from .models import IntelItem, Receipt
from .queries import entry_visible_to, receipts_of


def receipt_proof(member: Membership, item: IntelItem, receipt: Receipt | None = None) -> str:
    """The proof of one receipt the member may hold (its own, or any for the originator's side)."""
    receipts = receipts_of(member, item)
    receipt = receipts.filter(pk=receipt.pk).first() if receipt is not None else receipts.first()
    if receipt is None:
        raise NotVisible(gettext("No receipt of this item is yours to download."))
    entry = LogEntry.objects.filter(sequence=receipt.opened_sequence, subject_code=item.public_code).first()
    if entry is None or not entry_visible_to(member, item, entry):
        raise NotVisible(gettext("No receipt of this item is yours to download."))
    checkpoint = covering_checkpoint(entry)
    if checkpoint is None:
        raise Conflict(gettext("The opening is not yet under a signed checkpoint; try again in a minute."))
    return build_receipt(entry, checkpoint)
