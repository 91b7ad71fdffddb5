"""Helpers of the workflow web tests: drive a complaint to a state through the real services, and the secret
texts that only mediators may ever read (each planted where the investigation keeps it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from web_helpers import png_bytes

from ceasefire.core.models import Membership
from ceasefire.demo.mechanism import Mechanism
from ceasefire.incidents.drafts import CasualtyFigure, EvidenceUpload
from ceasefire.incidents.models import Complaint
from ceasefire.verification import services
from ceasefire.verification.models import Determination

NOTE = "Secret working note: the informant in Torkham is unreliable"
TASK = "Secret task: interview the Kurram district witness"
FINDINGS = "Secret findings: the crater pattern matches artillery"
GRADE_NOTE = "Secret grade reason: metadata stripped"
DRAFT_REASONS = "Draft reasons under discussion among mediators"
SECRETS = (NOTE, TASK, FINDINGS, GRADE_NOTE)

PARTY_USERS = ("af-liaison", "af-viewer", "pk-liaison", "pk-viewer", "pk-analyst")

# The states a complaint reaches, in order, and what the walk does to get there.
WALK = ("submitted", "notified", "under_investigation", "findings_ready", "drafted", "determined", "appealed")


def url(complaint: Complaint, action: str = "") -> str:
    if not action:
        return reverse("web:complaint-detail", args=[complaint.public_code])
    return reverse(f"web:complaint-{action.replace('_', '-')}", args=[complaint.public_code])


def member(mechanism: Mechanism, username: str) -> Membership:
    return mechanism.members[username]


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def advance(mechanism: Mechanism, complaint: Complaint, to: str) -> Complaint:
    """Move a freshly filed Pakistani complaint (pk_complaint, submitted) on to `to`, planting the secrets."""
    m = lambda name: member(mechanism, name)  # noqa: E731
    complaint.refresh_from_db()
    at = complaint.state
    if at == "findings_ready" and Determination.objects.filter(complaint=complaint).exists():
        at = "drafted"
    for step in WALK[WALK.index(at) + 1 : WALK.index(to) + 1]:
        complaint.refresh_from_db()
        if step == "notified":
            services.notify_respondent(m("tr-secretariat"), complaint)
            services.add_investigation_note(m("tr-secretariat"), complaint, text=NOTE)
        elif step == "under_investigation":
            services.reply_to_complaint(
                m("af-liaison"),
                complaint,
                kind="contested",
                account="Our forces were not in Islamabad.",
                casualties=[CasualtyFigure(kind="killed", status="civilian", best=3)],
                evidence=[EvidenceUpload(file=png("reply.png"), filename="reply.png")],
            )
            services.assign_investigators(m("tr-secretariat"), complaint, [m("tr-investigator")])
            complaint.refresh_from_db()
            services.add_investigation_task(
                m("tr-investigator"),
                complaint,
                kind="interview",
                description=TASK,
                due_at=timezone.now() + dt.timedelta(days=3),
            )
            evidence = complaint.evidence.first()
            services.grade_evidence(m("tr-investigator"), evidence, reliability="B", credibility="3", note=GRADE_NOTE)
        elif step == "findings_ready":
            services.record_findings(m("tr-investigator"), complaint, summary=FINDINGS)
        elif step == "drafted":
            services.draft_determination(
                m("tr-adjudicator"),
                complaint,
                outcome="breach_confirmed",
                reasons=DRAFT_REASONS,
                responsible_party=complaint.respondent,
                commitments=[complaint.agreement.commitments.get(code="C4")],
                measures=[complaint.agreement.penalty_types.get(code="formal-warning")],
            )
        elif step == "determined":
            draft = Determination.objects.get(complaint=complaint, round=complaint.round)
            services.sign_determination(m("tr-adjudicator"), draft)
            services.sign_determination(m("qa-adjudicator"), draft)
        elif step == "appealed":
            services.appeal_determination(m("af-liaison"), complaint, grounds="The findings ignore our account.")
    complaint.refresh_from_db()
    return complaint


def close_after_appeal_window(mechanism: Mechanism, complaint: Complaint) -> Any:
    """A determined complaint closed once its appeal window passed (the caller travels in time)."""
    return services.close_complaint(member(mechanism, "tr-secretariat"), complaint)
