"""Streaming a source file into batches of parsed rows.

The file is read once (hashed as it goes), a batch of records at a time. A batch is parsed column by column when the
source has that fast path (UCDP GED) and every value in it is plain; otherwise, and always to name what is wrong,
record by record into a ParsedRow or a rejection naming file, line and column: both give the same values. A batch
is written whole or not at all (writer.py): one with any rejected row is held back and reported. services.py has
the batches read and parsed in a second process, one batch ahead of the writes (parse_ahead.py), and wraps each
batch in its transaction with its log entry.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from . import geometry
from .models import ExternalEvent
from .sources import EventFormat, ParsedRow, Rejection, RowRejected
from .sources.base import Columns, RowSkipped
from .sources.reading import Records, Table

BATCH_SIZE = 50_000  # rows per transaction
# Records read and parsed at a time, and rows per executemany: small enough that a chunk's values (49 strings a GED
# record) stay in the processor's cache between being made and being used. With 10k records (~27 MB) they did not,
# and parsing cost a fifth more; binding a 50k-row batch's values at once cost the writes as much again.
PARSE_CHUNK = 2_000
WRITE_SLICE = 2_000

TABLE = ExternalEvent._meta.db_table
# The parsed columns, in ParsedRow's order, then what the importer adds (writer.py writes them in this order).
PARSED_COLUMNS = ParsedRow._fields
COLUMNS = ("source", *PARSED_COLUMNS, "side", "distance_km", "h3_cell", "content_hash", "last_run_id", "updated_at")

# Side of the reference line, distance to it (km) and H3 cell of each row, in the rows' order.
Placed = tuple[list[str], list[float], list[int]]


@dataclass
class Rows:
    """Parsed rows column by column, in ParsedRow's order (dates as ISO text), with each row's line, the content
    hash of its record as given, and its geometry once placed."""

    columns: Columns = field(default_factory=lambda: [[] for _ in PARSED_COLUMNS])
    lines: list[int] = field(default_factory=list)
    hashes: list[str] = field(default_factory=list)
    placed: Placed | None = None

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def source_ids(self) -> list[str]:
        return self.columns[0]

    def slice(self, start: int, stop: int) -> Rows:
        placed = self.placed
        return Rows(
            [column[start:stop] for column in self.columns],
            self.lines[start:stop],
            self.hashes[start:stop],
            None if placed is None else (placed[0][start:stop], placed[1][start:stop], placed[2][start:stop]),
        )


@dataclass
class Batch(Rows):
    """A batch of a file: its parsed rows, the rejections of the others, and where in the file it lies."""

    number: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    skipped: int = 0
    rows_read: int = 0
    bytes_read: int = 0
    first_line: int = 0
    last_line: int = 0

    def slices(self) -> Iterator[Rows]:
        """The rows WRITE_SLICE at a time: what one executemany writes."""
        for start in range(0, len(self), WRITE_SLICE):
            yield self.slice(start, start + WRITE_SLICE)

    @property
    def rows(self) -> list[tuple[int, ParsedRow, str]]:
        """(line, row, content hash) of each parsed row (the tests read batches this way)."""
        date = dt.date.fromisoformat
        return [
            (line, ParsedRow(v[0], date(v[1]), date(v[2]), *v[3:]), digest)
            for line, digest, v in zip(self.lines, self.hashes, zip(*self.columns, strict=True), strict=True)
        ]


@dataclass
class Stream:
    """The batches of one file, and the file's SHA-256 and size once it has been read to the end."""

    batches: Iterator[Batch]
    table: Table | None = None  # the open file, read by `batches`
    sha256: str = ""
    size: int = 0


def stream_batches(fmt: EventFormat, path: Path, name: str, batch_size: int = BATCH_SIZE) -> Stream:
    """Open and check the file (FileRejected for a wrong format, delimiter or header), then stream its batches.

    A batch is read and parsed PARSE_CHUNK records at a time, so that only its parsed columns and one chunk of raw
    records are in memory, whatever the file's size. The import has it done in a second process, a batch ahead of
    the writes (parse_ahead.py)."""
    table, parse, parse_columns = fmt.open(path, name)
    stream = Stream(iter(()), table)

    def read() -> Iterator[Batch]:
        number, done = 0, False
        try:
            while not done:
                number += 1
                batch = Batch(number=number)
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


def _parse(batch: Batch, name: str, records: Records, starts: list[int], parse: Any, parse_columns: Any) -> None:
    """Parse a chunk of records into the batch: column by column when the source can and every value is plain
    (ids unique), else row by row, which names each rejected row."""
    # The content hash of a record as the source gave it: a re-import with the same text is unchanged.
    hashes = records.content_hashes()
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
                    batch.rejections.append(duplicate(name, line, row.source_id, seen[row.source_id]))
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
            batch.rejections.append(duplicate(name, line, source_id, first[source_id]))
        else:
            first[source_id] = line
            keep.append(i)
    batch.columns = [[column[i] for i in keep] for column in batch.columns]
    batch.lines = [batch.lines[i] for i in keep]
    batch.hashes = [batch.hashes[i] for i in keep]
    batch.rejections.sort(key=lambda rejection: rejection.line)


def duplicate(name: str, line: int, source_id: str, first: int | None) -> Rejection:
    if first:
        reason = _("event id %(id)s appears again (first on line %(first)d)") % {"id": source_id, "first": first}
    else:
        reason = _("event id %(id)s appears earlier in this file") % {"id": source_id}
    return Rejection(name, line, "id", reason)


def place(rows: Rows) -> None:
    """Compute the geometry of every row (where the rows are parsed, a process apart from the writes)."""
    if len(rows):
        rows.placed = geometry.place_batch(rows.columns[5], rows.columns[4])


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """Python's cyclic garbage collector off while an import runs, back as it was after.

    An import allocates millions of short-lived lists and tuples (a record's fields, a row's values), none of them
    in a reference cycle: reference counting frees each as soon as it is done with. The collector would still walk
    them every few hundred allocations, and on its full passes the whole application besides: measured on a
    million-row file, that was a third of the reading and parsing time. The few cycles an import may leave behind
    are collected once it is back on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
