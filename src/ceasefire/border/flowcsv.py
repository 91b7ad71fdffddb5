"""Reading a flows CSV: the exact columns, and each value checked where it stands, so that every problem is
reported with its line and column. Only shape and syntax here; services.import_flow_csv checks the rest
(known crossings, duplicates, who may report what) and stores all rows or none."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext

FLOW_COLUMNS = [
    "date",
    "crossing",
    "direction",
    "category",
    "total",
    "documented",
    "undocumented",
    "source",
    "source_note",
]
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")
MAX_ERRORS = 50  # past this many, the rest of a broken file tells the reader nothing new


@dataclass(frozen=True)
class FlowRow:
    """One day's count at one crossing, in one direction, of one category, from one source."""

    day: dt.date
    crossing: str  # slug or name
    direction: str
    category: str
    total: int
    documented: int | None = None
    undocumented: int | None = None
    source: str = "party"
    source_note: str = ""
    line: int = 0  # where it came from (0: not from a file)


class FlowFileErrors(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def where(line: int, column: str | None = None) -> str:
    if column is None:
        return gettext("line %(line)d") % {"line": line}
    return gettext("line %(line)d, column %(column)s") % {"line": line, "column": column}


def parse_count(value: str, *, required: bool) -> int | None:
    """A count of people or trucks: a whole number, zero or more ("4,000" allowed). Raises ValueError saying why."""
    text = value.strip()
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if not text:
        if required:
            raise ValueError(gettext("a count is required"))
        return None
    if text.lstrip("-").isdigit():
        number = int(text)
        if number < 0:
            raise ValueError(gettext("'%(value)s' is negative; counts are zero or more") % {"value": value})
        return number
    try:
        float(text)
    except ValueError:
        raise ValueError(gettext("'%(value)s' is not a number") % {"value": value}) from None
    raise ValueError(gettext("'%(value)s' is not a whole number") % {"value": value})


def parse_flow_csv(data: bytes) -> list[FlowRow]:
    """The rows of a flows CSV, or FlowFileErrors naming each bad line and column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FlowFileErrors(
            {"file": gettext("The file is not UTF-8 text (byte %(at)d).") % {"at": exc.start}}
        ) from exc
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise FlowFileErrors(
            {
                where(1): gettext("The file is empty; expected the header %(columns)s.")
                % {"columns": ",".join(FLOW_COLUMNS)}
            }
        )
    header = [h.strip() for h in header]
    errors: dict[str, str] = {}
    for index, name in enumerate(header, start=1):
        if name not in FLOW_COLUMNS:
            errors[where(1, str(index))] = gettext("unexpected column '%(name)s'; the columns are %(columns)s.") % {
                "name": name,
                "columns": ", ".join(FLOW_COLUMNS),
            }
    for name in FLOW_COLUMNS:
        if name not in header:
            errors[where(1, name)] = gettext("missing column '%(name)s'.") % {"name": name}
    if errors:
        raise FlowFileErrors(errors)
    rows: list[FlowRow] = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            errors[where(line)] = gettext("%(found)d fields, expected %(expected)d (%(columns)s).") % {
                "found": len(values),
                "expected": len(header),
                "columns": ",".join(header),
            }
        else:
            row = _row(dict(zip(header, values, strict=True)), line, errors)
            if row is not None:
                rows.append(row)
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise FlowFileErrors(errors)
    if not rows:
        raise FlowFileErrors({where(2): gettext("The file has a header but no rows.")})
    return rows


def _row(cells: dict[str, str], line: int, errors: dict[str, str]) -> FlowRow | None:
    before = len(errors)
    day = None
    try:
        day = dt.date.fromisoformat(cells["date"].strip())
    except ValueError:
        errors[where(line, "date")] = gettext("'%(value)s' is not a date (YYYY-MM-DD).") % {"value": cells["date"]}
    counts: dict[str, int | None] = {}
    for column in ("total", "documented", "undocumented"):
        try:
            counts[column] = parse_count(cells[column], required=column == "total")
        except ValueError as exc:
            errors[where(line, column)] = f"{exc}."
    if len(errors) > before or day is None:
        return None
    total = counts["total"]
    assert total is not None
    return FlowRow(
        day=day,
        crossing=cells["crossing"].strip(),
        direction=cells["direction"].strip(),
        category=cells["category"].strip(),
        total=total,
        documented=counts["documented"],
        undocumented=counts["undocumented"],
        source=cells["source"].strip(),
        source_note=cells["source_note"].strip(),
        line=line,
    )
