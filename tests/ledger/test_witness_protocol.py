"""The witness server (C2SP tlog-witness v1.0.0) answering add-checkpoint requests: every status code of the
specification, the cosignature, and its state stored before the answer."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from typing import Any

import pytest

from ceasefire.ledger import merkle
from ceasefire.ledger.checkpoint import Checkpoint, CosignatureSigner, verified_cosignatures
from ceasefire.ledger.note import Ed25519Signer, sign_note
from ceasefire.ledger.tiles import TileStore
from ceasefire.ledger.witness.server import WitnessApp
from ceasefire.ledger.witness.state import WitnessState
from ceasefire.ledger.witnessing import add_checkpoint_body

pytestmark = pytest.mark.unit

LOG = Ed25519Signer("example.org/log", bytes(range(32)))
SEED = bytes(range(1, 33))


def log_of(size: int, tag: bytes = b"") -> TileStore:
    store = TileStore()
    store.append_entries([tag + f"entry {n}".encode() for n in range(size)])
    return store


def note_of(store: TileStore, signer: Ed25519Signer = LOG, size: int | None = None) -> str:
    size = store.size if size is None else size
    return sign_note(Checkpoint(signer.name, size, store.root(size)).body, signer)


def post(app: WitnessApp, body: bytes, path: str = "/add-checkpoint") -> tuple[str, dict[str, str], str]:
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer["status"], answer["headers"] = status, dict(headers)

    environ = {
        "PATH_INFO": path,
        "REQUEST_METHOD": "POST",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    text = b"".join(app(environ, start_response)).decode()
    return answer["status"], answer["headers"], text


@pytest.fixture
def app(tmp_path: Path) -> WitnessApp:
    return WitnessApp("w.example", SEED, [LOG.verifier()], WitnessState(tmp_path / "state.json"))


def add(app: WitnessApp, store: TileStore, old: int, size: int | None = None) -> tuple[str, dict[str, str], str]:
    size = store.size if size is None else size
    proof = merkle.consistency_proof(store, old, size) if 0 < old < size else []
    return post(app, add_checkpoint_body(old, proof, note_of(store, size=size)))


def test_first_checkpoint_is_cosigned_from_size_zero(app: WitnessApp) -> None:
    store = log_of(5)
    status, _headers, text = add(app, store, 0)
    assert status.startswith("200")
    cosigner = CosignatureSigner("w.example", SEED).verifier()
    assert "w.example" in verified_cosignatures(note_of(store) + text, [cosigner])


def test_state_is_on_disk_before_the_answer(app: WitnessApp, tmp_path: Path) -> None:
    store = log_of(9)
    add(app, store, 0)
    saved = json.loads((tmp_path / "state.json").read_text())["logs"]["example.org/log"]
    assert saved == {"size": 9, "root": base64.b64encode(store.root()).decode()}
    assert WitnessState(tmp_path / "state.json").get("example.org/log").size == 9


def test_consistent_growth_is_cosigned_with_the_proof(app: WitnessApp) -> None:
    store = log_of(300)
    assert add(app, store, 0, 7)[0].startswith("200")
    assert add(app, store, 7, 300)[0].startswith("200")


def test_wrong_old_size_answers_409_with_the_witness_size(app: WitnessApp) -> None:
    store = log_of(20)
    add(app, store, 0, 10)
    status, headers, text = add(app, store, 3, 20)
    assert status.startswith("409")
    assert headers["Content-Type"] == "text/x.tlog.size"
    assert text == "10\n"


def test_fork_at_the_same_size_answers_409(app: WitnessApp) -> None:
    add(app, log_of(10), 0)
    status, _headers, text = add(app, log_of(10, tag=b"other "), 10)
    assert status.startswith("409") and text == "10\n"


def test_fork_with_a_bad_consistency_proof_answers_422(app: WitnessApp, tmp_path: Path) -> None:
    add(app, log_of(10), 0)
    status, _headers, _text = add(app, log_of(12, tag=b"other "), 10)
    assert status.startswith("422")
    assert WitnessState(tmp_path / "state.json").get("example.org/log").size == 10


def test_unknown_origin_answers_404(app: WitnessApp) -> None:
    other = Ed25519Signer("other.org/log", bytes(32))
    store = log_of(3)
    status, _headers, _text = post(app, add_checkpoint_body(0, [], note_of(store, signer=other)))
    assert status.startswith("404")


def test_signature_by_an_untrusted_key_answers_403(app: WitnessApp) -> None:
    impostor = Ed25519Signer("example.org/log", bytes(32))  # same origin, another key
    status, _headers, _text = post(app, add_checkpoint_body(0, [], note_of(log_of(3), signer=impostor)))
    assert status.startswith("403")


@pytest.mark.parametrize(
    "body",
    [b"", b"old 01\n\n", b"old 1\nnot-base64!\n\n", b"new 0\n\nx", b"old 0\n" + b"AAAA\n" * 64 + b"\n"],
)
def test_malformed_request_answers_400(app: WitnessApp, body: bytes) -> None:
    assert post(app, body)[0].startswith("400")


def test_old_size_above_checkpoint_size_answers_400(app: WitnessApp) -> None:
    store = log_of(4)
    assert post(app, add_checkpoint_body(9, [], note_of(store)))[0].startswith("400")


def test_other_paths_are_not_served(app: WitnessApp) -> None:
    assert post(app, b"", path="/")[0].startswith("404")
