"""Benchmark of the transparency log's cryptographic core (ledger/merkle.py, tiles.py).

Measures, in one run:
- building the tiles of an N-entry log through the TileStore, and verifying the whole log from its tiles and
  entry bundles (tiles.verify_log), each as a ratio to the raw hashlib SHA-256 ceiling: the time plain
  `sha256(message).digest()` takes for the same number of hashes of the same sizes (target >= 0.4);
- inclusion and consistency proof generation + verification on a 10M-entry log (target <= 5 ms each). The
  10M leaf hashes are made in bulk and handed to TileStore.extend_leaf_hashes, which builds every tile the
  ordinary way; the proofs then read that real tile store.

Usage: .venv/bin/python bench/ledger_bench.py [--entries 1000000] [--proof-size 10000000] [--samples 500]
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import random
import statistics
import time
from collections.abc import Callable

from ceasefire.ledger import merkle, tiles
from ceasefire.ledger.canonical import canonicalize


def _entries(count: int) -> list[bytes]:
    # Leaves the size of real log entries: canonical JSON of a change, ~170 bytes.
    return [
        canonicalize(
            {
                "sequence": index,
                "time": "2025-11-25T02:00:00Z",
                "kind": "complaint.submitted",
                "subject": f"CMP-2025-{index:06d}",
                "party": "AF",
                "commitment": hashlib.sha256(index.to_bytes(8, "big")).hexdigest(),
            }
        )
        for index in range(count)
    ]


def _node_hash_count(size: int) -> int:
    """Interior hashes the TileStore computes: 255 per full tile at every level (the root fold is extra)."""
    count, level = 0, 0
    while size >> (8 * (level + 1)):
        count += 255 * (size >> (8 * (level + 1)))
        level += 1
    return count


def _timed(action: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _ceiling(entries: list[bytes], node_hashes: int) -> float:
    """Seconds plain hashlib needs for the same hashes: each 0x00||entry, and node_hashes 65-byte messages."""
    leaf_messages = [b"\x00" + entry for entry in entries]
    node_messages = [b"\x01" + os.urandom(64) for _ in range(min(node_hashes, 1 << 16))]
    repeat, rest = divmod(node_hashes, len(node_messages))
    sha = hashlib.sha256

    def run() -> None:
        [sha(message).digest() for message in leaf_messages]
        for _ in range(repeat):
            [sha(message).digest() for message in node_messages]
        [sha(message).digest() for message in node_messages[:rest]]

    return min(_timed(run) for _ in range(2))


def build_and_verify(count: int) -> list[tuple[str, str, str, str]]:
    entries = _entries(count)
    ceiling = _ceiling(entries, _node_hash_count(count))
    store = tiles.TileStore()

    def build() -> None:
        for start in range(0, count, 1000):  # one batch per checkpoint interval
            store.append_entries(entries[start : start + 1000])

    build_time = _timed(build)
    root = store.root()
    one_by_one = tiles.TileStore()
    single_time = _timed(lambda: [one_by_one.append_entry(entry) for entry in entries])
    assert one_by_one.root() == root
    # The verifier reads a mirror (files fetched in advance), so serving cost is not counted.
    mirror = {tile.path: store.fetch(tile.path) for tile in tiles.tiles_for_size(count)}
    mirror |= {
        tiles.Tile(None, tile.index, tile.width).path: store.fetch(tiles.Tile(None, tile.index, tile.width).path)
        for tile in tiles.tiles_for_size(count)
        if tile.level == 0
    }
    verify_time = _timed(lambda: tiles.verify_log(mirror.__getitem__, count, root))
    rate = f"{count:,} entries"
    return [
        ("raw SHA-256 ceiling, same hashes", f"{ceiling:.2f} s ({rate})", "", "1.00"),
        ("build tiles, batches of 1000", f"{build_time:.2f} s", ">= 0.4", f"{ceiling / build_time:.2f}"),
        ("build tiles, one append each", f"{single_time:.2f} s", ">= 0.4", f"{ceiling / single_time:.2f}"),
        ("verify whole log from tiles", f"{verify_time:.2f} s", ">= 0.4", f"{ceiling / verify_time:.2f}"),
    ]


def _big_store(size: int) -> tiles.TileStore:
    store = tiles.TileStore(keep_entries=False)
    sha = hashlib.sha256
    for start in range(0, size, 1 << 20):
        end = min(size, start + (1 << 20))
        store.extend_leaf_hashes(
            b"".join([sha(b"\x00" + index.to_bytes(8, "big")).digest() for index in range(start, end)])
        )
    return store


def _millis(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"mean {statistics.fmean(samples) * 1e3:.2f}, p99 {p99 * 1e3:.2f}, max {ordered[-1] * 1e3:.2f} ms"


def _measure(action: Callable[[], None], wall: list[float], cpu: list[float]) -> None:
    # CPU time beside wall time: on a shared machine the wall figure includes waiting for a core.
    start_wall, start_cpu = time.perf_counter(), time.thread_time()
    action()
    cpu.append(time.thread_time() - start_cpu)
    wall.append(time.perf_counter() - start_wall)


def proofs(size: int, samples: int) -> list[tuple[str, str, str, str]]:
    started = time.perf_counter()
    store = _big_store(size)
    build_time = time.perf_counter() - started
    root = store.root()
    rng = random.Random(7)
    inclusion: tuple[list[float], list[float]] = ([], [])
    for index in (rng.randrange(size) for _ in range(samples)):
        leaf = hashlib.sha256(b"\x00" + index.to_bytes(8, "big")).digest()

        def prove_inclusion(index: int = index, leaf: bytes = leaf) -> None:
            proof = merkle.inclusion_proof(store, index, size)
            merkle.verify_inclusion(leaf, index, size, proof, root)

        _measure(prove_inclusion, *inclusion)
    consistency: tuple[list[float], list[float]] = ([], [])
    for old in (rng.randrange(1, size) for _ in range(samples)):
        old_root = store.root(old)  # a verifier holds this from the old checkpoint

        def prove_consistency(old: int = old, old_root: bytes = old_root) -> None:
            proof = merkle.consistency_proof(store, old, size)
            merkle.verify_consistency(old, size, proof, old_root, root)

        _measure(prove_consistency, *consistency)
    label = f"{size:,}-entry log"
    rows = [(f"build {label} (bulk leaf hashes)", f"{build_time:.1f} s", "", "")]
    for name, (wall, cpu) in (("inclusion", inclusion), ("consistency", consistency)):
        ratio = f"{5e-3 / statistics.fmean(wall):.1f}x"  # headroom of the mean to the target
        rows.append((f"{name} proof + verify, {label}, wall", _millis(wall), "<= 5 ms", ratio))
        rows.append(
            (
                f"{name} proof + verify, {label}, CPU",
                _millis(cpu),
                "<= 5 ms",
                f"{5e-3 / statistics.fmean(cpu):.1f}x",
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--proof-size", type=int, default=10_000_000)
    parser.add_argument("--samples", type=int, default=500)
    arguments = parser.parse_args()
    rows = build_and_verify(arguments.entries) + proofs(arguments.proof_size, arguments.samples)
    header = ("measure", "figure", "target", "ratio")
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(4)]
    for row in [header, tuple("-" * width for width in widths), *rows]:
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    print("ratio: ceiling time / measured time for build and verify; 5 ms / mean time for proofs")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
