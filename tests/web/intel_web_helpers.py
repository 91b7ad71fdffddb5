"""Helpers of the intelligence page tests: items shared through the real service, and a valid share form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from intel.support_intel import intel_draft as draft

from ceasefire.core.models import Membership
from ceasefire.intel import services
from ceasefire.intel.models import IntelItem


def share(member: Membership, **overrides: Any) -> IntelItem:
    return services.save_item(member, draft(**overrides), share=True)


def local(moment: dt.datetime) -> str:
    """A moment as a datetime-local field takes it (the test client's time zone is the site's, UTC)."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def share_form(**overrides: Any) -> dict[str, Any]:
    """The share form as the Pakistani liaison fills it: AMBER to Afghanistan, one place, a request for action."""
    now = timezone.now()
    data: dict[str, Any] = {
        "title": "TTP fighters massing at Barmal",
        "body": "About **40** fighters at a compound east of Barmal.\n\n- two pick-ups\n- one mortar",
        "tlp": "AMBER",
        "recipients": ["AF"],
        "handling": "Liaison office only.",
        "expires_at": local(now + dt.timedelta(days=20)),
        "actors": ["ttp"],
        "complaints": "",
        "places-TOTAL_FORMS": "2",
        "places-INITIAL_FORMS": "0",
        "places-MIN_NUM_FORMS": "0",
        "places-MAX_NUM_FORMS": "50",
        "places-0-name": "Barmal",
        "places-0-latitude": "32.78",
        "places-0-longitude": "69.25",
        "places-1-name": "",
        "places-1-latitude": "",
        "places-1-longitude": "",
        "request_addressee": "AF",
        "request_what": "Disperse the group and detain its commanders.",
        "request_where": "Barmal district",
        "request_against": ["ttp"],
        "request_due_at": local(now + dt.timedelta(days=7)),
        "share": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
