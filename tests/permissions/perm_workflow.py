"""The workflow part of the permission world: a complaint in every state of the workflow, both ways (AF→PK and
PK→AF), driven there through the verification services, with mediator-only material carrying unique markers.

Who sees each record is written out by hand in perm_states.py; this module only builds. Every secret marker (an
investigation note, task, grade, corroboration, findings or a draft determination's reasons) is a word that
appears nowhere else, so finding its bytes in an answer to a party is a leak.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import time_machine
from django.utils import timezone
from perm_states import WORKFLOW_STAGES, WorkflowRecord, workflow_records
from support import islamabad_attack_draft, khost_strike_draft

from ceasefire.core.models import Membership
from ceasefire.demo.mechanism import Mechanism
from ceasefire.incidents.drafts import EvidenceUpload
from ceasefire.incidents.models import Complaint, Evidence
from ceasefire.incidents.services import add_evidence, file_complaint
from ceasefire.ledger.models import LogEntry
from ceasefire.verification import services
from ceasefire.verification.models import Determination, InvestigationTask

# The kinds of mediator-only material, each with its marker's stem: "<stem><record word>".
SECRET_KINDS = {
    "note": "zqnote",  # an investigation note (by an investigator, or an adjudicator before the investigation)
    "task": "zqtask",  # an investigation task's description
    "task_result": "zqresult",  # what the task found
    "grade": "zqgrade",  # an Admiralty grade's note
    "corroboration": "zqcorro",  # why another incident bears on this one
    "findings": "zqfindings",  # the findings summary
    "draft": "zqdraft",  # the reasons of a draft determination (unsigned, signed once, or superseded)
    "round2_note": "zqsecondnote",  # a note of the reopened investigation
    "assign_note": "zqassign",  # the secretariat's note when assigning investigators
}
# Text a party may read once it sees the complaint (so not a secret): still unique, to find it where it belongs.
PUBLIC_KINDS = {
    "reply": "zpreply",
    "reasons": "zpreasons",
    "dissent": "zpdissent",
    "appeal": "zpgrounds",
    "withdraw": "zpwithdraw",
    "reject": "zpreject",
}


@dataclass
class Built:
    """What the builder made for one workflow record: its codes and its markers."""

    spec: WorkflowRecord
    complaint: Complaint
    evidence_code: str
    filename: str
    secrets: dict[str, str] = field(default_factory=dict)  # kind -> marker, for what exists on this record
    public: dict[str, str] = field(default_factory=dict)
    determination_pk: int | None = None  # the current round's determination, if any
    task_pk: int | None = None


def _png(width: int) -> bytes:
    from perm_world import png_bytes

    return png_bytes(width)


class _Driver:
    """Drives one complaint through the services, step by step, recording the markers it writes."""

    def __init__(self, mechanism: Mechanism, spec: WorkflowRecord, width: int, corroborate_with: Any) -> None:
        self.m = mechanism
        self.spec = spec
        self.width = width
        self.corroborate_with = corroborate_with
        members = mechanism.members
        self.complainant = members["af-liaison"] if spec.complainant == "AF" else members["pk-liaison"]
        self.respondent = members["pk-liaison"] if spec.complainant == "AF" else members["af-liaison"]
        self.secretariat = members["tr-secretariat"]
        self.tr_investigator, self.qa_investigator = members["tr-investigator"], members["qa-investigator"]
        self.tr_adjudicator, self.qa_adjudicator = members["tr-adjudicator"], members["qa-adjudicator"]
        self.built: Built | None = None

    def secret(self, kind: str) -> str:
        marker = f"{SECRET_KINDS[kind]}{self.spec.word}"
        assert self.built is not None
        self.built.secrets[kind] = marker
        return marker

    def public(self, kind: str) -> str:
        marker = f"{PUBLIC_KINDS[kind]}{self.spec.word}"
        assert self.built is not None
        self.built.public[kind] = marker
        return marker

    @property
    def complaint(self) -> Complaint:
        assert self.built is not None
        return self.built.complaint

    def file(self, *, submit: bool = True) -> None:
        word = self.spec.word
        builder = khost_strike_draft if self.spec.complainant == "AF" else islamabad_attack_draft
        draft = builder(
            title=f"{word.capitalize()}title {self.spec.key}",
            narrative=f"Permission matrix workflow record {word}narrative: {builder().narrative}",
        )
        complaint = file_complaint(self.complainant, draft, submit=submit)
        filename = f"{word}-crater.png"
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile(filename, _png(self.width), content_type="image/png")
        evidence = add_evidence(self.complainant, complaint, [EvidenceUpload(file=upload, filename=filename)])[0]
        self.built = Built(self.spec, complaint, evidence.public_code, filename)

    def notify(self) -> None:
        services.notify_respondent(self.secretariat, self.complaint)

    def adjudicator_note(self) -> None:
        services.add_investigation_note(self.tr_adjudicator, self.complaint, text=f"Early note {self.secret('note')}.")

    def reply(self) -> None:
        services.reply_to_complaint(
            self.respondent, self.complaint, kind="contested", account=f"Our account {self.public('reply')}."
        )

    def investigate(self) -> None:
        c = self.complaint
        services.assign_investigators(
            self.secretariat,
            c,
            [self.tr_investigator, self.qa_investigator],
            note=f"Assigned {self.secret('assign_note')}.",
        )
        task = services.add_investigation_task(
            self.tr_investigator,
            c,
            kind="site_visit",
            description=f"Visit {self.secret('task')}.",
            due_at=timezone.now() + dt.timedelta(days=3),
            assigned_to=self.tr_investigator,
        )
        services.complete_investigation_task(self.tr_investigator, task, result=f"Found {self.secret('task_result')}.")
        assert self.built is not None
        self.built.task_pk = services.add_investigation_task(
            self.qa_investigator,
            c,
            kind="interview",
            description=f"Interview, second {self.secret('task')}.",
            due_at=timezone.now() + dt.timedelta(days=5),
        ).pk
        services.add_investigation_note(self.tr_investigator, c, text=f"Working note {self.secret('note')}.")
        evidence = Evidence.objects.get(public_code=self.built.evidence_code)
        services.grade_evidence(
            self.tr_investigator, evidence, reliability="B", credibility="2", note=f"Graded {self.secret('grade')}."
        )
        services.link_corroboration(
            self.tr_investigator, c, self.corroborate_with, note=f"Bears on it {self.secret('corroboration')}."
        )

    def findings(self) -> None:
        services.record_findings(self.tr_investigator, self.complaint, summary=f"Findings {self.secret('findings')}.")

    def draft(self, *, signed_once: bool) -> None:
        d = services.draft_determination(
            self.tr_adjudicator, self.complaint, outcome="inconclusive", reasons=f"Draft {self.secret('draft')}."
        )
        assert self.built is not None
        self.built.determination_pk = d.pk
        if signed_once:
            services.sign_determination(self.tr_adjudicator, d)

    def determine(self) -> None:
        """A first draft whose reasons stay secret for ever (superseded), then the published one, both signatures
        and the respondent's dissent."""
        self.draft(signed_once=False)
        d = services.draft_determination(
            self.tr_adjudicator,
            self.complaint,
            outcome="not_substantiated",
            reasons=f"Published reasons {self.public('reasons')}.",
        )
        services.sign_determination(self.tr_adjudicator, d)
        services.sign_determination(self.qa_adjudicator, d)
        services.add_dissent(self.respondent, d, text=f"We dissent {self.public('dissent')}.")

    def close(self) -> None:
        d = Determination.objects.get(pk=self.built.determination_pk) if self.built else None
        assert d is not None and d.appeal_until is not None
        with time_machine.travel(d.appeal_until + dt.timedelta(hours=1), tick=True):
            services.close_complaint(self.secretariat, self.complaint)

    def appeal(self) -> None:
        services.appeal_determination(self.respondent, self.complaint, grounds=f"Grounds {self.public('appeal')}.")

    def reopen(self) -> None:
        c = self.complaint
        services.assign_investigators(self.secretariat, c, [self.qa_investigator])
        services.add_investigation_note(self.qa_investigator, c, text=f"Second round {self.secret('round2_note')}.")
        assert self.built is not None
        self.built.determination_pk = None  # round 2 has no determination yet

    def withdraw(self) -> None:
        services.withdraw_complaint(self.complainant, self.complaint, reason=f"Withdrawn {self.public('withdraw')}.")

    def reject(self) -> None:
        services.reject_complaint(self.secretariat, self.complaint, reason=f"Inadmissible {self.public('reject')}.")


