"""`ceasefire worker`: run the periodic jobs (core/worker.py): checkpoints and witnessing, and whatever other
apps register. Stop it with Ctrl-C or SIGTERM; a killed worker loses nothing (the next run catches up)."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceasefire.core import worker
from ceasefire.core.management.commandlib import ProductCommand


class Command(ProductCommand):
    help_text = gettext_lazy("Run the background jobs: checkpoints of the transparency log, witnessing, ...")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help=_("run every job once, then exit"))
        parser.add_argument("--job", action="append", default=None, help=_("run only this job (repeatable)"))

    def handle(self, *args: Any, **options: Any) -> None:
        only = set(options["job"]) if options["job"] else None
        unknown = (only or set()) - set(worker.JOBS)
        if unknown:
            raise worker_error(unknown)
        if options["once"]:
            ran = worker.run_due(only=only)
            worker.heartbeat()
            self.stdout.write(_("Ran: %(jobs)s") % {"jobs": ", ".join(ran) or "-"})
            return
        stop = threading.Event()
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda *_args: stop.set())
        jobs = ", ".join(f"{job.name} /{job.every:g}s" for job in worker.JOBS.values())
        self.stdout.write(_("Worker running: %(jobs)s") % {"jobs": jobs})
        worker.run_forever(stop, only=only)


def worker_error(unknown: set[str]) -> Exception:
    from django.core.management.base import CommandError

    return CommandError(
        _("Unknown job %(jobs)s (--job); the jobs are: %(known)s.")
        % {"jobs": ", ".join(sorted(unknown)), "known": ", ".join(sorted(worker.JOBS))}
    )
