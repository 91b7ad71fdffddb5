"""Each source's parser against real sample rows and hand-made bad files: every refusal names file, line and
column. No database: the parsers stream a file into rows and rejections (ingest/importer.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ingest_helpers import (
    GDELT_SAMPLE,
    UCDP_SAMPLE,
    acled_csv,
    acled_row,
    gdelt_row,
    gdelt_tsv,
    ucdp_csv,
    ucdp_row,
)

from ceasefire.ingest import importer
from ceasefire.ingest.importer import stream_batches
from ceasefire.ingest.sources import FileRejected, formats
from ceasefire.ingest.sources.acled.layout import CODEBOOK_COLUMNS
from ceasefire.ingest.sources.ucdp.layout import COLUMNS as UCDP_COLUMNS

pytestmark = pytest.mark.unit


def parse(source: str, path: Path, batch_size: int = 1000) -> tuple[list, list]:
    stream = stream_batches(formats()[source], path, path.name, batch_size)
    rows, rejections = [], []
    for batch in stream.batches:
        rows.extend(row for _line, row, _hash in batch.rows)
        rejections.extend(batch.rejections)
    return rows, rejections


def refusal(source: str, path: Path) -> str:
    with pytest.raises(FileRejected) as caught:
        parse(source, path)
    return str(caught.value)


# --- UCDP GED ---


def test_ucdp_real_sample_parses_every_row():
    rows, rejections = parse("ucdp", UCDP_SAMPLE)

    assert rejections == []
    assert len(rows) == 310
    first = rows[0]
    # The sample's first row: id 146881, Government of Afghanistan vs UIFSA, 10-11 Nov 2001, 36.66667 N 69.75 E.
    assert (first.source_id, first.actor1, first.actor2) == ("146881", "Government of Afghanistan", "UIFSA")
    assert (first.starts_on, first.ends_on) == (dt.date(2001, 11, 10), dt.date(2001, 11, 11))
    assert (first.latitude, first.longitude) == (36.66667, 69.75)
    assert first.fatalities_best == 36  # no `best` in the sample: deaths_a 30 + deaths_b 6
    assert first.date_precision == "day"  # no date_prec: a one-day span
    assert first.place_precision == "district"  # no where_prec: taken as district-level
    assert first.category == "" and first.source_type == ""  # the sample has no type_of_violence
    assert first.source_text.startswith("AFP 11 Nov 2001")


def test_ucdp_full_row_maps_type_precisions_and_fatalities(tmp_path):
    path = ucdp_csv(tmp_path / "ged.csv", [ucdp_row(type_of_violence="3", where_prec="4", date_prec="4")])

    (row,), rejections = parse("ucdp", path)

    assert rejections == []
    assert (row.category, row.source_type) == ("militant_attack", "3")
    assert (row.place_precision, row.date_precision) == ("province", "month")
    assert (row.fatalities_best, row.fatalities_low, row.fatalities_high) == (10, 8, 12)


def both_ways(path: Path) -> tuple[list | None, list]:
    """A UCDP file's records parsed column by column (the fast path) and row by row, as columns to compare."""
    table, parse_row, parse_columns = formats()["ucdp"].open(path, path.name)
    try:
        records, _starts, error, _done = table.read(100_000)
    finally:
        table.close()
    assert error is None
    rows = [parse_row(fields) for fields in records]
    by_row = [list(column) for column in zip(*rows, strict=True)]
    by_row[1] = [d.isoformat() for d in by_row[1]]
    by_row[2] = [d.isoformat() for d in by_row[2]]
    fast = parse_columns(records)
    return (None if fast is None else [list(column) for column in fast]), by_row


