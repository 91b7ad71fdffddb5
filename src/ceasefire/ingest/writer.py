"""Writing parsed rows into ExternalEvent, a slice of a batch at a time, inside the batch's transaction.

New events are inserted, changed ones (their content hash differs) updated, unchanged ones marked as seen by the
run; an id an earlier batch of the same run wrote is a duplicate within the file. Writes are one executemany per
slice on the driver's cursor: no model instance, no per-row Python object beyond the row's tuple.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from django.db import connection
from django.utils import timezone

from . import geometry
from .importer import COLUMNS, TABLE, Rows, duplicate
from .sources import Rejection

PAGE_CACHE_KIB = 64 * 1024  # SQLite's page cache during an import (page_cache)
_LOOKUP_CHUNK = 10_000  # ids per existence query (SQLite allows 32766 parameters, PostgreSQL 65535)

_INSERT = f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"  # noqa: S608
_UPDATE = f"UPDATE {TABLE} SET {', '.join(f'{c} = %s' for c in COLUMNS[2:])} WHERE id = %s"  # noqa: S608

# source_id -> (pk, content_hash, last_run_id) of the events already stored
Stored = dict[str, tuple[int, str, int]]


@dataclass
class Written:
    """What a batch's writes did, and the SHA-256 of its rows' content hashes in order (its log entry's digest)."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rows_digest: Any = field(default_factory=hashlib.sha256)

    @property
    def digest(self) -> str:
        return str(self.rows_digest.hexdigest())


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


def existing(source: str, ids: list[str]) -> Stored:
    """source_id -> (pk, content_hash, last_run_id) for the ids already stored: one query per chunk of ids."""
    found: Stored = {}
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


def duplicates_of_earlier_batches(name: str, run_id: int, rows: Rows, stored: Stored) -> list[Rejection]:
    """Rows whose id an earlier batch of this same run already wrote: a duplicate within the file. (Two rows of one
    id within a batch are rejected as it is parsed, so a row this run wrote is an earlier batch's.)"""
    if not stored:
        return []
    return [
        duplicate(name, line, source_id, None)
        for line, source_id in zip(rows.lines, rows.source_ids, strict=True)
        if stored.get(source_id, (0, "", 0))[2] == run_id
    ]


def write_rows(source: str, run_id: int, rows: Rows, stored: Stored, written: Written) -> None:
    """Insert new events, update changed ones, mark unchanged ones as seen by this run, counting into `written`.
    Call inside the batch's transaction.

    Rows are built as tuples by zip over the columns (no object per row); the geometry is the rows' own when they
    came placed, else computed here for the rows written only."""
    columns, hashes, placed = rows.columns, rows.hashes, rows.placed
    written.rows_digest.update("".join(hashes).encode())
    if not hashes:
        return
    unchanged: list[int] = []
    if stored:
        changed = []
        for i, (source_id, content_hash) in enumerate(zip(rows.source_ids, hashes, strict=True)):
            previous = stored.get(source_id)
            if previous is not None and previous[1] == content_hash:
                unchanged.append(previous[0])
            else:
                changed.append(i)
        if len(changed) < len(hashes):
            columns = [[column[i] for i in changed] for column in columns]
            hashes = [hashes[i] for i in changed]
            if placed is not None:
                sides, distances, cells = placed
                placed = ([sides[i] for i in changed], [distances[i] for i in changed], [cells[i] for i in changed])
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as wrapper, connection.wrap_database_errors:
        cursor = wrapper.cursor  # the driver's cursor: one executemany per slice, no per-row wrapper
        if hashes:
            sides, distances, cells = placed if placed is not None else geometry.place_batch(columns[5], columns[4])
            values = zip(repeat(source), *columns, sides, distances, cells, hashes, repeat(run_id), repeat(now))
            if not stored:
                _executemany(cursor, _INSERT, values)
                written.inserted += len(hashes)
            else:
                inserts, updates = [], []
                for row in values:
                    previous = stored.get(row[1])
                    if previous is None:
                        inserts.append(row)
                    else:
                        updates.append((*row[2:], previous[0]))
                if inserts:
                    _executemany(cursor, _INSERT, inserts)
                if updates:
                    _executemany(cursor, _UPDATE, updates)
                written.inserted += len(inserts)
                written.updated += len(updates)
        size = _chunk_size()
        for start in range(0, len(unchanged), size):
            chunk = unchanged[start : start + size]
            cursor.execute(
                f"UPDATE {TABLE} SET last_run_id = %s WHERE id IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608
                [run_id, *chunk],
            )
    written.unchanged += len(unchanged)
