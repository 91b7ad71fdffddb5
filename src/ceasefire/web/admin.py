"""The admin signs people in through the web's rate-limited login, never through a login page of its own."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


def _login_through_web(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    if request.user.is_authenticated:
        # Signed in but not staff: sending them to the login page again would loop.
        return redirect("web:home")
    target = request.GET.get("next") or reverse("admin:index")
    return redirect_to_login(target, reverse("web:login"))


admin.site.login = _login_through_web  # type: ignore[method-assign]
admin.site.site_header = "Ceasefire administration"