def test_ucdp_column_fast_path_gives_what_the_row_parser_gives(tmp_path):
    # The real sample: quoted fields over several lines, no best (summed from deaths_*), no where_prec/date_prec.
    fast, by_row = both_ways(UCDP_SAMPLE)
    assert fast == by_row
    # Made-up rows covering each mapping: whitespace, long names cut, headline+article, spans without date_prec.
    path = ucdp_csv(
        tmp_path / "varied.csv",
        [
            ucdp_row(id=" 7 ", type_of_violence=" 2", where_prec="", date_prec="", date_end="2025-11-28"),
            ucdp_row(id="8", side_a="A" * 400, adm_2=" Tani ", where_description="near Tani", best="", deaths_a="3"),
            ucdp_row(id="9", source_headline="Headline", date_prec="5", low="", high=" 40 ", best=" 0"),
            ucdp_row(id="10", date_start="2025-11-01 00:00:00.000", date_end="2025-11-30", where_prec="7"),
            ucdp_row(id="11", date_start="2025-W48-1"),  # an ISO week date: fromisoformat reads it, so both do
        ],
    )
    fast, by_row = both_ways(path)
    assert fast == by_row
    assert fast is not None and fast[0] == ["7", "8", "9", "10", "11"]
    assert (fast[1][3], fast[1][4]) == ("2025-11-01", "2025-11-24")


@pytest.mark.parametrize(
    "value",
    [
        {"latitude": "95"},
        {"longitude": "nan"},
        {"date_start": "25/11/2025"},
        {"best": "3.0"},
        {"best": "-1"},
        {"id": " "},
        {"where_prec": "9"},
        {"date_start": "2025-11-26", "date_end": "2025-11-25"},
    ],
)
def test_ucdp_column_fast_path_leaves_any_unusual_value_to_the_row_parser(tmp_path, value):
    path = ucdp_csv(tmp_path / "odd.csv", [ucdp_row(id="1"), ucdp_row(**{"id": "2", **value})])
    table, _parse_row, parse_columns = formats()["ucdp"].open(path, path.name)
    records, _starts, _error, _done = table.read(10)
    table.close()

    assert len(records) == 2
    assert parse_columns(records) is None


def test_ucdp_count_written_as_decimal_is_read_row_by_row(tmp_path):
    path = ucdp_csv(tmp_path / "decimal.csv", [ucdp_row(id="1"), ucdp_row(id="2", best="3.0")])

    fast, by_row = both_ways(path)
    (_one, two), rejections = parse("ucdp", path)

    assert fast is None and by_row[15] == [10, 3]
    assert rejections == [] and two.fatalities_best == 3


def test_an_id_in_two_chunks_of_one_batch_is_rejected_as_a_duplicate(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "PARSE_CHUNK", 2)
    path = ucdp_csv(tmp_path / "dup.csv", [ucdp_row(id="1"), ucdp_row(id="2"), ucdp_row(id="3"), ucdp_row(id="1")])

    rows, rejections = parse("ucdp", path, batch_size=4)

    assert [r.source_id for r in rows] == ["1", "2", "3"]
    assert [(r.line, r.column) for r in rejections] == [(5, "id")]
    assert "first on line 2" in rejections[0].reason


def test_lines_are_counted_across_quoted_line_breaks_and_blank_lines(tmp_path):
    path = ucdp_csv(
        tmp_path / "lines.csv",
        [ucdp_row(id="1", source_article="first line\nsecond line\r\nthird"), ucdp_row(id="2"), ucdp_row(id="3")],
    )
    with path.open(encoding="utf-8", newline="") as stream:
        text = stream.read().splitlines(keepends=True)
    # header (1), row 1 over lines 2-4, a blank line 5, row 2 on 6, row 3 on 7 with a bad latitude
    text[-1] = text[-1].replace("33.29", "95.5")
    path.write_text("".join([*text[:-2], "\r\n", *text[-2:]]), encoding="utf-8", newline="")

    rows, rejections = parse("ucdp", path, batch_size=2)

    assert [r.source_id for r in rows] == ["1", "2"]
    assert rows[0].source_text == "first line\nsecond line\r\nthird"
    assert [(r.line, r.column) for r in rejections] == [(7, "latitude")]


def test_ucdp_semicolon_file_is_refused_naming_the_delimiter(tmp_path):
    path = ucdp_csv(tmp_path / "semi.csv", [ucdp_row()], delimiter=";")

    message = refusal("ucdp", path)

    assert message.startswith("semi.csv:1: ")
    assert "single column" in message and "semicolon" in message


