"""What every page view shares: sign-in and an acting membership required, and HTMX partial rendering."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from ceasefire.core.models import Membership

View = Callable[..., HttpResponseBase]


def acting_member(request: HttpRequest) -> Membership | None:
    return getattr(request, "membership", None)


def require_member(request: HttpRequest) -> Membership:
    """The acting membership in a view behind @member_required, which guarantees there is one."""
    member = acting_member(request)
    if member is None:
        raise PermissionDenied
    return member


def member_required(view: View) -> View:
    """Signed in and acting for a party; anyone else (an outsider, a bare administrator) sees only a notice.

    The notice is the same for every URL, so it says nothing about which records exist.
    """

    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if acting_member(request) is None:
            return render(request, "web/no_party.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def wants_partial(request: HttpRequest) -> bool:
    """An HTMX request swaps a fragment; a history restore needs the whole page back."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def render_page(
    request: HttpRequest, template: str, partial: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The whole page, or only the named partial of it when HTMX asked for it."""
    name = f"{template}#{partial}" if wants_partial(request) else template
    return render(request, name, context, status=status)
