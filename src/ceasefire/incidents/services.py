"""The write path of incidents: filing complaints, adding evidence, recording evidence access.

Every function here checks its rule, writes, and appends its transparency-log entry in one transaction. Web views,
the API, the CLI and the demo loader all call these; nothing else writes these models.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ceasefire.core import rules
from ceasefire.core.codes import new_public_code
from ceasefire.core.errors import NotPermitted, NotVisible, ValidationFailed
from ceasefire.core.models import Membership, Party
from ceasefire.core.requestid import current_request_id
from ceasefire.geo.models import Place
from ceasefire.geo.queries import locate
from ceasefire.ledger.services import record_change

from . import evidence_store
from .drafts import ComplaintDraft, EvidenceUpload, check_draft
from .enums import Category, ComplaintState, CustodyAction
from .filetypes import DisallowedFile
from .models import Actor, CasualtyClaim, Complaint, CustodyEvent, Evidence, Incident, StoredFile
from .versions import is_sealed, version_of


def store_uploads(uploads: Sequence[EvidenceUpload]) -> list[tuple[EvidenceUpload, StoredFile]]:
    """Check and store every file before any row is written, so a bad file changes nothing."""
    staged: list[tuple[EvidenceUpload, evidence_store.StagedBlob]] = []
    errors: dict[str, str] = {}
    summary = ""
    for i, upload in enumerate(uploads):
        try:
            staged.append((upload, evidence_store.stage(upload.file)))
        except (evidence_store.OversizeFile, DisallowedFile) as exc:
            errors[f"evidence[{i}]"] = gettext("%(filename)s: %(problem)s.") % {
                "filename": upload.filename,
                "problem": exc,
            }
            summary = summary or gettext("Evidence '%(filename)s' was refused: %(problem)s.") % {
                "filename": upload.filename,
                "problem": exc,
            }
    if errors:
        for _, staged_blob in staged:
            evidence_store.discard(staged_blob)
        raise ValidationFailed(summary, errors=errors)
    blobs = [(upload, evidence_store.keep(staged_blob)) for upload, staged_blob in staged]
    stored = []
    for upload, blob in blobs:
        row, _ = StoredFile.objects.get_or_create(
            sha256=blob.sha256, defaults={"size": blob.size, "media_type": blob.media_type}
        )
        stored.append((upload, row))
    return stored


def file_complaint(member: Membership, draft: ComplaintDraft, *, submit: bool = True) -> Complaint:
    """File a complaint for the member's party: a new incident, the complaint, its claims and evidence."""
    if not rules.can_file_complaint(member):
        raise NotPermitted(gettext("Only a party's liaison officer can file a complaint."))
    resolved = check_draft(member, draft)
    now = timezone.now()
    # Geometry and reference reads happen before the transaction, so the write lock is held only for writes.
    placement = locate(draft.longitude, draft.latitude)
    with transaction.atomic():
        stored = store_uploads(draft.evidence)
        place: Place | None = resolved["place"]
        incident = Incident.objects.create(
            public_code=new_public_code("INC", now.year, lambda c: Incident.objects.filter(public_code=c).exists()),
            category=draft.category,
            starts_at=draft.starts_at,
            ends_at=draft.ends_at,
            time_precision=draft.time_precision,
            latitude=draft.latitude,
            longitude=draft.longitude,
            place=place,
            place_description=draft.place_description or (str(place) if place else ""),
            side=placement.side,
            distance_km=placement.distance_km,
            province=placement.province,
            nearest_crossing=placement.nearest_crossing,
            nearest_crossing_km=placement.nearest_crossing_km,
            reference_dataset=placement.dataset,
        )
        state = ComplaintState.SUBMITTED if submit else ComplaintState.DRAFT
        title = draft.title.strip() or _default_title(draft.category, incident)
        complaint = Complaint.objects.create(
            public_code=new_public_code("CMP", now.year, lambda c: Complaint.objects.filter(public_code=c).exists()),
            incident=incident,
            agreement=resolved["agreement"],
            complainant=member.party,
            respondent=resolved["respondent"],
            title=title,
            narrative=draft.narrative.strip(),
            tlp=draft.tlp,
            state=state,
            filed_by=member,
            created_at=now,
            submitted_at=now if submit else None,
            updated_at=now,
            category=draft.category,
            occurred_at=draft.starts_at,
            search_text=" ".join([title, draft.narrative, incident.place_description, placement.province]).lower(),
        )
        # The complaint is new, so its links are inserted directly rather than diffed by .set().
        Complaint.commitments.through.objects.bulk_create(
            Complaint.commitments.through(complaint=complaint, commitment=c) for c in resolved["commitments"]
        )
        Complaint.actors.through.objects.bulk_create(
            Complaint.actors.through(complaint=complaint, actor=a) for a in resolved["actors"]
        )
        claims = CasualtyClaim.objects.bulk_create(
            CasualtyClaim(
                complaint=complaint,
                claimant=member.party,
                kind=f.kind,
                status=f.status,
                low=f.low,
                best=f.best,
                high=f.high,
            )
            for f in draft.casualties
        )
        evidence = [_attach(member, complaint, upload, stored_file, log=False) for upload, stored_file in stored]
        record_change(
            member,
            kind="complaint.submitted" if submit else "complaint.drafted",
            subject_code=complaint.public_code,
            record=version_of(
                complaint,
                commitments=resolved["commitments"],
                actors=resolved["actors"],
                claims=claims,
                evidence=evidence,
            ),
            sealed=is_sealed(complaint),
        )
        if submit:
            # The workflow sits above incidents; imported here so filing and what follows it are one transaction.
            from ceasefire.verification.services import after_submission

            after_submission(complaint)
    return complaint


