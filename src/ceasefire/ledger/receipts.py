"""Receipts: one log entry's offline proof, in the C2SP tlog-proof v1 text form, and its verification.

    c2sp.org/tlog-proof@v1
    extra <base64 of canonical JSON {"entry": {kind, subject, party}, "leaf": <leaf object>,
                                     "record": <record version>, "salt": <hex>}>
    index <leaf index>
    <inclusion proof, one base64 hash a line>

    <the checkpoint note, with every witness cosignature we hold>

Verifying needs nothing but the file and the verifier keys: the log key's signature on the checkpoint, the
cosignatures of the witness keys given, the leaf's commitment = SHA-256(salt || canonical {kind, subject,
party, record}), an open leaf's kind, subject and party equal the entry's, the leaf's
sequence = the index, and the RFC 9162 inclusion of the leaf hash under the checkpoint's root. The `extra` data
is unauthenticated by itself; every part of it is checked against the signed root.

Who may download which receipt (`entry_visible_to`): the complaint must be visible to the caller (visible_to);
entries written while it was still a draft are the complainant party's alone; custody entries (who viewed,
downloaded, exported evidence) are the complainant's and the mediators' business, as on the complaint page.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .canonical import CanonicalJSONError, canonicalize
from .checkpoint import SIG_COSIGNATURE, CheckpointError, parse_checkpoint, parse_cosigner_key, verified_cosignatures
from .checkpoints import cosigned_note
from .leaf import commitment_of, committed_bytes, leaf_object
from .merkle import ProofError, inclusion_proof, leaf_hash, verify_inclusion
from .models import LogCheckpoint, LogEntry
from .note import SIG_ED25519, NoteError, decode_verifier_key, open_note, parse_verifier_key
from .tree import DatabaseTiles

if TYPE_CHECKING:
    from ceasefire.core.models import Membership
    from ceasefire.incidents.models import Complaint

__all__ = ["ReceiptError", "ReceiptReport", "build_receipt", "entry_visible_to", "verify_receipt"]

HEADER = "c2sp.org/tlog-proof@v1"
CUSTODY_KINDS = ("evidence.viewed", "evidence.downloaded", "evidence.exported")
# The workflow's mediator-only material (verification/services.py): investigation notes, tasks, grades, findings,
# draft determinations and partial signatures. Their records never reach a party, before or after the decision.
MEDIATOR_ONLY_KINDS = ("investigation.", "determination.drafted", "determination.signed")


class ReceiptError(ValueError):
    """The receipt does not prove what it claims; the message says which check failed."""


def entry_visible_to(member: Membership, complaint: Complaint, entry: LogEntry) -> bool:
    """May `member`, who can see `complaint`, hold this entry's record (and so its receipt)?"""
    own = member.party_id == complaint.complainant_id
    if entry.kind.startswith(MEDIATOR_ONLY_KINDS):
        return member.is_mediator
    if complaint.submitted_at is None or entry.created_at < complaint.submitted_at:
        return own
    if entry.kind in CUSTODY_KINDS:
        return own or member.is_mediator
    return True


def covering_checkpoint(entry: LogEntry) -> LogCheckpoint | None:
    """The checkpoint a receipt uses: the latest witnessed one that covers the entry, else the latest one."""
    covering = LogCheckpoint.objects.filter(size__gt=entry.sequence)
    return covering.filter(witnessed_at__isnull=False).order_by("-size").first() or covering.order_by("-size").first()


def build_receipt(entry: LogEntry, checkpoint: LogCheckpoint) -> str:
    proof = inclusion_proof(DatabaseTiles(), entry.sequence, checkpoint.size)
    described = {"kind": entry.kind, "subject": entry.subject_code, "party": entry.party_code or None}
    extra = canonicalize({"entry": described, "leaf": leaf_object(entry), "record": entry.record, "salt": entry.salt})
    lines = [HEADER, f"extra {base64.b64encode(extra).decode()}", f"index {entry.sequence}"]
    lines += [base64.b64encode(item).decode() for item in proof]
    return "\n".join(lines) + "\n\n" + cosigned_note(checkpoint)


