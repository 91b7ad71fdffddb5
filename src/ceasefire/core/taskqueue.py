"""Running the queued tasks of Django's tasks API (django-tasks-db backend) inside `ceasefire worker`.

Services enqueue tasks (`some_task.enqueue(...)`, or `.using(run_after=...)` for a deadline) in their own
transaction, so a task exists exactly when the change that asked for it committed. The worker's "tasks" job drains
every task that is ready, one at a time: each is claimed with django-tasks-db's own claim (a row lock on
PostgreSQL, an exclusive transaction on SQLite), so several workers never run one task twice, and run by its
Worker.run_task, which records success or failure.

django-tasks-db's own loop (Worker.run) is not used: it calls close_old_connections() between tasks, which closes a
connection found inside an atomic block — fine for its own process, fatal to a caller's transaction (the demo
loader replays deadlines inside its one transaction; tests run inside theirs). The worker loop does that
housekeeping itself before each job (core/worker.py).
"""

from __future__ import annotations

import os
import socket

from django.db import transaction
from django.tasks import task_backends

TASKS_JOB = "tasks"
BACKEND = "default"


class TaskFailed(RuntimeError):
    """A queued task raised; with raise_on_failure the caller stops rather than lose a deadline silently."""


def run_ready_tasks(*, max_tasks: int | None = None, raise_on_failure: bool = False) -> int:
    """Run every queued task whose time has come; return how many ran (succeeded or failed)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    if not isinstance(task_backends[BACKEND], DatabaseBackend):
        return 0  # the immediate backend runs tasks when they are enqueued: nothing is ever queued
    runner = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=BACKEND,
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=f"{socket.gethostname()[:40]}-{os.getpid()}",
        excluded_queue_names=[],
    )
    ran = 0
    while max_tasks is None or ran < max_tasks:
        with exclusive_transaction():
            claimed = DBTaskResult.objects.ready().filter(backend_name=BACKEND).get_locked()
            if claimed is None:
                return ran
            claimed.claim(runner.worker_id)
        # A savepoint inside a caller's transaction, its own transaction otherwise: a failing task's writes go.
        with transaction.atomic():
            runner.run_task(claimed)
        ran += 1
        if raise_on_failure:
            claimed.refresh_from_db()
            if claimed.status != "SUCCESSFUL":
                raise TaskFailed(f"task {claimed.task_path} ended {claimed.status}: {claimed.traceback}")
    return ran
