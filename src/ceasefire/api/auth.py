"""Who is calling the API: a bearer token bound to one membership, or the browser's session (with CSRF).

Either way the handler finds the acting membership in `request.membership`; it is None for a signed-in person
without membership (an administrator, an outsider), who is authenticated but sees nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from ceasefire.core.middleware import acting_membership
from ceasefire.core.models import ApiToken, Membership, hash_token
from ceasefire.core.services import authenticate_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class Unauthenticated(AuthenticationError):
    """401 with a message saying what was wrong with the credentials."""

    def __init__(self, message: str) -> None:
        super().__init__(401, message)


class CsrfFailed(HttpError):
    type_slug = "csrf"

    def __init__(self) -> None:
        super().__init__(
            403,
            _(
                "CSRF check failed: a signed-in browser must send the X-CSRFToken header on POST, PUT, PATCH "
                "and DELETE (or use an API token)."
            ),
        )


def _refusal(secret: str) -> str:
    """Why a presented token was refused. Only its holder can ask, so saying which reveals nothing new."""
    token = (
        ApiToken.objects.select_related("membership").filter(key_hash=hash_token(secret)).first()
        if secret.startswith("cf_")
        else None
    )
    if token is None:
        return _("Unknown or expired token: no such API token.")
    if token.revoked_at is not None:
        return _("Unknown or expired token: this API token was revoked.")
    if token.expires_at is not None and token.expires_at <= timezone.now():
        return _("Unknown or expired token: this API token has expired.")
    return _("Unknown or expired token: the token's membership is no longer active.")


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cf_...`. A presented but unusable token is refused (no session fallback)."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header)
        if not header:
            return None
        scheme, _sep, secret = header.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            raise Unauthenticated(_("Unsupported authorization scheme '%(scheme)s': use Bearer.") % {"scheme": scheme})
        secret = secret.strip()
        if not secret:
            raise Unauthenticated(_("The Authorization header has no token after 'Bearer'."))
        return self.authenticate(request, secret)

    def authenticate(self, request: HttpRequest, token: str) -> Membership:
        member = authenticate_token(token)
        if member is None:
            raise Unauthenticated(_refusal(token))
        request.membership = member  # type: ignore[attr-defined]
        request.api_auth_method = "token"  # type: ignore[attr-defined]
        return member


class SessionAuth(APIKeyCookie):
    """The signed-in browser, acting as the membership chosen in its session. Unsafe methods need CSRF."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise CsrfFailed()
        if not hasattr(request, "membership"):  # MembershipMiddleware normally did this already
            request.membership = acting_membership(request)  # type: ignore[attr-defined]
        request.api_auth_method = "session"  # type: ignore[attr-defined]
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


def acting(request: HttpRequest) -> Membership | None:
    """The membership an authenticated API request acts as (None: authenticated, but a member of nothing)."""
    return getattr(request, "membership", None)


API_AUTH = [TokenAuth(), SessionAuth()]
