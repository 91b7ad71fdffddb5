"""tlog-checkpoint bodies (real sum.golang.org checkpoints, strict parsing) and tlog-cosignature v1 witness
cosignatures (type 0x04, timestamped)."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ceasefire.ledger import checkpoint, note
from ceasefire.ledger.checkpoint import Checkpoint, CosignatureSigner

pytestmark = pytest.mark.unit

KAT = json.loads((Path(__file__).resolve().parent.parent / "vectors/tlog/signed-note-kat.json").read_text())
SUMDB = next(case for case in KAT["signed_notes_valid"] if "35225469" in case["note"])
ROOT = hashlib.sha256(b"root").digest()
SEED = bytes(range(32))


def test_real_checkpoint_opens_and_parses() -> None:
    opened = note.open_note(SUMDB["note"], [note.parse_verifier_key(SUMDB["verifies_with"][0])])
    parsed = checkpoint.parse_checkpoint(opened.text)
    assert parsed.origin == "go.sum database tree"
    assert parsed.size == 35225469
    assert parsed.root_hash == base64.b64decode("vt5T6GaLCXvyHFl9VUvvItR43XZxfLgftEcTyO3eJCQ=")
    assert parsed.body == opened.text


def test_checkpoint_with_extensions_round_trips() -> None:
    made = Checkpoint("ceasefire.example/log", 0, ROOT, ("ext one", "ext two"))
    assert checkpoint.parse_checkpoint(made.body) == made
    assert made.body.startswith("ceasefire.example/log\n0\n")


ROOT_TEXT = base64.b64encode(ROOT).decode()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (f"origin\n5\n{ROOT_TEXT}", "end in a newline"),
        ("origin\n5\n", "needs origin, size and root"),
        (f"\n5\n{ROOT_TEXT}\n", "line 1"),
        (f"origin\n05\n{ROOT_TEXT}\n", "line 2"),
        (f"origin\n-5\n{ROOT_TEXT}\n", "line 2"),
        (f"origin\n 5\n{ROOT_TEXT}\n", "line 2"),
        ("origin\n5\nnot base64!\n", "line 3"),
        (f"origin\n5\n{ROOT_TEXT[:-4]}\n", "line 3"),
        (f"origin\n5\n{base64.b64encode(ROOT[:31]).decode()}\n", "line 3"),
        (f"origin\n5\n{ROOT_TEXT}\n\n", "line 4"),
        (f"origin\n5\n{ROOT_TEXT}\next\n\n", "line 5"),
        (f"origin\n{2**64}\n{ROOT_TEXT}\n", "2\\*\\*64"),
    ],
)
def test_checkpoint_parse_is_strict(body: str, message: str) -> None:
    with pytest.raises(checkpoint.CheckpointError, match=message):
        checkpoint.parse_checkpoint(body)


def test_non_canonical_base64_root_is_rejected() -> None:
    # The 43rd character carries two unused bits; setting one spells the same 32 bytes differently.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    other = ROOT_TEXT[:42] + alphabet[alphabet.index(ROOT_TEXT[42]) | 1] + "="
    assert base64.b64decode(other) == ROOT
    with pytest.raises(checkpoint.CheckpointError, match="line 3"):
        checkpoint.parse_checkpoint(f"origin\n5\n{other}\n")


def test_cosignature_message_is_header_time_then_body() -> None:
    body = Checkpoint("example.com/behind-the-sofa", 20852163, ROOT).body
    assert checkpoint.cosignature_message(body, 1679315147) == (
        b"cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\n" + ROOT_TEXT.encode() + b"\n"
    )


def _signed_checkpoint() -> tuple[str, note.Ed25519Signer]:
    log = note.Ed25519Signer.generate("ceasefire.example/log")
    body = Checkpoint("ceasefire.example/log", 42, ROOT).body
    return note.sign_note(body, log), log


def test_cosignature_line_has_key_id_timestamp_and_signature() -> None:
    signed, _ = _signed_checkpoint()
    witness = CosignatureSigner("witness.example/af", SEED, timestamp=1_764_000_000)
    cosigned = witness.cosign(signed)
    line = cosigned[len(signed) :]
    name, encoded = line.removeprefix("\u2014 ").rstrip("\n").split(" ")
    raw = base64.b64decode(encoded)
    assert name == "witness.example/af"
    assert len(raw) == 4 + 8 + 64
    expected_id = hashlib.sha256(b"witness.example/af\n\x04" + witness.public_key).digest()[:4]
    assert raw[:4] == expected_id
    assert int.from_bytes(raw[4:12], "big") == 1_764_000_000
    text = signed[: signed.rindex("\n\n") + 1]
    message = checkpoint.cosignature_message(text, 1_764_000_000)
    Ed25519PublicKey.from_public_bytes(witness.public_key).verify(raw[12:], message)


def test_cosigned_checkpoint_opens_with_log_key_and_reports_each_witness() -> None:
    signed, log = _signed_checkpoint()
    first = CosignatureSigner("witness.example/af", SEED, timestamp=100)
    second = CosignatureSigner("witness.example/pk", bytes(32), timestamp=200)
    cosigned = second.cosign(first.cosign(signed))
    verifiers = [checkpoint.parse_cosigner_key(first.verifier().vkey), second.verifier()]
    assert checkpoint.verified_cosignatures(cosigned, verifiers) == {
        "witness.example/af": 100,
        "witness.example/pk": 200,
    }
    opened = note.open_note(cosigned, [log.verifier(), *verifiers])
    assert len(opened.verified) == 3
    assert len(note.open_note(cosigned, [log.verifier()]).verified) == 1


def test_tampered_cosignature_timestamp_is_rejected() -> None:
    signed, _ = _signed_checkpoint()
    witness = CosignatureSigner("witness.example/af", SEED, timestamp=100)
    cosigned = witness.cosign(signed)
    head, encoded = cosigned.rstrip("\n").rsplit(" ", 1)
    raw = bytearray(base64.b64decode(encoded))
    raw[11] ^= 1
    tampered = f"{head} {base64.b64encode(bytes(raw)).decode()}\n"
    with pytest.raises(note.UnverifiedNote, match=r"cosignature by witness\.example/af"):
        checkpoint.verified_cosignatures(tampered, [witness.verifier()])


def test_cosigning_key_is_not_a_note_signer_key() -> None:
    signed, _ = _signed_checkpoint()
    witness = CosignatureSigner("witness.example/af", SEED, timestamp=100)
    plain = note.Ed25519Verifier("witness.example/af", witness.public_key)
    assert plain.key_id != witness.key_id  # type 0x01 and 0x04 give different key IDs
    with pytest.raises(note.UnverifiedNote, match="no signature"):
        note.open_note(witness.cosign(signed), [plain])
    assert checkpoint.verified_cosignatures(signed, [witness.verifier()]) == {}


def test_cosigner_key_must_have_type_0x04() -> None:
    witness = CosignatureSigner("witness.example/af", SEED)
    with pytest.raises(note.InvalidKey, match="expected 0x04"):
        checkpoint.parse_cosigner_key(note.Ed25519Verifier("witness.example/af", witness.public_key).vkey)
    with pytest.raises(note.InvalidKey, match="expected 0x01"):
        note.parse_verifier_key(witness.verifier().vkey)


def test_cosigning_refuses_a_note_that_is_not_a_checkpoint() -> None:
    log = note.Ed25519Signer.generate("log")
    with pytest.raises(checkpoint.CheckpointError):
        CosignatureSigner("w", SEED).cosign(note.sign_note("just text\n", log))
    with pytest.raises(ValueError, match="timestamp"):
        CosignatureSigner("w", SEED, timestamp=2**63)
