"""`ceasefire serve`: collect the static files, then hand the process over to granian serving the WSGI app.

The command execs granian (it does not run it as a child), so signals from a terminal or a service manager
reach the server itself and its exit status is the command's.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceasefire.core.management.commandlib import ProductCommand

WSGI_TARGET = "ceasefire.wsgi:application"


def default_workers() -> int:
    # One worker per core measured best for WSGI on small machines; more than 4 mostly costs memory.
    return max(1, min(4, os.cpu_count() or 1))


def granian_executable() -> str:
    """granian from the same environment as this Python (a venv's bin/), else from PATH."""
    beside = Path(sys.executable).parent / "granian"
    if beside.exists():
        return str(beside)
    found = shutil.which("granian")
    if found is None:
        raise CommandError(
            _(
                "granian is not installed next to %(python)s nor on PATH; install the ceasefire "
                "package with its dependencies."
            )
            % {"python": sys.executable}
        )
    return found


def granian_command(*, host: str, port: int, workers: int) -> list[str]:
    return [
        granian_executable(),
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        WSGI_TARGET,
    ]


class Command(ProductCommand):
    help_text = gettext_lazy(
        "Serve Ceasefire over HTTP with granian (WSGI): collects static files into the static root first "
        "(served by whitenoise). Put a TLS-terminating proxy in front in production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help=_("address to listen on (default: %(default)s; 0.0.0.0 for all)"),
        )
        parser.add_argument(
            "--port",
            type=int,
            default=8000,
            help=_("TCP port to listen on (default: %(default)s)"),
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help=_("worker processes (default: %(default)s, from the CPU count)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.DEBUG:
            # DEBUG pages show settings and stack frames to anyone who triggers an error: never in production.
            raise CommandError(
                _(
                    "ceasefire serve is the production server and refuses to start with CEASEFIRE_DEBUG on; "
                    "unset it (for development use `python -m django runserver`)."
                )
            )
        port, workers = options["port"], options["workers"]
        if not 1 <= port <= 65535:
            raise CommandError(_("--port must be between 1 and 65535, not %(port)d.") % {"port": port})
        if workers < 1:
            raise CommandError(_("--workers must be at least 1, not %(workers)d.") % {"workers": workers})
        command = granian_command(host=options["host"], port=port, workers=workers)
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(_("Static files collected into %(root)s.") % {"root": settings.STATIC_ROOT})
        self.stdout.write(
            _("Serving on http://%(host)s:%(port)d/ with %(workers)d worker(s).")
            % {"host": options["host"], "port": port, "workers": workers}
        )
        self.stdout.flush()
        sys.stderr.flush()
        os.execvp(command[0], command)  # noqa: S606 (argument list, no shell)
