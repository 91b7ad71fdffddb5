"""Shared fixtures: the demo mechanism and its personas (STYLE.md), built through the real services.

Personas: af_liaison, pk_liaison, af_viewer, pk_viewer, tr_investigator, qa_investigator, tr_adjudicator,
qa_adjudicator, secretariat (TR), analyst (PK), admin (superuser, no membership) and outsider (no membership).
Each persona fixture is a Membership; `admin` and `outsider` are users. Plain helpers (PASSWORD, login, the
draft builders) live in tests/support.py: `from support import ...` (tests/ is on pytest's pythonpath).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from support import PASSWORD, islamabad_attack_draft, khost_strike_draft, login  # noqa: F401 -- re-exported

from ceasefire.core.models import Membership
from ceasefire.demo.mechanism import Mechanism, build_mechanism
from ceasefire.incidents.services import file_complaint


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `postgres` (races between real concurrent writers) run in the PostgreSQL pass; on SQLite they
    are deselected, not skipped: the suite runs them, in the pass that can."""
    if os.environ.get("CEASEFIRE_TEST_DATABASE_URL"):
        return
    kept = [item for item in items if item.get_closest_marker("postgres") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


@pytest.fixture(autouse=True)
def default_language_after_test() -> Any:
    """LocaleMiddleware leaves a request's language active in the thread; service messages are translated when
    raised, so a test after a Pashto page would otherwise get Pashto errors."""
    yield
    translation.deactivate()


@pytest.fixture
def mechanism(db: Any) -> Mechanism:
    return build_mechanism(password=PASSWORD)


def _member(mechanism: Mechanism, username: str) -> Membership:
    return mechanism.members[username]


@pytest.fixture
def af_liaison(mechanism: Mechanism) -> Membership:
    return _member(mechanism, "af-liaison")


@pytest.fixture
def pk_liaison(mechanism: Mechanism) -> Membership:
    return _member(mechanism, "pk-liaison")


@pytest.fixture
def af_viewer(mechanism: Mechanism) -> Membership:
    return _member(mechanism, "af-viewer")


@pytest.fixture
def pk_viewer(mechanism: Mechanism) -> Membership:
    return _member(mechanism, "pk-viewer")


@pytest.fixture
def tr_investigator(mechanism: Mechanism) -> Membership:
    return _member(mechanism, "tr-investigator")


@pytest.fixture
def qa_investigator(mechanism: Mechanism) -> Membership:
    return _member(mechanism, "qa-investigator")


@pytest.fixture
def tr_adjudicator(mechanism: Mechanism) -> Membership:
    return _member(mechanism, "tr-adjudicator")


@pytest.fixture
def qa_adjudicator(mechanism: Mechanism) -> Membership:
    return _member(mechanism, "qa-adjudicator")


@pytest.fixture
def secretariat(mechanism: Mechanism) -> Membership:
    return _member(mechanism, "tr-secretariat")


@pytest.fixture
def analyst(mechanism: Mechanism) -> Membership:
    return _member(mechanism, "pk-analyst")


@pytest.fixture
def admin(mechanism: Mechanism) -> Any:
    return get_user_model().objects.get(username="admin")


@pytest.fixture
def outsider(mechanism: Mechanism) -> Any:
    return get_user_model().objects.create_user(username="outsider", password=PASSWORD)


@pytest.fixture
def af_complaint(af_liaison: Membership) -> Any:
    return file_complaint(af_liaison, khost_strike_draft())


@pytest.fixture
def pk_complaint(pk_liaison: Membership) -> Any:
    return file_complaint(pk_liaison, islamabad_attack_draft())


@pytest.fixture
def now() -> dt.datetime:
    return timezone.now()
