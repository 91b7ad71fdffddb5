"""Fixtures of the reports tests: a throw-away evidence store and report archive, the workflow cast, and the
constructed two-week world (report_world.py) the figures are checked against."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from report_world import ReportWorld, build_world
from verification.wf_steps import Cast

from ceasefire.demo.mechanism import Mechanism


@pytest.fixture(autouse=True)
def evidence_dir(settings: Any, tmp_path: Path) -> Path:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return tmp_path / "evidence"


@pytest.fixture(autouse=True)
def reports_dir(settings: Any, tmp_path: Path) -> Path:
    settings.REPORTS_DIR = tmp_path / "reports"
    return tmp_path / "reports"


@pytest.fixture
def cast(mechanism: Mechanism) -> Cast:
    return Cast.of(mechanism)


@pytest.fixture
def world(cast: Cast) -> ReportWorld:
    return build_world(cast)
