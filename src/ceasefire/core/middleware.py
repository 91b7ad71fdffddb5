"""Request ids (for logs and change records), the acting membership and the user's time zone."""

from __future__ import annotations

import re
import uuid
import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .models import Membership
from .requestid import reset_request_id, set_request_id

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
SESSION_MEMBERSHIP = "acting_membership"


class RequestIdMiddleware:
    """Takes a proxy's X-Request-ID when it is well-formed, else makes one; echoes it on the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = set_request_id(rid)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = rid
        return response


def acting_membership(request: HttpRequest) -> Membership | None:
    """The membership the signed-in user acts as: the one chosen in the session, else their first active one."""
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = Membership.objects.filter(user=user, is_active=True).select_related("party", "user")
    chosen = request.session.get(SESSION_MEMBERSHIP)
    if chosen is not None:
        member = memberships.filter(pk=chosen).first()
        if member is not None:
            return member
    return memberships.order_by("pk").first()


class MembershipMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The API sets request.membership from its token instead; this is the session's choice.
        request.membership = acting_membership(request)  # type: ignore[attr-defined]
        tz_name = "UTC"
        if request.user.is_authenticated:
            profile = getattr(request.user, "profile", None)
            tz_name = profile.time_zone if profile else "UTC"
        try:
            timezone.activate(zoneinfo.ZoneInfo(tz_name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.activate(zoneinfo.ZoneInfo("UTC"))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
