"""Reading and parsing an import's file in a second process, one batch ahead of the database writes.

On a million-row GED file the importer spends about as long reading, parsing, hashing and placing rows (Python) as
writing them (SQLite). In one process the two cannot overlap: threads share the interpreter lock, which sqlite3
takes back between rows (tried: both threads ended up slower). So a child process reads the file, parses, hashes
and places each batch and sends it through a pipe while the importer writes the one before. The child blocks until
the importer takes the batch, so it is never more than one batch ahead: memory stays flat, whatever the file's size.

The child is forked, not spawned: it starts at once with everything it needs already loaded (settings, the active
translation for rejection messages, the reference line's index), and it inherits the file the importer has opened
and whose header it has checked. A spawned one would spend seconds importing Django and building the index again.
It never touches the database: it uses no connection, and leaves the inherited one alone (a SQLite or psycopg
connection must not be used across a fork); it ends with os._exit, as every multiprocessing child does, so nothing
inherited is closed or finalised. A fork copies only the forking thread, and a lock another thread held at that
moment stays held in the child: imports run from the command line (whose progress bar redraws from a thread) and
the task worker, whose other threads never touch what the child uses (the file, Django's translations, numpy,
shapely, h3, the pipe).
Where fork is not available, the batches are parsed in-process instead: the same batches, only slower (and placed
as they are written, for the rows written only).

A batch crosses the pipe as marshal data (a C-level format for plain values, several times cheaper than pickle for
millions of small strings), its rows in slices of WRITE_SLICE rows: each text column as one string joined on NUL,
numbers as lists.
"""

from __future__ import annotations

import logging
import marshal
import multiprocessing
import signal
import traceback
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any

from django.utils.translation import gettext as _

from . import geometry
from .importer import Batch, Rows, Stream, place
from .sources import Rejection

# Positions of the text columns in a batch's columns (ParsedRow's order; dates are ISO text there).
_TEXT = frozenset((0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 18))
_NUL = "\x00"

logger = logging.getLogger(__name__)


class ParsingFailed(Exception):
    """The parsing process stopped on an error it could not report as a rejection (its traceback is logged)."""


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


@contextmanager
def parsed_batches(stream: Stream) -> Iterator[Iterator[Batch]]:
    """The stream's batches, read, parsed and placed (geometry computed) a batch ahead in a child process when
    this process can fork; the child is ended on the way out, whatever happens to the writes."""
    if not _can_fork():
        yield stream.batches
        return
    geometry.prepare()  # built here, once per process, rather than by every import's child
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_parse_into, args=(stream, sender), name="ceasefire-import-parser", daemon=True)
    with warnings.catch_warnings():
        # Python warns of any fork with other threads alive; why this one is safe is said above.
        warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
        child.start()
    sender.close()
    if stream.table is not None:
        stream.table.close()  # the child reads the file; this process's copy is closed (the child's stays open)
    try:
        yield _received(receiver, child, stream)
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join()


def _parse_into(stream: Stream, sender: Connection) -> None:
    """The child: every batch of the file, then the file's SHA-256 and size; or the error that stopped it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the importer ends us
    try:
        for batch in stream.batches:
            place(batch)
            sender.send_bytes(_encode(batch))
        sender.send_bytes(marshal.dumps(("end", stream.sha256, stream.size)))
    except BrokenPipeError:  # the importer stopped first
        pass
    except Exception as exc:
        sender.send_bytes(marshal.dumps(("error", f"{type(exc).__name__}: {exc}", traceback.format_exc())))
    finally:
        sender.close()


def _received(receiver: Connection, child: Any, stream: Stream) -> Iterator[Batch]:
    while True:
        try:
            message = marshal.loads(receiver.recv_bytes())  # noqa: S302 (our own child, over a private pipe)
        except EOFError:
            child.join()
            raise ParsingFailed(
                _("the parsing process ended unexpectedly (exit code %(code)s)") % {"code": child.exitcode}
            ) from None
        if message[0] == "end":
            stream.sha256, stream.size = message[1], message[2]
            return
        if message[0] == "error":
            logger.error("The parsing process of an import failed:\n%s", message[2])
            raise ParsingFailed(message[1])
        yield ReceivedBatch.decode(message)


class ReceivedBatch(Batch):
    """A batch as the parsing process sent it: everything but its rows decoded; its rows kept encoded, a slice
    each, and decoded one slice at a time as they are written (a slice's values are then fresh in the processor's
    cache when they are bound, and only one slice of them is in memory)."""

    def __init__(self, number: int, count: int, encoded: list[bytes]) -> None:
        super().__init__(number=number)
        self.count = count
        self.encoded = encoded

    def __len__(self) -> int:
        return self.count

    def slices(self) -> Iterator[Rows]:
        for payload in self.encoded:
            yield _decode_rows(payload)

    @classmethod
    def decode(cls, message: tuple[Any, ...]) -> ReceivedBatch:
        (_kind, number, count, encoded, rejections, skipped, rows_read, bytes_read, first_line,
         last_line) = message  # fmt: skip
        batch = cls(number, count, encoded)
        batch.rejections = [Rejection(*r) for r in rejections]
        batch.skipped, batch.rows_read, batch.bytes_read = skipped, rows_read, bytes_read
        batch.first_line, batch.last_line = first_line, last_line
        return batch


def _encode(batch: Batch) -> bytes:
    """A batch's message: its counts and rejections, and its rows a slice each (none when it holds a rejected row:
    it is held back whole, its rows are never written)."""
    encoded = [] if batch.rejections else [_encode_rows(rows) for rows in batch.slices()]
    rejections = [(r.file, r.line, str(r.column), str(r.reason)) for r in batch.rejections]
    return marshal.dumps(
        ("batch", batch.number, len(batch), encoded, rejections, batch.skipped, batch.rows_read, batch.bytes_read,
         batch.first_line, batch.last_line),
        2,  # version 2: no back-references, the fastest to write
    )  # fmt: skip


def _encode_rows(rows: Rows) -> bytes:
    columns = [_encode_text(column) if i in _TEXT else column for i, column in enumerate(rows.columns)]
    placed = None
    if rows.placed is not None:
        sides, distances, cells = rows.placed
        placed = (_encode_text(sides), distances, cells)
    return marshal.dumps((columns, rows.lines, _encode_text(rows.hashes), placed), 2)


def _encode_text(values: list[Any]) -> Any:
    """A text column as one string joined on NUL (split back in one call; it also turns the categories' enum
    members into plain strings), unless a value holds a NUL itself."""
    if not values:
        return values
    joined = _NUL.join(values)
    if joined.count(_NUL) == len(values) - 1:
        return joined
    return [str(v) for v in values]


def _decode_text(value: Any) -> list[Any]:
    return value.split(_NUL) if isinstance(value, str) else value


def _decode_rows(payload: bytes) -> Rows:
    columns, lines, hashes, placed = marshal.loads(payload)  # noqa: S302 (written by our own child)
    rows = Rows([_decode_text(column) for column in columns], lines, _decode_text(hashes))
    if placed is not None:
        rows.placed = (_decode_text(placed[0]), placed[1], placed[2])
    return rows
