"""The import's second process (ingest/parse_ahead.py): the same events, counts and log entries as parsing in the
importer's own process, batches written a slice at a time and rolled back whole, a failure on either side reported
and the parsing process always ended."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from ingest_helpers import UCDP_SAMPLE, gdelt_row, gdelt_tsv, ucdp_csv, ucdp_row

from ceasefire.ingest import importer, parse_ahead, writer
from ceasefire.ingest.enums import RunStatus
from ceasefire.ingest.importer import Rows
from ceasefire.ingest.models import ExternalEvent
from ceasefire.ingest.services import import_events
from ceasefire.ledger.models import LogEntry

pytestmark = pytest.mark.integration

STORED = (
    "source", "source_id", "starts_on", "ends_on", "date_precision", "latitude", "longitude", "place_precision",
    "location", "admin1", "admin2", "country", "side", "distance_km", "h3_cell", "category", "source_type", "actor1",
    "actor2", "fatalities_best", "fatalities_low", "fatalities_high", "source_text", "content_hash",
)  # fmt: skip


def imported(source: str, path, **options) -> tuple[tuple, list[tuple], list[dict]]:
    """Import a file into an empty table: the run's counts, every stored event and the batches' log records."""
    ExternalEvent.objects.all().delete()
    run = import_events(None, source=source, path=path, **options)
    events = sorted(ExternalEvent.objects.values_list(*STORED))
    batches = [
        {k: v for k, v in entry.record.items() if k != "run"}
        for entry in LogEntry.objects.filter(subject_code=run.public_code, kind="ingest.batch").order_by("pk")
    ]
    return (run.status, run.rows_read, run.inserted, run.rejected, run.skipped, run.sha256), events, batches


def gdelt_day(path: Path) -> Path:
    """250 GDELT rows: every seventh without a place, the others around the frontier and far from it."""
    codes = ["190", "193", "194", "195", "1951", "042", "174", "0871"]
    rows = [
        gdelt_row(GLOBALEVENTID=str(1_250_000_000 + i), EventCode=codes[i % len(codes)],
                  ActionGeo_Lat=f"{-40 + i * 0.37:.4f}", ActionGeo_Long=f"{-120 + i * 1.01:.4f}")
        if i % 7 else gdelt_row(GLOBALEVENTID=str(1_250_000_000 + i), ActionGeo_Type="0", ActionGeo_Lat="",
                                ActionGeo_Long="")
        for i in range(250)
    ]  # fmt: skip
    return gdelt_tsv(path, rows)


@pytest.mark.parametrize("source", ["ucdp", "gdelt"])
def test_parsing_process_stores_what_parsing_in_process_stores(db, tmp_path, monkeypatch, source):
    path = UCDP_SAMPLE if source == "ucdp" else gdelt_day(tmp_path / "day.export.CSV")
    forked = imported(source, path, batch_size=100)
    monkeypatch.setattr(parse_ahead, "_can_fork", lambda: False)
    in_process = imported(source, path, batch_size=100)

    assert forked == in_process
    assert forked[0][0] == RunStatus.SUCCEEDED and len(forked[1]) == forked[0][2] > 200
    assert len(forked[2]) >= 3  # several batches, each with its rows' digest


def test_batch_is_written_a_slice_at_a_time(db, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "WRITE_SLICE", 2)
    sliced: list[int] = []
    write_rows = writer.write_rows
    monkeypatch.setattr(writer, "write_rows", lambda *a: sliced.append(len(a[2])) or write_rows(*a))
    path = ucdp_csv(tmp_path / "ged.csv", [ucdp_row(id=str(i)) for i in range(1, 8)])

    run = import_events(None, source="ucdp", path=path, batch_size=5)

    assert (run.status, run.inserted) == (RunStatus.SUCCEEDED, 7)
    assert sliced == [2, 2, 1, 2]


def test_duplicate_in_a_later_slice_rolls_back_the_whole_batch(db, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "WRITE_SLICE", 2)
    ids = ["1", "2", "3", "4", "5", "6", "7", "2"]  # the second batch's second slice repeats id 2
    path = ucdp_csv(tmp_path / "ged.csv", [ucdp_row(id=i) for i in ids])

    run = import_events(None, source="ucdp", path=path, batch_size=4)

    assert run.status == RunStatus.FAILED
    assert (run.inserted, run.rejected, run.held_back) == (4, 1, 3)
    assert sorted(ExternalEvent.objects.values_list("source_id", flat=True)) == ["1", "2", "3", "4"]
    assert run.rejections[0]["line"] == 9 and "appears earlier in this file" in run.rejections[0]["reason"]


def test_failure_in_the_parsing_process_fails_the_run_and_names_the_error(db, tmp_path, monkeypatch):
    def broken(rows: Rows) -> None:
        raise RuntimeError("no reference line")

    monkeypatch.setattr(parse_ahead, "place", broken)  # the child inherits it
    path = ucdp_csv(tmp_path / "ged.csv", [ucdp_row(id="1")])

    with pytest.raises(parse_ahead.ParsingFailed, match="RuntimeError: no reference line"):
        import_events(None, source="ucdp", path=path)

    assert ExternalEvent.objects.count() == 0
    assert multiprocessing.active_children() == []


def test_failure_while_writing_ends_the_parsing_process(db, tmp_path, monkeypatch):
    def broken(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer, "write_rows", broken)
    path = gdelt_tsv(tmp_path / "d.tsv", [gdelt_row(GLOBALEVENTID=str(i)) for i in range(1, 50)])

    with pytest.raises(RuntimeError, match="disk full"):
        import_events(None, source="gdelt", path=path, batch_size=10)

    assert multiprocessing.active_children() == []
    assert ExternalEvent.objects.count() == 0
