"""Figures `ceasefire status` shows about the log and the worker (no content, only ages and sizes)."""

from __future__ import annotations

from django.utils import timezone

from .models import LogCheckpoint, WorkerHeartbeat


def last_checkpoint_age_seconds() -> float | None:
    created = LogCheckpoint.objects.order_by("-size").values_list("created_at", flat=True).first()
    return None if created is None else round((timezone.now() - created).total_seconds(), 1)


def worker_heartbeat() -> str | None:
    """When the worker last went round its loop (ISO 8601 UTC) and how long ago, or None if it never ran."""
    beat = WorkerHeartbeat.objects.filter(name="worker").first()
    if beat is None:
        return None
    age = (timezone.now() - beat.beat_at).total_seconds()
    return f"{beat.beat_at.isoformat(timespec='seconds')} ({age:.0f} s ago, pid {beat.pid} on {beat.host})"
