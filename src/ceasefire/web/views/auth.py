"""Sign-in with a rate limit on failures, and sign-out.

After settings.LOGIN_RATE_LIMIT failed attempts for one username, or from one address, within 15 minutes,
further attempts are refused without checking the password: guessing a liaison officer's password must not be
cheap. The counters live in Django's cache, shared by every worker.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

WINDOW_SECONDS = 15 * 60


def _keys(request: HttpRequest, username: str) -> list[str]:
    user_digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return [f"login-fail:user:{user_digest}", f"login-fail:addr:{address}"]


def is_blocked(request: HttpRequest, username: str) -> bool:
    counts = cache.get_many(_keys(request, username))
    return any(count >= settings.LOGIN_RATE_LIMIT for count in counts.values())


def note_failure(request: HttpRequest, username: str) -> None:
    for key in _keys(request, username):
        # add() starts the 15-minute window at the first failure; incr() keeps it.
        if not cache.add(key, 1, WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, WINDOW_SECONDS)


class RateLimitedLoginView(LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")
        if is_blocked(request, username):
            # The password is not even checked: a refused attempt teaches the guesser nothing.
            form = self.get_form_class()(request, initial={"username": username})
            message = _("Too many failed sign-in attempts. Wait 15 minutes before trying again.")
            return self.render_to_response(self.get_context_data(form=form, blocked=message), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        note_failure(self.request, self.request.POST.get("username", ""))
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        # A success clears this user's count, not the address's: one right password unlocks no guessing.
        cache.delete(_keys(self.request, form.get_user().get_username())[0])
        return super().form_valid(form)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