# The steps of each stage, in order; the stages are named in perm_states.WORKFLOW_STAGES.
_STEPS: dict[str, tuple[str, ...]] = {
    "draft": ("file_draft",),
    "submitted": ("file",),
    "withdrawn_early": ("file", "withdraw"),
    "rejected": ("file", "reject"),
    "notified": ("file", "notify", "adjudicator_note"),
    "rejected_notified": ("file", "notify", "adjudicator_note", "reject"),
    "under_investigation": ("file", "notify", "reply", "adjudicator_note", "investigate"),
    "withdrawn": ("file", "notify", "reply", "investigate", "withdraw"),
    "findings_ready": ("file", "notify", "reply", "investigate", "findings", "draft_signed_once"),
    "determined": ("file", "notify", "reply", "investigate", "findings", "determine"),
    "closed": ("file", "notify", "reply", "investigate", "findings", "determine", "close"),
    "appealed": ("file", "notify", "reply", "investigate", "findings", "determine", "appeal"),
    "reinvestigation": ("file", "notify", "reply", "investigate", "findings", "determine", "appeal", "reopen"),
}
assert set(_STEPS) == set(WORKFLOW_STAGES)


def _run(driver: _Driver, step: str) -> None:
    if step == "file_draft":
        driver.file(submit=False)
    elif step == "draft_signed_once":
        driver.draft(signed_once=True)
    elif step == "determine":
        driver.determine()
        assert driver.built is not None
        driver.built.determination_pk = Determination.objects.get(
            complaint=driver.complaint, round=driver.complaint.round
        ).pk
    else:
        getattr(driver, step)()


