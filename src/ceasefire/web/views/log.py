"""The "Log" pages: the latest witnessed checkpoint (size, which parties' witnesses cosigned and when), witness
refusals, and for a complaint the caller may see, its log entries with receipt downloads.

Reads only: checkpoints are public anyway (/log/checkpoint); a complaint's entries go through visible_to and
receipts.entry_visible_to, so a complaint or entry one may not see answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from ceasefire.core.models import Membership
from ceasefire.incidents.models import Complaint
from ceasefire.incidents.queries import get_visible_complaint
from ceasefire.ledger.checkpoints import latest_checkpoint, latest_witnessed, required_cosigners
from ceasefire.ledger.models import LogEntry, LogHead, Witness, WitnessAlarm
from ceasefire.ledger.receipts import build_receipt, covering_checkpoint, entry_visible_to
from ceasefire.ledger.tree import tree_size

from .common import acting_member, member_required


def _cosigners(checkpoint: Any) -> list[dict[str, Any]]:
    if checkpoint is None:
        return []
    rows = checkpoint.cosignatures.select_related("witness__party").order_by("witness__party__code")
    return [
        {
            "party": row.witness.party,
            "witness": row.witness.name,
            "at": dt.datetime.fromtimestamp(row.timestamp, dt.UTC),
        }
        for row in rows
    ]


@member_required
def log_page(request: HttpRequest) -> HttpResponse:
    witnessed = latest_witnessed()
    latest = latest_checkpoint()
    context = {
        "witnessed": witnessed,
        "cosigners": _cosigners(witnessed),
        "latest": latest,
        "latest_cosigners": _cosigners(latest) if latest != witnessed else [],
        "pending": (LogHead.objects.filter(pk=1).values_list("size", flat=True).first() or 0)
        - (latest.size if latest else 0),
        "quorum": required_cosigners(),
        "witnesses": Witness.objects.select_related("party"),
        "alarms": WitnessAlarm.objects.select_related("witness__party", "checkpoint")[:20],
    }
    return render(request, "web/log.html", context)


def _visible(member: Membership | None, public_code: str) -> Complaint:
    complaint = get_visible_complaint(member, public_code)
    if complaint is None or member is None:
        raise Http404
    return complaint


@member_required
def complaint_log(request: HttpRequest, public_code: str) -> HttpResponse:
    member = acting_member(request)
    complaint = _visible(member, public_code)
    assert member is not None
    latest = latest_checkpoint()
    checkpointed = min(tree_size(), latest.size if latest else 0)
    entries = [
        entry
        for entry in LogEntry.objects.filter(subject_code=complaint.public_code).order_by("sequence")
        if entry_visible_to(member, complaint, entry)
    ]
    context = {"complaint": complaint, "entries": entries, "checkpointed": checkpointed}
    return render(request, "web/log_complaint.html", context)


@member_required
def receipt(request: HttpRequest, public_code: str, index: int) -> HttpResponse:
    member = acting_member(request)
    complaint = _visible(member, public_code)
    assert member is not None
    entry = LogEntry.objects.filter(subject_code=complaint.public_code, sequence=index).first()
    if entry is None or not entry_visible_to(member, complaint, entry):
        raise Http404
    checkpoint = covering_checkpoint(entry)
    if checkpoint is None:
        raise Http404
    response = HttpResponse(build_receipt(entry, checkpoint), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{complaint.public_code}-{index}.tlog-proof"'
    return response


urlpatterns = [
    path("", log_page, name="log"),
    path("complaints/<str:public_code>/", complaint_log, name="log-complaint"),
    path("complaints/<str:public_code>/<int:index>.tlog-proof", receipt, name="log-receipt"),
]
