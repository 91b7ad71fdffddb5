"""The record version of a complaint that its transparency-log entries commit to, and whether they are sealed.

Pure functions: the services build versions when they write, and `ceasefire log verify --database` rebuilds the
current one from the database to compare with the latest entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ceasefire.agreements.models import Commitment
from ceasefire.core.enums import TLP

from .models import Actor, CasualtyClaim, Complaint, Evidence


def complaint_version(complaint: Complaint) -> dict[str, Any]:
    """The full record version committed to in the log (salted, so the leaf reveals nothing of it)."""
    return version_of(
        complaint,
        commitments=complaint.commitments.all(),
        actors=complaint.actors.all(),
        claims=complaint.casualty_claims.select_related("claimant"),
        evidence=complaint.evidence.select_related("stored_file"),
    )


def version_of(
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
