"""The log as C2SP tlog-tiles v0.1.0: tile paths, the tiles a tree consists of, entry bundles, and an
in-memory tile store that is also the `HashReader` proofs run on.

A tile at level L holds up to 256 consecutive hashes of complete subtrees of 256**L leaves (level 0 holds leaf
hashes); tile N at level L covers the entries [N * 256**(L+1), (N+1) * 256**(L+1)). The rightmost tile of a
level is partial (1..255 hashes, path suffix `.p/<W>`) until it fills. Only complete subtrees are stored, so a
tile never changes once full, and everything above it is recomputed from at most 128 of its hashes.

`verify_log` checks a whole log offline from nothing but its tiles, its entry bundles and a checkpoint's size
and root: the `ceasefire log verify` core, independent of where the tiles come from.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .merkle import HASH_SIZE, Node, leaf_hash, root_hash

__all__ = [
    "TILE_HEIGHT",
    "TILE_WIDTH",
    "BundleError",
    "LogVerificationError",
    "Tile",
    "TileNotFound",
    "TileStore",
    "encode_bundle",
    "encode_index",
    "parse_bundle",
    "parse_tile_path",
    "subtree_root",
    "tile_root",
    "tiles_for_size",
    "verify_log",
]

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
TILE_BYTES = TILE_WIDTH * HASH_SIZE
MAX_LEVEL = 63
_sha256 = hashlib.sha256


class TileNotFound(LookupError):
    pass


class BundleError(ValueError):
    pass


class LogVerificationError(ValueError):
    pass


def encode_index(index: int) -> str:
    """N as zero-padded 3-digit path elements, all but the last prefixed with x: 1234067 -> x001/x234/067."""
    if index < 0:
        raise ValueError(f"tile index {index} is negative")
    groups = [f"{index % 1000:03d}"]
    index //= 1000
    while index:
        groups.append(f"x{index % 1000:03d}")
        index //= 1000
    return "/".join(reversed(groups))


@dataclass(frozen=True)
class Tile:
    """Tile `index` at `level` with `width` hashes; level None is the entry bundle at that index."""

    level: int | None
    index: int
    width: int = TILE_WIDTH

    @property
    def is_partial(self) -> bool:
        return self.width < TILE_WIDTH

    @property
    def path(self) -> str:
        head = "tile/entries" if self.level is None else f"tile/{self.level}"
        tail = f".p/{self.width}" if self.is_partial else ""
        return f"{head}/{encode_index(self.index)}{tail}"

    def nodes(self) -> list[Node]:
        """The Merkle nodes (level, index) whose hashes this tile holds, in order."""
        height = TILE_HEIGHT * (self.level or 0)
        first = self.index * TILE_WIDTH
        return [(height, first + offset) for offset in range(self.width)]


_PATH = re.compile(r"tile/(entries|0|[1-9][0-9]?)/((?:x[0-9]{3}/)*[0-9]{3})(?:\.p/([1-9][0-9]{0,2}))?")


def parse_tile_path(path: str) -> Tile:
    """Parse `tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]` strictly, rejecting every other spelling."""
    match = _PATH.fullmatch(path)
    if match is None:
        raise ValueError(f"{path!r} is not a tlog-tiles path")
    level_text, index_text, width_text = match.groups()
    level = None if level_text == "entries" else int(level_text)
    if level is not None and level > MAX_LEVEL:
        raise ValueError(f"{path!r}: tile level {level} is above {MAX_LEVEL}")
    width = int(width_text) if width_text else TILE_WIDTH
    if width_text and width >= TILE_WIDTH:
        raise ValueError(f"{path!r}: a partial tile has 1 to {TILE_WIDTH - 1} hashes")
    return Tile(level, int(index_text.replace("x", "").replace("/", "")), width)


def tiles_for_size(size: int) -> list[Tile]:
    """Every tile, full and partial, of every level that a tree of `size` leaves is served as, bottom up."""
    tiles: list[Tile] = []
    level = 0
    while size >> (TILE_HEIGHT * level):
        count = size >> (TILE_HEIGHT * level)
        tiles.extend(Tile(level, index) for index in range(count // TILE_WIDTH))
        if count % TILE_WIDTH:
            tiles.append(Tile(level, count // TILE_WIDTH, count % TILE_WIDTH))
        level += 1
    return tiles


def encode_bundle(entries: Iterable[bytes]) -> bytes:
    """An entry bundle: each entry prefixed with its length as a big-endian uint16."""
    parts: list[bytes] = []
    for position, entry in enumerate(entries):
        if len(entry) > 0xFFFF:
            raise BundleError(f"entry {position} has {len(entry)} bytes; a bundle entry holds at most 65535")
        parts.append(len(entry).to_bytes(2, "big"))
        parts.append(entry)
    return b"".join(parts)


def parse_bundle(data: bytes, expected: int | None = None) -> list[bytes]:
    """Split an entry bundle into its entries; `expected` is the tile width it must have."""
    data = bytes(data)
    total = len(data)
    entries: list[bytes] = []
    append = entries.append  # this loop runs once per log entry when a whole log is verified
    position = 0
    while position < total:
        start = position + 2
        if start > total:
            raise BundleError(f"bundle ends inside the length of entry {len(entries)}")
        position = start + (data[position] << 8 | data[position + 1])
        if position > total:
            raise BundleError(f"entry {len(entries)} claims {position - start} bytes, past the bundle end")
        append(data[start:position])
    if expected is not None and len(entries) != expected:
        raise BundleError(f"bundle has {len(entries)} entries, expected {expected}")
    return entries


def _parent_level(hashes: bytes) -> bytes:
    """Hash adjacent pairs of a run of 2k hashes: each pair is contiguous, so one slice per node."""
    sha = _sha256
    return b"".join([sha(b"\x01" + hashes[at : at + 64]).digest() for at in range(0, len(hashes), 64)])


def _subtree_root(hashes: bytes) -> bytes:
    while len(hashes) > HASH_SIZE:
        hashes = _parent_level(hashes)
    return hashes


def subtree_root(hashes: bytes) -> bytes:
    """The root of a complete subtree given its 2**k consecutive hashes, concatenated."""
    return _subtree_root(hashes)


def tile_root(tile_hashes: bytes) -> bytes:
    """The hash a full tile contributes to the level above: the root of its 256 hashes."""
    if len(tile_hashes) != TILE_BYTES:
        raise ValueError(f"a full tile has {TILE_BYTES} bytes, not {len(tile_hashes)}")
    return _subtree_root(tile_hashes)


class _LevelsReader:
    """HashReader over the concatenated hashes of each tile level (level L = subtrees of 256**L leaves)."""

    def __init__(self, levels: list[bytearray] | list[bytes]) -> None:
        self._levels = levels

    def read_hashes(self, nodes: Sequence[Node]) -> list[bytes]:
        result: list[bytes] = []
        for height, index in nodes:
            level, rest = divmod(height, TILE_HEIGHT)
            start, end = (index << rest) * HASH_SIZE, ((index + 1) << rest) * HASH_SIZE
            if level >= len(self._levels) or end > len(self._levels[level]):
                raise TileNotFound(f"subtree ({height}, {index}) is not complete in the stored tiles")
            result.append(_subtree_root(bytes(self._levels[level][start:end])))
        return result


class TileStore(_LevelsReader):
    """The tiles of a growing log kept in memory. Appending does one leaf-level append plus, every 256**L
    entries, one tile root at level L: O(log n) hashing at worst, under 2 hashes per entry overall."""

    def __init__(self, keep_entries: bool = True) -> None:
        self._tile_levels: list[bytearray] = [bytearray()]
        super().__init__(self._tile_levels)
        self._entries: list[bytes] | None = [] if keep_entries else None

    @property
    def size(self) -> int:
        return len(self._tile_levels[0]) // HASH_SIZE

    def root(self, size: int | None = None) -> bytes:
        return root_hash(self, self.size if size is None else size)

    def append_entry(self, entry: bytes) -> int:
        """Add an entry (its leaf hash is computed here) and return its index."""
        if self._entries is not None:
            self._entries.append(entry)
        return self.append_leaf_hash(leaf_hash(entry))

    def append_leaf_hash(self, leaf: bytes) -> int:
        if len(leaf) != HASH_SIZE:
            raise ValueError(f"a leaf hash has {HASH_SIZE} bytes, not {len(leaf)}")
        if self._entries is not None and len(self._entries) != self.size + 1:
            raise ValueError("this store keeps entries: use append_entry")
        level0 = self._tile_levels[0]
        level0 += leaf
        if len(level0) % TILE_BYTES == 0:
            self._complete_tiles(0)
        return self.size - 1

    def append_entries(self, entries: Sequence[bytes]) -> int:
        """Add a batch of entries; same tiles as appending them one by one. Returns the first one's index."""
        first = self.size
        if self._entries is not None:
            self._entries.extend(entries)
        sha = _sha256
        self._tile_levels[0] += b"".join([sha(b"\x00" + entry).digest() for entry in entries])
        self._complete_tiles(0)
        return first

    def extend_leaf_hashes(self, leaves: bytes) -> None:
        """Append many leaf hashes at once (concatenated), for a store that keeps no entries."""
        if self._entries is not None:
            raise ValueError("this store keeps entries: use append_entries")
        if len(leaves) % HASH_SIZE:
            raise ValueError("leaf hashes must be a whole number of 32-byte hashes")
        self._tile_levels[0] += leaves
        self._complete_tiles(0)

    def _complete_tiles(self, level: int) -> None:
        # Push the root of every newly full tile at `level` up one level, and so on upwards.
        while True:
            below = self._tile_levels[level]
            if len(self._tile_levels) == level + 1:
                self._tile_levels.append(bytearray())
            above = self._tile_levels[level + 1]
            full = len(below) // TILE_BYTES
            done = len(above) // HASH_SIZE
            if full == done:
                return
            for tile_index in range(done, full):
                above += _subtree_root(bytes(below[tile_index * TILE_BYTES : (tile_index + 1) * TILE_BYTES]))
            level += 1

    def tile(self, level: int, index: int, width: int = TILE_WIDTH) -> bytes:
        if level >= len(self._tile_levels) or not 0 < width <= TILE_WIDTH:
            raise TileNotFound(f"no tile {level}/{index} of width {width}")
        start, end = index * TILE_BYTES, index * TILE_BYTES + width * HASH_SIZE
        data = self._tile_levels[level]
        if end > len(data):
            raise TileNotFound(f"tile {level}/{index} of width {width} is beyond the log's size")
        return bytes(data[start:end])

    def entry_bundle(self, index: int, width: int = TILE_WIDTH) -> bytes:
        if self._entries is None:
            raise TileNotFound("this store keeps leaf hashes only, not entries")
        start = index * TILE_WIDTH
        if not 0 < width <= TILE_WIDTH or start + width > len(self._entries):
            raise TileNotFound(f"no entry bundle {index} of width {width}")
        return encode_bundle(self._entries[start : start + width])

    def fetch(self, path: str) -> bytes:
        """Serve a tile or entry bundle by its tlog-tiles path, as a static file server would."""
        tile = parse_tile_path(path)
        if tile.level is None:
            return self.entry_bundle(tile.index, tile.width)
        return self.tile(tile.level, tile.index, tile.width)


