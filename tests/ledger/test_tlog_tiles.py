"""C2SP tlog-tiles: path encoding, which tiles a tree is served as, entry bundles, the tile store, and the
offline verification of a whole tiles log."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from ceasefire.ledger import merkle, tiles
from ceasefire.ledger.tiles import Tile, TileStore

pytestmark = pytest.mark.unit

PATHS = json.loads((Path(__file__).resolve().parent.parent / "vectors/tlog/tlog-tiles-paths.json").read_text())


@pytest.mark.parametrize("case", PATHS["index_encoding"], ids=lambda case: str(case["n"]))
def test_index_encoding_matches_vector(case: dict[str, object]) -> None:
    assert tiles.encode_index(int(str(case["n"]))) == case["enc"]
    assert tiles.parse_tile_path(f"tile/0/{case['enc']}").index == case["n"]


@pytest.mark.parametrize("size", sorted(PATHS["tiles_for_tree_size"], key=int))
def test_tiles_for_size_match_vector(size: str) -> None:
    found = tiles.tiles_for_size(int(size))
    for expected in PATHS["tiles_for_tree_size"][size]:
        level = [tile for tile in found if tile.level == expected["level"]]
        assert sum(not tile.is_partial for tile in level) == expected["full_tiles"]
        partial = [tile.width for tile in level if tile.is_partial]
        assert partial == ([expected["partial_width"]] if expected["partial_width"] else [])
        paths = {tile.path for tile in level}
        assert set(expected["paths_example"]) <= paths
    assert {tile.level for tile in found} == {e["level"] for e in PATHS["tiles_for_tree_size"][size]}


@pytest.mark.parametrize(
    ("path", "tile"),
    [
        ("tile/0/000", Tile(0, 0)),
        ("tile/3/x001/x234/067.p/255", Tile(3, 1234067, 255)),
        ("tile/entries/x123/456.p/1", Tile(None, 123456, 1)),
        ("tile/63/999", Tile(63, 999)),
    ],
)
def test_tile_path_round_trips(path: str, tile: Tile) -> None:
    assert tiles.parse_tile_path(path) == tile
    assert tile.path == path


@pytest.mark.parametrize(
    "path",
    [
        "tile/3/5/123/456/078",  # a non-last element without x (and Go's height-in-path layout)
        "tile/3/-1/123/456/078",
        "tile/4/0/001.p/5",  # Go sumdb layout: tile/<H>/<L>/<N>
        "tile/01/000",
        "tile/64/000",
        "tile/0/1",
        "tile/0/x001",
        "tile/0/000.p/0",
        "tile/0/000.p/256",
        "tile/0/000.p/012",
        "tile/data/000",
        "tile/0/000/",
    ],
)
def test_tile_path_rejects_other_spellings(path: str) -> None:
    with pytest.raises(ValueError, match="tile"):
        tiles.parse_tile_path(path)


def test_tile_nodes_name_the_hashes_it_holds() -> None:
    assert Tile(1, 2, 3).nodes() == [(8, 512), (8, 513), (8, 514)]
    assert Tile(0, 0, 2).nodes() == [(0, 0), (0, 1)]


def test_bundle_round_trips_including_empty_and_large_entries() -> None:
    entries = [b"", b"a", bytes(range(256)) * 200, b"\x00" * 65535]
    bundle = tiles.encode_bundle(entries)
    assert bundle[:3] == b"\x00\x00\x00"  # length 0, then length 1
    assert tiles.parse_bundle(bundle, expected=4) == entries


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00", "ends inside the length of entry 0"),
        (b"\x00\x01a\x00\x05abc", "entry 1 claims 5 bytes, past the bundle end"),
        (b"\x00\x01a", "has 1 entries, expected 2"),
    ],
)
def test_bundle_parse_rejects_truncation_and_wrong_count(data: bytes, message: str) -> None:
    with pytest.raises(tiles.BundleError, match=message):
        tiles.parse_bundle(data, expected=2)


def test_bundle_refuses_entry_over_65535_bytes() -> None:
    with pytest.raises(tiles.BundleError, match="entry 1 has 65536 bytes"):
        tiles.encode_bundle([b"", b"x" * 65536])


@cache
def _store(size: int) -> TileStore:
    store = TileStore()
    for index in range(size):
        store.append_entry(f"entry {index}".encode())
    return store


def test_tiles_hold_the_subtree_hashes_the_spec_defines() -> None:
    store = _store(70000)
    leaves = [merkle.leaf_hash(f"entry {index}".encode()) for index in range(70000)]
    assert store.tile(0, 273, 112) == b"".join(leaves[273 * 256 : 273 * 256 + 112])
    level1 = store.tile(1, 1, 17)
    for offset in range(17):
        start = (256 + offset) * 256
        sub = TileStore()
        sub.append_entries([f"entry {index}".encode() for index in range(start, start + 256)])
        assert level1[offset * 32 : (offset + 1) * 32] == sub.root()
    assert store.fetch("tile/2/000.p/1") == store.root(65536)
    with pytest.raises(tiles.TileNotFound):
        store.fetch("tile/2/000")
    with pytest.raises(tiles.TileNotFound):
        store.fetch("tile/0/273.p/113")


def test_batch_append_and_hash_only_store_give_the_same_tiles() -> None:
    entries = [f"entry {index}".encode() for index in range(66000)]
    one_by_one = _store(66000)
    batched = TileStore()
    batched.append_entries(entries[:1000])
    batched.append_entries(entries[1000:])
    hashes_only = TileStore(keep_entries=False)
    hashes_only.extend_leaf_hashes(b"".join(merkle.leaf_hash(entry) for entry in entries[:300]))
    for entry in entries[300:]:
        hashes_only.append_leaf_hash(merkle.leaf_hash(entry))
    for tile in tiles.tiles_for_size(66000):
        assert tile.level is not None
        expected = one_by_one.tile(tile.level, tile.index, tile.width)
        assert batched.tile(tile.level, tile.index, tile.width) == expected
        assert hashes_only.tile(tile.level, tile.index, tile.width) == expected
    assert one_by_one.root() == batched.root() == hashes_only.root()


def test_store_refuses_mixed_appends() -> None:
    with pytest.raises(ValueError, match="use append_entry"):
        TileStore().append_leaf_hash(b"\x00" * 32)
    with pytest.raises(ValueError, match="32 bytes"):
        TileStore(keep_entries=False).append_leaf_hash(b"\x00" * 31)
    with pytest.raises(tiles.TileNotFound, match="leaf hashes only"):
        TileStore(keep_entries=False).fetch("tile/entries/000.p/1")


@pytest.mark.parametrize("size", [0, 1, 255, 256, 257, 65536, 70000])
def test_whole_log_verifies_from_its_tiles(size: int) -> None:
    store = _store(size)
    tiles.verify_log(store.fetch, size, store.root())
    tiles.verify_log(store.fetch, size, store.root(), entries=False)


def test_verify_log_names_a_tampered_tile_entry_or_root() -> None:
    store = _store(70000)
    root = store.root()

    def tampered(target: str, replacement: bytes) -> tiles.LogVerificationError:
        def fetch(path: str) -> bytes:
            return replacement if path == target else store.fetch(path)

        with pytest.raises(tiles.LogVerificationError) as caught:
            tiles.verify_log(fetch, 70000, root)
        return caught.value

    bundle = tiles.parse_bundle(store.fetch("tile/entries/005"))
    bundle[7] = b"rewritten"
    assert "tile/0/005" in str(tampered("tile/entries/005", tiles.encode_bundle(bundle)))
    level1 = bytearray(store.fetch("tile/1/000"))
    level1[40] ^= 1
    assert "tile/1/000" in str(tampered("tile/1/000", bytes(level1)))
    assert "tile/0/273.p/112" in str(tampered("tile/0/273.p/112", store.fetch("tile/0/273.p/112")[:-32]))
    message = str(tampered("tile/entries/273.p/112", b"\x00\x01a"))
    assert "tile/entries/273.p/112" in message and "expected 112" in message
    with pytest.raises(tiles.LogVerificationError, match="different from the checkpoint"):
        tiles.verify_log(store.fetch, 70000, store.root(69999))
