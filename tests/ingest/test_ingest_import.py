"""Importing through the service: idempotent re-import, a batch stored whole or not at all, a failed run
recorded as failed, log entries per batch and per run."""

from __future__ import annotations

import hashlib

import pytest
from ingest_helpers import UCDP_SAMPLE, acled_csv, acled_row, gdelt_row, gdelt_tsv, ucdp_csv, ucdp_row

from ceasefire.core.errors import NotPermitted, ValidationFailed
from ceasefire.ingest import importer
from ceasefire.ingest.enums import RunStatus
from ceasefire.ingest.models import ExternalEvent, ImportRun
from ceasefire.ingest.services import import_events
from ceasefire.ledger.models import LogEntry

pytestmark = pytest.mark.integration


def test_real_ucdp_sample_is_imported_with_its_hash_and_counts(db):
    run = import_events(None, source="ucdp", path=UCDP_SAMPLE, operator="cli:test")

    assert run.status == RunStatus.SUCCEEDED
    assert (run.rows_read, run.inserted, run.updated, run.unchanged, run.rejected) == (310, 310, 0, 0, 0)
    assert run.sha256 == hashlib.sha256(UCDP_SAMPLE.read_bytes()).hexdigest()
    assert run.operator == "cli:test" and run.finished_at is not None
    event = ExternalEvent.objects.get(source="ucdp", source_id="146881")
    assert event.side == "AF" and event.distance_km > 0 and event.last_run == run
    entries = list(LogEntry.objects.filter(subject_code=run.public_code).values_list("kind", flat=True))
    assert entries == ["ingest.batch", "ingest.finished"]


def test_reimport_updates_changed_rows_and_never_duplicates(db, tmp_path):
    path = ucdp_csv(tmp_path / "ged.csv", [ucdp_row(id="1"), ucdp_row(id="2")])
    import_events(None, source="ucdp", path=path)
    ucdp_csv(path, [ucdp_row(id="1"), ucdp_row(id="2", best="99"), ucdp_row(id="3")])

    again = import_events(None, source="ucdp", path=path)

    assert (again.inserted, again.updated, again.unchanged) == (1, 1, 1)
    assert ExternalEvent.objects.filter(source="ucdp").count() == 3
    assert ExternalEvent.objects.get(source_id="2").fatalities_best == 99
    third = import_events(None, source="ucdp", path=path)
    assert (third.inserted, third.updated, third.unchanged) == (0, 0, 3)


def test_same_id_in_two_sources_are_two_events(db, tmp_path):
    import_events(None, source="ucdp", path=ucdp_csv(tmp_path / "g.csv", [ucdp_row(id="1250000001")]))
    import_events(None, source="gdelt", path=gdelt_tsv(tmp_path / "d.tsv", [gdelt_row()]))

    assert ExternalEvent.objects.filter(source_id="1250000001").count() == 2


def test_batch_with_a_bad_row_is_not_stored_and_run_fails(db, tmp_path):
    rows = [ucdp_row(id=str(i)) for i in range(1, 7)]
    rows[4] = ucdp_row(id="5", latitude="123")  # line 6, in the second batch of three
    path = ucdp_csv(tmp_path / "ged.csv", rows)

    run = import_events(None, source="ucdp", path=path, batch_size=3)

    assert run.status == RunStatus.FAILED
    assert (run.inserted, run.rejected, run.held_back) == (3, 1, 2)
    assert sorted(ExternalEvent.objects.values_list("source_id", flat=True)) == ["1", "2", "3"]
    assert run.rejections == [
        {"file": "ged.csv", "line": 6, "column": "latitude", "reason": "123 is out of range (-90 to 90)"}
    ]
    assert "1 row(s) rejected" in run.message
    kinds = list(LogEntry.objects.filter(subject_code=run.public_code).values_list("kind", flat=True))
    assert kinds == ["ingest.batch", "ingest.finished"]
    assert LogEntry.objects.get(subject_code=run.public_code, kind="ingest.finished").record["status"] == "failed"


def test_duplicate_across_batches_holds_back_the_later_batch(db, tmp_path):
    path = ucdp_csv(tmp_path / "ged.csv", [ucdp_row(id="1"), ucdp_row(id="2"), ucdp_row(id="3"), ucdp_row(id="1")])

    run = import_events(None, source="ucdp", path=path, batch_size=2)

    assert run.status == RunStatus.FAILED
    assert run.rejections[0]["line"] == 5 and "appears earlier in this file" in run.rejections[0]["reason"]
    assert sorted(ExternalEvent.objects.values_list("source_id", flat=True)) == ["1", "2"]


