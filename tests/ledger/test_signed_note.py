"""C2SP signed notes: the known keys and notes from Go, C2SP and transparency-dev, and the rejections."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ceasefire.ledger import note

pytestmark = pytest.mark.unit

KAT = json.loads((Path(__file__).resolve().parent.parent / "vectors/tlog/signed-note-kat.json").read_text())
PETER = KAT["keys"][0]
VALID_NOTES = KAT["signed_notes_valid"]
TEXT = VALID_NOTES[0]["text"]
SIGNED = VALID_NOTES[0]["note"]
SIGNATURE_LINE = SIGNED[len(TEXT) + 1 :]


@pytest.mark.parametrize("key", KAT["keys"], ids=lambda key: key["name"])
def test_verifier_key_parses_and_re_encodes(key: dict[str, Any]) -> None:
    verifier = note.parse_verifier_key(key["vkey"])
    assert verifier.name == key["name"]
    assert verifier.vkey == key["vkey"]
    assert f"{verifier.key_id:08x}" == key["vkey"].split("+")[1]


@pytest.mark.parametrize("key", [k for k in KAT["keys"] if k["skey"]], ids=lambda key: key["name"])
def test_private_key_parses_and_derives_its_verifier_key(key: dict[str, Any]) -> None:
    signer = note.parse_private_key(key["skey"])
    assert signer.skey == key["skey"]
    assert signer.verifier().vkey == key["vkey"]


@pytest.mark.parametrize("case", KAT["vkeys_invalid"], ids=lambda case: case["why"])
def test_invalid_verifier_key_is_rejected(case: dict[str, str]) -> None:
    with pytest.raises(note.InvalidKey):
        note.parse_verifier_key(case["vkey"])


@pytest.mark.parametrize(
    "skey",
    [
        PETER["skey"].replace("c74f20a3", "c74f20a4"),
        PETER["skey"].replace("PRIVATE+KEY", "PRIVATE+KEE"),
        "PRIVATE+KEY+PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq",
    ],
)
def test_invalid_private_key_is_rejected(skey: str) -> None:
    with pytest.raises(note.InvalidKey):
        note.parse_private_key(skey)


@pytest.mark.parametrize("case", VALID_NOTES, ids=lambda case: case["desc"][:40])
def test_valid_note_opens_with_every_listed_key(case: dict[str, Any]) -> None:
    verifiers = [note.parse_verifier_key(vkey) for vkey in case["verifies_with"]]
    opened = note.open_note(case["note"], verifiers)
    assert len(opened.verified) == len(verifiers)
    assert case["note"].startswith(opened.text)
    for verifier in verifiers:  # each key alone is enough; the others are then unknown and ignored
        assert note.open_note(case["note"].encode(), [verifier]).verified[0].name == verifier.name


def test_signing_reproduces_go_signature_byte_for_byte() -> None:
    assert note.sign_note(TEXT, note.parse_private_key(PETER["skey"])) == SIGNED


def test_note_with_two_signatures_opens_with_only_one_known_key() -> None:
    two = VALID_NOTES[1]["note"]
    opened = note.open_note(two, [note.parse_verifier_key(PETER["vkey"])])
    assert [s.name for s in opened.signatures] == ["PeterNeumann", "EnochRoot"]
    assert [s.name for s in opened.verified] == ["PeterNeumann"]


MALFORMED = {
    "text only, no blank line/signatures": TEXT,
    "text + blank line, no signatures": TEXT + "\n",
    "signature line missing final newline": SIGNED[:-1],
    "leading 0x01 control byte": "\x01" + SIGNED,
    "leading 0xff (invalid UTF-8)": b"\xff" + SIGNED.encode(),
    "signature key name containing a space ('Bad Name')": SIGNED.replace("PeterNeumann", "Bad Name"),
    "trailing non-signature line after signatures": SIGNED + "not a signature\n",
}


def test_malformed_cases_cover_the_vector_list() -> None:
    assert set(MALFORMED) == set(KAT["notes_malformed_per_go"]["cases"])


@pytest.mark.parametrize(("why", "signed"), MALFORMED.items(), ids=list(MALFORMED))
def test_malformed_note_is_rejected(why: str, signed: str | bytes) -> None:
    with pytest.raises(note.MalformedNote):
        note.open_note(signed, [note.parse_verifier_key(PETER["vkey"])])


def test_note_with_too_many_signatures_is_rejected_but_sixteen_are_accepted() -> None:
    signer = note.parse_private_key(PETER["skey"])
    verifier = signer.verifier()
    assert len(note.open_note(TEXT + "\n" + SIGNATURE_LINE * 16, [verifier]).verified) == 16
    with pytest.raises(note.MalformedNote, match="more than 100"):
        note.open_note(TEXT + "\n" + SIGNATURE_LINE * 101, [verifier])


def test_note_without_a_known_signature_is_unverified() -> None:
    with pytest.raises(note.UnverifiedNote, match="no signature"):
        note.open_note(SIGNED, [note.parse_verifier_key(KAT["keys"][1]["vkey"])])


def test_key_matching_only_by_name_or_only_by_id_is_ignored() -> None:
    other = note.Ed25519Signer.generate("PeterNeumann")  # same name, different key ID
    with pytest.raises(note.UnverifiedNote, match="no signature"):
        note.open_note(SIGNED, [other.verifier()])


def test_failed_signature_by_a_known_key_rejects_the_note() -> None:
    forged = SIGNED.replace("is the answer", "is an answer")
    with pytest.raises(note.UnverifiedNote, match=r"by PeterNeumann .* does not verify"):
        note.open_note(forged, [note.parse_verifier_key(PETER["vkey"])])


def test_generated_key_signs_and_opens_notes_with_blank_lines_in_text() -> None:
    signer = note.Ed25519Signer.generate("ceasefire.example/log")
    text = "first\n\nthird line after a blank one\n"
    signed = note.sign_note(text, signer)
    opened = note.open_note(signed, [note.parse_verifier_key(signer.verifier().vkey)])
    assert opened.text == text
    assert note.parse_private_key(signer.skey).verifier() == signer.verifier()


@pytest.mark.parametrize(
    ("text", "message"),
    [("no final newline", "must end in a newline"), ("tab\tin text\n", "control character")],
)
def test_signing_refuses_text_that_cannot_be_a_note(text: str, message: str) -> None:
    with pytest.raises(note.MalformedNote, match=message):
        note.sign_note(text, note.parse_private_key(PETER["skey"]))


@pytest.mark.parametrize("name", ["", "has space", "plus+sign", "tab\tname"])
def test_key_name_rules_are_enforced(name: str) -> None:
    with pytest.raises(note.InvalidKey, match="key name"):
        note.Ed25519Signer.generate(name)
