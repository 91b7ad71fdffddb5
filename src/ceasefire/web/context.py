"""Template context shared by every page: the acting membership and the mechanism's switches."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def mechanism(request: HttpRequest) -> dict[str, Any]:
    member = getattr(request, "membership", None)
    memberships = []
    if request.user.is_authenticated:
        memberships = list(request.user.memberships.filter(is_active=True).select_related("party"))
    return {"membership": member, "memberships": memberships}
