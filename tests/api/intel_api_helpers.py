"""Helpers of the intelligence API tests: the contract's example item, and items shared through the service from
the API's own input conversion (so the tests that read need not go through the create operation)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ceasefire.core.models import Membership

ITEMS = "/api/v1/intel/items"


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def item_body(**overrides: Any) -> dict[str, Any]:
    """Pakistan's AMBER report of a TTP group near Barmal, for Afghanistan, with a request for action."""
    now = timezone.now()
    body: dict[str, Any] = {
        "title": "TTP commanders gathering near Barmal",
        "body": "A TTP group of about **40** fighters was seen at a compound near Barmal, Paktika.",
        "tlp": "AMBER",
        "recipients": ["AF"],
        "people": [],
        "handling": "Do not share outside the liaison office.",
        "forwarding_allowed": False,
        "expires_at": _iso(now + dt.timedelta(days=30)),
        "actors": ["ttp"],
        "places": [{"name": "Barmal", "latitude": 32.78, "longitude": 69.25}],
        "complaints": [],
        "request": {
            "addressee": "AF",
            "what": "Disperse the group and detain its commanders.",
            "where": "Barmal district, Paktika",
            "against": ["ttp"],
            "due_at": _iso(now + dt.timedelta(days=7)),
        },
        "share": True,
    }
    body.update(overrides)
    return body


def share_via_service(member: Membership, **overrides: Any) -> Any:
    """An item saved by `member` through the service (shared unless `share=False` is among the overrides)."""
    from ceasefire.api.schemas.intel import IntelItemIn
    from ceasefire.intel.services import save_item

    payload = IntelItemIn.model_validate(item_body(**overrides))
    return save_item(member, payload.to_draft(), share=payload.share)


def green_note(member: Membership, **overrides: Any) -> Any:
    """A mediator's GREEN situation note, without request: every member of the mechanism reads it."""
    values: dict[str, Any] = {
        "title": "Situation at Torkham",
        "body": "Crossing reopened for pedestrians at 06:00.",
        "tlp": "GREEN",
        "recipients": [],
        "request": None,
        "actors": [],
        "places": [{"name": "Torkham", "latitude": 34.13, "longitude": 71.08}],
    }
    return share_via_service(member, **(values | overrides))


def red_item(member: Membership, people: list[str], **overrides: Any) -> Any:
    values: dict[str, Any] = {"tlp": "RED", "recipients": [], "people": people, "request": None}
    return share_via_service(member, **(values | overrides))
