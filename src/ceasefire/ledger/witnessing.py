"""Pushing checkpoints to the parties' witnesses (client side of C2SP tlog-witness v1.0.0).

For each active witness we send `old <size we think it has>`, the consistency proof from there, and the
log-signed checkpoint. A 409 names the size the witness really has: we resend once with the proof from that
size. What a witness refuses is kept as a `WitnessAlarm` and logged at ERROR: a 409 at the checkpoint's own
size or a 422 means the witness holds a different tree for this origin — a fork, the one thing the witnesses
exist to catch. Network failures are only noted on the witness (it is asked again at the next checkpoint).
"""

from __future__ import annotations

import base64
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.utils import timezone

from .checkpoint import parse_cosigner_key, verified_cosignatures
from .checkpoints import update_witnessed
from .merkle import consistency_proof
from .models import Cosignature, LogCheckpoint, Witness, WitnessAlarm
from .note import NoteError
from .tree import DatabaseTiles

__all__ = ["PushOutcome", "add_checkpoint_body", "push_checkpoint", "push_to_witnesses"]

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 5.0
SIZE_MEDIA_TYPE = "text/x.tlog.size"


@dataclass(frozen=True)
class PushOutcome:
    witness: str
    status: int | None  # HTTP status, None when the witness could not be reached
    cosigned: bool
    detail: str = ""


def add_checkpoint_body(old: int, proof: list[bytes], note: str) -> bytes:
    lines = [f"old {old}\n", *(base64.b64encode(item).decode() + "\n" for item in proof), "\n", note]
    return "".join(lines).encode()


def _post(url: str, body: bytes) -> tuple[int, str, str]:
    request = urllib.request.Request(  # noqa: S310 (the URL is a registered witness, http or https)
        url.rstrip("/") + "/add-checkpoint", data=body, method="POST", headers={"Content-Type": "text/plain"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode(errors="replace")


def push_checkpoint(checkpoint: LogCheckpoint, witness: Witness) -> PushOutcome:
    old, resent = min(witness.size, checkpoint.size), False
    while True:
        proof = consistency_proof(DatabaseTiles(), old, checkpoint.size) if 0 < old < checkpoint.size else []
        try:
            status, media_type, text = _post(witness.url, add_checkpoint_body(old, proof, checkpoint.note))
        except (OSError, ValueError) as error:
            Witness.objects.filter(pk=witness.pk).update(last_error=f"unreachable: {error}")
            return PushOutcome(witness.name, None, False, f"unreachable: {error}")
        Witness.objects.filter(pk=witness.pk).update(last_contact_at=timezone.now(), last_error="")
        if status == 200:
            return _store_cosignature(checkpoint, witness, text)
        if status == 409 and media_type.startswith(SIZE_MEDIA_TYPE) and not resent:
            their_size = _size(text)
            if their_size is not None and their_size <= checkpoint.size and their_size != old:
                old, resent = their_size, True
                Witness.objects.filter(pk=witness.pk).update(size=their_size)
                continue
        return _alarm(checkpoint, witness, status, _refusal(status, old, checkpoint.size, text))


def _size(text: str) -> int | None:
    stripped = text.strip()
    return int(stripped) if stripped.isdigit() else None


def _refusal(status: int, old: int, size: int, text: str) -> str:
    if status == 409:
        their = _size(text)
        if their is not None and their > size:
            return f"FORK: the witness has cosigned size {their}, larger than this log's {size}"
        return f"FORK: the witness holds a different tree at size {their if their is not None else '?'}"
    if status == 422:
        return f"FORK: the witness rejected the consistency proof from {old} to {size}"
    if status == 403:
        return "the witness does not trust the log key that signed the checkpoint"
    if status == 404:
        return "the witness does not know this log's origin"
    return f"HTTP {status}: {text.strip()[:200]}"


def _alarm(checkpoint: LogCheckpoint, witness: Witness, status: int, detail: str) -> PushOutcome:
    WitnessAlarm.objects.create(witness=witness, checkpoint=checkpoint, status=status, detail=detail)
    Witness.objects.filter(pk=witness.pk).update(last_error=detail)
    logger.error("witness %s refused checkpoint %d: %s", witness.name, checkpoint.size, detail)
    return PushOutcome(witness.name, status, False, detail)


def _store_cosignature(checkpoint: LogCheckpoint, witness: Witness, text: str) -> PushOutcome:
    try:
        verifier = parse_cosigner_key(witness.vkey)
    except NoteError as error:
        return _alarm(checkpoint, witness, 200, f"registered verifier key is unusable: {error}")
    for line in text.splitlines(keepends=True):
        try:
            found = verified_cosignatures(checkpoint.note + line, [verifier])
        except NoteError:
            continue
        witness_time = found.get(verifier.name)
        if witness_time is not None:
            Cosignature.objects.update_or_create(
                checkpoint=checkpoint, witness=witness, defaults={"timestamp": witness_time, "line": line}
            )
            Witness.objects.filter(pk=witness.pk).update(size=checkpoint.size)
            update_witnessed(checkpoint)
            return PushOutcome(witness.name, 200, True)
    return _alarm(checkpoint, witness, 200, "the answer holds no valid cosignature by the registered key")


def push_to_witnesses(checkpoint: LogCheckpoint) -> list[PushOutcome]:
    outcomes = [push_checkpoint(checkpoint, witness) for witness in Witness.objects.filter(is_active=True)]
    update_witnessed(checkpoint)
    return outcomes
