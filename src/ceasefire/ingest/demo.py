"""The demo's external events: the bundled real UCDP GED sample, imported once, and the demo complaints'
correlation candidates. Called by demo/loader.py; a second load changes nothing, not even the log."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .enums import RunStatus, Source
from .models import ImportRun
from .services import import_events, refresh_correlations

UCDP_SAMPLE = Path(__file__).resolve().parent / "data" / "ucdp_ged_afghanistan_2001_2018_subset.csv"


@dataclass
class DemoEvents:
    imported: int
    candidates: int | None  # None: not recomputed (nothing new)


def load_demo_events(*, complaints_changed: bool) -> DemoEvents:
    sha256 = hashlib.sha256(UCDP_SAMPLE.read_bytes()).hexdigest()
    imported = 0
    if not ImportRun.objects.filter(source=Source.UCDP, sha256=sha256, status=RunStatus.SUCCEEDED).exists():
        run = import_events(None, source=Source.UCDP, path=UCDP_SAMPLE, operator="demo")
        imported = run.inserted + run.updated
    candidates = refresh_correlations(None) if imported or complaints_changed else None
    return DemoEvents(imported, candidates)
