"""`ceasefire user create | list`: people and the party and role each acts for."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceasefire.core.errors import DomainError
from ceasefire.core.management.commandlib import (
    ProductCommand,
    add_person_arguments,
    ask,
    checked_role,
    checked_time_zone,
    command_error,
    party_by_code,
    render,
    stdin_is_interactive,
    table,
)
from ceasefire.core.services import create_person

FLAGS = {"username": "--username", "password": "--password", "role": "--role", "party": "--party"}


class Command(ProductCommand):
    help_text = gettext_lazy(
        "Manage people: `user create` adds a person acting for one party in one role; "
        "`user list` shows everyone with their memberships."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,list}", title=_("actions"))
        create = actions.add_parser(
            "create",
            help=_("add a person with their first membership"),
            description=_("Add a person acting for one party in one role."),
        )
        create.add_argument("--username", required=True, help=_("their user name"))
        create.add_argument("--party", required=True, help=_("code of the party they act for, e.g. AF"))
        create.add_argument(
            "--role",
            required=True,
            help=_("liaison, viewer, investigator, adjudicator, secretariat, analyst or admin"),
        )
        add_person_arguments(create, time_zone_example="Asia/Kabul")
        listing = actions.add_parser(
            "list",
            help=_("list people and their memberships"),
            description=_("List people and their memberships."),
        )
        listing.add_argument("--party", help=_("only people acting for this party"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            self.create(options)
        else:
            self.list(options)

    def create(self, options: dict[str, Any]) -> None:
        party = party_by_code(options["party"])
        role = checked_role(options["role"])
        time_zone = checked_time_zone(options["time_zone"])
        username = options["username"].strip()
        if get_user_model().objects.filter(username=username).exists():
            # Checked before asking for a password, so nobody types one for nothing.
            raise command_error(
                DomainError(_("User %(user)s exists already.") % {"user": username}, field="username"), FLAGS
            )
        password = ask(
            options["password"],
            flag="--password",
            label=_("Password"),
            secret=True,
            interactive=options.get("interactive", True) and stdin_is_interactive(),
        )
        try:
            member = create_person(
                None,
                username=username,
                password=password,
                party=party,
                role=role,
                email=options["email"],
                time_zone=time_zone,
            )
        except DomainError as exc:
            raise command_error(exc, FLAGS) from exc
        self.stdout.write(
            _("Created %(user)s acting for %(party)s as %(role)s.")
            % {"user": username, "party": party.code, "role": member.get_role_display()}
        )

    def list(self, options: dict[str, Any]) -> None:
        users = get_user_model().objects.order_by("username").prefetch_related("memberships__party")
        if options.get("party"):
            party = party_by_code(options["party"])
            users = users.filter(memberships__party=party).distinct()
        rows = []
        for user in users:
            memberships = ", ".join(
                f"{m.party.code} {m.role}" + ("" if m.is_active else f" ({_('inactive')})")
                for m in user.memberships.all()
            )
            flags = [_("superuser")] if user.is_superuser else []
            if not user.is_active:
                flags.append(_("disabled"))
            rows.append((user.get_username(), memberships or None, ", ".join(flags) or None))
        self.stdout.write(render(table(_("People"), [_("User"), _("Memberships"), _("Account")], rows)))
