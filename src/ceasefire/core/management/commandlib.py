"""Helpers shared by the `ceasefire` commands: quiet migration, prompting, resolving parties and roles,
turning domain errors into command errors naming the flag at fault, and rendering rich tables as text."""

from __future__ import annotations

import getpass
import io
import sys
import zoneinfo
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from rich.console import Console
from rich.table import Table

from ceasefire.core.enums import Role
from ceasefire.core.errors import DomainError
from ceasefire.core.models import Party


class ProductCommand(BaseCommand):
    """Base of the product's commands: `help_text` is translated lazily, in the language active when the
    parser is built (argparse needs a real string, and the class is defined before any language is active)."""

    help_text: str | Promise = ""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = str(self.help_text)
        return super().create_parser(prog_name, subcommand, **kwargs)


def migrate_quietly() -> None:
    """Bring the database schema up to date without Django's per-migration chatter."""
    call_command("migrate", interactive=False, verbosity=0)


def stdin_is_interactive() -> bool:
    return bool(getattr(sys.stdin, "isatty", None)) and sys.stdin.isatty()


def ask(
    value: str | None,
    *,
    flag: str,
    label: str,
    interactive: bool,
    secret: bool = False,
    prompt: Callable[[str], str] = input,
) -> str:
    """`value` if given; otherwise ask for it on a terminal, or fail naming the flag that supplies it."""
    if value is not None and value.strip():
        return value
    if not interactive:
        raise CommandError(
            _("%(flag)s is required (%(label)s); pass it, or run in a terminal to be asked.")
            % {"flag": flag, "label": label}
        )
    if secret:
        first = getpass.getpass(f"{label}: ")
        if first != getpass.getpass(_("%(label)s (again): ") % {"label": label}):
            raise CommandError(_("The two %(label)s entries differ; nothing was changed.") % {"label": label})
        answer = first
    else:
        answer = prompt(f"{label}: ").strip()
    if not answer:
        raise CommandError(_("%(label)s cannot be empty (%(flag)s).") % {"label": label, "flag": flag})
    return answer


def add_person_arguments(parser: CommandParser, *, time_zone_example: str) -> None:
    """The flags of a new person shared by `init` and `user create`: password, e-mail, time zone, --no-input."""
    parser.add_argument("--password", help=_("their password (asked for on a terminal if absent)"))
    parser.add_argument("--email", default="", help=_("their e-mail address (optional)"))
    parser.add_argument(
        "--time-zone",
        default="UTC",
        help=_("their time zone (default: %(default)s), e.g. ") + time_zone_example,
    )
    parser.add_argument(
        "--no-input",
        action="store_false",
        dest="interactive",
        help=_("never ask: a missing value is an error"),
    )


def party_by_code(code: str) -> Party:
    party = Party.objects.filter(code=code.strip().upper()).first()
    if party is None:
        known = ", ".join(Party.objects.values_list("code", flat=True)) or _("none yet")
        raise CommandError(
            _("Unknown party '%(code)s' (--party); the parties are: %(known)s.") % {"code": code, "known": known}
        )
    return party


def checked_role(role: str) -> str:
    if role not in Role.values:
        raise CommandError(
            _("Unknown role '%(role)s' (--role); the roles are: %(known)s.")
            % {"role": role, "known": ", ".join(Role.values)}
        )
    return role


def checked_time_zone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise CommandError(
            _("Unknown time zone '%(zone)s' (--time-zone), e.g. Asia/Kabul or Asia/Karachi.") % {"zone": name}
        ) from exc
    return name


def command_error(exc: DomainError, flags: Mapping[str, str]) -> CommandError:
    """The domain error as a command error, each bad field named by the flag that set it."""
    if not exc.errors:
        return CommandError(exc.message)
    parts = [f"{flags.get(field, field)}: {message}" for field, message in exc.errors.items()]
    return CommandError(" ".join(parts))


def table(title: str, columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> Table:
    grid = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        grid.add_column(column)
    for row in rows:
        grid.add_row(*("—" if cell is None else str(cell) for cell in row))
    return grid


def render(*renderables: Any, width: int = 100) -> str:
    """Rich output as plain text, so commands write it through self.stdout (captured by call_command)."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False, highlight=False)
    for renderable in renderables:
        console.print(renderable)
    return buffer.getvalue().rstrip("\n")
