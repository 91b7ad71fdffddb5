"""The Merkle tree in the database: tiles read as a `HashReader`, and the integrator that adds new entries.

The integrator is the sequencer/integrator split of modern tlogs: `record_change` (services.py) only numbers
and stores the entry inside the domain transaction; `integrate()` later hashes the new entries into the tiles,
in one transaction under the tree-head lock, in batches. A crash between the two loses nothing: entries are
committed rows, and the next integration starts from the tree's size. Appending k entries writes the rightmost
tile of each level it touches: O(k + log n) hashing and tile writes, never a rewrite of a full tile.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q

from .merkle import EMPTY_ROOT, HASH_SIZE, Node, leaf_hash, root_hash
from .models import LogEntry, LogTile, TreeHead
from .tiles import TILE_BYTES, TILE_HEIGHT, TILE_WIDTH, TileNotFound, encode_bundle, subtree_root, tile_root

__all__ = ["DatabaseTiles", "IntegrationError", "entry_bundle", "integrate", "tree_size"]

BATCH = 4096


class IntegrationError(RuntimeError):
    """The stored tiles or entries are not what the tree head says: the log was changed outside the app."""


class DatabaseTiles:
    """HashReader over LogTile rows: a proof's nodes are resolved with one query for all their tiles."""

    def read_hashes(self, nodes: Sequence[Node]) -> list[bytes]:
        wanted: dict[tuple[int, int], None] = {}
        for height, index in nodes:
            level, rest = divmod(height, TILE_HEIGHT)
            wanted[(level, (index << rest) // TILE_WIDTH)] = None
        condition = Q()
        for level, tile_index in wanted:
            condition |= Q(level=level, index=tile_index)
        rows = {
            (level, index): bytes(hashes)
            for level, index, hashes in LogTile.objects.filter(condition).values_list("level", "index", "hashes")
        }
        result: list[bytes] = []
        for height, index in nodes:
            level, rest = divmod(height, TILE_HEIGHT)
            first = index << rest
            data = rows.get((level, first // TILE_WIDTH), b"")
            start = (first % TILE_WIDTH) * HASH_SIZE
            end = start + (HASH_SIZE << rest)
            if end > len(data):
                raise TileNotFound(f"subtree ({height}, {index}) is not in the stored tiles")
            result.append(subtree_root(data[start:end]))
        return result

    def tile(self, level: int, index: int, width: int = TILE_WIDTH) -> bytes:
        row = LogTile.objects.filter(level=level, index=index).values_list("hashes", flat=True).first()
        data = bytes(row) if row is not None else b""
        if len(data) < width * HASH_SIZE:
            raise TileNotFound(f"no tile {level}/{index} of width {width}")
        return data[: width * HASH_SIZE]


def entry_bundle(index: int, width: int = TILE_WIDTH) -> bytes:
    """The entry bundle of tile `index`: the leaves of entries [index*256, index*256 + width)."""
    from .leaf import LEAF_FIELDS, leaf_bytes

    start = index * TILE_WIDTH
    entries = list(
        LogEntry.objects.filter(sequence__gte=start, sequence__lt=start + width).order_by("sequence").only(*LEAF_FIELDS)
    )
    if len(entries) != width:
        raise TileNotFound(f"no entry bundle {index} of width {width}")
    return encode_bundle(leaf_bytes(entry) for entry in entries)


def tree_size() -> int:
    return TreeHead.objects.filter(pk=1).values_list("size", flat=True).first() or 0


def integrate(batch: int = BATCH) -> tuple[int, bytes]:
    """Hash every committed entry not yet in the tree into the tiles; return the tree's (size, root)."""
    from .leaf import LEAF_FIELDS, leaf_bytes

    while True:
        with transaction.atomic():
            head = TreeHead.objects.select_for_update().filter(pk=1).first()
            if head is None:  # an emptied database (a flush): the tree is empty too, unless tiles say otherwise
                if LogTile.objects.exists():
                    raise IntegrationError("the tree head row is missing but tiles exist")
                head, _created = TreeHead.objects.get_or_create(pk=1, defaults={"size": 0, "root": EMPTY_ROOT})
            entries = list(
                LogEntry.objects.filter(sequence__gte=head.size).order_by("sequence").only(*LEAF_FIELDS)[:batch]
            )
            # Commit order follows the sequencer's lock, so there is no gap to wait for; a gap here means a
            # row was deleted behind the application's back, and the tree stops before it.
            contiguous = []
            for offset, entry in enumerate(entries):
                if entry.sequence != head.size + offset:
                    break
                contiguous.append(entry)
            if not contiguous:
                return head.size, bytes(head.root) if head.size else EMPTY_ROOT
            leaves = b"".join(leaf_hash(leaf_bytes(entry)) for entry in contiguous)
            _append(0, head.size, leaves)
            head.size += len(contiguous)
            head.root = root_hash(DatabaseTiles(), head.size)
            head.save(update_fields=["size", "root"])
            if len(contiguous) < batch:
                return head.size, bytes(head.root)


def _append(level: int, count: int, hashes: bytes) -> None:
    """Add `hashes` to `level`, which holds `count` hashes, and push every newly full tile's root upwards."""
    while hashes:
        first_tile, offset = divmod(count, TILE_WIDTH)
        data = b""
        if offset:
            row = LogTile.objects.filter(level=level, index=first_tile).values_list("hashes", flat=True).first()
            data = bytes(row) if row is not None else b""
            if len(data) != offset * HASH_SIZE:
                raise IntegrationError(
                    f"tile {level}/{first_tile} holds {len(data) // HASH_SIZE} hashes, the tree expects {offset}"
                )
        data += hashes
        rows = [
            LogTile(
                level=level, index=first_tile + position // TILE_BYTES, hashes=data[position : position + TILE_BYTES]
            )
            for position in range(0, len(data), TILE_BYTES)
        ]
        LogTile.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["level", "index"], update_fields=["hashes"]
        )
        roots = b"".join(tile_root(bytes(row.hashes)) for row in rows if len(row.hashes) == TILE_BYTES)
        level, count, hashes = level + 1, count // TILE_WIDTH, roots
