"""`ceasefire complaints overdue --as USERNAME`: the deadlines that have passed on complaints that person may see
(replies awaited; for mediators also investigations and their tasks), as a table or JSON.

It reads through the same visibility rule as the pages and the API (verification.queries.overdue), acting as the
named person's membership, so an operator sees only what that person would: never more.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceasefire.core.management.commandlib import ProductCommand, party_by_code, render, table
from ceasefire.core.models import Membership, Profile
from ceasefire.verification.queries import Deadline, overdue


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
            _("User %(user)s acts for no party%(which)s, so sees no complaint; give a member of a party (--as).")
            % {"user": username, "which": f" ({party_code})" if party_code else ""}
        )
    return member


def lateness(hours: float) -> str:
    """'3 d 4 h' or '5 h': how long past the due time, to the hour."""
    whole = int(hours)
    days, rest = divmod(whole, 24)
    return (_("%(d)d d %(h)d h") % {"d": days, "h": rest}) if days else (_("%(h)d h") % {"h": rest})


def deadline_row(deadline: Deadline, now: dt.datetime) -> dict[str, Any]:
    return {
        "complaint": deadline.complaint.public_code,
        "stage": deadline.stage,
        "due_at": deadline.due_at.isoformat(),
        "who": deadline.who,
        "hours_late": round((now - deadline.due_at).total_seconds() / 3600, 1),
        "task": deadline.task.pk if deadline.task else None,
    }


class Command(ProductCommand):
    help_text = gettext_lazy(
        "Complaints: `complaints overdue --as USERNAME` lists the deadlines that have passed on the complaints "
        "that person may see: code, stage, due time, who must act and how late."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{overdue}", title=_("actions"))
        listing = actions.add_parser(
            "overdue",
            help=_("list overdue deadlines a person may see"),
            description=_(
                "List the deadlines that have passed (replies, investigations, tasks) on the complaints the "
                "person may see, most overdue first. Exits 0 whether or not any are overdue."
            ),
        )
        listing.add_argument("--as", dest="username", required=True, help=_("user name of the person to act as"))
        listing.add_argument("--party", help=_("party code, when the person acts for several parties"))
        listing.add_argument("--json", action="store_true", help=_("print one JSON document instead"))

    def handle(self, *args: Any, **options: Any) -> None:
        member = acting_as(options["username"], options.get("party"))
        now = timezone.now()
        rows = [deadline_row(d, now) for d in overdue(member)]
        if options["json"]:
            document = {"as": member.user.get_username(), "party": member.party.code, "overdue": rows}
            self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))
            return
        zone = _time_zone(member)
        title = _("Overdue deadlines seen by %(user)s (%(party)s), times in %(zone)s") % {
            "user": member.user.get_username(),
            "party": member.party.code,
            "zone": zone.key,
        }
        if not rows:
            self.stdout.write(title + "\n" + _("Nothing is overdue."))
            return
        self.stdout.write(
            render(
                table(
                    title,
                    [_("Complaint"), _("Stage"), _("Due"), _("Who must act"), _("Late by")],
                    [
                        (
                            row["complaint"],
                            row["stage"],
                            dt.datetime.fromisoformat(row["due_at"]).astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                            row["who"],
                            lateness(row["hours_late"]),
                        )
                        for row in rows
                    ],
                ),
                width=120,
            )
        )


def _time_zone(member: Membership) -> zoneinfo.ZoneInfo:
    name = Profile.objects.filter(user_id=member.user_id).values_list("time_zone", flat=True).first() or "UTC"
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")
