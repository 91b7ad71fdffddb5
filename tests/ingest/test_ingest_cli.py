"""`ceasefire import ucdp|acled|gdelt FILE`: summary, every rejected row on stderr, failure as a command error."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from ingest_helpers import GDELT_SAMPLE, UCDP_SAMPLE, ucdp_csv, ucdp_row

from ceasefire.ingest.models import ExternalEvent, ImportRun

pytestmark = pytest.mark.integration


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import", *args, "--no-progress", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_import_prints_summary_and_is_idempotent(db):
    first = run("ucdp", str(UCDP_SAMPLE))
    second = run("ucdp", str(UCDP_SAMPLE))

    assert "inserted" in first and "│ 310" in first.split("inserted", 1)[1].split("\n", 1)[0]
    assert "unchanged" in second and "│ 310" in second.split("unchanged", 1)[1].split("\n", 1)[0]
    assert ExternalEvent.objects.count() == 310
    assert ImportRun.objects.filter(operator__startswith="cli:").count() == 2


def test_import_reports_each_rejected_row_and_fails(db, tmp_path, capsys):
    path = ucdp_csv(
        tmp_path / "bad.csv", [ucdp_row(id="1"), ucdp_row(id="2", date_end="soon"), ucdp_row(id="3", longitude="181")]
    )

    with pytest.raises(CommandError, match="2 row\\(s\\) rejected"):
        run("ucdp", str(path))

    errors = capsys.readouterr().err
    assert "bad.csv:3: date_end: 'soon' is not a date (YYYY-MM-DD)" in errors
    assert "bad.csv:4: longitude: 181 is out of range (-180 to 180)" in errors
    assert ExternalEvent.objects.count() == 0


def test_import_of_gdelt_sample(db):
    out = run("gdelt", str(GDELT_SAMPLE))

    assert "skipped (no place in the source)" in out
    assert ExternalEvent.objects.filter(source="gdelt").count() == 2


def test_missing_file_is_named(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("acled", str(tmp_path / "nope.csv"))


def test_wrong_importer_names_the_right_one(db):
    with pytest.raises(CommandError, match="ceasefire import ucdp"):
        run("acled", str(UCDP_SAMPLE))
