"""The worker's part in intelligence sharing: flagging requests for action that passed their due date."""

from __future__ import annotations


def sweep_overdue_requests() -> int:
    from .services import flag_overdue_requests

    return flag_overdue_requests()
