"""What a log entry is as a Merkle leaf, and the commitment that binds it to its record.

Leaf = RFC 8785 canonical JSON of
  {sequence, time, kind, subject, party, commitment}   for an open entry,
  {sequence, time, commitment}                         for a sealed one (its record is restricted),
where commitment = hex SHA-256(salt || canonical JSON of the full record version) and time is UTC with
microseconds (`2025-11-24T20:00:00.000000Z`). The leaf is always derived from the entry's columns, never stored
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


def commitment_of(salt_hex: str, canonical_record: bytes) -> str:
    return hashlib.sha256(bytes.fromhex(salt_hex) + canonical_record).hexdigest()


def leaf_object(entry: LogEntry) -> dict[str, Any]:
    leaf: dict[str, Any] = {"sequence": entry.sequence, "time": leaf_time(entry.created_at)}
    if not entry.sealed:
        leaf |= {"kind": entry.kind, "subject": entry.subject_code, "party": entry.party_code or None}
    leaf["commitment"] = entry.commitment
    return leaf


def leaf_bytes(entry: LogEntry) -> bytes:
    return canonicalize(leaf_object(entry))
