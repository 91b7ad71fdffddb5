"""Properties of the Merkle tree: generated proofs verify for any size and index, any flipped bit is caught,
and the proofs read through any HashReader agree with a from-scratch RFC 6962 computation."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.ledger import merkle
from ceasefire.ledger.tiles import TileStore

pytestmark = pytest.mark.unit

MAX_SIZE = 1100  # beyond 4 * 256, so level-1 tiles and partial tiles at two levels take part


def _entries(size: int) -> list[bytes]:
    return [f"entry {index}".encode() for index in range(size)]


def _reference_root(leaves: Sequence[bytes]) -> bytes:
    """MTH straight from RFC 6962 §2.1, recursively over leaf hashes."""
    if not leaves:
        return merkle.EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    split = 1 << ((len(leaves) - 1).bit_length() - 1)
    return merkle.node_hash(_reference_root(leaves[:split]), _reference_root(leaves[split:]))


class NaiveReader:
    """A HashReader that recomputes every subtree from the leaf hashes: the interface, without tiles."""

    def __init__(self, leaves: list[bytes]) -> None:
        self.leaves = leaves

    def read_hashes(self, nodes: Sequence[tuple[int, int]]) -> list[bytes]:
        return [_reference_root(self.leaves[index << level : (index + 1) << level]) for level, index in nodes]


_STORE = TileStore()
_STORE.append_entries(_entries(MAX_SIZE))
_LEAVES = [merkle.leaf_hash(entry) for entry in _entries(MAX_SIZE)]


def _flip(value: bytes, bit: int) -> bytes:
    flipped = bytearray(value)
    flipped[bit // 8] ^= 1 << (bit % 8)
    return bytes(flipped)


@st.composite
def size_and_index(draw: st.DrawFn) -> tuple[int, int]:
    size = draw(st.integers(1, MAX_SIZE))
    return size, draw(st.integers(0, size - 1))


@st.composite
def two_sizes(draw: st.DrawFn) -> tuple[int, int]:
    size2 = draw(st.integers(1, MAX_SIZE))
    return draw(st.integers(1, size2)), size2


@given(st.integers(0, MAX_SIZE))
def test_root_of_tile_store_matches_rfc_recursion(size: int) -> None:
    assert _STORE.root(size) == _reference_root(_LEAVES[:size])


@given(size_and_index())
def test_inclusion_proof_verifies_and_matches_naive_reader(case: tuple[int, int]) -> None:
    size, index = case
    proof = merkle.inclusion_proof(_STORE, index, size)
    assert proof == merkle.inclusion_proof(NaiveReader(_LEAVES[:size]), index, size)
    merkle.verify_inclusion(_LEAVES[index], index, size, proof, _STORE.root(size))


@settings(max_examples=200)
@given(size_and_index(), st.data())
def test_inclusion_fails_when_any_bit_of_proof_or_root_flips(case: tuple[int, int], data: st.DataObject) -> None:
    size, index = case
    proof = merkle.inclusion_proof(_STORE, index, size)
    root = _STORE.root(size)
    target = data.draw(st.integers(0, len(proof)))  # len(proof) means the root itself
    bit = data.draw(st.integers(0, 255))
    if target == len(proof):
        root = _flip(root, bit)
    else:
        proof[target] = _flip(proof[target], bit)
    with pytest.raises(merkle.RootMismatch):
        merkle.verify_inclusion(_LEAVES[index], index, size, proof, root)


@given(size_and_index(), st.integers(1, 3))
def test_inclusion_fails_for_another_index(case: tuple[int, int], shift: int) -> None:
    size, index = case
    proof = merkle.inclusion_proof(_STORE, index, size)
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(_LEAVES[index], index ^ shift, size, proof, _STORE.root(size))


@given(two_sizes())
def test_consistency_proof_verifies_and_matches_naive_reader(case: tuple[int, int]) -> None:
    size1, size2 = case
    proof = merkle.consistency_proof(_STORE, size1, size2)
    assert proof == merkle.consistency_proof(NaiveReader(_LEAVES[:size2]), size1, size2)
    merkle.verify_consistency(size1, size2, proof, _STORE.root(size1), _STORE.root(size2))
    merkle.verify_append_only(size1, size2, proof, _STORE.root(size1), _STORE.root(size2))


@settings(max_examples=200)
@given(two_sizes(), st.data())
def test_consistency_fails_when_any_bit_of_proof_or_roots_flips(case: tuple[int, int], data: st.DataObject) -> None:
    size1, size2 = case
    proof = merkle.consistency_proof(_STORE, size1, size2)
    roots = [_STORE.root(size1), _STORE.root(size2)]
    target = data.draw(st.integers(0, len(proof) + 1))  # past the proof: root1, then root2
    bit = data.draw(st.integers(0, 255))
    if target < len(proof):
        proof[target] = _flip(proof[target], bit)
    else:
        roots[target - len(proof)] = _flip(roots[target - len(proof)], bit)
    with pytest.raises(merkle.ConsistencyMismatch):
        merkle.verify_consistency(size1, size2, proof, roots[0], roots[1])


@given(two_sizes())
def test_consistency_fails_with_a_hash_added_or_removed(case: tuple[int, int]) -> None:
    size1, size2 = case
    proof = merkle.consistency_proof(_STORE, size1, size2)
    roots = (_STORE.root(size1), _STORE.root(size2))
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(size1, size2, [*proof, merkle.EMPTY_ROOT], *roots)
    if proof:
        with pytest.raises(merkle.ProofError):
            merkle.verify_consistency(size1, size2, proof[:-1], *roots)


def test_proof_requests_outside_the_tree_are_refused() -> None:
    with pytest.raises(merkle.IndexOutOfRange):
        merkle.inclusion_proof(_STORE, 5, 5)
    with pytest.raises(merkle.IndexOutOfRange):
        merkle.consistency_proof(_STORE, 6, 5)
    assert merkle.consistency_proof(_STORE, 0, 5) == []


def test_proof_hash_of_wrong_length_is_named() -> None:
    proof = merkle.inclusion_proof(_STORE, 3, 10)
    proof[1] = proof[1][:31]
    with pytest.raises(merkle.ProofShapeError, match="proof hash 1 has 31 bytes"):
        merkle.verify_inclusion(_LEAVES[3], 3, 10, proof, _STORE.root(10))
