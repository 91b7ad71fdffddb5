"""Concurrent moves on PostgreSQL, with real connections: threads in this process, each with its own connection,
released together by a barrier, against a database where every transaction really commits.

SQLite is not raced here: the suite's in-memory SQLite database is one shared cache that refuses a second writer
outright instead of making it wait, so threads would measure that refusal, not the services' compare-and-set.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from wf_steps import Cast, draft, drive

from ceasefire.core.errors import Conflict
from ceasefire.core.services import create_person
from ceasefire.incidents.enums import ComplaintState
from ceasefire.incidents.models import Complaint
from ceasefire.ledger.models import LogEntry
from ceasefire.verification import services
from ceasefire.verification.models import Determination, Findings, Notification, Reply, Signature, Transition

S = ComplaintState
pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    # Run in the PostgreSQL pass (real concurrent writers); the SQLite pass deselects them (tests/conftest.py).
    pytest.mark.postgres,
]


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls at the same moment, each in its own thread and connection; their results or errors."""
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            start.wait()
            results[i] = call()
        except BaseException as error:
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def _entries(complaint: Complaint, kind: str) -> int:
    return LogEntry.objects.filter(subject_code=complaint.public_code, kind=kind).count()


def _assert_log_consistent() -> None:
    from ceasefire.ledger.versions import domain_problems

    assert domain_problems()[1] == []
    sequences = list(LogEntry.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(len(sequences)))


@pytest.mark.parametrize("attempt", range(2))
def test_two_adjudicators_signing_at_once_give_one_determination_with_two_signatures(attempt: int, cast: Cast) -> None:
    complaint = drive(cast, S.FINDINGS_READY)
    determination = draft(cast, complaint)
    results = race(
        lambda: services.sign_determination(cast.tr_adjudicator, determination),
        lambda: services.sign_determination(cast.qa_adjudicator, determination),
    )
    assert [type(r).__name__ for r in results] == ["Signature", "Signature"], results
    determination.refresh_from_db()
    complaint.refresh_from_db()
    assert determination.in_effect and complaint.state == S.DETERMINED
    assert Determination.objects.filter(complaint=complaint).count() == 1
    assert sorted(Signature.objects.filter(determination=determination).values_list("party__code", flat=True)) == [
        "QA",
        "TR",
    ]
    assert Transition.objects.filter(complaint=complaint, to_state=S.DETERMINED).count() == 1
    assert _entries(complaint, "complaint.determined") == 1
    assert _entries(complaint, "determination.signed") == 1
    assert Notification.objects.filter(kind="determined", recipient=cast.af_liaison).count() == 1
    _assert_log_consistent()


@pytest.mark.parametrize("attempt", range(2))
def test_two_investigators_finishing_at_once_give_one_findings(attempt: int, cast: Cast) -> None:
    complaint = drive(cast, S.UNDER_INVESTIGATION)
    services.assign_investigators(cast.secretariat, complaint, [cast.qa_investigator])
    results = race(
        lambda: services.record_findings(cast.tr_investigator, complaint, summary="Turkish view."),
        lambda: services.record_findings(cast.qa_investigator, complaint, summary="Qatari view."),
    )
    won = [r for r in results if isinstance(r, Findings)]
    lost = [r for r in results if isinstance(r, Conflict)]
    assert len(won) == 1 and len(lost) == 1, results
    assert lost[0].extensions["state"] == S.FINDINGS_READY
    assert list(Findings.objects.filter(complaint=complaint)) == won
    assert Transition.objects.filter(complaint=complaint, to_state=S.FINDINGS_READY).count() == 1
    assert _entries(complaint, "complaint.findings_ready") == 1
    assert _entries(complaint, "investigation.findings") == 1
    _assert_log_consistent()


@pytest.mark.parametrize("attempt", range(2))
def test_two_notices_at_once_give_one_notified_move(attempt: int, cast: Cast) -> None:
    complaint = drive(cast, S.SUBMITTED)
    second = create_person(
        None,
        username="tr-secretariat-2",
        password="x",
        party=cast.mechanism.parties["TR"],
        role="secretariat",
        check_password=False,
    )
    results = race(
        lambda: services.notify_respondent(cast.secretariat, complaint),
        lambda: services.notify_respondent(second, complaint),
    )
    lost = [r for r in results if isinstance(r, Conflict)]
    assert len(lost) == 1 and sum(isinstance(r, Complaint) for r in results) == 1, results
    assert lost[0].extensions["state"] == S.NOTIFIED
    assert Transition.objects.filter(complaint=complaint, to_state=S.NOTIFIED).count() == 1
    assert _entries(complaint, "complaint.notified") == 1
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path__endswith="reply_deadline").count() == 1
    assert Notification.objects.filter(kind="notified", recipient=cast.af_liaison).count() == 1
    _assert_log_consistent()


@pytest.mark.parametrize("attempt", range(4))
def test_the_workers_no_reply_racing_a_reply_at_the_limit(attempt: int, cast: Cast) -> None:
    complaint = drive(cast, S.NOTIFIED)
    due = complaint.reply_due_at
    assert due is not None
    with time_machine.travel(due, tick=False):  # the last moment a reply is in time, the first the worker acts
        results = race(
            lambda: services.record_no_reply(complaint.pk),
            lambda: services.reply_to_complaint(cast.af_liaison, complaint, kind="contested", account="Not us."),
        )
    worker, party = results
    reply = Reply.objects.get(complaint=complaint)
    if isinstance(worker, Reply):
        assert reply.kind == "no_reply"
        assert isinstance(party, Conflict) and party.extensions["state"] == S.NOTIFIED, party
        assert _entries(complaint, "complaint.no_reply") == 1 and _entries(complaint, "complaint.replied") == 0
        assert Notification.objects.filter(kind="no_reply").exists()
    else:
        assert worker is None, worker
        assert isinstance(party, Reply) and reply.kind == "contested"
        assert _entries(complaint, "complaint.replied") == 1 and _entries(complaint, "complaint.no_reply") == 0
        assert not Notification.objects.filter(kind="no_reply").exists()
    _assert_log_consistent()
