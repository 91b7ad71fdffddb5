"""`ceasefire demo`: a working mechanism with both parties' complaints, ready to log in to."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceasefire.core.management.commandlib import ProductCommand, migrate_quietly, render, table
from ceasefire.demo.loader import load_demo
from ceasefire.demo.mechanism import PEOPLE
from ceasefire.ledger.services import ensure_log_key

PASSWORD_FILE = "demo-password"  # noqa: S105 (a file name, not a password)
DEFAULT_URL = "http://127.0.0.1:8000/"


def demo_password(given: str | None) -> tuple[str, str]:
    """The demo password and where it came from: --password, CEASEFIRE_DEMO_PASSWORD, or
    <DATA_DIR>/demo-password (generated once, then reused: later runs print the accounts' real password)."""
    if given:
        return given, "--password"
    from_env = os.environ.get("CEASEFIRE_DEMO_PASSWORD", "").strip()
    if from_env:
        return from_env, "CEASEFIRE_DEMO_PASSWORD"
    path = Path(settings.DATA_DIR) / PASSWORD_FILE
    if path.exists() and path.read_text(encoding="utf-8").strip():
        return path.read_text(encoding="utf-8").strip(), str(path)
    password = secrets.token_urlsafe(12)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # readable by the operator only
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(password + "\n")
    return password, str(path)


class Command(ProductCommand):
    help_text = gettext_lazy(
        "Set up the demo: migrate the database, build the Afghanistan–Pakistan mechanism (Türkiye and Qatar "
        "mediating) with its people, places and both parties' complaints in every state of the workflow, then "
        "print the login URL and "
        "the demo accounts. Safe to run again: nothing is added twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            help=_(
                "password of every demo account (default: CEASEFIRE_DEMO_PASSWORD, else a random "
                "one generated once and kept in <data dir>/demo-password)"
            ),
        )
        parser.add_argument(
            "--url",
            default=DEFAULT_URL,
            help=_("the address printed for logging in (default: %(default)s)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        migrate_quietly()
        ensure_log_key()  # the transparency log's signing key, in the data dir (ledger/keys.py)
        password, source = demo_password(options["password"])
        User = get_user_model()
        existing = User.objects.filter(username=PEOPLE[0][0]).first()
        stale = existing is not None and not existing.check_password(password)
        result = load_demo(password)
        self.stdout.write(
            _("Demo loaded: %(filed)d complaints filed now, %(kept)d there already.")
            % {"filed": len(result.filed), "kept": result.already_there}
        )
        if result.steps:
            self.stdout.write(
                _(
                    "Complaint workflow: %(steps)d steps (notices, replies, investigations, determinations, "
                    "appeals) replayed at their historic times, deadlines run by the worker's tasks."
                )
                % {"steps": result.steps}
            )
        self.stdout.write(_("Log in at %(url)s") % {"url": options["url"]})
        rows: list[tuple[str, str | None, str]] = [
            (username, party, str(role.label)) for username, party, role, _tz in PEOPLE
        ]
        rows.append(("admin", None, _("Superuser (accounts and configuration; no party)")))
        self.stdout.write(render(table(_("Demo accounts"), [_("User"), _("Party"), _("Role")], rows)))
        if stale:
            self.stderr.write(
                _(
                    "The demo accounts existed already with another password, which was kept: %(source)s "
                    "does not open them. Use the password of the first run."
                )
                % {"source": source}
            )
        else:
            self.stdout.write(
                _("Password (every account): %(password)s   [from %(source)s]")
                % {"password": password, "source": source}
            )