def test_ucdp_missing_and_renamed_columns_are_named(tmp_path):
    columns = tuple("start_date" if c == "date_start" else c for c in UCDP_COLUMNS if c != "best")
    path = ucdp_csv(tmp_path / "renamed.csv", [ucdp_row()], columns=columns)

    message = refusal("ucdp", path)

    assert "renamed.csv:1: date_start, best: missing UCDP GED column(s): date_start, best" in message
    assert "found instead: start_date" in message


def test_ucdp_bad_rows_are_rejected_with_line_and_column(tmp_path):
    path = ucdp_csv(
        tmp_path / "bad.csv",
        [
            ucdp_row(id="1"),
            ucdp_row(id="2", date_start="2025-13-40"),
            ucdp_row(id="3", latitude="95.5"),
            ucdp_row(id="4", longitude="east"),
            ucdp_row(id="5", date_start="2025-11-26", date_end="2025-11-25"),
            ucdp_row(id="1"),
        ],
    )

    rows, rejections = parse("ucdp", path)

    assert [r.source_id for r in rows] == ["1"]
    assert [(r.file, r.line, r.column) for r in rejections] == [
        ("bad.csv", 3, "date_start"),
        ("bad.csv", 4, "latitude"),
        ("bad.csv", 5, "longitude"),
        ("bad.csv", 6, "date_end"),
        ("bad.csv", 7, "id"),
    ]
    assert "'2025-13-40' is not a date" in rejections[0].reason
    assert "95.5 is out of range (-90 to 90)" in rejections[1].reason
    assert "first on line 2" in rejections[4].reason


def test_ucdp_truncated_file_rejects_its_last_row(tmp_path):
    path = ucdp_csv(tmp_path / "cut.csv", [ucdp_row(id="1"), ucdp_row(id="2")])
    text = path.read_text()
    path.write_text(text[: text.rindex("\n", 0, len(text) - 1) + 40])  # the last row cut after 40 characters

    rows, rejections = parse("ucdp", path)

    assert [r.source_id for r in rows] == ["1"]
    assert len(rejections) == 1
    assert rejections[0].line == 3 and "truncated" in rejections[0].reason


def test_ucdp_file_ending_inside_a_quote_is_rejected(tmp_path):
    path = ucdp_csv(tmp_path / "quote.csv", [ucdp_row(id="1")])
    path.write_text(path.read_text() + '900002,,2025,"unterminated\n')

    _rows, rejections = parse("ucdp", path)

    assert any("ends inside a quoted field" in r.reason for r in rejections)


def test_acled_file_given_to_ucdp_importer_says_which_importer(tmp_path):
    path = acled_csv(tmp_path / "acled.csv", [acled_row()])

    message = refusal("ucdp", path)

    assert "not in the UCDP GED format: it looks like ACLED data" in message and "ceasefire import acled" in message


# --- ACLED ---


def test_acled_row_from_codebook_layout_parses(tmp_path):
    path = acled_csv(
        tmp_path / "acled.csv",
        [
            acled_row(),
            acled_row(event_id_cnty="AFG70002", event_date="26-11-2025", time_precision="2", geo_precision="3"),
        ],
    )

    rows, rejections = parse("acled", path)

    assert rejections == []
    first, second = rows
    assert first.source_type == "Explosions/Remote violence/Air/drone strike"
    assert (first.category, first.fatalities_best, first.place_precision) == ("air_strike", 10, "exact")
    assert first.source_text == "Made-up event for the tests. [Made-up Daily]"
    assert (second.starts_on, second.ends_on, second.date_precision) == (
        dt.date(2025, 11, 26),
        dt.date(2025, 12, 2),
        "week",
    )
    assert second.place_precision == "province"


def test_acled_older_export_without_optional_columns_parses(tmp_path):
    columns = tuple(c for c in CODEBOOK_COLUMNS if c not in ("data_id", "iso3", "timestamp"))
    path = acled_csv(tmp_path / "old.csv", [acled_row(event_date="25 November 2025")], columns=columns)

    (row,), rejections = parse("acled", path)

    assert rejections == [] and row.starts_on == dt.date(2025, 11, 25)


