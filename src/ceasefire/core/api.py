"""API v1 of the mechanism itself: liveness, the caller, the parties.

No `from __future__ import annotations` in router modules: ninja reads the handlers' annotations at import.
"""

from django.http import HttpRequest
from ninja import Router

from ceasefire.api.auth import acting
from ceasefire.api.schemas.reference import HealthOut, MeOut, PartyOut, me_out, party_out

from .models import Party

router = Router(tags=["mechanism"])


@router.get("/health", auth=None, response=HealthOut, summary="Liveness")
def health(request: HttpRequest) -> dict[str, str]:
    """Answers without authentication and without touching the database (load balancers poll it)."""
    return {"status": "ok"}


@router.get("/me", response=MeOut, summary="The caller")
def me(request: HttpRequest) -> dict[str, object]:
    """Who the request acts as: the user, and the party and role of the acting membership (null if none)."""
    member = acting(request)
    method = getattr(request, "api_auth_method", "session")
    user = member.user if member is not None and method == "token" else request.user
    profile = getattr(user, "profile", None)
    return me_out(user.get_username(), method, member, profile.time_zone if profile else "UTC")


@router.get("/parties", response=list[PartyOut], summary="Parties and mediators")
def list_parties(request: HttpRequest) -> list[dict[str, object]]:
    """The mechanism's parties, mediators and observers. Empty for a caller who is a member of none."""
    if acting(request) is None:
        return []
    return [party_out(p) for p in Party.objects.all()]
