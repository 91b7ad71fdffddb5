"""C2SP signed-note v1.0.0: Ed25519 keys in their text forms, signing a note and opening a signed one.

A signed note is its text (ending in a newline), a blank line, and one or more lines
`— <key name> <base64(key ID || signature)>`. Keys travel as strings:

- verifier key: `<name>+<8 hex key ID>+<base64(signature type || public key)>`;
- private key (the Go sumdb/note convention, kept for interoperability with its tools):
  `PRIVATE+KEY+<name>+<8 hex key ID>+<base64(0x01 || 32-byte Ed25519 seed)>`;
- key ID = the first 4 bytes of SHA-256(name || 0x0A || signature type || public key).

Opening a note follows the specification's rules: signatures from keys we do not know (name and key ID both
matching) are ignored; a known key whose signature fails rejects the whole note; at least one known signature
must verify. The signature type 0x04 (witness cosignatures) is implemented in checkpoint.py through the same
`Signer`/`Verifier` protocols.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

__all__ = [
    "SIG_ED25519",
    "Ed25519Signer",
    "Ed25519Verifier",
    "InvalidKey",
    "MalformedNote",
    "Note",
    "NoteError",
    "NoteSignature",
    "Signer",
    "UnverifiedNote",
    "Verifier",
    "decode_verifier_key",
    "encode_verifier_key",
    "key_id",
    "open_note",
    "parse_private_key",
    "parse_verifier_key",
    "sign_note",
]

SIG_ED25519 = 0x01
EM_DASH_PREFIX = "\u2014 "
MAX_SIGNATURES = 100  # the specification asks verifiers to accept at least 16
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")


class NoteError(ValueError):
    """A note, key or signature that cannot be used; the message says what is wrong."""


class MalformedNote(NoteError):
    pass


class UnverifiedNote(NoteError):
    """No signature from a known key verified, or a known key's signature failed."""


class InvalidKey(NoteError):
    """A key string or key material that is not a valid signed-note key."""


