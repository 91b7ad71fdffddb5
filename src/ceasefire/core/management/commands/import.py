"""`ceasefire import ucdp|acled|gdelt FILE`: stream an event data file into the external events, with a progress
bar, every rejected row reported (file:line: column: reason) and a summary. Idempotent: a re-import updates
changed events and leaves the rest, keyed by the source's own event id."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from ceasefire.core.errors import DomainError
from ceasefire.core.management.commandlib import ProductCommand, command_error, migrate_quietly, render, table
from ceasefire.ingest.enums import RunStatus, Source
from ceasefire.ingest.importer import BATCH_SIZE
from ceasefire.ingest.models import ImportRun
from ceasefire.ingest.services import import_events, refresh_correlations
from ceasefire.ingest.sources import Rejection


class Command(ProductCommand):
    help_text = gettext_lazy("Import external event data: a UCDP GED, ACLED or GDELT events file.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", choices=Source.values, help=_("the file's source"))
        parser.add_argument("file", help=_("the file to import (UCDP/ACLED CSV, GDELT tab-separated export)"))
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help=_("rows per batch (default: %(default)s)")
        )
        parser.add_argument(
            "--no-correlate",
            action="store_false",
            dest="correlate",
            help=_("do not refresh the complaints' correlation candidates afterwards"),
        )
        parser.add_argument("--no-progress", action="store_false", dest="show_progress", help=_("no progress bar"))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        if options["batch_size"] < 1:
            raise CommandError(_("--batch-size must be at least 1."))
        migrate_quietly()
        console = Console(file=sys.stderr)
        show = options["show_progress"] and console.is_terminal
        bar = Progress(
            TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TextColumn("{task.fields[rows]} rows"),
            TimeRemainingColumn(), console=console, disable=not show,
        )  # fmt: skip
        task = bar.add_task(_("Importing %(file)s") % {"file": path.name}, total=path.stat().st_size, rows=0)

        def progress(run: ImportRun) -> None:
            bar.update(task, completed=run.bytes_read, rows=run.rows_read)

        def on_reject(rejection: Rejection) -> None:
            # Every rejected row, as it is found, on stderr: file:line: column: reason.
            bar.console.print(str(rejection), markup=False, highlight=False)

        try:
            with bar:
                run = import_events(
                    None,
                    source=options["source"],
                    path=path,
                    progress=progress,
                    on_reject=on_reject,
                    batch_size=options["batch_size"],
                )
        except DomainError as exc:
            raise command_error(exc, {"file": "FILE", "source": "SOURCE"}) from exc
        self.stdout.write(render(summary(run)))
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(run.message or _("The import failed."))
        if options["correlate"] and (run.inserted or run.updated):
            held = refresh_correlations(None)
            self.stdout.write(_("Correlation candidates now held: %(n)d") % {"n": held})


def summary(run: ImportRun) -> Any:
    rows = [
        (_("run"), run.public_code),
        (_("file"), f"{run.filename} ({run.size} bytes)"),
        ("SHA-256", run.sha256 or "—"),
        (_("status"), run.get_status_display()),
        (_("rows read"), run.rows_read),
        (_("inserted"), run.inserted),
        (_("updated"), run.updated),
        (_("unchanged"), run.unchanged),
        (_("rejected"), run.rejected),
        (_("held back (in a batch with a rejected row)"), run.held_back),
        (_("skipped (no place in the source)"), run.skipped),
    ]
    return table(_("Import of %(source)s") % {"source": run.get_source_display()}, ["", ""], rows)
