"""Fixtures of the permission matrix: a private evidence store and the four-record world (perm_world.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from perm_world import World, build_world

from ceasefire.demo.mechanism import Mechanism


@pytest.fixture(autouse=True)
def evidence_dir(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "evidence"
    settings.EVIDENCE_DIR = path
    return path


@pytest.fixture
def world(mechanism: Mechanism, outsider: Any) -> World:
    """The mechanism with its personas (the outsider included) and the four complaints, each with evidence."""
    return build_world(mechanism)
