"""Background tasks of ingest/: an uploaded file's import, run by `ceasefire worker` (core/taskqueue.py)."""

from __future__ import annotations

from django.tasks import task

from .enums import RunStatus
from .models import ImportRun


@task()
def import_uploaded_file(run_code: str) -> str:
    """Import the file kept by services.queue_import, then refresh the candidates of the complaints it may touch.
    Returns the run's final status."""
    from . import services

    run = ImportRun.objects.get(public_code=run_code)
    if run.status != RunStatus.QUEUED:
        return str(run.status)
    path = services.upload_path(run)
    try:
        run = services.run_import(run, path)
    finally:
        path.unlink(missing_ok=True)  # ACLED rows must not linger outside the database
    if run.inserted or run.updated:
        services.refresh_correlations(None)
    return str(run.status)
