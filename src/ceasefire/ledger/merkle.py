"""The RFC 6962 / RFC 9162 Merkle tree of the transparency log: hashing, proofs, and their verification.

Hashes are SHA-256 with domain separation: a leaf is H(0x00 || entry), an interior node
H(0x01 || left || right), and the empty tree's root is H("") (RFC 6962 §2.1).

Proofs are built from the hashes of *complete* subtrees only — node (level, index) covers the 2**level
leaves starting at index * 2**level — read through a `HashReader`. Complete subtrees never change once the log
has grown past them, so the same proof code runs over the in-memory `TileStore` and over tiles kept in the
database; a proof asks for all its nodes in one `read_hashes` call, so a database reader needs one round trip.

Verification follows RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency) step by step. A failure raises a
`ProofError` subclass whose message says which check failed.

Size-0 edge cases, decided here:

- `verify_inclusion` with size 0 fails (`IndexOutOfRange`): an empty tree includes nothing.
- `verify_consistency` with size1 == 0 fails (`EmptyTreeProof`), as transparency-dev/merkle does and the
  vectors expect: a proof from the empty tree shows nothing. size1 == size2 > 0 needs an empty proof and equal
  roots (RFC 9162 §2.1.4.1 makes PROOF(m, D[m]) empty; the §2.1.4.2 steps assume size1 < size2).
- `verify_append_only` is what a witness calls: it adds the C2SP tlog-witness rule that old size 0 with an
  empty proof (and the empty-tree root, if the old root is given) is consistent with any later tree.
- `consistency_proof(0, n)` and `consistency_proof(n, n)` return an empty proof.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol

__all__ = [
    "EMPTY_ROOT",
    "ConsistencyMismatch",
    "EmptyTreeProof",
    "HashReader",
    "IndexOutOfRange",
    "ProofError",
    "ProofShapeError",
    "RootMismatch",
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "root_hash",
    "subtree_nodes",
    "verify_append_only",
    "verify_consistency",
    "verify_inclusion",
]

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
Node = tuple[int, int]  # (level, index): the complete subtree of 2**level leaves from index * 2**level


class ProofError(ValueError):
    """A Merkle proof did not verify; the message names the check that failed."""


class IndexOutOfRange(ProofError):
    pass


class ProofShapeError(ProofError):
    """The proof has the wrong number of hashes, or a hash of the wrong size, for the sizes given."""


class RootMismatch(ProofError):
    """The root recomputed from the proof differs from the root given."""


class ConsistencyMismatch(RootMismatch):
    pass


class EmptyTreeProof(ProofError):
    pass


class HashReader(Protocol):
    """Where proofs read stored hashes: the hash of each complete subtree (level, index), in order asked."""

    def read_hashes(self, nodes: Sequence[Node]) -> list[bytes]: ...


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def subtree_nodes(start: int, end: int) -> list[Node]:
    """The complete subtrees, left to right, whose fold gives MTH(D[start:end]) when start is a multiple of
    the largest power of two below end - start (true of every range RFC 6962's recursion produces)."""
    nodes: list[Node] = []
    while start < end:
        level = min((end - start).bit_length() - 1, _trailing_zeros(start))
        nodes.append((level, start >> level))
        start += 1 << level
    return nodes


def _trailing_zeros(value: int) -> int:
    return (value & -value).bit_length() - 1 if value else 64


def _fold(hashes: Sequence[bytes]) -> bytes:
    # A range splits into complete subtrees of strictly decreasing size; RFC 6962 pairs them from the right.
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def _resolve(reader: HashReader, plan: list[list[Node]]) -> list[bytes]:
    flat = [node for group in plan for node in group]
    hashes = reader.read_hashes(flat) if flat else []
    result: list[bytes] = []
    position = 0
    for group in plan:
        result.append(_fold(hashes[position : position + len(group)]))
        position += len(group)
    return result


def root_hash(reader: HashReader, size: int) -> bytes:
    """MTH of the first `size` leaves."""
    if size == 0:
        return EMPTY_ROOT
    return _resolve(reader, [subtree_nodes(0, size)])[0]


def _split(size: int) -> int:
    """The largest power of two smaller than size (size > 1)."""
    return 1 << ((size - 1).bit_length() - 1)


def inclusion_proof(reader: HashReader, index: int, size: int) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 6962 §2.1.1, leaf side first."""
    if not 0 <= index < size:
        raise IndexOutOfRange(f"leaf index {index} is not below tree size {size}")
    plan: list[list[Node]] = []
    low, high = 0, size
    while high - low > 1:
        middle = low + _split(high - low)
        if index < middle:
            plan.append(subtree_nodes(middle, high))
            high = middle
        else:
            plan.append(subtree_nodes(low, middle))
            low = middle
    plan.reverse()
    return _resolve(reader, plan)


def consistency_proof(reader: HashReader, size1: int, size2: int) -> list[bytes]:
    """PROOF(size1, D[0:size2]) of RFC 9162 §2.1.4.1, leaf side first; empty when size1 is 0 or size2."""
    if not 0 <= size1 <= size2:
        raise IndexOutOfRange(f"old size {size1} is not between 0 and new size {size2}")
    if size1 in (0, size2):
        return []
    plan: list[list[Node]] = []
    low, high, whole = 0, size2, True  # `whole`: the old tree is the entire subtree [low, low + m)
    m = size1
    while m != high - low:
        k = _split(high - low)
        if m <= k:
            plan.append(subtree_nodes(low + k, high))
            high = low + k
        else:
            plan.append(subtree_nodes(low, low + k))
            low, m, whole = low + k, m - k, False
    if not whole:
        plan.append(subtree_nodes(low, high))
    plan.reverse()
    return _resolve(reader, plan)


def _check_hashes(proof: Sequence[bytes]) -> None:
    for position, item in enumerate(proof):
        if len(item) != HASH_SIZE:
            raise ProofShapeError(f"proof hash {position} has {len(item)} bytes, not {HASH_SIZE}")


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> None:
    """RFC 9162 §2.1.3.2: raise a ProofError unless `proof` shows leaf hash `leaf` at `index` under `root`."""
    if not 0 <= index < size:
        raise IndexOutOfRange(f"leaf index {index} is not below tree size {size}")
    if len(leaf) != HASH_SIZE:
        raise ProofShapeError(f"leaf hash has {len(leaf)} bytes, not {HASH_SIZE}")
    _check_hashes(proof)
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofShapeError(f"inclusion proof has too many hashes for index {index}, size {size}")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofShapeError(f"inclusion proof has too few hashes for index {index}, size {size}")
    if r != root:
        raise RootMismatch(f"inclusion proof for index {index} leads to a root different from the given root")


def verify_consistency(size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes) -> None:
    """RFC 9162 §2.1.4.2: raise a ProofError unless `proof` shows the tree (size1, root1) is a prefix of
    (size2, root2). See the module docstring for size 0 and equal sizes."""
    if size1 > size2:
        raise IndexOutOfRange(f"old size {size1} is larger than new size {size2}")
    if size1 == 0:
        raise EmptyTreeProof("a consistency proof from the empty tree proves nothing")
    if size1 == size2:
        if proof:
            raise ProofShapeError(f"sizes are equal ({size1}) but the proof is not empty")
        if root1 != root2:
            raise ConsistencyMismatch(f"sizes are equal ({size1}) but the roots differ")
        return
    if not proof:
        raise ProofShapeError(f"consistency proof from {size1} to {size2} is empty")
    _check_hashes(proof)
    path = list(proof)
    if size1 & (size1 - 1) == 0:  # an exact power of 2: the old root is itself a node of the new tree
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofShapeError(f"consistency proof from {size1} to {size2} has too many hashes")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofShapeError(f"consistency proof from {size1} to {size2} has too few hashes")
    if fr != root1:
        raise ConsistencyMismatch(f"consistency proof does not lead to the old root (size {size1})")
    if sr != root2:
        raise ConsistencyMismatch(f"consistency proof does not lead to the new root (size {size2})")


def verify_append_only(size1: int, size2: int, proof: Sequence[bytes], root1: bytes | None, root2: bytes) -> None:
    """verify_consistency plus the C2SP tlog-witness rule for a witness that has seen nothing (size1 0)."""
    if size1 == 0:
        if proof:
            raise ProofShapeError("a consistency proof from size 0 must be empty")
        if root1 is not None and root1 != EMPTY_ROOT:
            raise ConsistencyMismatch("old size is 0 but the old root is not the empty-tree root")
        if size2 == 0 and root2 != EMPTY_ROOT:
            raise ConsistencyMismatch("new size is 0 but the new root is not the empty-tree root")
        return
    if root1 is None:
        raise ProofShapeError(f"the old root is needed to check consistency from size {size1}")
    verify_consistency(size1, size2, proof, root1, root2)
