"""Choosing which of one's memberships to act as; the choice is kept in the session."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ceasefire.core.middleware import SESSION_MEMBERSHIP
from ceasefire.core.models import Membership


@login_required
@require_POST
def switch_membership(request: HttpRequest) -> HttpResponse:
    chosen = request.POST.get("membership", "")
    mine = Membership.objects.filter(user__pk=request.user.pk or 0, is_active=True)
    if chosen.isdigit() and mine.filter(pk=int(chosen)).exists():
        request.session[SESSION_MEMBERSHIP] = int(chosen)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "web:home"
    return redirect(target)
