"""The only writer of the transparency log. Every service of every app calls `record_change` inside its own
transaction: no change without an entry, no entry without a change.

This is the *sequencer* half of the log: it numbers the entry under the head-row lock (gapless, in commit
order, on SQLite and PostgreSQL alike) and stores it with its salted commitment. Hashing it into the Merkle
tiles and signing a checkpoint are the integrator's job (tree.py, checkpoints.py, run by `ceasefire worker`),
so a domain write pays one locked row update and one insert.

`ensure_log_key` (keys.py) is re-exported here for the commands that set a mechanism up (`init`, `demo`).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from django.db import transaction

from ceasefire.core.errors import NotPermitted, ValidationFailed
from ceasefire.core.models import Party
from ceasefire.core.requestid import current_request_id

from .canonical import canonicalize
from .checkpoint import parse_cosigner_key
from .keys import ensure_log_key
from .leaf import commitment_of, committed_bytes
from .models import LogEntry, LogHead, Witness
from .note import NoteError

if TYPE_CHECKING:
    from ceasefire.core.models import Membership

_HEAD = LogHead._meta.db_table

__all__ = ["canonical_bytes", "ensure_log_key", "record_change", "register_witness"]


def canonical_bytes(record: dict[str, Any]) -> bytes:
    """The bytes a record version commits to: RFC 8785 canonical JSON, the same in every language."""
    return canonicalize(record)


def _next_size(connection: Any) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_HEAD} SET size = size + 1 WHERE id = 1 RETURNING size")  # noqa: S608
        row = cursor.fetchone()
    return None if row is None else int(row[0])


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
    canonical = canonical_bytes(record)  # before the lock: a record that cannot be logged fails early
    salt = secrets.token_hex(16)
    party_code = member.party.code if member is not None else ""
    commitment = commitment_of(salt, committed_bytes(kind, subject_code, party_code, canonical))
    # One statement takes the head row's lock and the next number; the lock is held until the caller's
    # transaction ends, so entry N commits before N+1 is numbered (gapless, in commit order).
    size = _next_size(connection)
    if size is None:
        # The migration creates the head; only an emptied database (a flush) lacks it, and then so does the log.
        if LogEntry.objects.exists():
            raise RuntimeError("the log head row is missing but entries exist: run `ceasefire log verify`")
        LogHead.objects.get_or_create(pk=1, defaults={"size": 0})
        size = _next_size(connection)
    assert size is not None
    return LogEntry.objects.create(
        sequence=size - 1,
        kind=kind,
        subject_code=subject_code,
        party_code=party_code,
        sealed=sealed,
        salt=salt,
        commitment=commitment,
        record=record,
        request_id=current_request_id(),
    )


def register_witness(member: Membership | None, *, party: Party, url: str, vkey: str, name: str = "") -> Witness:
    """Register (or re-point) a party's witness: its tlog-witness URL prefix and cosigner verifier key (type
    0x04). The secretariat does this, or an operator on the command line (member None)."""
    from ceasefire.core import rules

    if member is not None and not rules.can_manage_mechanism(member):
        raise NotPermitted("Only the secretariat registers witnesses.")
    try:
        verifier = parse_cosigner_key(vkey.strip())
    except NoteError as error:
        raise ValidationFailed(f"Not a witness verifier key: {error}", field="vkey") from error
    if not url.startswith(("http://", "https://")):
        raise ValidationFailed("The witness URL must start with http:// or https://.", field="url")
    name = name.strip() or verifier.name
    if Witness.objects.filter(name=name).exclude(party=party).exists():
        raise ValidationFailed(f"Witness {name} belongs to another party.", field="name")
    with transaction.atomic():
        witness, _created = Witness.objects.update_or_create(
            name=name, defaults={"party": party, "url": url.rstrip("/"), "vkey": verifier.vkey, "is_active": True}
        )
        Party.objects.filter(pk=party.pk).update(witness_vkey=verifier.vkey)
        record_change(
            member,
            kind="witness.registered",
            subject_code=party.code,
            record={"party": party.code, "name": name, "url": witness.url, "vkey": verifier.vkey},
            sealed=False,
        )
    return witness
