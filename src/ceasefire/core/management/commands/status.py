"""`ceasefire status`: what an operator checks first — the database, pending migrations, how many rows each
model holds, complaints per state, the transparency log's size, the worker's heartbeat and its queue.

Counts only, never content: the command reads no complaint's text, so it shows an operator nothing of what the
parties may not see.
"""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceasefire.core.management.commandlib import ProductCommand, render, table

APP_LABELS = ("core", "agreements", "geo", "incidents", "ledger")


def database_info() -> dict[str, Any]:
    db = settings.DATABASES["default"]
    info: dict[str, Any] = {"engine": db["ENGINE"], "vendor": connection.vendor, "name": str(db["NAME"])}
    if connection.vendor != "sqlite":
        info["host"] = db.get("HOST") or None
        info["port"] = str(db["PORT"]) if db.get("PORT") else None
    return info


def pending_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def model_counts() -> dict[str, int | None]:
    """Rows per model of our apps; None for a model whose table does not exist yet (migrations pending)."""
    tables = set(connection.introspection.table_names())
    counts: dict[str, int | None] = {}
    for label in APP_LABELS:
        for model in apps.get_app_config(label).get_models():
            present = model._meta.db_table in tables
            counts[model._meta.label] = model._default_manager.count() if present else None
    return counts


def complaint_states(tables_ready: bool) -> dict[str, int]:
    from ceasefire.incidents.enums import ComplaintState
    from ceasefire.incidents.models import Complaint

    by_state = dict.fromkeys(ComplaintState.values, 0)
    if tables_ready:
        for row in Complaint._default_manager.values("state").annotate(n=Count("id")).order_by():
            by_state[row["state"]] = row["n"]
    return by_state


def log_size(tables_ready: bool) -> int | None:
    from ceasefire.ledger.models import LogHead

    if not tables_ready:
        return None
    return LogHead.objects.filter(pk=1).values_list("size", flat=True).first() or 0


def queued_tasks() -> int | None:
    """Background tasks ready for the worker now (queued, their run-after time come); None before migrations."""
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult._meta.db_table not in connection.introspection.table_names():
        return None
    return DBTaskResult.objects.ready().count()


def _ledger_health(name: str, counts: dict[str, int | None]) -> Any:
    from ceasefire.ledger import health

    if counts.get("ledger.LogCheckpoint") is None or counts.get("ledger.WorkerHeartbeat") is None:
        return None
    return getattr(health, name)()


def collect_status() -> dict[str, Any]:
    pending = pending_migrations()
    counts = model_counts()
    return {
        "database": database_info(),
        "pending_migrations": {"count": len(pending), "names": pending},
        "models": counts,
        "complaints_by_state": complaint_states(counts.get("incidents.Complaint") is not None),
        "log_size": log_size(counts.get("ledger.LogHead") is not None),
        # Null means "not available yet": no checkpoint signed, or no worker ever ran.
        "last_checkpoint_age_seconds": _ledger_health("last_checkpoint_age_seconds", counts),
        "worker_heartbeat": _ledger_health("worker_heartbeat", counts),
        "queued_tasks": queued_tasks(),
    }


def pending_summary(names: list[str], shown: int = 6) -> str:
    if not names:
        return "0"
    more = len(names) - shown
    listed = ", ".join(names[:shown])
    if more > 0:
        listed += " " + _("and %(more)d more (ceasefire showmigrations)") % {"more": more}
    return f"{len(names)}: {listed}"


def _or(value: Any, fallback: str) -> Any:
    return fallback if value is None else value


class Command(ProductCommand):
    help_text = gettext_lazy(
        "Show the state of this installation: database backend, pending migrations, rows per model, "
        "complaints per state, transparency-log size, checkpoint age, worker heartbeat and queued tasks. "
        "Never prints a password."
    )
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help=_("print one JSON document instead"))

    def handle(self, *args: Any, **options: Any) -> None:
        status = collect_status()
        if options["json"]:
            self.stdout.write(json.dumps(status, indent=2, ensure_ascii=False))
            return
        not_yet = _("not available yet")
        db = status["database"]
        pending = status["pending_migrations"]
        overview = table(
            _("Installation"),
            [_("Item"), _("Value")],
            [
                (_("Database"), f"{db['vendor']} ({db['engine']})"),
                (_("Database name"), db["name"] + (f" @ {db['host']}" if db.get("host") else "")),
                (_("Pending migrations"), pending_summary(pending["names"])),
                (_("Log size (entries)"), _or(status["log_size"], _("table missing"))),
                (_("Last checkpoint age (s)"), _or(status["last_checkpoint_age_seconds"], not_yet)),
                (_("Worker heartbeat"), _or(status["worker_heartbeat"], not_yet)),
                (_("Queued tasks (ready)"), _or(status["queued_tasks"], _("table missing"))),
            ],
        )
        states = table(
            _("Complaints by state"),
            [_("State"), _("Count")],
            [(state, n) for state, n in status["complaints_by_state"].items()],
        )
        models = table(
            _("Rows per model"),
            [_("Model"), _("Rows")],
            [(label, _("table missing") if n is None else n) for label, n in status["models"].items()],
        )
        self.stdout.write(render(overview, states, models))
