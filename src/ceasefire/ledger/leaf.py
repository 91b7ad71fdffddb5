"""What a log entry is as a Merkle leaf, and the commitment that binds it to its record.

Leaf = RFC 8785 canonical JSON of
  {sequence, time, kind, subject, party, commitment}   for an open entry,
  {sequence, time, commitment}                         for a sealed one (its record is restricted),
where commitment = hex SHA-256(salt || canonical JSON of {kind, subject, party, record}) — the full record
version *and* what the change was, so a sealed entry's kind, subject and party are as tamper-evident as an open
one's — and time is UTC with microseconds (`2025-11-24T20:00:00.000000Z`). The 16-byte random salt keeps a
commitment from being confirmed by guessing a record. The leaf is always derived from the entry's columns, never stored
separately, so a row changed behind the application's back no longer hashes to its place in the tiles.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from .canonical import canonicalize
from .models import LogEntry

LEAF_FIELDS = ("sequence", "created_at", "kind", "subject_code", "party_code", "sealed", "commitment")


def leaf_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def committed_bytes(kind: str, subject: str, party: str | None, record: dict[str, Any] | bytes) -> bytes:
    """Canonical JSON of {kind, party, record, subject}; `record` may be given already canonicalised."""
    canonical_record = record if isinstance(record, bytes) else canonicalize(record)
    # Composed by hand in RFC 8785 member order (kind < party < record < subject): this runs inside every
    # domain transaction, and re-canonicalising a large record would double the hook's cost.
    return b"".join(
        [
            b'{"kind":',
            canonicalize(kind),
            b',"party":',
            canonicalize(party or None),
            b',"record":',
            canonical_record,
            b',"subject":',
            canonicalize(subject),
            b"}",
        ]
    )


def commitment_of(salt_hex: str, committed: bytes) -> str:
    return hashlib.sha256(bytes.fromhex(salt_hex) + committed).hexdigest()


def entry_commitment(entry: LogEntry) -> str:
    """What the entry's commitment must be, recomputed from its stored columns."""
    committed = committed_bytes(entry.kind, entry.subject_code, entry.party_code, entry.record)
    return commitment_of(entry.salt, committed)


def leaf_object(entry: LogEntry) -> dict[str, Any]:
    leaf: dict[str, Any] = {"sequence": entry.sequence, "time": leaf_time(entry.created_at)}
    if not entry.sealed:
        leaf |= {"kind": entry.kind, "subject": entry.subject_code, "party": entry.party_code or None}
    leaf["commitment"] = entry.commitment
    return leaf


def leaf_bytes(entry: LogEntry) -> bytes:
    return canonicalize(leaf_object(entry))