def test_batches_after_a_held_back_duplicate_are_still_stored(db, tmp_path):
    # The source is empty, so batches go in without looking their ids up: the repeated id makes the unique
    # constraint refuse the second batch, which is rolled back and written again looking ids up.
    ids = ["1", "2", "3", "1", "4", "5"]
    path = ucdp_csv(tmp_path / "ged.csv", [ucdp_row(id=i) for i in ids])

    run = import_events(None, source="ucdp", path=path, batch_size=2)

    assert (run.status, run.inserted, run.rejected, run.held_back) == (RunStatus.FAILED, 4, 1, 1)
    assert [r["line"] for r in run.rejections] == [5]
    assert sorted(ExternalEvent.objects.values_list("source_id", flat=True)) == ["1", "2", "4", "5"]
    batches = LogEntry.objects.filter(subject_code=run.public_code, kind="ingest.batch").order_by("pk")
    assert [entry.record["batch"] for entry in batches] == [1, 3]


def test_an_id_stored_by_another_import_meanwhile_is_updated_not_refused(db, tmp_path):
    path = ucdp_csv(tmp_path / "ged.csv", [ucdp_row(id=str(i), best=str(i)) for i in range(1, 5)])
    other = import_events(None, source="ucdp", path=ucdp_csv(tmp_path / "other.csv", [ucdp_row(id="9")]))
    ExternalEvent.objects.filter(source="ucdp").delete()  # the source is empty again when the run starts

    def another_import_writes_id_3(run: ImportRun) -> None:
        if run.inserted == 2 and not ExternalEvent.objects.filter(source_id="3").exists():
            ExternalEvent.objects.create(
                source="ucdp", source_id="3", starts_on="2020-01-01", ends_on="2020-01-01", latitude=34.0,
                longitude=70.0, side="AF", distance_km=1.0, h3_cell=0, content_hash="x" * 32, last_run=other,
            )  # fmt: skip

    run = import_events(None, source="ucdp", path=path, batch_size=2, progress=another_import_writes_id_3)

    assert (run.status, run.inserted, run.updated, run.rejected) == (RunStatus.SUCCEEDED, 3, 1, 0)
    stored = ExternalEvent.objects.get(source_id="3")
    assert (stored.fatalities_best, stored.last_run) == (3, run)
    assert ExternalEvent.objects.filter(source="ucdp").count() == 4


def test_wrong_format_stores_nothing_and_is_recorded_as_failed(db, tmp_path):
    path = acled_csv(tmp_path / "acled.csv", [acled_row()])

    run = import_events(None, source="ucdp", path=path)

    assert run.status == RunStatus.FAILED
    assert "ceasefire import acled" in run.message
    assert run.rejections[0]["line"] == 1
    assert ExternalEvent.objects.count() == 0
    assert ImportRun.objects.get(pk=run.pk).status == RunStatus.FAILED


def test_gdelt_unplaced_rows_are_skipped_not_rejected(db, tmp_path):
    path = gdelt_tsv(
        tmp_path / "d.tsv",
        [gdelt_row(), gdelt_row(GLOBALEVENTID="7", ActionGeo_Type="0", ActionGeo_Lat="", ActionGeo_Long="")],
    )

    run = import_events(None, source="gdelt", path=path)

    assert (run.status, run.inserted, run.skipped, run.rejected) == (RunStatus.SUCCEEDED, 1, 1, 0)


def test_only_mediator_importers_may_import(af_liaison, tr_investigator, tmp_path):
    path = ucdp_csv(tmp_path / "g.csv", [ucdp_row()])

    with pytest.raises(NotPermitted):
        import_events(af_liaison, source="ucdp", path=path)
    assert import_events(tr_investigator, source="ucdp", path=path).membership == tr_investigator


def test_unknown_source_is_refused(db, tmp_path):
    with pytest.raises(ValidationFailed) as caught:
        import_events(None, source="reuters", path=UCDP_SAMPLE)
    assert caught.value.field == "source"


def test_batch_read_in_chunks_is_stored_and_reimported_like_one(db, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "PARSE_CHUNK", 2)  # a batch of 5 read 2 records at a time
    rows = [ucdp_row(id=str(i), best=str(i)) for i in range(1, 8)]
    rows[2] = ucdp_row(id="3", best="")  # row by row in its chunk (best summed from the deaths columns)
    path = ucdp_csv(tmp_path / "ged.csv", rows)

    run = import_events(None, source="ucdp", path=path, batch_size=5)
    ucdp_csv(path, [*rows[:6], ucdp_row(id="7", best="70")])
    again = import_events(None, source="ucdp", path=path, batch_size=5)

    assert (run.status, run.inserted, run.rows_read) == (RunStatus.SUCCEEDED, 7, 7)
    assert (again.inserted, again.updated, again.unchanged) == (0, 1, 6)
    best = dict(ExternalEvent.objects.values_list("source_id", "fatalities_best"))
    assert best == {"1": 1, "2": 2, "3": None, "4": 4, "5": 5, "6": 6, "7": 70}
    batches = LogEntry.objects.filter(subject_code=run.public_code, kind="ingest.batch").order_by("pk")
    assert [entry.record["lines"] for entry in batches] == [[2, 6], [7, 8]]
