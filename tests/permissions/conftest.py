"""Fixtures of the permission matrix: a private evidence store and the four-record world (perm_world.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from perm_workflow import add_workflow
from perm_world import World, build_world

from ceasefire.demo.mechanism import Mechanism
from ceasefire.ledger.checkpoints import checkpoint_now
from ceasefire.ledger.keys import ensure_log_key


@pytest.fixture(autouse=True)
def evidence_dir(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "evidence"
    settings.EVIDENCE_DIR = path
    return path


@pytest.fixture
def world(mechanism: Mechanism, outsider: Any, settings: Any, tmp_path: Path) -> World:
    """The mechanism with its personas (the outsider included) and the four complaints, each with evidence,
    and a signed checkpoint of the log after them (so receipts can be asked for)."""
    settings.LOG_KEY_FILE = str(tmp_path / "log-key")
    settings.LOG_ORIGIN = "ceasefire.test/log"
    ensure_log_key()
    built = build_world(mechanism)
    checkpoint = checkpoint_now()
    assert checkpoint is not None
    built.log_size = checkpoint.size
    return built


@pytest.fixture
def full_world(mechanism: Mechanism, outsider: Any, settings: Any, tmp_path: Path) -> World:
    """The four-record world plus a complaint in every workflow state, both ways (perm_states.py), with
    mediator-only material marked (perm_workflow.py), then a signed checkpoint of the log."""
    settings.LOG_KEY_FILE = str(tmp_path / "log-key")
    settings.LOG_ORIGIN = "ceasefire.test/log"
    ensure_log_key()
    built = build_world(mechanism)
    add_workflow(built)
    checkpoint = checkpoint_now()
    assert checkpoint is not None
    built.log_size = checkpoint.size
    return built
