"""The write path of incidents: filing complaints, adding evidence, recording evidence access.

Every function here checks its rule, writes, and appends its transparency-log entry in one transaction. Web views,
the API, the CLI and the demo loader all call these; nothing else writes these models.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ceasefire.agreements.models import Agreement, Commitment
from ceasefire.core import rules
from ceasefire.core.codes import new_public_code
from ceasefire.core.enums import TLP, PartyKind
from ceasefire.core.errors import NotPermitted, NotVisible, ValidationFailed
from ceasefire.core.models import Membership, Party
from ceasefire.core.requestid import current_request_id
from ceasefire.geo.models import Place
from ceasefire.geo.queries import locate
from ceasefire.geo.reference import reference
from ceasefire.ledger.services import record_change

from . import evidence_store
from .enums import CasualtyKind, CasualtyStatus, Category, ComplaintState, CustodyAction, TimePrecision
from .filetypes import DisallowedFile
from .models import Actor, CasualtyClaim, Complaint, CustodyEvent, Evidence, Incident, StoredFile

MAX_NARRATIVE = 20_000


@dataclass(frozen=True)
class CasualtyFigure:
    kind: str
    status: str
    best: int
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class EvidenceUpload:
    """A file as received (an UploadedFile or any binary file object) with what the filer says about it."""

    file: Any
    filename: str
    description: str = ""
    source: str = ""
    captured_at: dt.datetime | None = None


@dataclass
class ComplaintDraft:
    """Everything a party says when it files a complaint, before any of it is checked."""

    category: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_precision: str
    latitude: float
    longitude: float
    respondent: str  # party code
    narrative: str
    commitments: Sequence[str] = ()  # commitment codes of the agreement
    actors: Sequence[str] = ()  # actor codes
    title: str = ""
    tlp: str = TLP.AMBER
    place_id: int | None = None
    place_description: str = ""
    casualties: Sequence[CasualtyFigure] = ()
    agreement_code: str | None = None
    evidence: Sequence[EvidenceUpload] = field(default_factory=list)


def _check_draft(member: Membership, draft: ComplaintDraft) -> dict[str, Any]:
    """Validate every field, collecting all problems, and resolve codes to rows. Raises ValidationFailed."""
    errors: dict[str, str] = {}
    resolved: dict[str, Any] = {}

    agreements = Agreement.objects.filter(is_active=True, parties=member.party)
    agreement = agreements.filter(code=draft.agreement_code).first() if draft.agreement_code else agreements.first()
    if agreement is None:
        errors["agreement"] = (
            gettext("Unknown agreement '%(code)s'.") % {"code": draft.agreement_code}
            if draft.agreement_code
            else gettext("Your party is bound by no agreement in force.")
        )
    resolved["agreement"] = agreement

    if draft.category not in Category.values:
        errors["category"] = gettext("Unknown category '%(category)s'.") % {"category": draft.category}
    if draft.time_precision not in TimePrecision.values:
        errors["time_precision"] = gettext("Unknown time precision '%(precision)s'.") % {
            "precision": draft.time_precision
        }
    if draft.tlp not in TLP.values:
        errors["tlp"] = gettext("Unknown TLP level '%(tlp)s'.") % {"tlp": draft.tlp}

    if draft.ends_at < draft.starts_at:
        errors["ends_at"] = gettext("The end of the time window is before its start.")
    if draft.starts_at > timezone.now() + dt.timedelta(minutes=5):
        errors["starts_at"] = gettext("The incident cannot start in the future.")

    lat, lon = draft.latitude, draft.longitude
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        errors["latitude"] = gettext("Latitude must be between -90 and 90.")
    elif not (math.isfinite(lon) and -180 <= lon <= 180):
        errors["longitude"] = gettext("Longitude must be between -180 and 180.")
    elif not reference().in_area(lon, lat):
        errors["latitude"] = gettext(
            "The point %(lat).4f, %(lon).4f lies outside the mechanism's area "
            "(Afghanistan and Pakistan and 25 km around them)."
        ) % {"lat": lat, "lon": lon}

    respondent = Party.objects.filter(code=draft.respondent.upper()).first() if draft.respondent else None
    if respondent is None:
        errors["respondent"] = gettext("Unknown party '%(party)s'.") % {"party": draft.respondent}
    elif respondent.pk == member.party_id:
        errors["respondent"] = gettext("A party cannot file a complaint against itself.")
    elif respondent.kind != PartyKind.PARTY:
        errors["respondent"] = gettext("%(party)s is a %(kind)s, not a party to the ceasefire.") % {
            "party": respondent.name,
            "kind": respondent.kind,
        }
    elif agreement is not None and not agreement.parties.filter(pk=respondent.pk).exists():
        errors["respondent"] = gettext("%(party)s is not a party to %(agreement)s.") % {
            "party": respondent.name,
            "agreement": agreement.title,
        }
    resolved["respondent"] = respondent

    codes = list(dict.fromkeys(draft.commitments))
    if not codes:
        errors["commitments"] = gettext("Name at least one commitment allegedly breached.")
    elif agreement is not None:
        found = {c.code: c for c in agreement.commitments.filter(code__in=codes).prefetch_related("bound_parties")}
        unknown = [c for c in codes if c not in found]
        if unknown:
            errors["commitments"] = gettext("Unknown commitment(s) of %(agreement)s: %(codes)s.") % {
                "agreement": agreement.code,
                "codes": ", ".join(unknown),
            }
        elif respondent is not None and "respondent" not in errors:
            unbound = [c for c in codes if respondent not in found[c].bound_parties.all()]
            if unbound:
                errors["commitments"] = gettext("%(party)s is not bound by: %(codes)s.") % {
                    "party": respondent.name,
                    "codes": ", ".join(unbound),
                }
        resolved["commitments"] = list(found.values())

    actor_codes = list(dict.fromkeys(draft.actors))
    actors = list(Actor.objects.filter(code__in=actor_codes))
    unknown_actors = sorted(set(actor_codes) - {a.code for a in actors})
    if unknown_actors:
        errors["actors"] = gettext("Unknown actor(s): %(codes)s.") % {"codes": ", ".join(unknown_actors)}
    resolved["actors"] = actors

    narrative = draft.narrative.strip()
    if not narrative:
        errors["narrative"] = gettext("The narrative is empty: say what happened.")
    elif len(narrative) > MAX_NARRATIVE:
        errors["narrative"] = gettext("The narrative is longer than %(limit)d characters.") % {"limit": MAX_NARRATIVE}
    if len(draft.title) > 200:
        errors["title"] = gettext("The title is longer than 200 characters.")

    place = None
    if draft.place_id is not None:
        place = Place.objects.filter(pk=draft.place_id).first()
        if place is None:
            errors["place"] = gettext("Unknown gazetteer place.")
    resolved["place"] = place

    for i, figure in enumerate(draft.casualties):
        problem = _casualty_problem(figure)
        if problem:
            errors[f"casualties[{i}]"] = problem
    if errors:
        raise ValidationFailed(gettext("The complaint has errors; nothing was saved."), errors=errors)
    return resolved


def _casualty_problem(figure: CasualtyFigure) -> str | None:
    if figure.kind not in CasualtyKind.values:
        return gettext("Unknown casualty kind '%(kind)s'.") % {"kind": figure.kind}
    if figure.status not in CasualtyStatus.values:
        return gettext("Unknown casualty status '%(status)s'.") % {"status": figure.status}
    numbers = [n for n in (figure.low, figure.best, figure.high) if n is not None]
    if any(n < 0 for n in numbers):
        return gettext("Casualty figures cannot be negative.")
    if figure.low is not None and figure.low > figure.best:
        return gettext("The low estimate is above the best estimate.")
    if figure.high is not None and figure.high < figure.best:
        return gettext("The high estimate is below the best estimate.")
    return None


def _store_uploads(uploads: Sequence[EvidenceUpload]) -> list[tuple[EvidenceUpload, StoredFile]]:
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


def complaint_version(complaint: Complaint) -> dict[str, Any]:
    """The full record version committed to in the log (salted, so the leaf reveals nothing of it)."""
    return _version(
        complaint,
        commitments=complaint.commitments.all(),
        actors=complaint.actors.all(),
        claims=complaint.casualty_claims.select_related("claimant"),
        evidence=complaint.evidence.select_related("stored_file"),
    )


def _version(
    complaint: Complaint,
    *,
    commitments: Iterable[Commitment],
    actors: Iterable[Actor],
    claims: Iterable[CasualtyClaim],
    evidence: Iterable[Evidence],
) -> dict[str, Any]:
    # Takes the related rows as arguments so that filing, which has them in hand, builds it without queries.
    incident = complaint.incident
    return {
        "public_code": complaint.public_code,
        "state": complaint.state,
        "complainant": complaint.complainant.code,
        "respondent": complaint.respondent.code,
        "agreement": complaint.agreement.code,
        "commitments": sorted(c.code for c in commitments),
        "actors": sorted(a.code for a in actors),
        "title": complaint.title,
        "narrative": complaint.narrative,
        "tlp": complaint.tlp,
        "incident": {
            "public_code": incident.public_code,
            "category": incident.category,
            "starts_at": incident.starts_at.isoformat(),
            "ends_at": incident.ends_at.isoformat(),
            "time_precision": incident.time_precision,
            "latitude": incident.latitude,
            "longitude": incident.longitude,
        },
        "casualties": sorted(
            ([c.claimant.code, c.kind, c.status, c.low, c.best, c.high] for c in claims),
            key=lambda row: (row[0], row[1], row[2], row[4]),
        ),
        "evidence": sorted(e.stored_file.sha256 for e in evidence),
    }


def is_sealed(complaint: Complaint) -> bool:
    """A log entry is open only when every party's GREEN members may see the record: notified and CLEAR/GREEN."""
    return complaint.notified_at is None or complaint.tlp not in (TLP.CLEAR, TLP.GREEN)


