"""The whole workflow once, through the services: a lead's smoke test that the moves chain."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from ceasefire.core.taskqueue import run_ready_tasks
from ceasefire.incidents.drafts import CasualtyFigure
from ceasefire.incidents.enums import ComplaintState
from ceasefire.ledger.versions import domain_problems
from ceasefire.verification import services
from ceasefire.verification.models import Notification, Reply
from ceasefire.verification.queries import actions_for, timeline

pytestmark = pytest.mark.integration


def test_a_complaint_goes_from_filing_to_closure(
    pk_complaint: Any,
    secretariat: Any,
    af_liaison: Any,
    pk_liaison: Any,
    tr_investigator: Any,
    tr_adjudicator: Any,
    qa_adjudicator: Any,
    mechanism: Any,
) -> None:
    c = pk_complaint
    assert "notify" in actions_for(secretariat, c)
    services.notify_respondent(secretariat, c)
    c.refresh_from_db()
    assert c.state == ComplaintState.NOTIFIED and c.reply_due_at is not None
    services.reply_to_complaint(
        af_liaison,
        c,
        kind="contested",
        account="Our forces were not there.",
        casualties=[CasualtyFigure(kind="killed", status="civilian", best=0)],
    )
    services.assign_investigators(secretariat, c, [tr_investigator])
    c.refresh_from_db()
    assert c.state == ComplaintState.UNDER_INVESTIGATION
    services.add_investigation_note(tr_investigator, c, text="Site visit planned.")
    services.record_findings(tr_investigator, c, summary="Evidence is consistent with the complaint.")
    commitment = mechanism.agreement.commitments.first()
    d = services.draft_determination(
        tr_adjudicator,
        c,
        outcome="breach_confirmed",
        reasons="Corroborated by two sources.",
        responsible_party=c.respondent,
        commitments=[commitment],
    )
    services.sign_determination(tr_adjudicator, d)
    services.sign_determination(qa_adjudicator, d)
    c.refresh_from_db()
    assert c.state == ComplaintState.DETERMINED
    services.add_dissent(af_liaison, d, text="We dissent.")
    with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
        services.close_complaint(secretariat, c)
    c.refresh_from_db()
    assert c.state == ComplaintState.CLOSED
    assert [e.to_state for e in timeline(c, secretariat)] == [
        "submitted",
        "notified",
        "under_investigation",
        "findings_ready",
        "determined",
        "closed",
    ]
    assert Notification.objects.filter(recipient=af_liaison).exists()
    _checked, problems = domain_problems()
    assert problems == []


@pytest.mark.django_db(transaction=True)  # the worker's loop closes a connection left inside a test transaction (PG)
def test_the_worker_records_no_reply_when_the_limit_passes(pk_complaint: Any, secretariat: Any) -> None:
    services.notify_respondent(secretariat, pk_complaint)
    run_ready_tasks()
    assert not Reply.objects.exists()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=73)):
        run_ready_tasks()
    assert Reply.objects.get().kind == "no_reply"
