"""The demo's intelligence sharing (issue 5), replayed at the times it happened, through intel/services.

What the parties and the mediators shared through the mechanism in October–November 2025: Pakistan's report of a
TTP group in Khost with a request for action (opened, acknowledged, answered by a search, rated partial); a warning
Pakistan let Afghanistan forward to the mediators; Afghanistan's report of NRF meetings in Peshawar with a request
of its own (opened, never answered, flagged overdue by the worker's sweep, rated "no response"); the secretariat's
GREEN situation notes; and one RED note for the two adjudicators.

The items' share events and their follow-ups (openings, acknowledgements, a forward, an action, ratings, the
overdue sweep) join the complaint replay (`demo/workflow.replay`) as events, so all run in ONE chronological order
under the simulated clock and the transparency log stays in time order; an item cites a complaint its author can
see by the time it is shared. Nothing expires: the demo is opened long after 2025, and a TLP:RED note expires in
2035 only.

Idempotent like the complaints: an item whose title its party has shared already is skipped with its follow-ups.
Each side's report is that side's claim, worded so; unit sizes, dates of meetings and exact places are the demo's
fiction (context/FACTS.md gives the setting).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from ceasefire.core.models import Membership
from ceasefire.incidents.drafts import EvidenceUpload
from ceasefire.incidents.models import Complaint
from ceasefire.intel.drafts import IntelDraft
from ceasefire.intel.models import IntelItem
from ceasefire.intel.queries import get_visible_item
from ceasefire.intel.services import (
    acknowledge_item,
    flag_overdue_requests,
    forward_item,
    open_item,
    rate_response,
    record_action,
    save_item,
)

from .complaints import EVIDENCE_SOURCE, pdf_bytes, png_bytes
from .intel_items import ITEMS, STEPS, DemoItem, IntelStep
from .mechanism import Mechanism
from .workflow import Event

# After the complaints' events at the same instant (their order is the filing index, at most a few dozen).
ORDER = 1000


def intel_events(mechanism: Mechanism) -> list[Event]:
    """The events sharing every demo item not shared yet, and its follow-ups, for `workflow.replay`."""
    shared: dict[str, IntelItem] = {}
    events: list[Event] = []
    for number, spec in enumerate(ITEMS):
        author = mechanism.members[spec.author]
        # The marker: the originator sees its own items (a RED one: its author) through the one visibility rule.
        if IntelItem.objects.visible_to(author).filter(originator=author.party, title=spec.title).exists():
            continue
        events.append(Event(spec.at, ORDER + number, _sharer(spec, mechanism, shared)))
        for planned in STEPS.get(spec.key, ()):
            if planned.at <= spec.at:
                raise ValueError(f"demo intel '{spec.key}': step {planned.action} comes before the item is shared")
            events.append(Event(planned.at, ORDER + number, _runner(spec, planned, mechanism, shared)))
    return events


def _sharer(spec: DemoItem, mechanism: Mechanism, shared: dict[str, IntelItem]) -> Callable[[], None]:
    def share() -> None:
        author = mechanism.members[spec.author]
        shared[spec.key] = save_item(author, draft_of(spec, author), share=True)

    return share


def draft_of(spec: DemoItem, author: Membership) -> IntelDraft:
    """The item's draft as its author fills it in: the complaints it cites by their public codes (those the author
    can see by now, through the one visibility rule) and its generated attachment."""
    cited = Complaint.objects.visible_to(author).filter(title__in=spec.complaints)
    codes = sorted(cited.values_list("public_code", flat=True))
    files = [_imagery(spec)] if spec.imagery else []
    return dataclasses.replace(
        spec.draft,
        complaints=codes,
        files=files,
        request=dataclasses.replace(spec.draft.request) if spec.draft.request else None,
    )


def _imagery(spec: DemoItem) -> EvidenceUpload:
    slug = hashlib.sha256(spec.key.encode()).hexdigest()[:8]
    return EvidenceUpload(
        file=io.BytesIO(png_bytes(seed=f"intel:{spec.key}", width=128, height=80)),
        filename=f"imagery-{slug}.png",
        description=spec.imagery,
        source=EVIDENCE_SOURCE,
        captured_at=spec.at - dt.timedelta(days=2),
    )


def _runner(
    spec: DemoItem, planned: IntelStep, mechanism: Mechanism, shared: dict[str, IntelItem]
) -> Callable[[], None]:
    def run() -> None:
        perform(spec, planned, mechanism, shared[spec.key])

    return run


def perform(spec: DemoItem, planned: IntelStep, mechanism: Mechanism, item: IntelItem) -> None:
    """One follow-up, as its persona would do it on the item's page (read through the visibility rule)."""
    a = planned.args
    if planned.action == "sweep":
        # The worker's periodic sweep (intel/tasks.py), run at a moment after the request's due date.
        if flag_overdue_requests(now=timezone.now()) == 0:
            raise RuntimeError(f"demo intel '{spec.key}': the overdue sweep flagged no request")
        return
    assert planned.persona is not None, f"step {planned.action} needs a persona"
    member = mechanism.members[planned.persona]
    visible = get_visible_item(member, item.public_code)
    if visible is None:
        raise RuntimeError(f"demo intel '{spec.key}': {planned.persona} cannot see the item")
    if planned.action == "open":
        open_item(member, visible)
    elif planned.action == "acknowledge":
        acknowledge_item(member, visible)
    elif planned.action == "forward":
        forward_item(member, visible, to_party=a["to"], note=a.get("note", ""))
    elif planned.action == "act":
        record_action(member, visible, text=a["text"], taken_on=a["taken_on"], files=_report(spec, a))
    elif planned.action == "rate":
        rate_response(member, visible, rating=a["rating"], note=a.get("note", ""))
    else:
        raise ValueError(f"demo intel '{spec.key}': unknown action '{planned.action}'")


def _report(spec: DemoItem, args: dict[str, Any]) -> list[EvidenceUpload]:
    """The action's report as a one-page PDF, when the step gives its lines."""
    lines: list[str] = args.get("report", [])
    if not lines:
        return []
    slug = hashlib.sha256(f"{spec.key}:action".encode()).hexdigest()[:8]
    return [
        EvidenceUpload(
            file=io.BytesIO(pdf_bytes(lines)),
            filename=f"action-report-{slug}.pdf",
            description=lines[0],
            source=EVIDENCE_SOURCE,
            captured_at=timezone.now(),
        )
    ]
