"""The ledger's worker job: checkpoint new entries and take the checkpoint to every party's witness.

Runs every CEASEFIRE_LOG_CHECKPOINT_INTERVAL seconds (default 10); signs nothing when nothing is new, but still
offers the latest checkpoint to a witness that has not cosigned it yet (one that was down, or newly added).
"""

from __future__ import annotations

import logging
import os

from django.conf import settings

from .checkpoints import checkpoint_now, latest_checkpoint, update_witnessed
from .keys import LogKeyMissing
from .models import Witness
from .witnessing import PushOutcome, push_checkpoint

logger = logging.getLogger(__name__)


def checkpoint_interval() -> float:
    configured = getattr(settings, "LOG_CHECKPOINT_INTERVAL", None) or os.environ.get(
        "CEASEFIRE_LOG_CHECKPOINT_INTERVAL", "10"
    )
    return float(configured)


def checkpoint_and_witness() -> list[PushOutcome]:
    try:
        made = checkpoint_now()
    except LogKeyMissing as error:
        logger.warning("no checkpoint: %s", error)
        return []
    checkpoint = made or latest_checkpoint()
    if checkpoint is None:
        return []
    if made is not None:
        logger.info("checkpoint %d signed", made.size)
    # A witness that cosigned, or refused, this checkpoint is asked again only at the next one.
    pending = (
        Witness.objects.filter(is_active=True)
        .exclude(cosignatures__checkpoint=checkpoint)
        .exclude(alarms__checkpoint=checkpoint)
    )
    outcomes = [push_checkpoint(checkpoint, witness) for witness in pending]
    update_witnessed(checkpoint)
    return outcomes
