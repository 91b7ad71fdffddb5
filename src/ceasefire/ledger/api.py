"""API v1 of the transparency log: the latest witnessed checkpoint, consistency proofs, and for a complaint the
caller may see, its log entries, their inclusion proofs and their receipts.

A complaint's entries are those whose subject is its public code; which of them a caller may hold is decided
by receipts.entry_visible_to (drafts are the complainant's; custody entries the complainant's and mediators').
A complaint or entry the caller may not see answers 404. The tiles themselves are public at /log/ (views.py).
No `from __future__ import annotations` in router modules: ninja reads the handlers' annotations at import.
"""

import base64
import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from ceasefire.api.auth import acting
from ceasefire.core.errors import Conflict, NotVisible, ValidationFailed
from ceasefire.core.models import Membership
from ceasefire.incidents.models import Complaint
from ceasefire.incidents.queries import get_visible_complaint

from .checkpoints import cosigned_note, latest_witnessed
from .leaf import leaf_bytes, leaf_object
from .merkle import consistency_proof, inclusion_proof, leaf_hash, root_hash
from .models import LogCheckpoint, LogEntry
from .receipts import build_receipt, covering_checkpoint, entry_visible_to
from .tree import DatabaseTiles, tree_size

router = Router(tags=["log"])


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


class CosignatureOut(Schema):
    party: str
    witness: str
    time: dt.datetime


class CheckpointOut(Schema):
    size: int
    root: str
    note: str
    created_at: dt.datetime
    witnessed_at: dt.datetime | None
    cosignatures: list[CosignatureOut]


class ConsistencyQuery(Schema):
    old: int
    new: int


class ConsistencyOut(Schema):
    old: int
    new: int
    proof: list[str]


class EntryOut(Schema):
    index: int
    time: dt.datetime
    kind: str
    sealed: bool
    checkpointed: bool
    receipt_url: str


class InclusionQuery(Schema):
    size: int | None = None


class InclusionOut(Schema):
    index: int
    size: int
    leaf: dict[str, object]
    leaf_hash: str
    proof: list[str]
    root: str


def checkpoint_out(checkpoint: LogCheckpoint) -> dict[str, object]:
    rows = checkpoint.cosignatures.select_related("witness__party").order_by("witness__name")
    return {
        "size": checkpoint.size,
        "root": _b64(bytes(checkpoint.root)),
        "note": cosigned_note(checkpoint),
        "created_at": checkpoint.created_at,
        "witnessed_at": checkpoint.witnessed_at,
        "cosignatures": [
            {
                "party": row.witness.party.code,
                "witness": row.witness.name,
                "time": dt.datetime.fromtimestamp(row.timestamp, dt.UTC),
            }
            for row in rows
        ],
    }


@router.get("/log/checkpoint", response=CheckpointOut, summary="Latest witnessed checkpoint")
def witnessed_checkpoint(request: HttpRequest) -> dict[str, object]:
    """The largest checkpoint the quorum of party witnesses cosigned, with every cosignature held."""
    checkpoint = latest_witnessed()
    if checkpoint is None:
        raise NotVisible(_("No checkpoint has been witnessed yet."))
    return checkpoint_out(checkpoint)


@router.get("/log/consistency", response=ConsistencyOut, summary="Consistency proof between two sizes")
def consistency(request: HttpRequest, params: Query[ConsistencyQuery]) -> dict[str, object]:
    """RFC 9162 consistency proof that the tree of size `old` is a prefix of the tree of size `new`."""
    size = tree_size()
    if not 0 <= params.new <= size:
        raise ValidationFailed(_("new must be between 0 and the tree size, %(size)d.") % {"size": size}, field="new")
    if not 0 <= params.old <= params.new:
        raise ValidationFailed(_("old must be between 0 and new."), field="old")
    proof = consistency_proof(DatabaseTiles(), params.old, params.new)
    return {"old": params.old, "new": params.new, "proof": [_b64(item) for item in proof]}


def _visible(member: Membership | None, public_code: str) -> tuple[Membership, Complaint]:
    complaint = get_visible_complaint(member, public_code)
    if complaint is None or member is None:
        raise NotVisible(_("No such complaint."))
    return member, complaint


def _entry(member: Membership, complaint: Complaint, index: int) -> LogEntry:
    entry = LogEntry.objects.filter(subject_code=complaint.public_code, sequence=index).first()
    if entry is None or not entry_visible_to(member, complaint, entry):
        raise NotVisible(_("No such log entry for this complaint."))
    return entry


@router.get("/complaints/{public_code}/log", response=list[EntryOut], summary="A complaint's log entries")
def complaint_log(request: HttpRequest, public_code: str) -> list[dict[str, object]]:
    member, complaint = _visible(acting(request), public_code)
    integrated = tree_size()
    latest = LogCheckpoint.objects.order_by("-size").values_list("size", flat=True).first() or 0
    entries = LogEntry.objects.filter(subject_code=complaint.public_code).order_by("sequence")
    return [
        {
            "index": entry.sequence,
            "time": entry.created_at,
            "kind": entry.kind,
            "sealed": entry.sealed,
            "checkpointed": entry.sequence < min(latest, integrated),
            "receipt_url": reverse(
                "api:complaint_log_receipt", kwargs={"public_code": complaint.public_code, "index": entry.sequence}
            ),
        }
        for entry in entries
        if entry_visible_to(member, complaint, entry)
    ]


@router.get(
    "/complaints/{public_code}/log/{index}/inclusion", response=InclusionOut, summary="Inclusion proof of an entry"
)
def complaint_log_inclusion(
    request: HttpRequest, public_code: str, index: int, params: Query[InclusionQuery]
) -> dict[str, object]:
    """Inclusion proof of one entry in the tree of `size` (default: the checkpoint its receipt would use)."""
    member, complaint = _visible(acting(request), public_code)
    entry = _entry(member, complaint, index)
    size = params.size
    if size is None:
        covering = covering_checkpoint(entry)
        if covering is None:
            raise Conflict(_("The entry is not in a checkpoint yet; try again in a few seconds."))
        size = covering.size
    if not entry.sequence < size <= tree_size():
        raise ValidationFailed(_("size must be above the entry's index and at most the tree size."), field="size")
    reader = DatabaseTiles()
    return {
        "index": entry.sequence,
        "size": size,
        "leaf": leaf_object(entry),
        "leaf_hash": _b64(leaf_hash(leaf_bytes(entry))),
        "proof": [_b64(item) for item in inclusion_proof(reader, entry.sequence, size)],
        "root": _b64(root_hash(reader, size)),
    }


@router.get("/complaints/{public_code}/log/{index}/receipt", summary="Receipt of an entry (.tlog-proof)")
def complaint_log_receipt(request: HttpRequest, public_code: str, index: int) -> HttpResponse:
    """The entry's offline receipt in C2SP tlog-proof form; check it with `ceasefire log verify-receipt`."""
    member, complaint = _visible(acting(request), public_code)
    entry = _entry(member, complaint, index)
    checkpoint = covering_checkpoint(entry)
    if checkpoint is None:
        raise Conflict(_("The entry is not in a checkpoint yet; try again in a few seconds."))
    response = HttpResponse(build_receipt(entry, checkpoint), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{complaint.public_code}-{entry.sequence}.tlog-proof"'
    return response
