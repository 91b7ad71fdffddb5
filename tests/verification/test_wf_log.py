"""What the workflow writes to the transparency log: every move a `complaint.<verb>` entry carrying the complaint's
version, the database agreeing with the log after every step, and mediator-only material only in sealed
`investigation.*` / `determination.*` entries (a digest or a count elsewhere)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.utils import timezone
from wf_steps import Cast, after_appeal_window, assert_log_consistent, new_complaint

from ceasefire.incidents.versions import is_sealed
from ceasefire.ledger.models import LogEntry
from ceasefire.ledger.receipts import MEDIATOR_ONLY_KINDS
from ceasefire.verification import services

pytestmark = pytest.mark.integration

SECRETS = [
    "NOTE-7f3a",  # an investigation note
    "TASK-19cc",  # a task's description
    "RESULT-4b2e",  # its result
    "GRADE-a1d0",  # a grade's reason
    "LINK-5e9b",  # why an incident corroborates
    "FINDINGS-c3d4",  # the findings
    "DRAFT-88aa",  # a draft's reasons, replaced before signing
]


def test_the_log_follows_every_step_and_keeps_mediator_material_sealed(cast: Cast) -> None:
    complaint = new_complaint(cast, tlp="GREEN")
    other = new_complaint(cast).incident
    steps = [
        lambda: services.notify_respondent(cast.secretariat, complaint, note="Reply within 72 hours."),
        lambda: services.reply_to_complaint(cast.af_liaison, complaint, kind="contested", account="Not us."),
        lambda: services.assign_investigators(cast.secretariat, complaint, [cast.tr_investigator]),
        lambda: services.assign_investigators(cast.secretariat, complaint, [cast.qa_investigator]),
        lambda: services.add_investigation_note(cast.tr_investigator, complaint, text="NOTE-7f3a"),
        lambda: services.complete_investigation_task(
            cast.tr_investigator,
            services.add_investigation_task(
                cast.tr_investigator,
                complaint,
                kind="site_visit",
                description="TASK-19cc",
                due_at=timezone.now() + dt.timedelta(days=1),
            ),
            result="RESULT-4b2e",
        ),
        lambda: services.grade_evidence(
            cast.qa_investigator, complaint.evidence.get(), reliability="B", credibility="3", note="GRADE-a1d0"
        ),
        lambda: services.link_corroboration(cast.tr_investigator, complaint, other, note="LINK-5e9b"),
        lambda: services.record_findings(cast.qa_investigator, complaint, summary="FINDINGS-c3d4"),
        lambda: services.draft_determination(
            cast.qa_adjudicator, complaint, outcome="inconclusive", reasons="DRAFT-88aa"
        ),
        lambda: services.draft_determination(
            cast.qa_adjudicator, complaint, outcome="not_attributable", reasons="No group can be named."
        ),
        lambda: services.sign_determination(cast.qa_adjudicator, complaint.determinations.get()),
        lambda: services.sign_determination(cast.tr_adjudicator, complaint.determinations.get()),
        lambda: services.add_dissent(cast.pk_liaison, complaint.determinations.get(), text="We name the TTP."),
    ]
    for step in steps:
        step()
        assert_log_consistent()
    with time_machine.travel(after_appeal_window(complaint), tick=False):
        services.close_complaint(cast.secretariat, complaint)
    assert_log_consistent()
    complaint.refresh_from_db()
    assert not is_sealed(complaint)

    entries = list(LogEntry.objects.filter(subject_code=complaint.public_code).order_by("sequence"))
    kinds = [e.kind for e in entries]
    assert kinds == [
        "complaint.submitted",
        "complaint.notified",
        "complaint.replied",
        "complaint.investigation_opened",
        "complaint.assigned",
        "investigation.note_added",
        "investigation.task_added",
        "investigation.task_done",
        "investigation.graded",
        "investigation.corroboration",
        "complaint.findings_ready",
        "investigation.findings",
        "determination.drafted",
        "determination.drafted",
        "determination.signed",
        "complaint.determined",
        "determination.dissent",
        "complaint.closed",
    ]
    for entry in entries:
        text = json.dumps(entry.record)
        if entry.kind.startswith(MEDIATOR_ONLY_KINDS):
            assert entry.sealed, entry.kind
            continue
        # open entries (and complaint entries, whose records whoever sees the complaint can fetch as receipts)
        for secret in SECRETS:
            assert secret not in text, (entry.kind, secret)
        # a notified GREEN complaint's own entries are open; its filing, before notice, is sealed
        assert entry.sealed is (entry.kind == "complaint.submitted"), entry.kind
    complaint_secret_holders = [e.kind for e in entries if any(s in json.dumps(e.record) for s in SECRETS)]
    assert set(complaint_secret_holders) <= {k for k in kinds if k.startswith(MEDIATOR_ONLY_KINDS)}
    assert len(complaint_secret_holders) == 7


def test_an_amber_complaints_entries_are_all_sealed(cast: Cast) -> None:
    from wf_steps import drive

    complaint = drive(cast, "closed")
    entries = LogEntry.objects.filter(subject_code=complaint.public_code)
    assert entries.count() >= 8 and set(entries.values_list("sealed", flat=True)) == {True}
