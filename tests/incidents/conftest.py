"""Fixtures of the incidents tests: a private evidence store per test.

The evidence store is a real directory on disk, never mocked: each test gets its own, so a test can assert
that nothing was left in it. Helpers and sample files live in incident_samples.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def evidence_dir(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "evidence"
    settings.EVIDENCE_DIR = path
    return path
