"""`ceasefire log verify`: full audits of a log.

- `audit_tiles(fetch, ...)`: any C2SP tlog-tiles log, ours or another's, from a URL or a directory: the
  checkpoint's signature (and the cosignatures asked for), every entry bundle re-hashed, every tile rebuilt
  from the level below, and the root. Needs nothing from this installation.
- `audit_database()`: this installation's own tables: the entries are numbered 0..n-1 without gap, each
  entry's record matches its commitment, each leaf matches its tile, the tiles give each signed checkpoint's
  root, and each domain record (versions.py) matches its latest committed entry. Every problem names the index
  and the record (kind and subject) or the tile.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .canonical import CanonicalJSONError
from .checkpoint import CheckpointError, parse_checkpoint, parse_cosigner_key, verified_cosignatures
from .leaf import LEAF_FIELDS, entry_commitment, leaf_bytes
from .merkle import HASH_SIZE, leaf_hash, root_hash
from .models import LogCheckpoint, LogEntry, LogHead, TreeHead
from .note import NoteError, open_note, parse_verifier_key
from .tiles import TILE_WIDTH, LogVerificationError, TileNotFound, tiles_for_size, verify_log
from .tree import DatabaseTiles, entry_bundle
from .versions import domain_problems

__all__ = ["AuditFailed", "AuditReport", "audit_database", "audit_tiles", "fetcher"]

Fetch = Callable[[str], bytes]


class AuditFailed(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if problems else "audit failed")
        self.problems = problems


@dataclass
class AuditReport:
    origin: str = ""
    size: int = 0
    root: bytes = b""
    checks: list[str] = field(default_factory=list)
    cosigners: dict[str, int] = field(default_factory=dict)


def fetcher(source: str) -> Fetch:
    """Read tlog-tiles paths from an http(s) URL prefix or a directory."""
    if source.startswith(("http://", "https://")):
        base = source.rstrip("/") + "/"

        def fetch_url(path: str) -> bytes:
            try:
                with urllib.request.urlopen(base + path, timeout=30) as response:  # noqa: S310 (http(s) only)
                    return bytes(response.read())
            except urllib.error.HTTPError as error:
                raise LogVerificationError(f"{path}: HTTP {error.code} from {base}") from None
            except OSError as error:
                raise LogVerificationError(f"{path}: cannot fetch from {base}: {error}") from None

        return fetch_url
    root = Path(source)

    def fetch_file(path: str) -> bytes:
        try:
            return (root / path).read_bytes()
        except OSError:
            raise LogVerificationError(f"{path}: missing under {root}") from None

    return fetch_file


def audit_tiles(fetch: Fetch, log_vkeys: Sequence[str], witness_vkeys: Sequence[str] = ()) -> AuditReport:
    """Audit a whole tiles log; raises AuditFailed naming the first bad signature, tile or index."""
    try:
        logs = [parse_verifier_key(vkey) for vkey in log_vkeys]
        witnesses = [parse_cosigner_key(vkey) for vkey in witness_vkeys]
        note = fetch("checkpoint")
        checkpoint = parse_checkpoint(open_note(note, logs).text)
        cosigners = verified_cosignatures(note, witnesses)
    except (NoteError, CheckpointError, LogVerificationError) as error:
        raise AuditFailed([f"checkpoint: {error}"]) from None
    missing = sorted({w.name for w in witnesses} - set(cosigners))
    if missing:
        raise AuditFailed([f"checkpoint: not cosigned by {', '.join(missing)}"])
    try:
        verify_log(fetch, checkpoint.size, checkpoint.root_hash)
    except LogVerificationError as error:
        raise AuditFailed([str(error)]) from None
    tiles = tiles_for_size(checkpoint.size)
    bundles = sum(1 for tile in tiles if tile.level == 0)
    report = AuditReport(checkpoint.origin, checkpoint.size, checkpoint.root_hash, cosigners=cosigners)
    report.checks = [
        f"checkpoint signed by {', '.join(sorted({v.name for v in logs}))}",
        f"cosigned by {', '.join(sorted(cosigners)) or 'no witness asked for'}",
        f"{checkpoint.size} entries re-hashed from {bundles} entry bundles",
        f"{len(tiles)} tiles rebuilt from the level below",
        "the tiles give the checkpoint's root",
    ]
    return report


def _entry_name(entry: LogEntry) -> str:
    return f"index {entry.sequence} ({entry.kind} {entry.subject_code})"


def _entries_problems(tree_size: int, problems: list[str], limit: int) -> int:
    reader = DatabaseTiles()
    tile_data, tile_index = b"", -1
    expected = 0
    fields = (*LEAF_FIELDS, "salt", "record")
    for entry in LogEntry.objects.order_by("sequence").only(*fields).iterator(chunk_size=2000):
        if len(problems) >= limit:
            break
        if entry.sequence != expected:
            problems.append(f"index {expected}: missing or out of order (the next entry is {_entry_name(entry)})")
            expected = entry.sequence
        expected += 1
        try:
            if entry_commitment(entry) != entry.commitment:
                problems.append(f"{_entry_name(entry)}: kind, subject, party or record do not match its commitment")
        except (CanonicalJSONError, ValueError):
            problems.append(f"{_entry_name(entry)}: the stored record or salt is unreadable")
        if entry.sequence >= tree_size:
            continue
        wanted = entry.sequence // TILE_WIDTH
        if wanted != tile_index:
            width = min(TILE_WIDTH, tree_size - wanted * TILE_WIDTH)
            try:
                tile_data, tile_index = reader.tile(0, wanted, width), wanted
            except TileNotFound:
                tile_data, tile_index = b"", wanted
        at = (entry.sequence % TILE_WIDTH) * HASH_SIZE
        if tile_data[at : at + HASH_SIZE] != leaf_hash(leaf_bytes(entry)):
            problems.append(f"{_entry_name(entry)}: its leaf does not match level-0 tile {wanted}")
    return expected


def _db_fetch(path: str) -> bytes:
    from .tiles import parse_tile_path

    tile = parse_tile_path(path)
    try:
        if tile.level is None:
            return entry_bundle(tile.index, tile.width)
        return DatabaseTiles().tile(tile.level, tile.index, tile.width)
    except TileNotFound as error:
        raise LogVerificationError(f"{path}: {error}") from None


def audit_database(limit: int = 50) -> AuditReport:
    """Audit this installation's log and domain records; raises AuditFailed with every problem (up to limit)."""
    from .keys import log_verifier

    problems: list[str] = []
    head_size = LogHead.objects.filter(pk=1).values_list("size", flat=True).first() or 0
    tree = TreeHead.objects.get(pk=1)
    count = _entries_problems(tree.size, problems, limit)
    if count != head_size:
        problems.append(f"the log head says {head_size} entries, the table holds {count}")
    try:
        verify_log(_db_fetch, tree.size, bytes(tree.root), entries=False)
    except LogVerificationError as error:
        problems.append(str(error))
    verifier = log_verifier()
    checkpoints = 0
    for checkpoint in LogCheckpoint.objects.order_by("size").iterator():
        checkpoints += 1
        try:
            body = parse_checkpoint(open_note(checkpoint.note, [verifier]).text)
            rebuilt = root_hash(DatabaseTiles(), checkpoint.size)
        except (NoteError, CheckpointError, TileNotFound) as error:
            problems.append(f"checkpoint {checkpoint.size}: {error}")
            continue
        if body.size != checkpoint.size or body.root_hash != bytes(checkpoint.root) or rebuilt != body.root_hash:
            problems.append(f"checkpoint {checkpoint.size}: the tiles no longer give its signed root")
    records, domain = domain_problems(limit)
    problems += domain
    if problems:
        raise AuditFailed(problems[:limit])
    report = AuditReport(size=tree.size, root=bytes(tree.root))
    report.checks = [
        f"{count} entries numbered 0..{count - 1} without gap, each record matching its commitment",
        f"{tree.size} leaves matching their level-0 tiles; {len(tiles_for_size(tree.size))} tiles rebuilt",
        f"{checkpoints} signed checkpoints matching the tiles",
        f"{records} domain records matching their latest log entries",
    ]
    return report
