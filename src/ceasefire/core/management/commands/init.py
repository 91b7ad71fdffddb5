"""`ceasefire init`: a new, empty mechanism with one mediator and its first secretariat account.

Everything else (the other parties, agreements, people) is then configured by that secretariat member.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceasefire.core.enums import PartyKind, Role
from ceasefire.core.errors import DomainError
from ceasefire.core.management.commandlib import (
    ProductCommand,
    add_person_arguments,
    ask,
    checked_time_zone,
    command_error,
    migrate_quietly,
    stdin_is_interactive,
)
from ceasefire.core.models import Party
from ceasefire.core.services import create_party, create_person
from ceasefire.ledger.services import ensure_log_key

FLAGS = {
    "code": "--mediator-code",
    "name": "--mediator-name",
    "kind": "--mediator-code",
    "username": "--username",
    "password": "--password",
    "role": "--username",
}


class Command(ProductCommand):
    help_text = gettext_lazy(
        "Start a new, empty mechanism: migrate the database, create one mediator party and its first "
        "secretariat account. Missing values are asked for on a terminal; refuses if parties exist already."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mediator-code", help=_("code of the mediator party, e.g. TR"))
        parser.add_argument("--mediator-name", help=_("name of the mediator party, e.g. Türkiye"))
        parser.add_argument("--username", help=_("user name of the first secretariat member"))
        add_person_arguments(parser, time_zone_example="Europe/Istanbul")

    def handle(self, *args: Any, **options: Any) -> None:
        migrate_quietly()
        ensure_log_key()  # the transparency log's signing key, in the data dir (ledger/keys.py)
        existing = list(Party.objects.values_list("code", flat=True))
        if existing:
            raise CommandError(
                _(
                    "The mechanism is already set up (parties: %(codes)s); init only starts an empty "
                    "one. Add people with `ceasefire user create`."
                )
                % {"codes": ", ".join(existing)}
            )
        interactive = options["interactive"] and stdin_is_interactive()
        code = ask(
            options["mediator_code"],
            flag="--mediator-code",
            label=_("Mediator party code"),
            interactive=interactive,
        )
        name = ask(
            options["mediator_name"],
            flag="--mediator-name",
            label=_("Mediator party name"),
            interactive=interactive,
        )
        username = ask(
            options["username"], flag="--username", label=_("Secretariat user name"), interactive=interactive
        )
        password = ask(
            options["password"], flag="--password", label=_("Password"), interactive=interactive, secret=True
        )
        time_zone = checked_time_zone(options["time_zone"])
        try:
            with transaction.atomic():
                party = create_party(None, code=code, name=name, kind=PartyKind.MEDIATOR)
                member = create_person(
                    None,
                    username=username,
                    password=password,
                    party=party,
                    role=Role.SECRETARIAT,
                    email=options["email"],
                    time_zone=time_zone,
                )
        except DomainError as exc:
            raise command_error(exc, FLAGS) from exc
        self.stdout.write(
            _("Mechanism started: mediator %(party)s with secretariat member %(user)s.")
            % {"party": party.code, "user": member.user.get_username()}
        )
