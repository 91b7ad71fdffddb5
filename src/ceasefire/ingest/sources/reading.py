"""Streaming a delimited file: hashed (SHA-256) as it is read, a chunk of records at a time, each with the line it
starts on, and each record's content hash; for the column-wise parsers, a chunk's columns taken in one pass."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice, repeat
from operator import itemgetter
from pathlib import Path
from typing import BinaryIO, overload

from django.utils.translation import gettext as _

from .base import FileRejected, Rejection, RowRejected

# A CSV field may hold a long article list (UCDP's source_article); far beyond this is not an event file.
csv.field_size_limit(16 * 1024 * 1024)

UNIT_SEPARATOR = "\x1f"  # joins a record's fields for its content hash


class HashingReader(io.RawIOBase):
    """Reads a binary file, hashing (SHA-256) and counting the bytes as they go by: one pass for both."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.raw.close()
        super().close()

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        if n:
            self.sha256.update(buffer[:n])
            self.bytes_read += n
        return int(n or 0)


class Records(Sequence[list[str]]):
    """A chunk of records as read: while none of its lines holds a quote, the lines themselves (a million-row file
    is mostly such chunks), split into fields only if a record is asked for; else each record's fields as the csv
    reader gave them. A line without a quote split on the delimiter is what the csv reader makes of it."""

    def __init__(self, delimiter: str, *, lines: list[str] | None = None, fields: list[list[str]] | None = None):
        self.delimiter = delimiter
        self.lines = lines  # without their line ends
        self._fields = fields

    @property
    def fields(self) -> list[list[str]]:
        if self._fields is None:
            self._fields = [line.split(self.delimiter) for line in self.lines or ()]
        return self._fields

    def __len__(self) -> int:
        return len(self.lines) if self.lines is not None else len(self.fields)

    @overload
    def __getitem__(self, i: int) -> list[str]: ...
    @overload
    def __getitem__(self, i: slice) -> list[list[str]]: ...
    def __getitem__(self, i: int | slice) -> list[str] | list[list[str]]:
        return self.fields[i]

    def __iter__(self) -> Iterator[list[str]]:
        return iter(self.fields)

    def content_hashes(self) -> list[str]:
        """Each record's BLAKE2b (128 bits) of its fields joined by the unit separator: the record as the source
        gave it, whatever its quoting (a re-import of the same values is unchanged). A quote-free line's fields so
        joined are the line with each delimiter replaced, done for the whole chunk at once."""
        blake2b = hashlib.blake2b
        if self.lines is not None:
            texts = "\n".join(self.lines).replace(self.delimiter, UNIT_SEPARATOR).split("\n") if self.lines else []
        else:
            texts = list(map(UNIT_SEPARATOR.join, self.fields))
        return [blake2b(text.encode(), digest_size=16).hexdigest() for text in texts]

    def columns(self, width: int, picked: Sequence[int]) -> list[Sequence[str]] | None:
        """The picked columns of every record, or None when any record has not `width` fields. Quote-free lines
        are split all at once into one list of fields, and each column is a slice of it: no list per record."""
        if not len(self):
            return [[] for _ in picked]
        if self.lines is not None and self._fields is None:
            delimiter = self.delimiter
            if set(map(str.count, self.lines, repeat(delimiter))) != {width - 1}:
                return None
            flat = delimiter.join(self.lines).split(delimiter)
            return [flat[i::width] for i in picked]
        if set(map(len, self.fields)) != {width}:
            return None
        if len(picked) == 1:
            return [[record[picked[0]] for record in self.fields]]
        return list(zip(*map(itemgetter(*picked), self.fields), strict=True))


