"""Streaming a source file into ExternalEvent rows, a batch at a time.

The file is read once (hashed as it goes), a batch of records at a time. A batch is parsed column by column when the
source has that fast path (UCDP GED) and every value in it is plain; otherwise, and always to name what is wrong,
record by record into a ParsedRow or a rejection naming file, line and column: both give the same values. A batch
is written whole or not at all: one with any rejected row is held back and reported. Writes are one executemany per
batch on the database cursor (no model instance, no per-row Python object beyond the row's tuple); geometry is
computed for the whole batch with shapely. services.py wraps each batch in its transaction with its log entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from . import geometry
from .models import ExternalEvent
from .sources import EventFormat, ParsedRow, Rejection, RowRejected
from .sources.base import Columns, RowSkipped

BATCH_SIZE = 50_000  # rows per transaction
PARSE_CHUNK = 10_000  # records read and parsed at a time (the raw records are the bulk of a batch's memory)
PAGE_CACHE_KIB = 64 * 1024  # SQLite's page cache during an import (page_cache)
_LOOKUP_CHUNK = 10_000  # ids per existence query (SQLite allows 32766 parameters, PostgreSQL 65535)

TABLE = ExternalEvent._meta.db_table
# The parsed columns, in ParsedRow's order, then what the importer adds.
PARSED_COLUMNS = ParsedRow._fields
COLUMNS = ("source", *PARSED_COLUMNS, "side", "distance_km", "h3_cell", "content_hash", "last_run_id", "updated_at")
_INSERT = f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"  # noqa: S608
_UPDATE = f"UPDATE {TABLE} SET {', '.join(f'{c} = %s' for c in COLUMNS[2:])} WHERE id = %s"  # noqa: S608


@dataclass
class Batch:
    number: int
    # The parsed rows column by column, in ParsedRow's order (dates as ISO text), with each row's line and the
    # content hash of its record as given.
    columns: Columns = field(default_factory=lambda: [[] for _ in PARSED_COLUMNS])
    lines: list[int] = field(default_factory=list)
    hashes: list[str] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    skipped: int = 0
    rows_read: int = 0
    bytes_read: int = 0
    first_line: int = 0
    last_line: int = 0

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def source_ids(self) -> list[str]:
        return self.columns[0]

    @property
    def rows(self) -> list[tuple[int, ParsedRow, str]]:
        """(line, row, content hash) of each parsed row (the tests read batches this way)."""
        date = dt.date.fromisoformat
        return [
            (line, ParsedRow(v[0], date(v[1]), date(v[2]), *v[3:]), digest)
            for line, digest, v in zip(self.lines, self.hashes, zip(*self.columns, strict=True), strict=True)
        ]


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
    """Open and check the file (FileRejected for a wrong format, delimiter or header), then stream its batches.

    A batch is read and parsed PARSE_CHUNK records at a time, so that only its parsed columns and one chunk of raw
    records are in memory, whatever the file's size. (Reading in a thread one batch ahead was tried: the reader's
    Python holds the interpreter lock sqlite3 needs between rows, and the two threads ended up slower.)"""
    table, parse, parse_columns = fmt.open(path, name)
    stream = Stream(iter(()))

    def read() -> Iterator[Batch]:
        number, done = 0, False
        try:
            while not done:
                number += 1
                batch = Batch(number)
                error = None
                while batch.rows_read < batch_size and not done:
                    records, starts, error, done = table.read(min(PARSE_CHUNK, batch_size - batch.rows_read))
                    if records:
                        batch.first_line = batch.first_line or starts[0]
                        batch.last_line = starts[-1]
                        batch.rows_read += len(records)
                        _parse(batch, name, records, starts, parse, parse_columns)
                if len(set(batch.source_ids)) != len(batch):  # an id in two chunks of the batch
                    _drop_duplicates(batch, name)
                if error is not None:  # unreadable from here on (truncated quote, bad encoding)
                    batch.rejections.append(Rejection(name, error.line, error.column, error.reason))
                batch.bytes_read = table.reader.bytes_read
                if done:
                    stream.sha256, stream.size = table.reader.sha256.hexdigest(), table.reader.bytes_read
                if batch.rows_read or batch.rejections or number == 1:
                    yield batch
        finally:
            table.close()

    stream.batches = read()
    return stream


def _parse(
    batch: Batch, name: str, records: list[list[str]], starts: list[int], parse: Any, parse_columns: Any
) -> None:
    """Parse a chunk of records into the batch: column by column when the source can and every value is plain
    (ids unique), else row by row, which names each rejected row."""
    # The content hash of a record as the source gave it: a re-import with the same text is unchanged.
    blake2b, join = hashlib.blake2b, "\x1f".join
    hashes = [blake2b(join(f).encode(), digest_size=16).hexdigest() for f in records]
    columns = parse_columns(records) if parse_columns is not None else None
    if columns is None or len(set(columns[0])) != len(records):
        rows: list[ParsedRow] = []
        seen: dict[str, int] = {}
        kept: list[int] = []
        for i, (fields, line) in enumerate(zip(records, starts, strict=True)):
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
                    rows.append(row)
                    kept.append(i)
        if not rows:
            return
        columns = [list(column) for column in zip(*rows, strict=True)]
        columns[1] = [d.isoformat() for d in columns[1]]
        columns[2] = [d.isoformat() for d in columns[2]]
        starts, hashes = [starts[i] for i in kept], [hashes[i] for i in kept]
    for column, values in zip(batch.columns, columns, strict=True):
        column.extend(values)
    batch.lines.extend(starts)
    batch.hashes.extend(hashes)


def _drop_duplicates(batch: Batch, name: str) -> None:
    """Reject (and take out) the later rows of an id that two chunks of one batch both hold."""
    first: dict[str, int] = {}
    keep: list[int] = []
    for i, (source_id, line) in enumerate(zip(batch.source_ids, batch.lines, strict=True)):
        if source_id in first:
            batch.rejections.append(_duplicate(name, line, source_id, first[source_id]))
        else:
            first[source_id] = line
            keep.append(i)
    batch.columns = [[column[i] for i in keep] for column in batch.columns]
    batch.lines = [batch.lines[i] for i in keep]
    batch.hashes = [batch.hashes[i] for i in keep]
    batch.rejections.sort(key=lambda rejection: rejection.line)


def _duplicate(name: str, line: int, source_id: str, first: int | None) -> Rejection:
    if first:
        reason = _("event id %(id)s appears again (first on line %(first)d)") % {"id": source_id, "first": first}
    else:
        reason = _("event id %(id)s appears earlier in this file") % {"id": source_id}
    return Rejection(name, line, "id", reason)


@contextmanager
def page_cache() -> Iterator[None]:
    """A larger SQLite page cache for the import's connection while it runs, given back after: a million-row
    import inserts into the starts_on index at random places, and with SQLite's default 2 MB cache most of those
    inserts read a page back from the file. Only memory (bounded, whatever the file's size); durability is the
    product's settings' (WAL, synchronous NORMAL), untouched."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _executemany(cursor: Any, sql: str, rows: Any) -> None:
    """executemany on the driver's cursor; on SQLite straight to sqlite3's (qmark style), not through Django's
    wrapper, which re-reads the parameters of every row."""
    if connection.vendor == "sqlite":
        sqlite3.Cursor.executemany(cursor, sql.replace("%s", "?"), rows)
    else:
        cursor.executemany(sql, rows)


def _chunk_size() -> int:
    limit = connection.features.max_query_params
    return min(_LOOKUP_CHUNK, limit - 1) if limit else _LOOKUP_CHUNK


def existing(source: str, ids: list[str]) -> dict[str, tuple[int, str, int]]:
    """source_id -> (pk, content_hash, last_run_id) for the ids already stored: one query per chunk of ids."""
    found: dict[str, tuple[int, str, int]] = {}
    size = _chunk_size()
    with connection.cursor() as wrapper, connection.wrap_database_errors:
        cursor = wrapper.cursor  # the driver's cursor: no per-query debug bookkeeping
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            cursor.execute(
                f"SELECT source_id, id, content_hash, last_run_id FROM {TABLE} "  # noqa: S608
                f"WHERE source = %s AND source_id IN ({', '.join(['%s'] * len(chunk))})",
                [source, *chunk],
            )
            for source_id, pk, content_hash, last_run in cursor.fetchall():
                found[source_id] = (pk, content_hash, last_run)
    return found


def duplicates_of_earlier_batches(
    name: str, run_id: int, batch: Batch, stored: dict[str, tuple[int, str, int]]
) -> list[Rejection]:
    """Rows whose id an earlier batch of this same run already wrote: a duplicate within the file."""
    if not stored:
        return []
    return [
        _duplicate(name, line, source_id, None)
        for line, source_id in zip(batch.lines, batch.source_ids, strict=True)
        if stored.get(source_id, (0, "", 0))[2] == run_id
    ]


def write_batch(source: str, run_id: int, batch: Batch, stored: dict[str, tuple[int, str, int]]) -> Written:
    """Insert new events, update changed ones, mark unchanged ones as seen by this run. Call inside a transaction.

    Rows are built as tuples by zip over the batch's columns (no object per row); the geometry is computed only
    for the rows written."""
    columns, hashes = batch.columns, batch.hashes
    written = Written(digest=hashlib.sha256("".join(hashes).encode()).hexdigest())
    if not hashes:
        return written
    unchanged: list[int] = []
    if stored:
        changed = []
        for i, (source_id, content_hash) in enumerate(zip(batch.source_ids, hashes, strict=True)):
            previous = stored.get(source_id)
            if previous is not None and previous[1] == content_hash:
                unchanged.append(previous[0])
            else:
                changed.append(i)
        if len(changed) < len(hashes):
            columns = [[column[i] for i in changed] for column in columns]
            hashes = [hashes[i] for i in changed]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as wrapper, connection.wrap_database_errors:
        cursor = wrapper.cursor  # the driver's cursor: one executemany per batch, no per-row wrapper
        if hashes:
            sides, distances, cells = geometry.place_batch(columns[5], columns[4])
            rows = zip(repeat(source), *columns, sides, distances, cells, hashes, repeat(run_id), repeat(now))
            if not stored:
                _executemany(cursor, _INSERT, rows)
                written.inserted = len(hashes)
            else:
                inserts, updates = [], []
                for values in rows:
                    previous = stored.get(values[1])
                    if previous is None:
                        inserts.append(values)
                    else:
                        updates.append((*values[2:], previous[0]))
                if inserts:
                    _executemany(cursor, _INSERT, inserts)
                if updates:
                    _executemany(cursor, _UPDATE, updates)
                written.inserted, written.updated = len(inserts), len(updates)
        size = _chunk_size()
        for start in range(0, len(unchanged), size):
            chunk = unchanged[start : start + size]
            cursor.execute(
                f"UPDATE {TABLE} SET last_run_id = %s WHERE id IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608
                [run_id, *chunk],
            )
    written.unchanged = len(unchanged)
    return written