def _default_title(category: str, incident: Incident) -> str:
    where = incident.place_description or incident.province or f"{incident.latitude:.3f}, {incident.longitude:.3f}"
    return f"{Category(category).label} — {where}, {incident.starts_at:%Y-%m-%d}"


def _attach(
    member: Membership, complaint: Complaint, upload: EvidenceUpload, stored_file: StoredFile, *, log: bool
) -> Evidence:
    evidence = Evidence.objects.create(
        public_code=new_public_code(
            "EVD", timezone.now().year, lambda c: Evidence.objects.filter(public_code=c).exists()
        ),
        complaint=complaint,
        stored_file=stored_file,
        filename=upload.filename[:255] or "evidence",
        description=upload.description[:500],
        source=upload.source[:300],
        captured_at=upload.captured_at,
        added_by=member,
    )
    # The same original uploaded again is stored once and linked again; custody says which it was.
    action = CustodyAction.LINKED if stored_file.evidence.count() > 1 else CustodyAction.ADDED
    CustodyEvent.objects.create(evidence=evidence, membership=member, action=action, request_id=current_request_id())
    if log:
        record_change(
            member,
            kind="evidence.added",
            subject_code=complaint.public_code,
            record={
                "evidence": evidence.public_code,
                "sha256": stored_file.sha256,
                "complaint": complaint.public_code,
                "filename": evidence.filename,
                "media_type": stored_file.media_type,
                "size": stored_file.size,
            },
            sealed=is_sealed(complaint),
        )
    return evidence


def add_evidence(member: Membership, complaint: Complaint, uploads: Sequence[EvidenceUpload]) -> list[Evidence]:
    """Add files to a complaint the member can see: its complainant's liaison, or a mediator's investigator."""
    if not Complaint.objects.visible_to(member).filter(pk=complaint.pk).exists():
        raise NotVisible(gettext("No such complaint."))
    if not rules.can_add_evidence(member):
        raise NotPermitted(gettext("Only liaison officers and investigators can add evidence."))
    # The complainant adds evidence from the start; the respondent once it was notified (it contests with its own).
    side = complaint.complainant_id == member.party_id or (
        complaint.respondent_id == member.party_id and complaint.notified_at is not None
    )
    if not member.is_mediator and not side:
        raise NotPermitted(gettext("Only the complaint's two sides and the mediators add evidence to it."))
    if complaint.state in (ComplaintState.CLOSED, ComplaintState.WITHDRAWN, ComplaintState.REJECTED_INADMISSIBLE):
        raise NotPermitted(
            gettext("The complaint is %(state)s; no evidence can be added.")
            % {"state": complaint.get_state_display().lower()}
        )
    if not uploads:
        raise ValidationFailed(gettext("Choose at least one file."), field="files")
    with transaction.atomic():
        stored = store_uploads(uploads)
        added = [_attach(member, complaint, upload, row, log=True) for upload, row in stored]
        Complaint.objects.filter(pk=complaint.pk).update(updated_at=timezone.now())
    return added


def record_evidence_access(member: Membership, evidence: Evidence, action: str) -> CustodyEvent:
    """Note a view, download or export in the evidence's chain of custody (and, sealed, in the log)."""
    if not Evidence.objects.visible_to(member).filter(pk=evidence.pk).exists():
        raise NotVisible(gettext("No such evidence."))
    # Additions are recorded by _attach; only reads of an existing item are accesses.
    if action not in (CustodyAction.VIEWED, CustodyAction.DOWNLOADED, CustodyAction.EXPORTED):
        raise ValidationFailed(gettext("Unknown evidence access '%(action)s'.") % {"action": action}, field="action")
    with transaction.atomic():
        event = CustodyEvent.objects.create(
            evidence=evidence, membership=member, action=action, request_id=current_request_id()
        )
        record_change(
            member,
            kind=f"evidence.{action}",
            subject_code=evidence.complaint.public_code,
            record={
                "evidence": evidence.public_code,
                "action": action,
                "by": member.user.get_username(),
                "at": event.at.isoformat(),
            },
            sealed=True,
        )
    return event


def register_actor(
    member: Membership | None,
    *,
    code: str,
    name: str,
    kind: str,
    party: Party | None = None,
    aliases: Sequence[str] = (),
    description: str = "",
) -> Actor:
    if Actor.objects.filter(code=code).exists():
        raise ValidationFailed(gettext("Actor %(code)s exists already.") % {"code": code}, field="code")
    with transaction.atomic():
        actor = Actor.objects.create(
            code=code, name=name, kind=kind, party=party, aliases=list(aliases), description=description
        )
        record_change(
            member,
            kind="actor.registered",
            subject_code=code,
            record={
                "code": code,
                "name": name,
                "kind": kind,
                "party": party.code if party else None,
                "aliases": list(aliases),
            },
            sealed=False,
        )
    return actor
