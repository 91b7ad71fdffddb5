"""Builders for intelligence drafts, shared by the intel service tests and the intelligence page tests (tests/web)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ceasefire.intel.drafts import IntelDraft, PlaceDraft, RequestDraft


def intel_draft(**overrides: Any) -> IntelDraft:
    """Pakistan's AMBER report of a TTP group in Paktika, addressed to Afghanistan, with a request for action."""
    values: dict[str, Any] = {
        "title": "TTP commanders gathering near Barmal",
        "body": "A TTP group of about **40** fighters was seen at a compound near Barmal, Paktika.",
        "tlp": "AMBER",
        "recipients": ["AF"],
        "actors": ["ttp"],
        "places": [PlaceDraft(name="Barmal", latitude=32.78, longitude=69.25)],
        "expires_at": timezone.now() + dt.timedelta(days=30),
        "request": RequestDraft(
            addressee="AF",
            what="Disperse the group and detain its commanders.",
            where="Barmal district, Paktika",
            against=["ttp"],
            due_at=timezone.now() + dt.timedelta(days=7),
        ),
    }
    values.update(overrides)
    return IntelDraft(**values)
