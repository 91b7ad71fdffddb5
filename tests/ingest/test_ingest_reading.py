"""Reading a file a chunk of records at a time (ingest/sources/reading.py): quote-free chunks kept as lines give
the same records, columns and content hashes as the csv reader's fields; and a batch's rows cross the pipe to the
importer unchanged (ingest/parse_ahead.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from ingest_helpers import UCDP_SAMPLE, ucdp_csv, ucdp_row

from ceasefire.ingest import parse_ahead
from ceasefire.ingest.importer import Rows
from ceasefire.ingest.sources.reading import Records, open_table

pytestmark = pytest.mark.unit


def read_all(path: Path, delimiter: str = ",") -> tuple[Records, list[int]]:
    table = open_table(path, path.name, delimiter=delimiter, has_header=True)
    try:
        records, starts, error, _done = table.read(100_000)
    finally:
        table.close()
    assert error is None
    return records, starts


def blake(fields: list[str]) -> str:
    return hashlib.blake2b("\x1f".join(fields).encode(), digest_size=16).hexdigest()


def test_quote_free_chunk_is_kept_as_lines_and_reads_as_fields(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("id,a,b\n1,x,y\n\n2,,z\n3,p,q", encoding="utf-8")

    records, starts = read_all(path)

    assert records.lines == ["1,x,y", "2,,z", "3,p,q"]
    assert starts == [2, 4, 5]  # the blank line 3 skipped
    assert records.columns(3, (2, 0)) == [["y", "z", "q"], ["1", "2", "3"]]  # from the lines
    assert list(records) == [["1", "x", "y"], ["2", "", "z"], ["3", "p", "q"]]
    assert [list(c) for c in records.columns(3, (2, 0)) or []] == [["y", "z", "q"], ["1", "2", "3"]]  # the fields
    assert records.content_hashes() == [blake(f) for f in records.fields]


def test_crlf_lines_read_like_lf_lines(tmp_path):
    lf, crlf = tmp_path / "lf.csv", tmp_path / "crlf.csv"
    lf.write_bytes(b"id,a\n1,x\n2,y\n")
    crlf.write_bytes(b"id,a\r\n1,x\r\n2,y\r\n")

    (first, first_starts), (second, second_starts) = read_all(lf), read_all(crlf)

    assert first.lines == second.lines == ["1,x", "2,y"] and first_starts == second_starts == [2, 3]
    assert first.content_hashes() == second.content_hashes()


def test_quoting_changes_neither_fields_nor_content_hash(tmp_path):
    plain, quoted = tmp_path / "plain.csv", tmp_path / "quoted.csv"
    plain.write_text("id,a,b\n1,x,y\n2,u,v\n", encoding="utf-8")
    quoted.write_text('id,a,b\n1,"x",y\n2,u,v\n', encoding="utf-8")

    (lines, _), (fields, _) = read_all(plain), read_all(quoted)

    assert lines.lines is not None and fields.lines is None  # a quote: the csv reader's fields
    assert lines.content_hashes() == fields.content_hashes()
    assert lines.columns(3, (1, 2)) == [list(c) for c in fields.columns(3, (1, 2)) or []] == [["x", "u"], ["y", "v"]]
    assert list(lines) == list(fields)


def test_a_record_of_another_width_gives_no_columns(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("id,a,b\n1,x,y\n2,z\n", encoding="utf-8")

    records, _ = read_all(path)

    assert records.columns(3, (0, 1)) is None


def test_real_sample_columns_match_its_fields():
    records, _ = read_all(UCDP_SAMPLE)
    width = len(records[0])

    columns = records.columns(width, (0, 19, 29))

    assert columns is not None
    assert [list(c) for c in columns] == [[f[i] for f in records] for i in (0, 19, 29)]


def test_ucdp_rows_hash_alike_whether_read_as_lines_or_fields(tmp_path):
    plain = ucdp_csv(tmp_path / "plain.csv", [ucdp_row(id="1"), ucdp_row(id="2", side_a="Side A")])
    text = plain.read_text(encoding="utf-8").replace("Side A", '"Side A"')
    quoted = tmp_path / "quoted.csv"
    quoted.write_text(text, encoding="utf-8")

    (lines, _), (fields, _) = read_all(plain), read_all(quoted)

    assert lines.lines is not None and fields.lines is None
    assert lines.content_hashes() == fields.content_hashes()


def test_rows_cross_the_pipe_unchanged():
    columns = [
        ["7", ""], ["2025-11-25", "2025-11-26"], ["2025-11-25", "2025-11-30"], ["day", "days"], [33.29, -0.5],
        [69.96, 180.0], ["exact", "district"], ["near\x00Tani", ""], ["Khost", ""], ["", ""], ["Afghanistan", ""],
        ["armed_clash", ""], ["1", ""], ["Government of Pakistan", "ٹی ٹی پی"], ["", "TTP"], [10, None],
        [None, 0], [12, None], ["a\nb", ""],
    ]  # fmt: skip
    placed = (["AF", "outside"], [12.5, 901.25], [608533325470089215, 0])
    rows = Rows(columns, [2, 5], ["ab" * 16, "cd" * 16], placed)

    assert parse_ahead._decode_rows(parse_ahead._encode_rows(rows)) == rows
