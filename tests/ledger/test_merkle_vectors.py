"""The Merkle tree against known answers: the RFC 6962 8-leaf tree and every transparency-dev/merkle case of
inclusion and consistency verification (happy paths verify, every corrupted variant is rejected)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from ceasefire.ledger import merkle
from ceasefire.ledger.tiles import TileStore

pytestmark = pytest.mark.unit

VECTORS = Path(__file__).resolve().parent.parent / "vectors" / "tlog"
TESTDATA = VECTORS / "transparency-dev-merkle" / "testdata"
KAT = json.loads((VECTORS / "rfc6962-merkle-kat.json").read_text())


def _cases(kind: str) -> list[Any]:
    files = sorted((TESTDATA / kind).rglob("*.json"))
    return [pytest.param(path, id=str(path.relative_to(TESTDATA / kind))) for path in files]


INCLUSION_CASES = _cases("inclusion")
CONSISTENCY_CASES = _cases("consistency")


def _b64(value: str | None) -> bytes:
    return base64.b64decode(value or "")


def _proof(values: list[str] | None) -> list[bytes]:
    return [_b64(value) for value in values or []]


def _kat_store(size: int = 8) -> TileStore:
    store = TileStore()
    for entry in KAT["leaf_inputs_hex"][:size]:
        store.append_entry(bytes.fromhex(entry))
    return store


def test_vector_counts_cover_every_file() -> None:
    assert len(INCLUSION_CASES) == 98
    assert len(CONSISTENCY_CASES) == 98


def test_hasher_known_answers() -> None:
    answers = KAT["hasher_kat"]
    assert merkle.EMPTY_ROOT.hex() == answers["empty_tree_root"]
    assert merkle.leaf_hash(b"").hex() == answers["leaf_hash_empty_input"]
    assert merkle.leaf_hash(b"L123456").hex() == answers["leaf_hash_of_ascii_L123456"]
    assert merkle.node_hash(b"N123", b"N456").hex() == answers["node_hash_of_ascii_N123_N456"]


def test_every_node_hash_of_the_8_leaf_tree_is_read_back() -> None:
    store = _kat_store()
    for level, hashes in enumerate(KAT["node_hashes_by_level"]):
        nodes = [(level, index) for index in range(len(hashes))]
        assert [h.hex() for h in store.read_hashes(nodes)] == hashes


@pytest.mark.parametrize("size", range(9))
def test_root_of_each_prefix_matches(size: int) -> None:
    assert _kat_store(size).root().hex() == KAT["root_hash_by_tree_size"][str(size)]


@pytest.mark.parametrize("case", KAT["inclusion_proofs_zero_based"])
def test_inclusion_proof_matches_known_path(case: dict[str, Any]) -> None:
    store = _kat_store()
    proof = merkle.inclusion_proof(store, case["leaf_index"], case["tree_size"])
    assert [h.hex() for h in proof] == case["path"]
    leaf = store.read_hashes([(0, case["leaf_index"])])[0]
    merkle.verify_inclusion(leaf, case["leaf_index"], case["tree_size"], proof, store.root(case["tree_size"]))


@pytest.mark.parametrize("case", KAT["consistency_proofs"])
def test_consistency_proof_matches_known_path(case: dict[str, Any]) -> None:
    store = _kat_store()
    proof = merkle.consistency_proof(store, case["first"], case["second"])
    assert [h.hex() for h in proof] == case["path"]
    merkle.verify_consistency(
        case["first"], case["second"], proof, store.root(case["first"]), store.root(case["second"])
    )


@pytest.mark.parametrize("path", INCLUSION_CASES)
def test_inclusion_vector(path: Path) -> None:
    case = json.loads(path.read_text())
    arguments = (_b64(case["leafHash"]), case["leafIdx"], case["treeSize"], _proof(case["proof"]))
    if case["wantErr"]:
        with pytest.raises(merkle.ProofError):
            merkle.verify_inclusion(*arguments, _b64(case["root"]))
    else:
        merkle.verify_inclusion(*arguments, _b64(case["root"]))


@pytest.mark.parametrize("path", CONSISTENCY_CASES)
def test_consistency_vector(path: Path) -> None:
    case = json.loads(path.read_text())
    arguments = (
        case["size1"],
        case["size2"],
        _proof(case["proof"]),
        _b64(case["root1"]),
        _b64(case["root2"]),
    )
    if case["wantErr"]:
        with pytest.raises(merkle.ProofError):
            merkle.verify_consistency(*arguments)
    else:
        merkle.verify_consistency(*arguments)


def test_consistency_from_empty_tree_is_refused_by_the_proof_check_but_accepted_by_a_witness() -> None:
    root8 = bytes.fromhex(KAT["root_hash_by_tree_size"]["8"])
    with pytest.raises(merkle.EmptyTreeProof):
        merkle.verify_consistency(0, 8, [], merkle.EMPTY_ROOT, root8)
    merkle.verify_append_only(0, 8, [], merkle.EMPTY_ROOT, root8)
    merkle.verify_append_only(0, 8, [], None, root8)
    merkle.verify_append_only(0, 0, [], merkle.EMPTY_ROOT, merkle.EMPTY_ROOT)


@pytest.mark.parametrize(
    ("size1", "proof", "root1", "error"),
    [
        (0, [merkle.EMPTY_ROOT], merkle.EMPTY_ROOT, merkle.ProofShapeError),
        (0, [], b"\x00" * 32, merkle.ConsistencyMismatch),
        (3, [], None, merkle.ProofShapeError),
    ],
)
def test_append_only_check_rejects_bad_starts(
    size1: int, proof: list[bytes], root1: bytes | None, error: type[Exception]
) -> None:
    root8 = bytes.fromhex(KAT["root_hash_by_tree_size"]["8"])
    with pytest.raises(error):
        merkle.verify_append_only(size1, 8, proof, root1, root8)


def test_append_only_check_runs_the_full_proof_after_size_zero() -> None:
    store = _kat_store()
    proof = merkle.consistency_proof(store, 3, 8)
    merkle.verify_append_only(3, 8, proof, store.root(3), store.root(8))
    with pytest.raises(merkle.ConsistencyMismatch):
        merkle.verify_append_only(3, 8, proof, store.root(4), store.root(8))
