"""Who may publish and generate reports. The secretariat publishes (DESIGN.md: "the secretariat ... publishes
periodic and public reports"); reading is the visibility rule of models.py."""

from __future__ import annotations

from ceasefire.core.models import Membership
from ceasefire.core.rules import can_manage_mechanism


def can_publish(member: Membership | None) -> bool:
    return can_manage_mechanism(member)


def can_generate_report(member: Membership | None) -> bool:
    """On demand; the worker generates the scheduled ones as the system (no membership)."""
    return can_manage_mechanism(member)
