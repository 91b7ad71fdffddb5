"""`ceasefire complaints overdue --as USERNAME`: passed deadlines the person may see, as a table or JSON."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from cli_helpers import run
from django.core.management.base import CommandError
from django.utils import timezone

from ceasefire.core.enums import Role
from ceasefire.core.services import grant_membership
from ceasefire.verification import services

pytestmark = pytest.mark.integration


@pytest.fixture
def late_world(pk_complaint, af_complaint, secretariat, tr_investigator, af_liaison):
    """Two replies awaited (both notified now) and one investigation with a task, all overdue three days on."""
    services.notify_respondent(secretariat, af_complaint)
    services.notify_respondent(secretariat, pk_complaint)
    services.reply_to_complaint(af_liaison, pk_complaint, kind="accepted")
    services.assign_investigators(secretariat, pk_complaint, [tr_investigator])
    services.add_investigation_task(
        tr_investigator,
        pk_complaint,
        kind="site_visit",
        description="Visit the court.",
        due_at=timezone.now() + dt.timedelta(hours=1),
        assigned_to=tr_investigator,
    )
    return {"pk": pk_complaint.public_code, "af": af_complaint.public_code}


def _overdue(username, *extra):
    with time_machine.travel(timezone.now() + dt.timedelta(days=3, hours=2)):
        return json.loads(run("complaints", "overdue", "--as", username, "--json", *extra))


def test_overdue_lists_every_passed_deadline_a_mediator_sees(late_world):
    document = _overdue("tr-secretariat")
    assert document["as"] == "tr-secretariat" and document["party"] == "TR"
    found = {(row["complaint"], row["stage"], row["who"]) for row in document["overdue"]}
    assert found == {
        (late_world["af"], "reply", "PK"),
        (late_world["pk"], "task", "tr-investigator"),
    }
    assert all(row["hours_late"] > 0 for row in document["overdue"])


def test_overdue_shows_a_party_only_what_it_may_see(late_world, pk_liaison):
    rows = _overdue("pk-liaison")["overdue"]
    assert [(row["complaint"], row["stage"]) for row in rows] == [(late_world["af"], "reply")]


def test_overdue_table_names_code_stage_who_and_lateness(late_world):
    with time_machine.travel(timezone.now() + dt.timedelta(days=3, hours=2)):
        out = run("complaints", "overdue", "--as", "pk-liaison")
    assert late_world["af"] in out and "reply" in out and "PK" in out
    assert "Late by" in out and "Asia/Karachi" in out
    assert late_world["pk"] not in out


def test_overdue_says_so_when_nothing_is_late(pk_complaint, secretariat):
    services.notify_respondent(secretariat, pk_complaint)
    out = run("complaints", "overdue", "--as", "af-liaison")
    assert "Nothing is overdue." in out
    assert json.loads(run("complaints", "overdue", "--as", "af-liaison", "--json"))["overdue"] == []


def test_overdue_refuses_an_unknown_user_or_one_without_a_party(mechanism, admin, secretariat):
    with pytest.raises(CommandError, match=r"Unknown user 'nobody' \(--as\)"):
        run("complaints", "overdue", "--as", "nobody")
    with pytest.raises(CommandError, match="acts for no party"):
        run("complaints", "overdue", "--as", "admin")
    with pytest.raises(CommandError, match="acts for no party"):
        run("complaints", "overdue", "--as", "tr-secretariat", "--party", "AF")


def test_overdue_acts_for_the_party_chosen(late_world, mechanism):
    grant_membership(None, user=mechanism.members["pk-liaison"].user, party=mechanism.parties["TR"], role=Role.VIEWER)
    assert _overdue("pk-liaison", "--party", "PK")["party"] == "PK"
    assert _overdue("pk-liaison", "--party", "TR")["party"] == "TR"
