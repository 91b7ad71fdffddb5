"""Plain helpers shared by the tests (not fixtures): the demo password, logging in, valid complaint drafts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from ceasefire.incidents.drafts import CasualtyFigure, ComplaintDraft

PASSWORD = "correct-horse-battery-staple"


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
        casualties=[
            CasualtyFigure(kind="killed", status="civilian", best=12),
            CasualtyFigure(kind="injured", status="civilian", best=27),
        ],
    )
    fields.update(overrides)
    return ComplaintDraft(**fields)
