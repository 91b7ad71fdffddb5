"""A small periodic-job runner: what `ceasefire worker` runs.

Apps register jobs (`register("name", every=seconds)(function)`) in their AppConfig.ready(); the loop runs each
job when it is due, one at a time, and writes a heartbeat every turn so `ceasefire status` can tell a stopped
worker from an idle one. A job that raises is logged and retried at its next turn: one failing job never stops
the others. Several workers may run; jobs must be safe to run concurrently (the ledger's take row locks).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)

HEARTBEAT_NAME = "worker"


@dataclass
class Job:
    name: str
    every: float
    run: Callable[[], object]
    next_at: float = field(default=0.0)


JOBS: dict[str, Job] = {}


def register(name: str, *, every: float) -> Callable[[Callable[[], object]], Callable[[], object]]:
    """Decorator: run the function every `every` seconds in `ceasefire worker`."""

    def decorate(function: Callable[[], object]) -> Callable[[], object]:
        JOBS[name] = Job(name, every, function)
        return function

    return decorate


def heartbeat() -> None:
    from ceasefire.ledger.models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(
        name=HEARTBEAT_NAME,
        defaults={"beat_at": timezone.now(), "pid": os.getpid(), "host": socket.gethostname()[:200]},
    )


def run_due(now: float | None = None, *, only: set[str] | None = None) -> list[str]:
    """Run every job that is due (all of them on the first turn); return the names run."""
    now = time.monotonic() if now is None else now
    ran = []
    for job in list(JOBS.values()):
        if (only is not None and job.name not in only) or job.next_at > now:
            continue
        close_old_connections()
        try:
            job.run()
        except Exception:
            logger.exception("worker job %s failed; it runs again in %.0f s", job.name, job.every)
        job.next_at = now + job.every
        ran.append(job.name)
    return ran


def run_forever(stop: threading.Event, *, tick: float = 1.0, only: set[str] | None = None) -> None:
    while not stop.is_set():
        run_due(only=only)
        try:
            heartbeat()
        except Exception:
            logger.exception("worker heartbeat failed")
        stop.wait(tick)
