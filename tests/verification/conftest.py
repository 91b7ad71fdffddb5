"""Fixtures of the workflow tests: the cast of personas and a throw-away evidence store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from wf_steps import Cast

from ceasefire.demo.mechanism import Mechanism


@pytest.fixture(autouse=True)
def evidence_dir(settings: Any, tmp_path: Path) -> Path:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return tmp_path / "evidence"


@pytest.fixture
def cast(mechanism: Mechanism) -> Cast:
    return Cast.of(mechanism)
