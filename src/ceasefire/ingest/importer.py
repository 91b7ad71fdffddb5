"""Streaming a source file into ExternalEvent rows, a batch at a time.

The file is read once (hashed as it goes), each record parsed into a ParsedRow or a rejection naming file, line
and column. A batch is written whole or not at all: one with any rejected row is held back and reported. Writes are
raw executemany statements (no model instance per row); geometry is computed for the whole batch with shapely.
services.py wraps each batch in its transaction with its log entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from . import geometry
from .models import ExternalEvent
from .sources import EventFormat, ParsedRow, Rejection, RowRejected
from .sources.base import RowSkipped

BATCH_SIZE = 20_000
_LOOKUP_CHUNK = 2_000

TABLE = ExternalEvent._meta.db_table
# The parsed columns, in ParsedRow's order, then what the importer adds.
PARSED_COLUMNS = ParsedRow._fields
COLUMNS = ("source", *PARSED_COLUMNS, "side", "distance_km", "h3_cell", "content_hash", "last_run_id", "updated_at")
_INSERT = f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"  # noqa: S608
_UPDATE = f"UPDATE {TABLE} SET {', '.join(f'{c} = %s' for c in COLUMNS[2:])} WHERE id = %s"  # noqa: S608


@dataclass
class Batch:
    number: int
    rows: list[tuple[int, ParsedRow, str]] = field(default_factory=list)  # (line, row, content hash)
    rejections: list[Rejection] = field(default_factory=list)
    skipped: int = 0
    rows_read: int = 0
    bytes_read: int = 0
    first_line: int = 0
    last_line: int = 0


@dataclass
class Written:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    digest: str = ""


@dataclass
class Stream:
    """The batches of one file, and the file's SHA-256 and size once it has been read to the end."""

    batches: Iterator[Batch]
    sha256: str = ""
    size: int = 0


def stream_batches(fmt: EventFormat, path: Path, name: str, batch_size: int = BATCH_SIZE) -> Stream:
    """Open and check the file (FileRejected for a wrong format, delimiter or header), then stream its batches."""
    table, parse = fmt.open(path, name)
    stream = Stream(iter(()))

    def batches() -> Iterator[Batch]:
        number = 1
        batch = Batch(number)
        seen: dict[str, int] = {}
        records = table.records
        try:
            while True:
                try:
                    item = next(records, None)
                except RowRejected as exc:  # unreadable from here on (truncated quote, bad encoding)
                    batch.rejections.append(Rejection(name, batch.last_line + 1, exc.column, exc.reason))
                    break
                if item is None:
                    break
                line, fields = item
                batch.rows_read += 1
                batch.first_line = batch.first_line or line
                batch.last_line = line
                try:
                    row = parse(fields)
                except RowRejected as exc:
                    batch.rejections.append(Rejection(name, line, exc.column, exc.reason))
                except RowSkipped:
                    batch.skipped += 1
                else:
                    if row.source_id in seen:
                        batch.rejections.append(_duplicate(name, line, row.source_id, seen[row.source_id]))
                    else:
                        seen[row.source_id] = line
                        batch.rows.append((line, row, _hash(fields)))
                if batch.rows_read >= batch_size:
                    batch.bytes_read = table.reader.bytes_read
                    yield batch
                    number += 1
                    batch, seen = Batch(number), {}
            batch.bytes_read = table.reader.bytes_read
            stream.sha256, stream.size = table.reader.sha256.hexdigest(), table.reader.bytes_read
            if batch.rows_read or batch.rejections or number == 1:
                yield batch
        finally:
            table.close()

    stream.batches = batches()
    return stream


def _duplicate(name: str, line: int, source_id: str, first: int | None) -> Rejection:
    if first:
        reason = _("event id %(id)s appears again (first on line %(first)d)") % {"id": source_id, "first": first}
    else:
        reason = _("event id %(id)s appears earlier in this file") % {"id": source_id}
    return Rejection(name, line, "id", reason)


def _hash(fields: list[str]) -> str:
    """The content hash of a record as the source gave it: a re-import with the same text is unchanged."""
    return hashlib.blake2b("\x1f".join(fields).encode(), digest_size=16).hexdigest()


def existing(source: str, ids: list[str]) -> dict[str, tuple[int, str, int]]:
    """source_id -> (pk, content_hash, last_run_id) for the ids already stored."""
    found: dict[str, tuple[int, str, int]] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(ids), _LOOKUP_CHUNK):
            chunk = ids[start : start + _LOOKUP_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT source_id, id, content_hash, last_run_id FROM {TABLE} "  # noqa: S608
                f"WHERE source = %s AND source_id IN ({marks})",
                [source, *chunk],
            )
            for source_id, pk, content_hash, last_run in cursor.fetchall():
                found[source_id] = (pk, content_hash, last_run)
    return found


def duplicates_of_earlier_batches(
    name: str, run_id: int, rows: list[tuple[int, ParsedRow, str]], stored: dict[str, tuple[int, str, int]]
) -> list[Rejection]:
    """Rows whose id an earlier batch of this same run already wrote: a duplicate within the file."""
    return [
        _duplicate(name, line, row.source_id, None)
        for line, row, _hash in rows
        if stored.get(row.source_id, (0, "", 0))[2] == run_id
    ]


def write_batch(
    source: str, run_id: int, rows: list[tuple[int, ParsedRow, str]], stored: dict[str, tuple[int, str, int]]
) -> Written:
    """Insert new events, update changed ones, mark unchanged ones as seen by this run. Call inside a transaction."""
    written = Written()
    if not rows:
        return written
    parsed = [row for _line, row, _hash in rows]
    sides, distances, cells = geometry.place_batch([r.longitude for r in parsed], [r.latitude for r in parsed])
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    inserts, updates, unchanged = [], [], []
    digest = hashlib.sha256()
    for (_line, row, content_hash), side, distance, cell in zip(rows, sides, distances, cells, strict=True):
        digest.update(content_hash.encode())
        previous = stored.get(row.source_id)
        if previous is not None and previous[1] == content_hash:
            unchanged.append(previous[0])
            continue
        values = (
            source,
            *row[:1],
            row.starts_on.isoformat(),
            row.ends_on.isoformat(),
            *row[3:],
            side,
            distance,
            cell,
            content_hash,
            run_id,
            now,
        )
        if previous is None:
            inserts.append(values)
        else:
            updates.append((*values[2:], previous[0]))
    with connection.cursor() as cursor:
        if inserts:
            cursor.executemany(_INSERT, inserts)
        if updates:
            cursor.executemany(_UPDATE, updates)
        for start in range(0, len(unchanged), _LOOKUP_CHUNK):
            chunk = unchanged[start : start + _LOOKUP_CHUNK]
            cursor.execute(
                f"UPDATE {TABLE} SET last_run_id = %s WHERE id IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608
                [run_id, *chunk],
            )
    written.inserted, written.updated, written.unchanged = len(inserts), len(updates), len(unchanged)
    written.digest = digest.hexdigest()
    return written
