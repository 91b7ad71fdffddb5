"""The secretariat's deadline board: mediators only (404 for others), overdue / due soon / later, counts per stage
and party, median hours per stage; linked in the nav for mediators."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from support import login
from workflow_steps import advance

from ceasefire.verification import services

pytestmark = pytest.mark.integration


def _board(client, username):
    client.logout()
    login(client, username)
    return client.get(reverse("web:deadlines"))


def test_board_is_for_mediators_only(client, mechanism):
    for username in ("pk-liaison", "af-viewer", "pk-analyst"):
        response = _board(client, username)
        assert response.status_code == 404
        assert reverse("web:deadlines") not in client.get(reverse("web:complaint-list")).content.decode()
    response = _board(client, "tr-investigator")
    assert response.status_code == 200
    assert reverse("web:deadlines") in response.content.decode()


def test_board_sorts_clocks_into_overdue_soon_and_later(client, pk_complaint, af_complaint, mechanism):
    advance(mechanism, pk_complaint, "under_investigation")  # investigation due in 14 days, a task in 3
    services.notify_respondent(mechanism.members["tr-secretariat"], af_complaint)  # reply due in 72 hours
    response = _board(client, "tr-secretariat")
    board = response.context["board"]
    assert [d.stage for d in board.later] == ["task", "reply", "investigation"]
    assert board.overdue == [] and board.due_soon == []
    with time_machine.travel(timezone.now() + dt.timedelta(hours=48)):
        board = _board(client, "tr-secretariat").context["board"]
        assert [d.stage for d in board.due_soon] == ["task", "reply"]
    with time_machine.travel(timezone.now() + dt.timedelta(days=4)):
        response = _board(client, "tr-secretariat")
        board = response.context["board"]
        assert [d.stage for d in board.overdue] == ["task", "reply"]
        body = response.content.decode()
        assert "overdue by" in body and af_complaint.public_code in body
    assert board.per_stage["reply"]["overdue"] == 1
    assert board.per_party["AF"]["overdue"] == 2


def test_board_shows_median_hours_per_stage(client, pk_complaint, mechanism):
    advance(mechanism, pk_complaint, "under_investigation")
    response = _board(client, "qa-adjudicator")
    medians = dict(response.context["median_hours"])
    assert medians["Submitted"] is not None and medians["Respondent notified"] is not None
    assert "Median time per stage" in response.content.decode()
