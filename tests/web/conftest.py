"""Fixtures of the web tests: complaints in bulk, filed through the real service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from support import khost_strike_draft

from ceasefire.core.models import Membership
from ceasefire.incidents.services import file_complaint


@pytest.fixture
def file_af_complaints(af_liaison: Membership) -> Callable[..., list[Any]]:
    def make(count: int, **overrides: Any) -> list[Any]:
        return [
            file_complaint(af_liaison, khost_strike_draft(title=f"Strike number {i}", **overrides))
            for i in range(count)
        ]

    return make
