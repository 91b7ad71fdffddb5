"""C2SP tlog-checkpoint v1.0.0 bodies and tlog-cosignature v1.0.1 Ed25519 witness cosignatures.

A checkpoint body is the text of a signed note:

    <origin>
    <tree size, decimal, no leading zeros>
    <root hash, base64>
    [extension lines, each non-empty]

A witness cosignature (signature type 0x04) is a note signature whose bytes are
key ID (4) || timestamp (8, big-endian POSIX seconds) || Ed25519 signature (64), and whose signed message is
`cosignature/v1\\ntime <timestamp>\\n` followed by the whole checkpoint body. Its key ID is computed with type
0x04, so the same name and key can never be mistaken for a plain note signer. The witness states that, at that
time, this is the largest consistent tree it has seen for the origin; extension lines are signed but assert
nothing.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .merkle import HASH_SIZE
from .note import (
    Ed25519PublicKeyOf,
    InvalidKey,
    UnverifiedNote,
    check_key_name,
    decode_verifier_key,
    key_id,
    parse_note,
    signature_line,
)

__all__ = [
    "SIG_COSIGNATURE",
    "Checkpoint",
    "CheckpointError",
    "CosignatureSigner",
    "CosignatureVerifier",
    "cosignature_message",
    "parse_checkpoint",
    "parse_cosigner_key",
    "verified_cosignatures",
]

SIG_COSIGNATURE = 0x04
MAX_TIMESTAMP = 2**63 - 1
_SIZE = re.compile(r"0|[1-9][0-9]*")


class CheckpointError(ValueError):
    """A checkpoint body that does not follow tlog-checkpoint v1.0.0; the message names the line."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.origin or "\n" in self.origin:
            raise CheckpointError("origin must be one non-empty line")
        if not 0 <= self.size < 2**64:
            raise CheckpointError(f"tree size {self.size} is outside 0..2**64-1")
        if len(self.root_hash) != HASH_SIZE:
            raise CheckpointError(f"root hash has {len(self.root_hash)} bytes, not {HASH_SIZE}")
        for extension in self.extensions:
            if not extension or "\n" in extension:
                raise CheckpointError("extension lines must be single non-empty lines")

    @property
    def body(self) -> str:
        """The note text of this checkpoint, ending in a newline."""
        lines = [self.origin, str(self.size), base64.b64encode(self.root_hash).decode(), *self.extensions]
        return "\n".join(lines) + "\n"


def parse_checkpoint(body: str) -> Checkpoint:
    """Parse a checkpoint note text strictly (it is the `text` of an opened note)."""
    if not body.endswith("\n"):
        raise CheckpointError("checkpoint text must end in a newline")
    lines = body[:-1].split("\n")
    if len(lines) < 3:
        raise CheckpointError(f"checkpoint text has {len(lines)} lines; it needs origin, size and root hash")
    origin, size_text, root_text, *extensions = lines
    if not origin:
        raise CheckpointError("line 1 (origin) is empty")
    if not _SIZE.fullmatch(size_text):
        raise CheckpointError(f"line 2 (tree size) {size_text[:30]!r} is not a decimal without leading zeros")
    try:
        root = base64.b64decode(root_text, validate=True)
    except (binascii.Error, ValueError):
        raise CheckpointError("line 3 (root hash) is not valid base64") from None
    if len(root) != HASH_SIZE or base64.b64encode(root).decode() != root_text:
        raise CheckpointError(f"line 3 (root hash) must be the base64 of {HASH_SIZE} bytes")
    for number, extension in enumerate(extensions, start=4):
        if not extension:
            raise CheckpointError(f"line {number} (extension) is empty")
    return Checkpoint(origin, int(size_text), root, tuple(extensions))


def cosignature_message(body: str, timestamp: int) -> bytes:
    """What an Ed25519 cosigner signs: the v1 header, the time line, then the checkpoint body."""
    if not 0 <= timestamp <= MAX_TIMESTAMP:
        raise ValueError(f"timestamp {timestamp} is outside 0..2**63-1")
    return f"cosignature/v1\ntime {timestamp}\n{body}".encode()


@dataclass(frozen=True)
class CosignatureVerifier(Ed25519PublicKeyOf):
    """A witness's cosigning key; plugs into note.open_note like any note verifier."""

    signature_type: ClassVar[int] = SIG_COSIGNATURE

    def timestamp(self, text: bytes, signature: bytes) -> int | None:
        """The cosignature's time if it verifies over `text` (a checkpoint body), else None."""
        if len(signature) != 8 + 64:
            return None
        timestamp = int.from_bytes(signature[:8], "big")
        if timestamp > MAX_TIMESTAMP:
            return None
        return timestamp if self.signed(cosignature_message(text.decode(), timestamp), signature[8:]) else None

    def verify(self, text: bytes, signature: bytes) -> bool:
        return self.timestamp(text, signature) is not None


@dataclass(frozen=True)
class CosignatureSigner:
    """A witness's cosigning key. `timestamp` is fixed per signer object: make one per cosigning."""

    name: str
    seed: bytes = field(repr=False)
    timestamp: int = 0
    key_id: int = field(init=False)

    def __post_init__(self) -> None:
        check_key_name(self.name)
        if len(self.seed) != 32:
            raise InvalidKey(f"an Ed25519 seed has 32 bytes, not {len(self.seed)}")
        if not 0 <= self.timestamp <= MAX_TIMESTAMP:
            raise ValueError(f"timestamp {self.timestamp} is outside 0..2**63-1")
        object.__setattr__(self, "key_id", key_id(self.name, SIG_COSIGNATURE, self.public_key))

    @property
    def public_key(self) -> bytes:
        key = Ed25519PrivateKey.from_private_bytes(self.seed).public_key()
        return key.public_bytes(Encoding.Raw, PublicFormat.Raw)

    def verifier(self) -> CosignatureVerifier:
        return CosignatureVerifier(self.name, self.public_key)

    def sign(self, text: bytes) -> bytes:
        message = cosignature_message(text.decode(), self.timestamp)
        signature = Ed25519PrivateKey.from_private_bytes(self.seed).sign(message)
        return self.timestamp.to_bytes(8, "big") + signature

    def cosign(self, note: str) -> str:
        """Append this witness's cosignature line to a signed checkpoint note (whose body must parse)."""
        text, _ = parse_note(note)
        parse_checkpoint(text)
        return note + signature_line(self, text)


def parse_cosigner_key(vkey: str) -> CosignatureVerifier:
    """A witness verifier from its vkey string (signature type 0x04)."""
    name, _, signature_type, public_key = decode_verifier_key(vkey)
    if signature_type != SIG_COSIGNATURE:
        raise InvalidKey(f"cosigner key {name!r} has signature type {signature_type:#04x}, expected 0x04")
    return CosignatureVerifier(name, public_key)


def verified_cosignatures(note: str | bytes, cosigners: Sequence[CosignatureVerifier]) -> dict[str, int]:
    """Which known witnesses cosigned this checkpoint note, with their timestamps. A known witness's line that
    fails to verify raises MalformedNote: the note was tampered with or the witness misbehaved."""
    text, signatures = parse_note(note)
    known = {(cosigner.name, cosigner.key_id): cosigner for cosigner in cosigners}
    result: dict[str, int] = {}
    for signature in signatures:
        cosigner = known.get((signature.name, signature.key_id))
        if cosigner is None:
            continue
        timestamp = cosigner.timestamp(text.encode(), signature.signature)
        if timestamp is None:
            raise UnverifiedNote(f"cosignature by {signature.name} ({signature.key_id:08x}) does not verify")
        result[cosigner.name] = timestamp
    return result