@dataclass
class ReceiptReport:
    index: int
    origin: str
    size: int
    entry: dict[str, Any]  # kind, subject, party: proven by the commitment even when the leaf is sealed
    leaf: dict[str, Any]
    record: dict[str, Any]
    cosigners: dict[str, int] = field(default_factory=dict)  # witness name -> cosignature time


def _parse(text: str) -> tuple[bytes, int, list[bytes], str]:
    head, separator, note = text.partition("\n\n")
    lines = head.split("\n")
    if not separator or lines[0] != HEADER:
        raise ReceiptError(f"not a tlog-proof: the first line must be {HEADER!r}, then the proof, a blank line")
    try:
        extra = base64.b64decode(lines[1].removeprefix("extra "), validate=True)
        if not lines[1].startswith("extra ") or not lines[2].startswith("index "):
            raise ValueError
        index = int(lines[2].removeprefix("index "))
        proof = [base64.b64decode(line, validate=True) for line in lines[3:]]
    except (IndexError, ValueError, binascii.Error):
        raise ReceiptError("the receipt's extra, index or proof lines are malformed") from None
    return extra, index, proof, note


def verify_receipt(text: str, vkeys: list[str]) -> ReceiptReport:
    """Check a receipt with nothing but the given verifier keys (log keys 0x01, witness keys 0x04); every
    witness key given must have cosigned. Raises ReceiptError naming the failed check."""
    extra, index, proof, note = _parse(text)
    try:
        kinds = [(decode_verifier_key(vkey)[2], vkey) for vkey in vkeys]
        logs = [parse_verifier_key(vkey) for kind, vkey in kinds if kind == SIG_ED25519]
        witnesses = [parse_cosigner_key(vkey) for kind, vkey in kinds if kind == SIG_COSIGNATURE]
    except NoteError as error:
        raise ReceiptError(f"bad verifier key: {error}") from None
    if not logs:
        raise ReceiptError("no log verifier key (signature type 0x01) was given")
    try:
        checkpoint = parse_checkpoint(open_note(note, logs).text)
        cosigners = verified_cosignatures(note, witnesses)
    except (NoteError, CheckpointError) as error:
        raise ReceiptError(f"checkpoint signature: {error}") from None
    missing = sorted({w.name for w in witnesses} - set(cosigners))
    if missing:
        raise ReceiptError(f"the checkpoint is not cosigned by: {', '.join(missing)}")
    try:
        data = json.loads(extra)
        described, leaf, record, salt = data["entry"], data["leaf"], data["record"], data["salt"]
        kind, subject, party = described["kind"], described["subject"], described["party"]
        leaf_data = canonicalize(leaf)
        record_commitment = commitment_of(salt, committed_bytes(kind, subject, party, record))
    except (ValueError, KeyError, TypeError, CanonicalJSONError):
        raise ReceiptError("the receipt's extra data is not an entry, leaf, record and salt") from None
    if leaf.get("sequence") != index:
        raise ReceiptError(f"the leaf's sequence {leaf.get('sequence')} is not the index {index}")
    if leaf.get("commitment") != record_commitment:
        raise ReceiptError(f"index {index}: the record and salt do not match the leaf's commitment")
    if "kind" in leaf and (leaf["kind"], leaf["subject"], leaf["party"]) != (kind, subject, party):
        raise ReceiptError(f"index {index}: the entry's kind, subject or party differ from the open leaf's")
    try:
        verify_inclusion(leaf_hash(leaf_data), index, checkpoint.size, proof, checkpoint.root_hash)
    except ProofError as error:
        raise ReceiptError(f"index {index}: inclusion proof: {error}") from None
    return ReceiptReport(index, checkpoint.origin, checkpoint.size, described, leaf, record, cosigners)
