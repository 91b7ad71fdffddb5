"""Helpers of the reports tests: a PDF's text as poppler's pdftotext extracts it (scripts/install-test-deps
installs poppler-utils), and the archived files of a report."""

from __future__ import annotations

import shutil
import subprocess

from ceasefire.reports import archive
from ceasefire.reports.models import Report


def pdf_text(data: bytes, *, first: int | None = None, last: int | None = None) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext is missing: run scripts/install-test-deps (poppler-utils)"
    command = [pdftotext, "-enc", "UTF-8"]
    if first is not None:
        command += ["-f", str(first)]
    if last is not None:
        command += ["-l", str(last)]
    result = subprocess.run([*command, "-", "-"], input=data, capture_output=True, check=True)
    # Drop the bidi embedding marks pdftotext puts around right-to-left runs; the letters' order is what counts.
    return result.stdout.decode().translate({0x202A: None, 0x202B: None, 0x202C: None})


def pdf_pages(data: bytes) -> int:
    return pdf_text(data).count("\f")


def pdf_of(report: Report) -> bytes:
    return archive.load(report.pdf_sha256, "pdf")


def html_of(report: Report) -> str:
    return archive.load(report.html_sha256, "html").decode()
