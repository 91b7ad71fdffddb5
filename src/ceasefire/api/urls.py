"""The API v1 instance: every app's router mounted under /api/v1/, problem+json errors, offline docs."""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.operation import Operation

from ceasefire.agreements.api import router as agreements_router
from ceasefire.border.api import router as border_router
from ceasefire.core.api import router as core_router
from ceasefire.geo.api import router as geo_router
from ceasefire.incidents.api import router as incidents_router

from . import problems
from .auth import API_AUTH
from .docs import OfflineSwagger


class CeasefireAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # Handler names are unique across the routers and read better in generated clients than module paths.
        return operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = problems.PROBLEM_SCHEMA
        error = {
            "description": "An error, as RFC 9457 problem details",
            "content": {problems.MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for item in schema["paths"].values():
            for operation in item.values():
                operation["responses"].setdefault("default", error)
        return schema

    def _get_urls(self) -> list[URLPattern | URLResolver]:
        # ninja answers a wrong method and Django an unknown path in plain text or HTML; wrapped here so that
        # every error under /api/v1/ is problem+json, as the contract says.
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _method_not_allowed_as_problem(pattern.callback)
        return [*patterns, path("<path:rest>", _no_such_route, name="no-such-route")]


def _method_not_allowed_as_problem(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)  # keeps ninja's csrf_exempt flag: its auth classes check CSRF themselves
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type", "").startswith(problems.MEDIA_TYPE):
            return response
        problem = problems.problem_response(
            405,
            title=_("Method not allowed"),
            detail=_("%(method)s is not allowed here; allowed: %(allowed)s.")
            % {"method": request.method, "allowed": response.get("Allow", "")},
        )
        problem["Allow"] = response.get("Allow", "")
        return problem

    return wrapper


def _no_such_route(request: HttpRequest, rest: str) -> HttpResponse:
    return problems.problem_response(
        404, title=_("Not found"), detail=_("No API route /api/v1/%(path)s.") % {"path": rest}
    )


api = CeasefireAPI(
    title="Ceasefire API",
    version="1",
    description=(
        "JSON API of the ceasefire monitoring and verification mechanism. Authenticate with "
        "`Authorization: Bearer <token>` or a signed-in browser session (CSRF header on writes). "
        "Every error is RFC 9457 application/problem+json with field-level `errors`. "
        "Records are named by public codes."
    ),
    urls_namespace="api",
    auth=API_AUTH,
    docs=OfflineSwagger(),
)
problems.install(api)
api.add_router("", core_router)
api.add_router("", agreements_router)
api.add_router("", geo_router)
api.add_router("", incidents_router)
api.add_router("", "ceasefire.ingest.api.router")
api.add_router("", border_router)
api.add_router("", "ceasefire.ledger.api.router")
api.add_router("", "ceasefire.verification.api.router")
api.add_router("", "ceasefire.intel.api.router")
api.add_router("", "ceasefire.analytics.api.router")
api.add_router("", "ceasefire.analytics.alerts_api.router")
api.add_router("", "ceasefire.reports.api.router")
