"""Running the queued tasks of Django's tasks API (django-tasks-db backend) inside `ceasefire worker`.

Services enqueue tasks (`some_task.enqueue(...)`, or `.using(run_after=...)` for a deadline) in their own
transaction, so a task exists exactly when the change that asked for it committed. The worker's "tasks" job drains
every task that is ready, one at a time, with django-tasks-db's own claim-and-run loop (a row lock on PostgreSQL,
an exclusive transaction on SQLite), so several workers never run one task twice.
"""

from __future__ import annotations

import os
import socket

from django.tasks import task_backends

TASKS_JOB = "tasks"


def run_ready_tasks(*, max_tasks: int | None = None) -> int:
    """Run every queued task whose time has come; return how many ran (succeeded or failed)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.management.commands.db_worker import Worker

    backend_name = "default"
    if not isinstance(task_backends[backend_name], DatabaseBackend):
        return 0  # the immediate backend runs tasks when they are enqueued: nothing is ever queued
    runner = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=backend_name,
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=f"{socket.gethostname()[:40]}-{os.getpid()}",
        excluded_queue_names=[],
    )
    runner.run()
    return runner._run_tasks
