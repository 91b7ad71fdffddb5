"""`ceasefire report daily|weekly ...`: a report to a file as a party's reader, in-process against the test
database and as the installed console script against a fresh one; every bad flag is named and writes nothing."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from report_helpers import pdf_text
from report_world import WEEK

from ceasefire.ledger.models import LogEntry
from ceasefire.reports import archive
from ceasefire.reports.models import Report

pytestmark = pytest.mark.integration

CEASEFIRE = Path(sys.executable).parent / "ceasefire"


def report(*args: str) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_weekly_internal_pdf_to_a_file_as_afs_reader_writes_no_record(world, tmp_path):
    before = (Report.objects.count(), LogEntry.objects.count())
    target = tmp_path / "out" / "af-week.pdf"

    output = report("weekly", "--date", "2025-11-26", "--audience", "internal", "--party", "af", "--out", str(target))

    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "Internal report for Afghanistan" in text and world.pk_new.public_code in text
    assert world.pk_hidden.public_code not in text
    assert "Wrote" in output and "weekly 2025-11-24..2025-11-30, internal, AF, en" in output
    assert (Report.objects.count(), LogEntry.objects.count()) == before


def test_pashto_html_to_a_file_carries_its_fonts_inline(world, tmp_path):
    target = tmp_path / "af.html"

    report("daily", "--date", "2025-11-25", "--party", "AF", "--language", "ps", "--out", str(target))

    html = target.read_text(encoding="utf-8")
    assert '<html lang="ps" dir="rtl">' in html
    assert "data:font/ttf;base64," in html and "/reports/fonts/" not in html
    assert world.af_a.public_code in html


def test_archive_keeps_the_report_and_writes_the_archived_file(world, tmp_path):
    target = tmp_path / "public.pdf"

    output = report("weekly", "--date", str(WEEK), "--audience", "public", "--archive", "--out", str(target))

    stored = Report.objects.get()
    assert stored.created_by is None and stored.audience == "public"
    assert target.read_bytes() == archive.load(stored.pdf_sha256, "pdf")
    assert stored.public_code in output
    assert LogEntry.objects.filter(kind="report.generated", subject_code=stored.public_code).count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--party", "AF", "--out", "x.txt"], "--out must end in .pdf or .html"),
        (["--party", "AF"], "--out FILE.pdf or FILE.html is required"),
        (["--out", "x.pdf"], "--party: An internal report is made for one party"),
        (["--audience", "public", "--party", "AF", "--out", "x.pdf"], "--party: A public report is the same"),
        (["--party", "ZZ", "--out", "x.pdf"], "Unknown party 'ZZ'"),
        (["--party", "AF", "--language", "xx", "--out", "x.pdf"], "--language: Unknown language 'xx'"),
    ],
)
def test_bad_flags_are_named_and_nothing_is_written(mechanism, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    before = (Report.objects.count(), LogEntry.objects.count())

    with pytest.raises(CommandError, match=message):
        report("daily", *args)

    assert not list(tmp_path.iterdir())
    assert (Report.objects.count(), LogEntry.objects.count()) == before


def test_console_script_renders_a_public_pdf_from_a_fresh_database(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CEASEFIRE_", "DJANGO_"))}
    env.update(CEASEFIRE_DATA_DIR=str(tmp_path / "data"), CEASEFIRE_DEBUG="true", CEASEFIRE_LOG_LEVEL="WARNING")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [str(CEASEFIRE), *args]
        return subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)

    assert run("migrate", "--verbosity", "0").returncode == 0
    done = run("report", "daily", "--date", "2025-11-25", "--audience", "public", "--out", "public.pdf")

    assert done.returncode == 0, done.stderr
    assert "Daily situation report" in pdf_text((tmp_path / "public.pdf").read_bytes())
    refused = run("report", "monthly", "--out", "x.pdf")
    assert refused.returncode != 0 and "invalid choice: 'monthly'" in refused.stderr