def key_id(name: str, signature_type: int, public_key: bytes) -> int:
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([signature_type]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


def check_key_name(name: str) -> None:
    if not name or any(char.isspace() or char == "+" for char in name) or _CONTROL.search(name):
        raise InvalidKey(f"key name {name!r} must be non-empty, without spaces or '+'")


class Verifier(Protocol):
    """A known key: name and key ID select the signature lines it checks."""

    @property
    def name(self) -> str: ...
    @property
    def key_id(self) -> int: ...
    def verify(self, text: bytes, signature: bytes) -> bool: ...


class Signer(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def key_id(self) -> int: ...
    def sign(self, text: bytes) -> bytes: ...


@dataclass(frozen=True)
class Ed25519PublicKeyOf:
    """A named Ed25519 public key of one signature type; its key ID and verifier key string follow from both."""

    signature_type: ClassVar[int]
    name: str
    public_key: bytes
    key_id: int = field(init=False)

    def __post_init__(self) -> None:
        check_key_name(self.name)
        if len(self.public_key) != 32:
            raise InvalidKey(f"an Ed25519 public key has 32 bytes, not {len(self.public_key)}")
        object.__setattr__(self, "key_id", key_id(self.name, self.signature_type, self.public_key))

    @property
    def vkey(self) -> str:
        return encode_verifier_key(self.name, self.signature_type, self.public_key)

    def signed(self, message: bytes, signature: bytes) -> bool:
        """Whether `signature` is this key's Ed25519 signature over `message`."""
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Ed25519Verifier(Ed25519PublicKeyOf):
    """A signed-note Ed25519 verifier (signature type 0x01): the signature is over the note text itself."""

    signature_type: ClassVar[int] = SIG_ED25519

    def verify(self, text: bytes, signature: bytes) -> bool:
        return len(signature) == 64 and self.signed(text, signature)


@dataclass(frozen=True)
class Ed25519Signer:
    name: str
    seed: bytes = field(repr=False)
    key_id: int = field(init=False)

    def __post_init__(self) -> None:
        check_key_name(self.name)
        if len(self.seed) != 32:
            raise InvalidKey(f"an Ed25519 seed has 32 bytes, not {len(self.seed)}")
        object.__setattr__(self, "key_id", key_id(self.name, SIG_ED25519, self.public_key))

    @classmethod
    def generate(cls, name: str) -> Ed25519Signer:
        seed = Ed25519PrivateKey.generate().private_bytes_raw()
        return cls(name, seed)

    @property
    def public_key(self) -> bytes:
        key = Ed25519PrivateKey.from_private_bytes(self.seed).public_key()
        return key.public_bytes(Encoding.Raw, PublicFormat.Raw)

    def sign(self, text: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.seed).sign(text)

    def verifier(self) -> Ed25519Verifier:
        return Ed25519Verifier(self.name, self.public_key)

    @property
    def skey(self) -> str:
        body = base64.b64encode(bytes([SIG_ED25519]) + self.seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.key_id:08x}+{body}"


def _b64decode(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidKey(f"{what} is not valid base64") from None


def encode_verifier_key(name: str, signature_type: int, public_key: bytes) -> str:
    check_key_name(name)
    body = base64.b64encode(bytes([signature_type]) + public_key).decode()
    return f"{name}+{key_id(name, signature_type, public_key):08x}+{body}"


def decode_verifier_key(vkey: str) -> tuple[str, int, int, bytes]:
    """Split a verifier key into (name, key ID, signature type, public key), checking the key ID."""
    parts = vkey.split("+", 2)  # base64 may itself contain "+"
    if len(parts) != 3:
        raise InvalidKey(f"verifier key {vkey!r} must be <name>+<key id>+<key>")
    name, id_text, body = parts
    check_key_name(name)
    if not re.fullmatch(r"[0-9a-f]{8}", id_text):
        raise InvalidKey(f"verifier key {name!r}: key ID {id_text!r} is not 8 lower-case hex digits")
    raw = _b64decode(body, f"verifier key {name!r}")
    if len(raw) < 2:
        raise InvalidKey(f"verifier key {name!r} has no key material")
    signature_type, public_key = raw[0], raw[1:]
    if key_id(name, signature_type, public_key) != int(id_text, 16):
        raise InvalidKey(f"verifier key {name!r}: key ID {id_text} does not match the key")
    return name, int(id_text, 16), signature_type, public_key


def parse_verifier_key(vkey: str) -> Ed25519Verifier:
    """An Ed25519 note verifier from its vkey string (signature type 0x01 only)."""
    name, _, signature_type, public_key = decode_verifier_key(vkey)
    if signature_type != SIG_ED25519:
        raise InvalidKey(f"verifier key {name!r} has signature type {signature_type:#04x}, expected 0x01")
    return Ed25519Verifier(name, public_key)


def parse_private_key(skey: str) -> Ed25519Signer:
    parts = skey.split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
        raise InvalidKey("a private key must be PRIVATE+KEY+<name>+<key id>+<key>")
    _, _, name, id_text, body = parts
    raw = _b64decode(body, f"private key {name!r}")
    if len(raw) != 33 or raw[0] != SIG_ED25519:
        raise InvalidKey(f"private key {name!r} is not an Ed25519 seed (type 0x01, 32 bytes)")
    signer = Ed25519Signer(name, raw[1:])
    if id_text != f"{signer.key_id:08x}":
        raise InvalidKey(f"private key {name!r}: key ID {id_text!r} does not match the key")
    return signer


def _check_text(text: str, what: str) -> None:
    if _CONTROL.search(text):
        raise MalformedNote(f"{what} contains a control character other than newline")


def signature_line(signer: Signer, text: str) -> str:
    """One `— name base64(key ID || signature)` line (with its newline) over the note text."""
    signature = signer.key_id.to_bytes(4, "big") + signer.sign(text.encode())
    return f"{EM_DASH_PREFIX}{signer.name} {base64.b64encode(signature).decode()}\n"


def sign_note(text: str, *signers: Signer) -> str:
    """Sign `text` (which must end in a newline) with each signer; returns the signed note."""
    if not text.endswith("\n"):
        raise MalformedNote("note text must end in a newline")
    if not signers:
        raise MalformedNote("a signed note needs at least one signature")
    _check_text(text, "note text")
    return text + "\n" + "".join(signature_line(signer, text) for signer in signers)


@dataclass(frozen=True)
class NoteSignature:
    name: str
    key_id: int
    signature: bytes  # without the 4-byte key ID


@dataclass(frozen=True)
class Note:
    text: str
    signatures: tuple[NoteSignature, ...]  # every signature line, known or not
    verified: tuple[NoteSignature, ...]  # those a known key verified


def parse_note(note: str | bytes) -> tuple[str, tuple[NoteSignature, ...]]:
    """Split a signed note into its text and signature lines, without verifying anything."""
    if isinstance(note, bytes):
        try:
            note = note.decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedNote("note is not valid UTF-8") from None
    _check_text(note, "note")
    split = note.rfind("\n\n")
    if split < 0:
        raise MalformedNote("note has no blank line before its signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block.endswith("\n"):
        raise MalformedNote("note's last signature line does not end in a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise MalformedNote(f"note has more than {MAX_SIGNATURES} signatures")
    return text, tuple(_parse_signature_line(line) for line in lines)


def _parse_signature_line(line: str) -> NoteSignature:
    if not line.startswith(EM_DASH_PREFIX):
        raise MalformedNote(f"line {line[:40]!r} after the blank line is not a signature line")
    fields = line[len(EM_DASH_PREFIX) :].split(" ")
    if len(fields) != 2:
        raise MalformedNote(f"signature line {line[:40]!r} must be '— <name> <signature>'")
    name, body = fields
    try:
        check_key_name(name)
        raw = _b64decode(body, f"signature of {name!r}")
    except InvalidKey as error:
        raise MalformedNote(str(error)) from None
    if len(raw) < 5:
        raise MalformedNote(f"signature of {name!r} is too short")
    return NoteSignature(name, int.from_bytes(raw[:4], "big"), raw[4:])


def open_note(note: str | bytes, verifiers: Sequence[Verifier]) -> Note:
    """Parse and verify a signed note against the known keys; raises MalformedNote or UnverifiedNote."""
    text, signatures = parse_note(note)
    known = {(verifier.name, verifier.key_id): verifier for verifier in verifiers}
    verified: list[NoteSignature] = []
    encoded = text.encode()
    for signature in signatures:
        verifier = known.get((signature.name, signature.key_id))
        if verifier is None:
            continue  # unknown keys are ignored, even when name or ID alone matches a known key
        if not verifier.verify(encoded, signature.signature):
            raise UnverifiedNote(f"signature by {signature.name} ({signature.key_id:08x}) does not verify")
        verified.append(signature)
    if not verified:
        raise UnverifiedNote("no signature on the note is from a known key")
    return Note(text, signatures, tuple(verified))