def file_complaint(member: Membership, draft: ComplaintDraft, *, submit: bool = True) -> Complaint:
    """File a complaint for the member's party: a new incident, the complaint, its claims and evidence."""
    if not rules.can_file_complaint(member):
        raise NotPermitted(gettext("Only a party's liaison officer can file a complaint."))
    resolved = _check_draft(member, draft)
    now = timezone.now()
    # Geometry and reference reads happen before the transaction, so the write lock is held only for writes.
    placement = locate(draft.longitude, draft.latitude)
    with transaction.atomic():
        stored = _store_uploads(draft.evidence)
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
            record=_version(
                complaint,
                commitments=resolved["commitments"],
                actors=resolved["actors"],
                claims=claims,
                evidence=evidence,
            ),
            sealed=is_sealed(complaint),
        )
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
    if not member.is_mediator and complaint.complainant_id != member.party_id:
        raise NotPermitted(gettext("Only the complainant party adds evidence at this stage."))
    if complaint.state in (ComplaintState.CLOSED, ComplaintState.WITHDRAWN, ComplaintState.REJECTED_INADMISSIBLE):
        raise NotPermitted(
            gettext("The complaint is %(state)s; no evidence can be added.")
            % {"state": complaint.get_state_display().lower()}
        )
    if not uploads:
        raise ValidationFailed(gettext("Choose at least one file."), field="files")
    with transaction.atomic():
        stored = _store_uploads(uploads)
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
