"""The intelligence world of the permission matrix (../perm_intel_world.py), built once for this package.

The package (it has an __init__.py so the `package` scope ends with its last test) holds every intelligence
matrix test; they share one world instead of building it per module."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings
from perm_intel_world import IntelWorld, build_intel_world

from ceasefire.ledger.keys import ensure_log_key


@pytest.fixture(scope="package")
def intel_world_once(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[IntelWorld]:
    """The world, made inside a transaction rolled back after the package's last test. Each test runs in a
    savepoint within it (the `db` fixture of `intel_world`), so what a test changes (receipts its reads record,
    the acts it tries) is undone before the next one."""
    base = tmp_path_factory.mktemp("intel-world")
    evidence = base / "evidence"
    local = override_settings(
        EVIDENCE_DIR=evidence, LOG_KEY_FILE=str(base / "log-key"), LOG_ORIGIN="ceasefire.test/log"
    )
    with django_db_blocker.unblock(), local, transaction.atomic():
        ensure_log_key()
        yield build_intel_world(evidence)
        transaction.set_rollback(True)


@pytest.fixture
def intel_world(intel_world_once: IntelWorld, db: Any, settings: Any) -> IntelWorld:
    settings.EVIDENCE_DIR = intel_world_once.evidence_dir  # ../conftest.py's autouse evidence_dir points elsewhere
    return intel_world_once
