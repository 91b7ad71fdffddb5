"""`ceasefire token create`: an API token for one membership; prints only the secret, for scripts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceasefire.core.errors import DomainError
from ceasefire.core.management.commandlib import ProductCommand, checked_role, command_error, party_by_code
from ceasefire.core.models import Membership
from ceasefire.core.services import issue_token


def describe(memberships: list[Membership]) -> str:
    return ", ".join(f"{m.party.code} {m.role}" for m in memberships)


def chosen_membership(username: str, party_code: str | None, role: str | None) -> Membership:
    """The one active membership the token will act as; a specific error when there is none or several."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("Unknown user '%(user)s' (--user).") % {"user": username})
    memberships = list(Membership.objects.filter(user=user, is_active=True).select_related("party"))
    if not memberships:
        raise CommandError(
            _("User %(user)s has no active party membership; a token always acts for one.") % {"user": username}
        )
    matching = memberships
    if party_code:
        party = party_by_code(party_code)
        matching = [m for m in matching if m.party_id == party.pk]
    if role:
        role = checked_role(role)
        matching = [m for m in matching if m.role == role]
    if not matching:
        raise CommandError(
            _("User %(user)s has no membership matching --party/--role; theirs: %(list)s.")
            % {"user": username, "list": describe(memberships)}
        )
    if len(matching) > 1:
        raise CommandError(
            _("User %(user)s has several memberships (%(list)s); choose one with --party and --role.")
            % {"user": username, "list": describe(matching)}
        )
    return matching[0]


class Command(ProductCommand):
    help_text = gettext_lazy(
        "API tokens: `token create` issues a bearer token acting for one of a user's "
        "memberships and prints only its secret (shown once, stored only as a hash)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create}", title=_("actions"))
        create = actions.add_parser(
            "create",
            help=_("issue a token and print its secret"),
            description=_("Issue an API token for one membership and print only its secret on standard output."),
        )
        create.add_argument("--user", required=True, help=_("user name of the token's owner"))
        create.add_argument("--party", help=_("party code, when the user acts for several parties"))
        create.add_argument("--role", help=_("role, when the user has several roles"))
        create.add_argument("--expires-days", type=int, help=_("days until the token expires (default: never)"))
        create.add_argument("--name", default="", help=_("a label to recognise the token by"))

    def handle(self, *args: Any, **options: Any) -> None:
        member = chosen_membership(options["user"], options.get("party"), options.get("role"))
        expires_at = None
        days = options.get("expires_days")
        if days is not None:
            if days < 1:
                raise CommandError(_("--expires-days must be at least 1, not %(days)d.") % {"days": days})
            expires_at = timezone.now() + dt.timedelta(days=days)
        try:
            _token, secret = issue_token(member, name=options["name"][:100], expires_at=expires_at)
        except DomainError as exc:
            raise command_error(exc, {"expires_at": "--expires-days"}) from exc
        self.stdout.write(secret)
