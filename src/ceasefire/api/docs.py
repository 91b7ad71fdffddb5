"""Interactive API docs served entirely from this host: the product works offline, and the CSP allows
nothing else. django-ninja ships Swagger UI as static files (app "ninja" in INSTALLED_APPS); our own template
loads them with the request's CSP nonce instead of ninja's CDN fallback.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI


class OfflineSwagger(Swagger):
    """Swagger UI under the site's own CSP: scripts from 'self' carrying the nonce, styles from 'self', the
    settings as inert JSON (no inline script). Checked in Chromium: no violation, every operation rendered."""

    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        # Inside <script type="application/json">, so no "<" may close the element early.
        context = {"swagger_settings": json.dumps(settings).replace("<", "\\u003c"), "api": api}
        return render(request, self.template, context)
