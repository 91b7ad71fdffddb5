"""One writer per format for any list a member may download: CSV (RFC 4180), GeoJSON (RFC 7946) and XLSX.

A list is an `ExportTable`: its columns, and its rows each with a geometry (or none), read through visible_to by
exports_tables.py. CSV and GeoJSON are streamed row by row, so a long list never sits in memory; XLSX is written
by openpyxl's write-only workbook to a temporary file (a zip cannot be streamed before it is finished).

Spreadsheet safety: a text cell starting with = + - @, a tab or a carriage return (OWASP's list) gets a leading
apostrophe in CSV and XLSX, so a title typed by another party is shown as text and never run as a formula. Numbers
stay numbers. GeoJSON is data for GIS tools, not a spreadsheet, and keeps text as given.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone

from ceasefire.intel.exports import neutralise

FORMATS = ("csv", "geojson", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Characters XML 1.0 (and so XLSX) cannot hold; openpyxl refuses them, so they are dropped from a cell.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

Geometry = dict[str, Any] | None
Row = tuple[list[Any], Geometry]


@dataclass
class ExportTable:
    """A list to download: `rows` yields (cells in `columns` order, GeoJSON geometry or None)."""

    name: str  # the file name's stem
    title: str  # what the list is, for the XLSX sheet and the GeoJSON document
    columns: list[str]
    rows: Iterable[Row]
    attribution: list[str] = field(default_factory=list)  # a licence's required credit, one line each


def _text(value: Any) -> str:
    """A cell as text: datetimes in ISO 8601 with the reader's offset, dates as YYYY-MM-DD, None as empty."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).isoformat(timespec="seconds") if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _safe(value: Any) -> Any:
    """A spreadsheet cell: numbers as numbers, everything else as neutralised text."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return value
    return neutralise(_text(value))


class _Echo:
    """csv.writer writes to it and gets the line back, so each row is yielded as it is made."""

    def write(self, value: str) -> str:
        return value


def csv_lines(table: ExportTable) -> Iterator[str]:
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    for line in table.attribution:
        yield writer.writerow([f"# {line}"])
    yield writer.writerow(table.columns)
    for cells, _geometry in table.rows:
        yield writer.writerow([_safe(cell) for cell in cells])


def geojson_chunks(table: ExportTable) -> Iterator[str]:
    head: dict[str, Any] = {"type": "FeatureCollection", "name": table.name, "title": table.title}
    if table.attribution:
        head["attribution"] = table.attribution
    opening = json.dumps(head, ensure_ascii=False)
    yield opening[:-1] + ', "features": ['
    first = True
    for cells, geometry in table.rows:
        properties = {column: _json_value(cell) for column, cell in zip(table.columns, cells, strict=True)}
        feature = {"type": "Feature", "geometry": geometry, "properties": properties}
        yield ("" if first else ",") + "\n" + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "\n]}\n"


def _json_value(value: Any) -> Any:
    return value if value is None or isinstance(value, bool | int | float) else _text(value)


def xlsx_file(table: ExportTable, *, generated_for: str = "") -> Any:
    """The list as an XLSX workbook in a temporary file (rewound): one sheet of rows, one 'About' sheet."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.name[:31])
    sheet.append(table.columns)
    for cells, _geometry in table.rows:
        sheet.append([_xlsx_value(cell) for cell in cells])
    about = workbook.create_sheet(title="About")
    about.append([table.title])
    about.append(
        [
            f"Generated {timezone.localtime().isoformat(timespec='seconds')}"
            + (f" for {generated_for}" if generated_for else "")
        ]
    )
    for line in table.attribution:
        about.append([line])
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 -- handed to FileResponse
    workbook.save(out)
    out.seek(0)
    return out


def _xlsx_value(value: Any) -> Any:
    safe = _safe(value)
    return _ILLEGAL_XML.sub("", safe) if isinstance(safe, str) else safe


def file_name(table: ExportTable, fmt: str, party_code: str = "") -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    who = f"-{party_code}" if party_code else ""
    return f"{table.name}{who}-{stamp}.{fmt}"


def response(table: ExportTable, fmt: str, *, party_code: str = "") -> HttpResponseBase:
    """The download: streamed for CSV and GeoJSON, a finished file for XLSX."""
    name = file_name(table, fmt, party_code)
    if fmt == "xlsx":
        answer: HttpResponseBase = FileResponse(
            xlsx_file(table, generated_for=party_code), as_attachment=True, filename=name, content_type=MEDIA_TYPES[fmt]
        )
    else:
        chunks: Callable[[ExportTable], Iterator[str]] = csv_lines if fmt == "csv" else geojson_chunks
        answer = StreamingHttpResponse((chunk.encode() for chunk in chunks(table)), content_type=MEDIA_TYPES[fmt])
        answer["Content-Disposition"] = f'attachment; filename="{name}"'
    answer["Cache-Control"] = "private, no-store"
    answer["X-Content-Type-Options"] = "nosniff"
    return answer


def point(longitude: float | None, latitude: float | None) -> Geometry:
    if longitude is None or latitude is None:
        return None
    return {"type": "Point", "coordinates": [round(longitude, 6), round(latitude, 6)]}
