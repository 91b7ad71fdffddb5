"""The only writer of the transparency log. Every service of every app calls `record_change` inside its own
transaction: no change without an entry, no entry without a change."""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import TYPE_CHECKING, Any

from django.db import transaction

from ceasefire.core.requestid import current_request_id

from .models import LogEntry, LogHead

if TYPE_CHECKING:
    from ceasefire.core.models import Membership


def canonical_bytes(record: dict[str, Any]) -> bytes:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def record_change(
    member: Membership | None,
    *,
    kind: str,
    subject_code: str,
    record: dict[str, Any],
    sealed: bool,
) -> LogEntry:
    """Append the entry for one change. Must run inside the caller's transaction (atomic block)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("record_change must be called inside the change's transaction")
    head = LogHead.objects.select_for_update().get(pk=1)
    salt = secrets.token_hex(16)
    commitment = hashlib.sha256(bytes.fromhex(salt) + canonical_bytes(record)).hexdigest()
    entry = LogEntry.objects.create(
        sequence=head.size,
        kind=kind,
        subject_code=subject_code,
        party_code=member.party.code if member is not None else "",
        sealed=sealed,
        salt=salt,
        commitment=commitment,
        record=json.loads(canonical_bytes(record)),
        request_id=current_request_id(),
    )
    LogHead.objects.filter(pk=1).update(size=head.size + 1)
    return entry
