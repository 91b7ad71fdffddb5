"""CSV export of intelligence items: one row per item, plain UTF-8, RFC 4180 (CRLF, quotes doubled).

The caller passes items it read through queries.visible_items, so every row is one the reader may see, body
included. A cell that a spreadsheet would take for a formula (starting with = + - @, or a tab or carriage return,
OWASP's list) gets a leading apostrophe: an item's title comes from another party and must not run as code.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import zoneinfo
from collections.abc import Iterable, Iterator

from django.db.models import prefetch_related_objects

from ceasefire.core.enums import TLP
from ceasefire.core.models import Membership, Profile

from .models import IntelItem
from .queries import sees_request_exchange

CSV_HEADER: list[str] = [
    "public_code",
    "originator",
    "tlp",
    "state",
    "title",
    "body",
    "created",
    "shared",
    "expires",
    "recipients",
    "actors",
    "places",
    "request_due",
    "request_state",
    "rating",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 500  # items prefetched at once: the query count grows with the chunks, not the rows
RELATED = ("originator", "recipients__party", "people__user", "actors", "places", "request")


def neutralise(value: str) -> str:
    """A cell a spreadsheet shows as text, never evaluates."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _zone(member: Membership | None) -> dt.tzinfo:
    """The reader's time zone: times are written in ISO 8601 with its offset, unambiguous and as the reader sees
    them elsewhere."""
    if member is None:
        return dt.UTC
    profile = Profile.objects.filter(user_id=member.user_id).first()
    try:
        return zoneinfo.ZoneInfo(profile.time_zone) if profile else dt.UTC
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def _recipients(item: IntelItem) -> str:
    if item.tlp == TLP.RED:
        return "; ".join(sorted(p.user.get_username() for p in item.people.all()))
    return "; ".join(sorted(r.party.code for r in item.recipients.all()))


def _row(item: IntelItem, zone: dt.tzinfo, member: Membership | None) -> list[str]:
    def when(value: dt.datetime | None) -> str:
        return value.astimezone(zone).isoformat(timespec="seconds") if value else ""

    request = getattr(item, "request", None)
    return [
        item.public_code,
        item.originator.code,
        item.tlp,
        item.state,
        item.title,
        item.body,
        when(item.created_at),
        when(item.shared_at),
        when(item.expires_at),
        _recipients(item),
        "; ".join(actor.name for actor in item.actors.all()),
        "; ".join(f"{p.name} ({p.latitude:.5f}, {p.longitude:.5f})" for p in item.places.all()),
        when(request.due_at) if request else "",
        request.state if request else "",
        # The rating is between the requesting party and the one asked to act (queries.sees_request_exchange).
        request.rating if request and member is not None and sees_request_exchange(member, item, request) else "",
    ]


def csv_rows(items: Iterable[IntelItem], *, member: Membership | None) -> Iterator[list[str]]:
    """The data rows (CSV_HEADER's columns), every cell neutralised."""
    zone = _zone(member)
    for chunk in itertools.batched(items, CHUNK):
        batch = list(chunk)
        prefetch_related_objects(batch, *RELATED)
        for item in batch:
            yield [neutralise(cell) for cell in _row(item, zone, member)]


def csv_response_bytes(items: Iterable[IntelItem], *, member: Membership | None) -> bytes:
    """The whole CSV file: header, then one row per item."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(items, member=member))
    return out.getvalue().encode("utf-8")
