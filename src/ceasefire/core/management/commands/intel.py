"""`ceasefire intel list|export|import-stix|overdue`: intelligence sharing from the command line.

`list`, `export` and `import-stix` act as the person named by --as (their membership for --party, else their first
active one) and read through the same visibility rule as the pages and the API: an operator sees and exports only
what that person would. `overdue` is the worker's sweep of requests for action past their due date, run by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceasefire.core.enums import TLP
from ceasefire.core.errors import DomainError
from ceasefire.core.management.commandlib import ProductCommand, command_error, party_by_code, render, table
from ceasefire.core.models import Membership
from ceasefire.intel import exports, services, stix
from ceasefire.intel.enums import ItemState
from ceasefire.intel.queries import ItemFilters, visible_items
from ceasefire.intel.services import flag_overdue_requests


def acting_as(username: str, party_code: str | None) -> Membership:
    """The membership the person acts as: the one for --party, else their first active one (as the web does)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("Unknown user '%(user)s' (--as).") % {"user": username})
    memberships = Membership.objects.filter(user=user, is_active=True).select_related("party", "user")
    if party_code:
        memberships = memberships.filter(party=party_by_code(party_code))
    member = memberships.order_by("pk").first()
    if member is None:
        raise CommandError(
            _("User %(user)s acts for no party%(which)s, so sees no intelligence; give a member of a party (--as).")
            % {"user": username, "which": f" ({party_code})" if party_code else ""}
        )
    return member


def _add_person(parser: CommandParser) -> None:
    parser.add_argument("--as", dest="username", required=True, help=_("user name of the person to act as"))
    parser.add_argument("--party", help=_("party code, when the person acts for several parties"))


def _add_filters(parser: CommandParser) -> None:
    parser.add_argument("--q", default="", help=_("words of the title, body or places"))
    parser.add_argument("--tlp", default="", choices=["", *TLP.values], help=_("only this TLP level"))
    parser.add_argument("--originator", default="", help=_("only items of this party (code)"))
    parser.add_argument("--state", default="", choices=["", *ItemState.values], help=_("draft or shared"))
    parser.add_argument("--actor", default="", help=_("only items about this actor (code)"))
    parser.add_argument("--received", action="store_true", help=_("only items shared with the person's party"))


def _filters(options: dict[str, Any]) -> ItemFilters:
    return ItemFilters(
        q=options["q"],
        tlp=options["tlp"],
        originator=options["originator"],
        state=options["state"],
        actor=options["actor"],
        received=options["received"],
    )


class Command(ProductCommand):
    help_text = gettext_lazy(
        "Intelligence sharing: `intel list --as USERNAME` lists the items that person may see; `intel export` "
        "writes them as STIX 2.1 or CSV; `intel import-stix FILE` makes a draft of a STIX bundle; `intel overdue` "
        "flags requests for action past their due date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{list,export,import-stix,overdue}", title=_("actions")
        )
        listing = actions.add_parser(
            "list",
            help=_("list the items a person may see"),
            description=_("List the intelligence items the person may see, newest first, with the list's filters."),
        )
        _add_person(listing)
        _add_filters(listing)
        listing.add_argument("--json", action="store_true", help=_("print one JSON document instead"))

        export = actions.add_parser(
            "export",
            help=_("export the items a person may see"),
            description=_("Write the items the person may see (with the list's filters) as a STIX 2.1 bundle or CSV."),
        )
        _add_person(export)
        _add_filters(export)
        export.add_argument("--format", required=True, choices=["stix", "csv"], help=_("stix (JSON) or csv"))
        export.add_argument("--out", required=True, help=_("the file to write ('-' for standard output)"))

        importing = actions.add_parser(
            "import-stix",
            help=_("import a STIX 2.1 bundle as a draft item"),
            description=_(
                "Make a draft item of the person's party from a STIX 2.1 bundle, to check and share on the web. "
                "A bad bundle is refused naming why, and nothing is saved."
            ),
        )
        importing.add_argument("file", help=_("the bundle (JSON)"))
        _add_person(importing)

        actions.add_parser(
            "overdue",
            help=_("flag requests for action past their due date"),
            description=_(
                "Flag every open request for action past its due date with no action recorded (once each; both "
                "sides are told), as the worker does, and print how many were flagged."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "overdue":
            flagged = flag_overdue_requests()
            self.stdout.write(_("Requests for action flagged overdue: %(n)d") % {"n": flagged})
            return
        member = acting_as(options["username"], options.get("party"))
        if action == "list":
            self._list(member, options)
        elif action == "export":
            self._export(member, options)
        else:
            self._import(member, Path(options["file"]))

    def _list(self, member: Membership, options: dict[str, Any]) -> None:
        items = list(visible_items(member, _filters(options)))
        now = timezone.now()
        rows: list[dict[str, Any]] = [
            {
                "code": i.public_code,
                "tlp": i.tlp,
                "state": i.state,
                "originator": i.originator.code,
                "title": i.title,
                "shared_at": i.shared_at.isoformat() if i.shared_at else None,
                "expires_at": i.expires_at.isoformat() if i.expires_at else None,
                "expired": i.expires_at is not None and i.expires_at <= now,
            }
            for i in items
        ]
        if options["json"]:
            document = {"as": member.user.get_username(), "party": member.party.code, "items": rows}
            self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))
            return
        title = _("Intelligence items seen by %(user)s (%(party)s): %(n)d") % {
            "user": member.user.get_username(),
            "party": member.party.code,
            "n": len(rows),
        }
        if not rows:
            self.stdout.write(title + "\n" + _("No item."))
            return
        columns = [_("Item"), "TLP", _("State"), _("From"), _("Shared"), _("Title")]
        cells = [
            (r["code"], r["tlp"], r["state"], r["originator"], (r["shared_at"] or "")[:16], r["title"]) for r in rows
        ]
        self.stdout.write(render(table(title, columns, cells), width=140))

    def _export(self, member: Membership, options: dict[str, Any]) -> None:
        items = visible_items(member, _filters(options))
        services.open_items(member, items)  # the export hands the content over: receipts
        if options["format"] == "stix":
            content = json.dumps(stix.bundle_of(items, member=member), ensure_ascii=False, indent=2).encode()
        else:
            content = exports.csv_response_bytes(items, member=member)
        if options["out"] == "-":
            self.stdout.write(content.decode(), ending="")
            return
        out = Path(options["out"])
        try:
            out.write_bytes(content)
        except OSError as exc:
            raise CommandError(_("Cannot write %(path)s (--out): %(error)s") % {"path": out, "error": exc}) from exc
        self.stdout.write(_("Wrote %(path)s (%(size)d bytes).") % {"path": out, "size": len(content)})

    def _import(self, member: Membership, path: Path) -> None:
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        with path.open("rb") as bundle:
            raw = bundle.read(stix.MAX_BUNDLE_BYTES + 1)  # one byte past the limit: refused as too large
        try:
            item = stix.import_bundle(member, raw, filename=path.name)
        except DomainError as exc:
            raise command_error(exc, {"file": "FILE"}) from exc
        self.stdout.write(
            _("Imported %(file)s as draft %(code)s of %(party)s; check and share it on the web.")
            % {"file": path.name, "code": item.public_code, "party": member.party.code}
        )
