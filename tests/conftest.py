"""Shared fixtures: the demo mechanism and its personas (STYLE.md), built through the real services.

Personas: af_liaison, pk_liaison, af_viewer, pk_viewer, tr_investigator, qa_investigator, tr_adjudicator,
qa_adjudicator, secretariat (TR), analyst (PK), admin (superuser, no membership) and outsider (no membership).
Each persona fixture is a Membership; `admin` and `outsider` are users.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from ceasefire.core.models import Membership
from ceasefire.demo.mechanism import Mechanism, build_mechanism
from ceasefire.incidents.services import CasualtyFigure, ComplaintDraft, file_complaint

PASSWORD = "correct-horse-battery-staple"


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


def login(client: Client, username: str) -> Client:
    assert client.login(username=username, password=PASSWORD)
    return client


def khost_strike_draft(**overrides: Any) -> ComplaintDraft:
    """A valid Afghan complaint: the Mughalgai strike in Khost, 24–25 Nov 2025 (FACTS.md)."""
    fields: dict[str, Any] = dict(
        category="air_strike",
        starts_at=dt.datetime(2025, 11, 24, 20, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2025, 11, 25, 2, 0, tzinfo=dt.UTC),
        time_precision="hour",
        latitude=33.28,
        longitude=69.95,
        respondent="PK",
        narrative="A strike hit a house in Mughalgai, Gurbuz district, killing nine children and one woman.",
        commitments=["C2", "C3"],
        actors=["pk-forces"],
        place_description="Mughalgai, Gurbuz district, Khost",
        casualties=[CasualtyFigure(kind="killed", status="civilian", best=10)],
    )
    fields.update(overrides)
    return ComplaintDraft(**fields)


def islamabad_attack_draft(**overrides: Any) -> ComplaintDraft:
    """A valid Pakistani complaint: the Islamabad court bombing, 11 Nov 2025 (FACTS.md)."""
    fields: dict[str, Any] = dict(
        category="militant_attack",
        starts_at=dt.datetime(2025, 11, 11, 7, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2025, 11, 11, 8, 0, tzinfo=dt.UTC),
        time_precision="hour",
        latitude=33.70,
        longitude=73.05,
        respondent="AF",
        narrative="A suicide bomber attacked the district court in Islamabad; planned from Afghan soil.",
        commitments=["C4", "C5"],
        actors=["ttp"],
        casualties=[CasualtyFigure(kind="killed", status="civilian", best=12),
                    CasualtyFigure(kind="injured", status="civilian", best=27)],
    )
    fields.update(overrides)
    return ComplaintDraft(**fields)


@pytest.fixture
def af_complaint(af_liaison: Membership) -> Any:
    return file_complaint(af_liaison, khost_strike_draft())


@pytest.fixture
def pk_complaint(pk_liaison: Membership) -> Any:
    return file_complaint(pk_liaison, islamabad_attack_draft())


@pytest.fixture
def now() -> dt.datetime:
    return timezone.now()
