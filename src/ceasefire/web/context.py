"""Template context shared by every page: the acting membership, its alternatives, the page direction, and the
member's unread notifications (one COUNT query, only for a member)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from ceasefire.core import rules
from ceasefire.verification.models import Notification

# Django's own list of right-to-left languages lacks Pashto; the mechanism's languages are listed here too.
RTL_LANGUAGES = frozenset({"ps", "fa", "ur", "ar", *getattr(settings, "LANGUAGES_BIDI", ())})


def text_direction(language: str | None) -> str:
    return "rtl" if (language or "en").split("-")[0] in RTL_LANGUAGES else "ltr"


def mechanism(request: HttpRequest) -> dict[str, Any]:
    member = getattr(request, "membership", None)
    memberships = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        memberships = list(user.memberships.filter(is_active=True).select_related("party"))
    return {
        "membership": member,
        "memberships": memberships,
        "can_file_complaint": rules.can_file_complaint(member),
        "is_mediator": rules.is_mediator(member),
        "unread_notifications": unread_count(member),
        "text_direction": text_direction(get_language()),
        "site_languages": settings.LANGUAGES,
    }


def unread_count(member: Any) -> int:
    if member is None:
        return 0
    return Notification.objects.visible_to(member).filter(read_at__isnull=True).count()
