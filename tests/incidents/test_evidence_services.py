"""add_evidence and record_evidence_access: who may add and read evidence, deduplication and custody."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from incident_samples import (
    FORBIDDEN,
    SAMPLES,
    islamabad_attack_draft,
    khost_strike_draft,
    snapshot,
    upload,
)

from ceasefire.core.errors import NotPermitted, NotVisible, ValidationFailed
from ceasefire.core.models import Membership
from ceasefire.incidents.enums import ComplaintState, CustodyAction
from ceasefire.incidents.models import Complaint, CustodyEvent, Evidence, StoredFile
from ceasefire.incidents.services import add_evidence, file_complaint, record_evidence_access
from ceasefire.ledger.models import LogEntry
from ceasefire.verification.services import notify_respondent

pytestmark = pytest.mark.integration


def notify(complaint: Complaint) -> None:
    notify_respondent(None, complaint)  # the system's automatic notice: no secretariat persona needed here
    complaint.refresh_from_db()


def test_same_bytes_in_two_complaints_are_stored_once(af_liaison: Membership, evidence_dir: Path) -> None:
    data = SAMPLES["photo.jpg"][0]
    first = file_complaint(af_liaison, khost_strike_draft(evidence=[upload("a.jpg", data)]))
    second = file_complaint(af_liaison, khost_strike_draft(evidence=[upload("b.jpg", data)]))

    assert StoredFile.objects.count() == 1
    assert len(snapshot(evidence_dir)["files"]) == 1
    first_evidence, second_evidence = first.evidence.get(), second.evidence.get()
    assert first_evidence.stored_file_id == second_evidence.stored_file_id
    assert first_evidence.public_code != second_evidence.public_code
    assert [e.action for e in first_evidence.custody.all()] == [CustodyAction.ADDED]
    assert [e.action for e in second_evidence.custody.all()] == [CustodyAction.LINKED]


def test_same_bytes_twice_in_one_complaint_are_linked(af_liaison: Membership, evidence_dir: Path) -> None:
    data = SAMPLES["call.ogg"][0]
    complaint = file_complaint(
        af_liaison, khost_strike_draft(evidence=[upload("a.ogg", data), upload("copy.ogg", data)])
    )

    actions = [e.custody.get().action for e in complaint.evidence.order_by("pk")]
    assert actions == [CustodyAction.ADDED, CustodyAction.LINKED]
    assert StoredFile.objects.count() == 1
    assert len(snapshot(evidence_dir)["files"]) == 1


def test_add_evidence_by_complainant_liaison_logs_each_file(af_complaint: Complaint, af_liaison: Membership) -> None:
    before = LogEntry.objects.count()

    added = add_evidence(
        af_liaison,
        af_complaint,
        [
            upload("photo.png", SAMPLES["photo.png"][0], source="drone"),
            upload("note.txt", SAMPLES["note.txt"][0]),
        ],
    )

    assert [e.filename for e in added] == ["photo.png", "note.txt"]
    assert [e.stored_file.media_type for e in added] == ["image/png", "text/plain"]
    assert all(e.added_by == af_liaison and e.complaint == af_complaint for e in added)
    entries = list(LogEntry.objects.filter(sequence__gte=before))
    assert [(e.kind, e.subject_code, e.sealed) for e in entries] == [
        ("evidence.added", af_complaint.public_code, True)
    ] * 2
    assert {e.record["evidence"] for e in entries} == {e.public_code for e in added}


@pytest.mark.parametrize("persona", ["tr_investigator", "qa_investigator"])
def test_add_evidence_by_mediator_investigator(
    af_complaint: Complaint, persona: str, request: pytest.FixtureRequest
) -> None:
    member = request.getfixturevalue(persona)

    added = add_evidence(member, af_complaint, [upload("report.pdf", SAMPLES["report.pdf"][0])])

    assert added[0].custody.get().membership == member


def test_add_evidence_refuses_respondent_before_notice(
    af_complaint: Complaint, pk_liaison: Membership, evidence_dir: Path
) -> None:
    before = snapshot(evidence_dir)

    with pytest.raises(NotVisible):
        add_evidence(pk_liaison, af_complaint, [upload("photo.png", SAMPLES["photo.png"][0])])

    assert snapshot(evidence_dir) == before


def test_add_evidence_takes_the_respondents_own_after_notice(af_complaint: Complaint, pk_liaison: Membership) -> None:
    notify(af_complaint)

    [added] = add_evidence(pk_liaison, af_complaint, [upload("photo.png", SAMPLES["photo.png"][0])])

    assert added.added_by == pk_liaison and added.complaint == af_complaint


@pytest.mark.parametrize("persona", ["af_viewer", "tr_adjudicator", "secretariat"])
def test_add_evidence_refuses_role_without_right(
    af_complaint: Complaint, persona: str, request: pytest.FixtureRequest, evidence_dir: Path
) -> None:
    member = request.getfixturevalue(persona)
    before = snapshot(evidence_dir)

    with pytest.raises(NotPermitted):
        add_evidence(member, af_complaint, [upload("photo.png", SAMPLES["photo.png"][0])])

    assert snapshot(evidence_dir) == before


def test_add_evidence_refuses_draft_to_mediator(af_liaison: Membership, tr_investigator: Membership) -> None:
    draft = file_complaint(af_liaison, khost_strike_draft(), submit=False)

    with pytest.raises(NotVisible):
        add_evidence(tr_investigator, draft, [upload("photo.png", SAMPLES["photo.png"][0])])


def test_add_evidence_refuses_no_membership(af_complaint: Complaint) -> None:
    with pytest.raises(NotVisible):
        add_evidence(None, af_complaint, [upload("photo.png", SAMPLES["photo.png"][0])])  # type: ignore[arg-type]


def test_add_evidence_refuses_closed_complaint(af_complaint: Complaint, af_liaison: Membership) -> None:
    Complaint.objects.filter(pk=af_complaint.pk).update(state=ComplaintState.CLOSED)
    af_complaint.refresh_from_db()

    with pytest.raises(NotPermitted):
        add_evidence(af_liaison, af_complaint, [upload("photo.png", SAMPLES["photo.png"][0])])


def test_add_evidence_refuses_no_file(af_complaint: Complaint, af_liaison: Membership) -> None:
    with pytest.raises(ValidationFailed) as caught:
        add_evidence(af_liaison, af_complaint, [])

    assert list(caught.value.errors) == ["files"]


def test_add_evidence_refuses_bad_file_saving_nothing(
    af_complaint: Complaint, af_liaison: Membership, evidence_dir: Path
) -> None:
    before = snapshot(evidence_dir)

    with pytest.raises(ValidationFailed) as caught:
        add_evidence(
            af_liaison,
            af_complaint,
            [upload("photo.png", SAMPLES["photo.png"][0]), upload("page.png", FORBIDDEN["page.png (HTML)"])],
        )

    assert list(caught.value.errors) == ["evidence[1]"]
    assert snapshot(evidence_dir) == before


@pytest.fixture
def af_evidence(af_liaison: Membership) -> Evidence:
    complaint = file_complaint(af_liaison, khost_strike_draft(evidence=[upload("photo.jpg", SAMPLES["photo.jpg"][0])]))
    return complaint.evidence.get()


@pytest.mark.parametrize("action", [CustodyAction.VIEWED, CustodyAction.DOWNLOADED, CustodyAction.EXPORTED])
def test_record_evidence_access_adds_custody_and_sealed_entry(
    af_evidence: Evidence, af_liaison: Membership, action: str
) -> None:
    before = LogEntry.objects.count()

    event = record_evidence_access(af_liaison, af_evidence, action)

    assert (event.evidence, event.membership, event.action) == (af_evidence, af_liaison, action)
    assert list(af_evidence.custody.values_list("action", flat=True)) == [CustodyAction.ADDED, action]
    entry = LogEntry.objects.get(sequence=before)
    assert LogEntry.objects.count() == before + 1
    assert (entry.kind, entry.subject_code, entry.sealed) == (
        f"evidence.{action}",
        af_evidence.complaint.public_code,
        True,
    )
    assert entry.record["evidence"] == af_evidence.public_code


def test_record_evidence_access_by_mediator(af_evidence: Evidence, qa_adjudicator: Membership) -> None:
    event = record_evidence_access(qa_adjudicator, af_evidence, CustodyAction.VIEWED)

    assert event.membership == qa_adjudicator


@pytest.mark.parametrize("persona", ["pk_liaison", "pk_viewer", "analyst"])
def test_record_evidence_access_refuses_invisible_evidence(
    af_evidence: Evidence, persona: str, request: pytest.FixtureRequest
) -> None:
    member = request.getfixturevalue(persona)
    before = (CustodyEvent.objects.count(), LogEntry.objects.count())

    with pytest.raises(NotVisible):
        record_evidence_access(member, af_evidence, CustodyAction.VIEWED)

    assert (CustodyEvent.objects.count(), LogEntry.objects.count()) == before


def test_record_evidence_access_refuses_no_membership(af_evidence: Evidence, mechanism: Any) -> None:
    with pytest.raises(NotVisible):
        record_evidence_access(None, af_evidence, CustodyAction.VIEWED)  # type: ignore[arg-type]


def test_record_evidence_access_by_respondent_after_notice(af_evidence: Evidence, pk_viewer: Membership) -> None:
    notify(af_evidence.complaint)

    event = record_evidence_access(pk_viewer, af_evidence, CustodyAction.DOWNLOADED)

    assert event.membership == pk_viewer


@pytest.mark.parametrize("action", ["added", "linked", "deleted", "", "viewed-and-then-some-more"])
def test_record_evidence_access_refuses_unknown_action(
    af_evidence: Evidence, af_liaison: Membership, action: str
) -> None:
    before = (CustodyEvent.objects.count(), LogEntry.objects.count())

    with pytest.raises(ValidationFailed) as caught:
        record_evidence_access(af_liaison, af_evidence, action)

    assert list(caught.value.errors) == ["action"]
    assert (CustodyEvent.objects.count(), LogEntry.objects.count()) == before


def test_pakistani_evidence_is_invisible_to_afghan_liaison(pk_liaison: Membership, af_liaison: Membership) -> None:
    complaint = file_complaint(
        pk_liaison, islamabad_attack_draft(evidence=[upload("cctv.mp4", SAMPLES["clip.mp4"][0])])
    )

    with pytest.raises(NotVisible):
        record_evidence_access(af_liaison, complaint.evidence.get(), CustodyAction.VIEWED)
