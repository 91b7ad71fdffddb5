"""The tree in the database: integration matches the in-memory reference, proofs read from the database
verify, and /log/ serves a tiles log that any tlog-tiles client can audit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from ceasefire.ledger import merkle
from ceasefire.ledger.audit import audit_tiles
from ceasefire.ledger.checkpoints import checkpoint_now
from ceasefire.ledger.leaf import leaf_bytes
from ceasefire.ledger.models import LogEntry, LogTile, TreeHead
from ceasefire.ledger.services import record_change
from ceasefire.ledger.tiles import TileStore
from ceasefire.ledger.tree import DatabaseTiles, integrate

pytestmark = pytest.mark.integration


def append(count: int, *, sealed_every: int = 3) -> None:
    with transaction.atomic():
        for number in range(count):
            record_change(
                None,
                kind="test.changed",
                subject_code=f"T-{number}",
                record={"number": number, "text": "x" * (number % 7)},
                sealed=number % sealed_every == 0,
            )


def reference_store() -> TileStore:
    store = TileStore()
    store.append_entries([leaf_bytes(entry) for entry in LogEntry.objects.order_by("sequence")])
    return store


def test_integration_in_batches_matches_the_reference_tree(db: Any) -> None:
    append(300)
    integrate(batch=7)
    append(260)
    size, root = integrate(batch=100)

    store = reference_store()
    assert size == store.size == 560
    assert root == store.root()
    for level, index in {(tile.level, tile.index) for tile in LogTile.objects.all()}:
        row = LogTile.objects.get(level=level, index=index)
        assert bytes(row.hashes) == store.tile(level, index, len(row.hashes) // 32)


def test_integrate_twice_changes_nothing_when_nothing_is_new(db: Any) -> None:
    append(5)
    first = integrate()
    assert integrate() == first
    assert TreeHead.objects.get(pk=1).size == 5


def test_database_proofs_verify_against_the_root(db: Any) -> None:
    append(600)
    size, root = integrate()
    reader = DatabaseTiles()
    old_root = merkle.root_hash(reader, 257)
    for index in (0, 255, 256, 511, 599):
        leaf = merkle.leaf_hash(leaf_bytes(LogEntry.objects.get(sequence=index)))
        merkle.verify_inclusion(leaf, index, size, merkle.inclusion_proof(reader, index, size), root)
    merkle.verify_consistency(257, size, merkle.consistency_proof(reader, 257, size), old_root, root)


def test_served_tiles_pass_a_full_audit(db: Any, log_vkey: str, served: Callable[[str], bytes]) -> None:
    append(520)
    checkpoint = checkpoint_now()
    assert checkpoint is not None

    report = audit_tiles(served, [log_vkey])

    assert (report.size, report.root) == (520, bytes(checkpoint.root))
    assert report.origin == "ceasefire.test/log"


def test_tiles_are_immutable_and_unknown_paths_are_absent(db: Any, log_vkey: str, client: Client) -> None:
    append(3)
    checkpoint_now()

    tile = client.get("/log/tile/0/000.p/3")
    assert tile.status_code == 200 and len(tile.content) == 96
    assert "immutable" in tile["Cache-Control"]
    assert client.get("/log/tile/entries/000.p/3").status_code == 200
    assert client.get("/log/tile/0/000.p/4").status_code == 404
    assert client.get("/log/tile/0/000").status_code == 404
    assert client.get("/log/tile/0/0").status_code == 404
    assert client.get("/log/checkpoint")["Cache-Control"] == "no-cache"


def test_sealed_leaf_shows_only_time_and_commitment(db: Any) -> None:
    append(2)
    sealed, open_ = LogEntry.objects.order_by("sequence")
    assert sealed.sealed and not open_.sealed
    assert b'"kind"' not in leaf_bytes(sealed) and b"T-0" not in leaf_bytes(sealed)
    assert b'"subject":"T-1"' in leaf_bytes(open_)


def test_checkpoint_is_made_only_when_the_tree_grew(db: Any, log_vkey: str) -> None:
    append(2)
    assert checkpoint_now() is not None
    assert checkpoint_now() is None
    append(1)
    third = checkpoint_now()
    assert third is not None and third.size == 3
