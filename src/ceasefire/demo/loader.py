"""Loads the whole demo: the mechanism (parties, agreement, people, places) and both sides' complaints.

Idempotent: a complaint whose title its party has already filed is skipped, so a second load changes nothing,
not even the transparency log. Everything goes through the services, as a liaison officer's filing does.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from django.db import transaction

from ceasefire.incidents.models import Complaint
from ceasefire.incidents.services import file_complaint

from .complaints import demo_complaints, evidence_for
from .mechanism import Mechanism, build_mechanism


@dataclass
class DemoLoad:
    """What one load did: the mechanism, the public codes it filed, how many complaints were there already."""

    mechanism: Mechanism
    filed: list[str] = field(default_factory=list)
    already_there: int = 0


def load_demo(password: str) -> DemoLoad:
    """Build the demo mechanism and file its complaints, all in one transaction (all or nothing)."""
    with transaction.atomic():
        mechanism = build_mechanism(password=password)
        result = DemoLoad(mechanism=mechanism)
        for spec in demo_complaints():
            member = mechanism.members[spec.filer]
            # The marker: the filing party sees its own complaints, drafts included, through the one
            # visibility rule; a title it has filed before means this complaint was loaded by an earlier run.
            if Complaint.objects.visible_to(member).filter(complainant=member.party, title=spec.title).exists():
                result.already_there += 1
                continue
            draft = dataclasses.replace(spec.draft, evidence=evidence_for(spec))
            complaint = file_complaint(member, draft, submit=spec.submit)
            result.filed.append(complaint.public_code)
    return result