@dataclass
class Table:
    """A delimited file being streamed, a chunk of records at a time (`read`), with the line each starts on."""

    name: str
    reader: HashingReader
    stream: io.TextIOWrapper
    delimiter: str
    header: list[str] | None
    line: int = 0  # physical lines consumed so far

    def close(self) -> None:
        self.stream.close()

    def read(self, n: int) -> tuple[Records, list[int], RowRejected | None, bool]:
        """Up to n non-blank records, the line each starts on, the error that stopped reading (a truncated quote,
        bad encoding, naming the line it is on) and whether the file is done.

        Lines are taken a chunk at a time. A chunk without any quote character is kept as its lines (Records). One
        with a quote is read line by line, a line with a quote by the csv reader itself, which takes the following
        lines too when a quoted field spans them."""
        lines: list[str] = []  # while every chunk so far was quote-free
        fields: list[list[str]] | None = None  # from the first chunk with a quote on: every record's fields
        starts: list[int] = []
        stream, delimiter = self.stream, self.delimiter
        error: RowRejected | None = None
        done = False
        while len(starts) < n and not done and error is None:
            need = n - len(starts)
            chunk: list[str] = []
            append = chunk.append
            try:
                for text in islice(stream, need):
                    append(text)
            except UnicodeDecodeError as exc:
                error = _at(RowRejected("", _("the file is not UTF-8 text (byte %(at)d)") % {"at": exc.start}), 0)
            done = len(chunk) < need
            line = self.line
            joined = "".join(chunk)
            if '"' not in joined:
                if "\r" in joined:  # CRLF (or CR) line ends
                    found = [text.rstrip("\r\n") for text in chunk]
                else:  # every line but maybe the file's last ends with \n: one split for the chunk
                    found = joined.split("\n")
                    if joined.endswith("\n"):
                        found.pop()
                if "" in found:  # blank lines are skipped
                    kept = [(text, line + 1 + i) for i, text in enumerate(found) if text]
                    found = [text for text, _s in kept]
                    starts.extend(s for _t, s in kept)
                else:
                    starts.extend(range(line + 1, line + 1 + len(found)))
                if fields is None:
                    lines.extend(found)
                else:
                    fields.extend(text.split(delimiter) for text in found)
                self.line = line + len(chunk)
            else:
                if fields is None:
                    fields, lines = [text.split(delimiter) for text in lines], []
                error = self._read_lines(chunk, fields, starts) or error
            if error is not None and not error.line:
                error.line = self.line + 1
        records = Records(delimiter, lines=lines) if fields is None else Records(delimiter, fields=fields)
        return records, starts, error, done or error is not None

    def _read_lines(self, chunk: list[str], records: list[list[str]], starts: list[int]) -> RowRejected | None:
        """A chunk line by line (it holds a quote): a quoted record may take lines past the chunk's end."""
        lines = iter(chunk)
        source = chain(lines, self.stream)
        line = self.line
        first = line + 1
        try:
            for text in lines:
                line += 1
                if '"' in text:
                    first = line
                    quoted = csv.reader(chain((text,), source), delimiter=self.delimiter, strict=True)
                    fields = next(quoted, [])
                    line += quoted.line_num - 1
                else:
                    fields = text.rstrip("\r\n").split(self.delimiter)
                    first = line
                    if fields == [""]:
                        continue
                if fields:
                    records.append(fields)
                    starts.append(first)
        except csv.Error as exc:
            reason = (
                _("the file ends inside a quoted field: it looks truncated") if "end of data" in str(exc) else str(exc)
            )
            self.line = line
            return _at(RowRejected("", reason), first)
        except UnicodeDecodeError as exc:
            self.line = line
            return _at(RowRejected("", _("the file is not UTF-8 text (byte %(at)d)") % {"at": exc.start}), line + 1)
        self.line = line
        return None


def _at(error: RowRejected, line: int) -> RowRejected:
    error.line = line
    return error


def open_table(path: Path, display_name: str, *, delimiter: str, has_header: bool) -> Table:
    reader = HashingReader(path.open("rb"))
    text = io.TextIOWrapper(io.BufferedReader(reader, 1 << 20), encoding="utf-8-sig", newline="")
    header, line = None, 0
    if has_header:
        rows = csv.reader(text, delimiter=delimiter, strict=True)
        try:
            header = next(rows, None)
        except (csv.Error, UnicodeDecodeError) as exc:
            text.close()
            raise FileRejected(Rejection(display_name, 1, "", _("unreadable header: %(e)s") % {"e": exc})) from exc
        if header is None:
            text.close()
            raise FileRejected(Rejection(display_name, 0, "", _("the file is empty")))
        line = rows.line_num
    return Table(display_name, reader, text, delimiter, header, line)
