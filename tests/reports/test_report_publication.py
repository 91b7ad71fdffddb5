"""Publishing determined complaints for the public reports: only the secretariat, only determined complaints, a
specific error for bad input with nothing saved, one publication in force per complaint, withdrawal, and the
open `publication.*` log entries."""

from __future__ import annotations

import pytest
from verification.wf_steps import drive, new_complaint

from ceasefire.core.errors import Conflict, NotPermitted, NotVisible, ValidationFailed
from ceasefire.incidents.enums import ComplaintState
from ceasefire.ledger.models import LogEntry
from ceasefire.ledger.versions import domain_problems
from ceasefire.reports.models import Publication
from ceasefire.reports.services import SUMMARY_MAX, publish_complaint, withdraw_publication
from ceasefire.reports.versions import publication_version

pytestmark = pytest.mark.integration

SUMMARY = "The mediators found that the attack on the court was planned across the line."


def saved() -> tuple[int, int, list[tuple[object, ...]]]:
    rows = list(Publication.objects.order_by("pk").values_list("pk", "withdrawn_at", "summary"))
    return Publication.objects.count(), LogEntry.objects.count(), rows


def refused(error, call, field: str | None = None):
    before = saved()
    with pytest.raises(error) as info:
        call()
    assert saved() == before
    if field is not None:
        assert field in info.value.errors
    return info.value


@pytest.fixture
def determined(cast):
    return drive(cast, ComplaintState.DETERMINED)


def test_secretariat_publishes_a_determined_complaint_with_an_open_log_entry(cast, determined):
    before = LogEntry.objects.count()

    publication = publish_complaint(cast.secretariat, determined, summary=f"  {SUMMARY}  ")

    assert publication.summary == SUMMARY and publication.in_force
    assert publication.determination.outcome == "breach_confirmed"
    [entry] = LogEntry.objects.filter(sequence__gte=before)
    assert (entry.kind, entry.subject_code, entry.sealed) == ("publication.made", publication.public_code, False)
    assert entry.record == publication_version(publication)
    assert entry.record["complaint"] == determined.public_code


@pytest.mark.parametrize("persona", ["af_liaison", "pk_liaison", "tr_investigator", "qa_adjudicator", "analyst"])
def test_only_the_secretariat_may_publish(cast, determined, persona):
    refused(NotPermitted, lambda: publish_complaint(cast.persona(persona), determined, summary=SUMMARY))


@pytest.mark.parametrize("state", [ComplaintState.SUBMITTED, ComplaintState.NOTIFIED, ComplaintState.FINDINGS_READY])
def test_a_complaint_not_yet_determined_cannot_be_published(cast, state):
    complaint = drive(cast, state)

    error = refused(Conflict, lambda: publish_complaint(cast.secretariat, complaint, summary=SUMMARY))

    assert error.extensions["state"] == state
    assert "not determined" in error.message


def test_an_appealed_complaint_cannot_be_published(cast, determined):
    complaint = drive(cast, ComplaintState.APPEALED, determined)

    refused(Conflict, lambda: publish_complaint(cast.secretariat, complaint, summary=SUMMARY))


@pytest.mark.parametrize("summary", ["", "   ", "x" * (SUMMARY_MAX + 1)])
def test_a_missing_or_overlong_summary_is_refused_by_field(cast, determined, summary):
    refused(ValidationFailed, lambda: publish_complaint(cast.secretariat, determined, summary=summary), "summary")


def test_a_draft_the_secretariat_cannot_see_answers_not_visible(cast):
    draft = new_complaint(cast, submit=False)

    refused(NotVisible, lambda: publish_complaint(cast.secretariat, draft, summary=SUMMARY))


def test_a_complaint_is_published_once_while_in_force(cast, determined):
    first = publish_complaint(cast.secretariat, determined, summary=SUMMARY)

    error = refused(Conflict, lambda: publish_complaint(cast.secretariat, determined, summary="Again."))

    assert first.public_code in error.message


def test_withdrawal_takes_a_publication_out_and_logs_it(cast, determined):
    publication = publish_complaint(cast.secretariat, determined, summary=SUMMARY)
    before = LogEntry.objects.count()

    withdraw_publication(cast.secretariat, publication, reason="The summary named a witness.")

    publication.refresh_from_db()
    assert not publication.in_force and publication.withdrawal_reason == "The summary named a witness."
    [entry] = LogEntry.objects.filter(sequence__gte=before)
    assert (entry.kind, entry.sealed, entry.record["withdrawn_at"]) == (
        "publication.withdrawn",
        False,
        publication.withdrawn_at.isoformat(),
    )
    assert list(Publication.objects.visible_to(None)) == []
    assert list(Publication.objects.visible_to(cast.tr_investigator)) == [publication]
    assert domain_problems()[1] == []  # `log verify --database` replays the publication's entries to its row


def test_a_withdrawn_complaint_can_be_published_again(cast, determined):
    first = publish_complaint(cast.secretariat, determined, summary=SUMMARY)
    withdraw_publication(cast.secretariat, first, reason="Wording.")

    second = publish_complaint(cast.secretariat, determined, summary="Better wording.")

    assert second.public_code != first.public_code
    assert list(Publication.objects.visible_to(None)) == [second]


@pytest.mark.parametrize("reason", ["", "  "])
def test_withdrawal_needs_a_reason(cast, determined, reason):
    publication = publish_complaint(cast.secretariat, determined, summary=SUMMARY)

    refused(ValidationFailed, lambda: withdraw_publication(cast.secretariat, publication, reason=reason), "reason")


def test_only_the_secretariat_withdraws(cast, determined):
    publication = publish_complaint(cast.secretariat, determined, summary=SUMMARY)

    refused(NotPermitted, lambda: withdraw_publication(cast.tr_adjudicator, publication, reason="No."))


def test_a_withdrawn_publication_cannot_be_withdrawn_twice(cast, determined):
    publication = publish_complaint(cast.secretariat, determined, summary=SUMMARY)
    withdraw_publication(cast.secretariat, publication, reason="Once.")

    refused(Conflict, lambda: withdraw_publication(cast.secretariat, publication, reason="Twice."))
