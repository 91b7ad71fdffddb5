"""Checkpoints: integrate new entries, sign a C2SP tlog-checkpoint with the log key, and track witnessing.

A checkpoint is made only when the tree grew (`checkpoint_now`), so an idle mechanism signs nothing new. It
is "witnessed" once the quorum of party witnesses has cosigned it: the largest `witness_quorum` of the active
agreements, where 0 means every active registered witness; with no witness registered, nothing is witnessed.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .checkpoint import Checkpoint
from .keys import log_origin, log_signer
from .models import Cosignature, LogCheckpoint, Witness
from .note import sign_note
from .tree import integrate

__all__ = ["checkpoint_now", "cosigned_note", "latest_checkpoint", "latest_witnessed", "required_cosigners"]


def checkpoint_now() -> LogCheckpoint | None:
    """Integrate what is new and sign a checkpoint of it; None when the tree did not grow."""
    signer = log_signer()  # fail before any work when there is no key
    size, root = integrate()
    if size == 0:
        return None
    with transaction.atomic():
        latest = LogCheckpoint.objects.select_for_update().order_by("-size").first()
        if latest is not None and latest.size >= size:
            return None
        body = Checkpoint(log_origin(), size, root).body
        return LogCheckpoint.objects.create(size=size, root=root, note=sign_note(body, signer))


def latest_checkpoint() -> LogCheckpoint | None:
    return LogCheckpoint.objects.order_by("-size").first()


def latest_witnessed() -> LogCheckpoint | None:
    return LogCheckpoint.objects.filter(witnessed_at__isnull=False).order_by("-size").first()


def cosigned_note(checkpoint: LogCheckpoint) -> str:
    """The checkpoint note with every stored cosignature line appended (ordered by witness name)."""
    lines = checkpoint.cosignatures.select_related("witness").order_by("witness__name")
    return checkpoint.note + "".join(row.line for row in lines)


def required_cosigners() -> int:
    from ceasefire.agreements.models import Agreement

    active = Witness.objects.filter(is_active=True).count()
    quorum = Agreement.objects.filter(is_active=True).aggregate(q=Max("witness_quorum"))["q"] or 0
    return active if quorum == 0 else min(quorum, active)


def update_witnessed(checkpoint: LogCheckpoint) -> bool:
    """Mark the checkpoint witnessed once its cosignatures meet the quorum; True if it is witnessed."""
    if checkpoint.witnessed_at is not None:
        return True
    needed = required_cosigners()
    have = Cosignature.objects.filter(checkpoint=checkpoint, witness__is_active=True).count()
    if needed == 0 or have < needed:
        return False
    now = timezone.now()
    LogCheckpoint.objects.filter(pk=checkpoint.pk, witnessed_at__isnull=True).update(witnessed_at=now)
    checkpoint.witnessed_at = now
    return True