def verify_log(fetch: Callable[[str], bytes], size: int, root: bytes, *, entries: bool = True) -> None:
    """Check a whole tiles log against a checkpoint's size and root: every entry bundle hashes to its level-0
    tile, every full tile hashes to its place in the level above, and the tiles give the root. Raises
    LogVerificationError naming the first tile that does not fit."""
    levels: list[bytes] = []
    expected = b""  # roots of the full tiles of the level below, which this level must hold
    for level_tiles in _by_level(tiles_for_size(size)):
        data = b"".join(_fetch_tile(fetch, tile) for tile in level_tiles)
        level = level_tiles[0].level or 0
        if level == 0 and entries:
            expected = _leaf_hashes(fetch, level_tiles)
        if level > 0 or entries:
            _compare(data, expected, level_tiles)
        full = len(data) // TILE_BYTES
        expected = b"".join(_subtree_root(data[i * TILE_BYTES : (i + 1) * TILE_BYTES]) for i in range(full))
        levels.append(data)
    if root_hash(_LevelsReader(levels), size) != root:
        raise LogVerificationError(f"the tiles give a root for size {size} different from the checkpoint's")


def _by_level(tiles: list[Tile]) -> list[list[Tile]]:
    grouped: dict[int, list[Tile]] = {}
    for tile in tiles:
        grouped.setdefault(tile.level or 0, []).append(tile)
    return [grouped[level] for level in sorted(grouped)]