def build_workflow_records(mechanism: Mechanism, corroborate: dict[str, Any]) -> dict[str, Built]:
    """Every workflow record, built through the services. `corroborate` maps a complainant ("AF"/"PK") to the
    incident its records link as corroboration (one the respondent may not see, so a leak shows its code)."""
    out: dict[str, Built] = {}
    for i, spec in enumerate(workflow_records()):
        driver = _Driver(mechanism, spec, 200 + i, corroborate[spec.complainant])
        for step in _STEPS[spec.stage]:
            _run(driver, step)
        built = driver.built
        assert built is not None
        built.complaint.refresh_from_db()
        assert built.complaint.state == spec.state, (spec.key, built.complaint.state)
        assert (built.complaint.notified_at is not None) == spec.respondent_told, spec.key
        out[spec.key] = built
    return out


def first_log_index(code: str) -> int:
    entry = LogEntry.objects.filter(subject_code=code).order_by("sequence").first()
    assert entry is not None
    return entry.sequence


def open_task_pk(built: Built) -> int | None:
    if built.task_pk is None:
        return None
    return InvestigationTask.objects.filter(pk=built.task_pk).values_list("pk", flat=True).first()


def member_of(mechanism: Mechanism, username: str) -> Membership:
    return mechanism.members[username]


def add_workflow(world: Any) -> None:
    """Add the workflow records to a built four-record world (perm_world.World), in place: each becomes a Record
    (so every existing check covers it) and its mediator-only markers go to `world.secret_markers`."""
    from perm_world import AF_SUBMITTED, PK_SUBMITTED, Record

    corroborate = {
        # An incident the respondent may not see (the other side's submitted, un-notified complaint).
        "AF": Complaint.objects.get(public_code=world.records[AF_SUBMITTED].code).incident,
        "PK": Complaint.objects.get(public_code=world.records[PK_SUBMITTED].code).incident,
    }
    for key, built in build_workflow_records(world.mechanism, corroborate).items():
        c = built.complaint
        world.records[key] = Record(
            key,
            built.spec.word,
            c.public_code,
            c.incident.public_code,
            built.evidence_code,
            built.filename,
            c.title,
            first_log_index(c.public_code),
        )
        world.secret_markers[key] = dict(built.secrets)
        world.workflow[key] = built