def test_acled_bad_values_are_named(tmp_path):
    path = acled_csv(
        tmp_path / "acled.csv",
        [acled_row(sub_event_type="Dance party"), acled_row(event_id_cnty="X2", time_precision="9"),
         acled_row(event_id_cnty="X3", event_date="yesterday")],
    )  # fmt: skip

    _rows, rejections = parse("acled", path)

    assert [(r.line, r.column) for r in rejections] == [(2, "sub_event_type"), (3, "time_precision"), (4, "event_date")]


def test_acled_missing_column_is_named(tmp_path):
    columns = tuple(c for c in CODEBOOK_COLUMNS if c != "geo_precision")
    path = acled_csv(tmp_path / "acled.csv", [acled_row()], columns=columns)

    assert "missing ACLED column(s): geo_precision" in refusal("acled", path)


def test_ucdp_file_given_to_acled_importer_says_which_importer():
    assert "ceasefire import ucdp" in refusal("acled", UCDP_SAMPLE)


# --- GDELT ---


def test_gdelt_real_v1_sample_parses():
    rows, rejections = parse("gdelt", GDELT_SAMPLE)

    assert rejections == []
    # The third real row has no action place (ActionGeo_Type 0): well-formed, counted as skipped, not stored.
    assert [r.source_id for r in rows] == ["324845984", "324845987"]
    washington = rows[0]
    assert (washington.starts_on, washington.latitude, washington.longitude) == (
        dt.date(2004, 11, 26),
        38.8951,
        -77.0364,
    )
    assert (washington.source_type, washington.category) == ("014", "")
    assert washington.source_text.startswith("http://www.news.com.au/")


def test_gdelt_v1_sample_counts_the_unplaced_row_as_skipped():
    stream = stream_batches(formats()["gdelt"], GDELT_SAMPLE, "sample.tsv")
    (batch,) = list(stream.batches)

    assert (batch.rows_read, len(batch.rows), batch.skipped) == (3, 2, 1)


def test_gdelt_v2_row_maps_cameo_code(tmp_path):
    path = gdelt_tsv(
        tmp_path / "day.export.CSV", [gdelt_row(), gdelt_row(GLOBALEVENTID="1250000002", EventCode="1952")]
    )

    rows, rejections = parse("gdelt", path)

    assert rejections == []
    assert [(r.source_type, r.category) for r in rows] == [("195", "air_strike"), ("1952", "air_strike")]
    assert rows[0].admin1 == "AF37" and rows[0].place_precision == "near"


def test_gdelt_bad_rows_are_named(tmp_path):
    path = gdelt_tsv(
        tmp_path / "day.CSV",
        [
            gdelt_row(),
            gdelt_row(GLOBALEVENTID="2", SQLDATE="2025-11"),
            gdelt_row(GLOBALEVENTID="3", ActionGeo_Long="200"),
            gdelt_row(GLOBALEVENTID="1250000001"),
            gdelt_row(GLOBALEVENTID="5")[:30],
        ],
    )

    _rows, rejections = parse("gdelt", path)

    assert [(r.line, r.column) for r in rejections] == [(2, "SQLDATE"), (3, "ActionGeo_Long"), (4, "id"), (5, "")]
    assert "30 columns where a GDELT (61-column) row has 61 (truncated?)" in rejections[3].reason


def test_csv_given_to_gdelt_importer_is_refused():
    assert "ceasefire import ucdp" in refusal("gdelt", UCDP_SAMPLE)


def test_unknown_tab_file_given_to_gdelt_names_column_count(tmp_path):
    path = tmp_path / "odd.tsv"
    path.write_text("1\t2\t3\n")

    assert "3 tab-separated columns; a GDELT event export has 57 or 58 (1.0) or 61 (2.0)" in refusal("gdelt", path)


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")

    assert "the file is empty" in refusal("ucdp", path)
