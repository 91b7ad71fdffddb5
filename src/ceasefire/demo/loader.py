"""Loads the whole demo: the mechanism (parties, agreement, people, places) and both sides' complaints.

The mechanism's history is replayed at its historic times, in one chronological order (demo/workflow.py): the
mechanism is set up the day after the Doha agreement, each complaint is filed the morning after its incident, and
its workflow steps (notice, reply, investigation, determination, appeal, ...) follow at their planned times, with
the deadline tasks run at their due times, as a worker would. Data recorded at the real present (the border
timeline) comes after the replay, so the transparency log stays in time order.

Idempotent: a complaint whose title its party has already filed is skipped with its workflow (filing and workflow
are one transaction, so an existing complaint had its workflow replayed, or was filed by someone else and is left
as it is), so a second load changes nothing, not even the transparency log. Everything goes through the services,
as a liaison officer's filing does. All or nothing: one transaction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

import time_machine
from django.db import transaction
from django.utils import timezone

from ceasefire.incidents.models import Complaint
from ceasefire.incidents.services import file_complaint
from ceasefire.ingest.demo import load_demo_events

from .border import load_border_demo
from .complaints import demo_complaints, evidence_for
from .intel import intel_events
from .mechanism import Mechanism, build_mechanism
from .workflow import MECHANISM_BUILT_AT, PLANS, Case, Event, filing_time, replay, step_events


@dataclass
class DemoLoad:
    """What one load did: the mechanism, the public codes it filed, how many complaints were there already."""

    mechanism: Mechanism
    filed: list[str] = field(default_factory=list)
    already_there: int = 0
    steps: int = 0  # workflow steps replayed (demo/workflow.py PLANS)


def load_demo(password: str) -> DemoLoad:
    """Build the demo mechanism and file its complaints, all in one transaction (all or nothing)."""
    present = timezone.now()
    with transaction.atomic():
        with time_machine.travel(MECHANISM_BUILT_AT, tick=False):
            mechanism = build_mechanism(password=password)
        result = DemoLoad(mechanism=mechanism)
        events: list[Event] = []
        for index, spec in enumerate(demo_complaints()):
            member = mechanism.members[spec.filer]
            # The marker: the filing party sees its own complaints, drafts included, through the one
            # visibility rule; a title it has filed before means this complaint was loaded by an earlier run.
            if Complaint.objects.visible_to(member).filter(complainant=member.party, title=spec.title).exists():
                result.already_there += 1
                continue
            case = Case(spec=spec)
            filed_at = filing_time(spec, index)
            events.append(Event(filed_at, index, _filer(case, result)))
            events += step_events(case, mechanism, filed_at, present)
            result.steps += len(PLANS.get(spec.title, ()))
        events += intel_events(mechanism)  # intelligence shared meanwhile (demo/intel.py), in the same time order
        if events:
            replay(events, until=present)
        load_border_demo(mechanism)  # the 2025 border timeline; it cites some of the complaints above
        # The real UCDP GED sample (bundled, CC BY 4.0) and the complaints' correlation candidates.
        load_demo_events(complaints_changed=bool(events))
    return result


def _filer(case: Case, result: DemoLoad) -> Callable[[], None]:
    def file() -> None:
        spec = case.spec
        draft = dataclasses.replace(spec.draft, evidence=evidence_for(spec))
        case.complaint = file_complaint(result.mechanism.members[spec.filer], draft, submit=spec.submit)
        result.filed.append(case.complaint.public_code)

    return file