def _fetch_tile(fetch: Callable[[str], bytes], tile: Tile) -> bytes:
    data = fetch(tile.path)
    if len(data) != tile.width * HASH_SIZE:
        raise LogVerificationError(f"{tile.path} has {len(data)} bytes, expected {tile.width * HASH_SIZE}")
    return data


def _leaf_hashes(fetch: Callable[[str], bytes], level0: list[Tile]) -> bytes:
    sha = _sha256
    hashes: list[bytes] = []
    for tile in level0:
        bundle = Tile(None, tile.index, tile.width)
        try:
            items = parse_bundle(fetch(bundle.path), tile.width)
        except BundleError as error:
            raise LogVerificationError(f"{bundle.path}: {error}") from error
        hashes.extend([sha(b"\x00" + item).digest() for item in items])
    return b"".join(hashes)


def _compare(data: bytes, expected: bytes, tiles: list[Tile]) -> None:
    for tile in tiles:
        start, end = tile.index * TILE_BYTES, tile.index * TILE_BYTES + tile.width * HASH_SIZE
        if data[start:end] != expected[start:end]:
            first = next(
                at for at in range(start, end, HASH_SIZE) if data[at : at + HASH_SIZE] != expected[at : at + HASH_SIZE]
            )
            what = "entry" if tile.level == 0 else f"level-{tile.level} hash"
            raise LogVerificationError(
                f"{tile.path} does not match the level below it, first at {what} {first // HASH_SIZE}"
            )
