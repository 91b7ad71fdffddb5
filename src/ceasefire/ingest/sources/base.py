"""What every source's parser shares: the normalised row, rejections naming file, line and column, header checks
that name missing and renamed columns, and field parsers (row by row, and whole columns). Streaming a file is in
reading.py."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .reading import Records, Table


class ParsedRow(NamedTuple):
    """One event, normalised; the order is the importer's column order (importer.py)."""

    source_id: str
    starts_on: dt.date
    ends_on: dt.date
    date_precision: str
    latitude: float
    longitude: float
    place_precision: str
    location: str
    admin1: str
    admin2: str
    country: str
    category: str
    source_type: str
    actor1: str
    actor2: str
    fatalities_best: int | None
    fatalities_low: int | None
    fatalities_high: int | None
    source_text: str


@dataclass(frozen=True)
class Rejection:
    file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "column": self.column, "reason": self.reason}


class RowRejected(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason
        self.line = 0  # set where the line is known (Table.read)


class RowSkipped(Exception):
    """A well-formed row outside what the mechanism keeps (a GDELT event with no place): counted, not stored."""


class FileRejected(Exception):
    """The whole file is refused (wrong format, missing columns): nothing of it is stored."""

    def __init__(self, rejection: Rejection) -> None:
        super().__init__(str(rejection))
        self.rejection = rejection


def check_header(table: Table, *, required: Sequence[str], label: str, delimiter_name: str) -> dict[str, int]:
    """The index of every required column; refuses a wrong delimiter or missing/renamed columns, naming them."""
    header = [h.strip() for h in table.header or []]
    if len(header) == 1:
        found = [(d, name) for d, name in ((";", "semicolon"), ("\t", "tab"), ("|", "pipe")) if d in header[0]]
        hint = _(" (it looks %(name)s-separated)") % {"name": found[0][1]} if found else ""
        raise FileRejected(
            Rejection(
                table.name,
                1,
                "",
                _("the header has a single column: a %(label)s file is %(delimiter)s-separated%(hint)s")
                % {"label": label, "delimiter": delimiter_name, "hint": hint},
            )
        )
    index = {name: i for i, name in enumerate(header)}
    missing = [name for name in required if name not in index]
    if missing:
        unexpected = [name for name in header if name and name not in required]
        message = _("missing %(label)s column(s): %(missing)s") % {"label": label, "missing": ", ".join(missing)}
        if unexpected:
            message += _("; found instead: %(unexpected)s") % {"unexpected": ", ".join(unexpected[:12])}
        raise FileRejected(Rejection(table.name, 1, ", ".join(missing), message))
    return index


# --- field parsers: each raises RowRejected naming the column ---


def text(fields: list[str], i: int, limit: int) -> str:
    return fields[i].strip()[:limit] if i >= 0 else ""


def coordinate(fields: list[str], i: int, column: str, bound: float) -> float:
    raw = fields[i]
    try:
        value = float(raw)
    except ValueError:
        raise RowRejected(column, _("'%(value)s' is not a number") % {"value": raw.strip()[:40]}) from None
    if not -bound <= value <= bound:
        raise RowRejected(
            column, _("%(value)s is out of range (-%(bound)g to %(bound)g)") % {"value": raw[:40], "bound": bound}
        )
    return value


def count(fields: list[str], i: int, column: str) -> int | None:
    if i < 0:
        return None
    raw = fields[i].strip()
    if not raw:
        return None
    try:
        value = int(float(raw)) if "." in raw else int(raw)
    except ValueError:
        raise RowRejected(column, _("'%(value)s' is not a whole number") % {"value": raw[:40]}) from None
    if value < 0:
        raise RowRejected(column, _("%(value)s is negative") % {"value": raw})
    return value


_fromiso = dt.date.fromisoformat
_MONTHS = {
    m: i
    for i, m in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}
_DMY = re.compile(r"^(\d{1,2})[-/ ]([A-Za-z]+|\d{1,2})[-/ ](\d{4})$")


def iso_date(raw: str, column: str) -> dt.date:
    try:
        return _fromiso(raw if len(raw) == 10 else raw.strip()[:10])
    except ValueError:
        value = raw.strip()
        raise RowRejected(column, _("'%(value)s' is not a date (YYYY-MM-DD)") % {"value": value[:40]}) from None


def flexible_date(raw: str, column: str) -> dt.date:
    """ISO, dd-mm-yyyy (ACLED's codebook) or '15 January 2020' (older ACLED exports)."""
    value = raw.strip()
    if len(value) >= 10 and value[4] == "-":
        return iso_date(value, column)
    match = _DMY.match(value)
    if match:
        day, month, year = match.groups()
        number = int(month) if month.isdigit() else _MONTHS.get(month.lower(), 0)
        try:
            return dt.date(int(year), number, int(day))
        except ValueError:
            pass
    raise RowRejected(column, _("'%(value)s' is not a date (YYYY-MM-DD or DD-MM-YYYY)") % {"value": value[:40]})


def compact_date(raw: str, column: str) -> dt.date:
    value = raw.strip()
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise RowRejected(column, _("'%(value)s' is not a date (YYYYMMDD)") % {"value": value[:40]}) from None


# --- the same parsers for a whole column (the fast path of a batch): None when any value needs the one above ---


def cut_column(values: list[str], limit: int) -> list[str]:
    return values if max(map(len, values), default=0) <= limit else [s[:limit] for s in values]


def iso_column(raw: Sequence[str]) -> tuple[list[dt.date] | None, list[str]]:
    """iso_date of every value, and the dates as ISO text (the values themselves when already so)."""
    ten = set(map(len, raw)) == {10}
    values = list(raw) if ten else [s if len(s) == 10 else s.strip()[:10] for s in raw]
    try:
        dates = list(map(_fromiso, values))
    except ValueError:
        return None, []
    # Ten characters that fromisoformat reads are YYYY-MM-DD or an ISO week date (YYYY-Www-D).
    if ten and "W" not in "".join(values):
        return dates, values
    return dates, [d.isoformat() for d in dates]


def coordinate_column(raw: Sequence[str], bound: float) -> list[float] | None:
    try:
        values = list(map(float, raw))
    except ValueError:
        return None
    array = np.asarray(values)
    return values if bool(((array >= -bound) & (array <= bound)).all()) else None  # NaN is out of range too


def count_column(raw: Sequence[str]) -> list[int | None] | None:
    values: list[int | None]
    try:
        values = list(map(int, raw))  # every value given: the usual case
    except ValueError:
        try:
            values = [int(s) if s and not s.isspace() else None for s in raw]  # "3.0" raises: count() reads it
        except ValueError:
            return None
    if "-" in "".join(raw) and any(v is not None and v < 0 for v in values):
        return None
    return values


def check_columns(fields: list[str], expected: int | set[int], label: str) -> None:
    allowed = {expected} if isinstance(expected, int) else expected
    if len(fields) not in allowed:
        want = " or ".join(str(n) for n in sorted(allowed))
        hint = _(" (truncated?)") if len(fields) < min(allowed) else ""
        raise RowRejected(
            "",
            _("%(found)d columns where a %(label)s row has %(want)s%(hint)s")
            % {"found": len(fields), "label": label, "want": want, "hint": hint},
        )


# --- recognising a file given to the wrong importer ---

_SIGNATURES: dict[str, tuple[str, ...]] = {
    "ucdp": ("type_of_violence", "where_prec", "dyad_name", "side_a", "date_prec"),
    "acled": ("event_id_cnty", "sub_event_type", "geo_precision", "assoc_actor_1"),
}


def sniff(path: Path) -> str:
    """The source a file looks like from its first line ('' when unknown)."""
    with path.open("rb") as stream:
        first = stream.readline(1 << 20).decode("utf-8", "replace").lstrip("\ufeff").strip("\r\n")
    if first.count("\t") in (56, 57, 60) and first.split("\t", 1)[0].isdigit():
        return "gdelt"
    names = {part.strip().strip('"') for part in re.split(r"[,;\t|]", first)}
    for source, signature in _SIGNATURES.items():
        if sum(name in names for name in signature) >= 2:
            return source
    return ""


# The fast path of a batch: the records' values column by column in ParsedRow's order (dates as ISO strings),
# or None when any record needs the row-by-row parser (a value to reject, an unusual form): that parser decides.
Columns = list[list[Any]]
ParseColumns = Callable[["Records"], Columns | None]


@dataclass(frozen=True)
class EventFormat:
    """A source's file format: how to open it and turn a record into a ParsedRow (and, for the sources that have
    one, a whole batch of records into columns at once)."""

    source: str
    label: str
    open: Callable[[Path, str], tuple[Table, Callable[[list[str]], ParsedRow], ParseColumns | None]]
    command: str  # the importer name on the command line, for "import it with ..." hints


def wrong_importer(path: Path, display_name: str, expected: EventFormat) -> None:
    """Refuse a file of another source's format with a message saying which importer it belongs to."""
    found = sniff(path)
    if found and found != expected.source:
        from . import formats  # the sources' parsers import this module

        raise FileRejected(
            Rejection(
                display_name,
                1,
                "",
                _(
                    "this is not in the %(label)s format: it looks like %(found_label)s data; import it as "
                    "%(found_label)s (`ceasefire import %(found)s`)"
                )
                % {"label": expected.label, "found_label": formats()[found].label, "found": found},
            )
        )
