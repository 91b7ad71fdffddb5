"""RFC 9457 problem details: every error the API answers is `application/problem+json`.

One shape for every failure (domain rule, schema, malformed body, authentication, absence, crash) so a client
handles errors in one place and always finds the offending input under `errors` by its dotted path.
"""

from __future__ import annotations

import json
import logging
import re
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from ceasefire.core.errors import DomainError
from ceasefire.core.requestid import current_request_id

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
# Problem types are identifiers, not links to follow: fixed, whatever host a deployment runs on.
TYPE_BASE = "https://ceasefire.example/problems/"

# Slugs of the problem types, by HTTP status.
_TYPES = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    422: "validation",
    429: "throttled",
    500: "server-error",
}
_INDEX = re.compile(r"\[(\d+)\]")


# The shape of every error, for the OpenAPI document (urls.py makes it each operation's default response).
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details; `errors` names each bad input by its dotted path.",
    "type": "object",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "string"}},
    },
    "required": ["type", "title", "status", "detail", "errors"],
}


def problem_type(status: int) -> str:
    slug = _TYPES.get(status)
    return TYPE_BASE + slug if slug else "about:blank"


def problem_response(
    status: int,
    *,
    title: str,
    detail: str,
    errors: dict[str, str] | None = None,
    type_slug: str | None = None,
    extensions: dict[str, Any] | None = None,
) -> HttpResponse:
    # RFC 9457 extension members (e.g. a conflict's current `state`) sit beside the standard ones.
    body: dict[str, Any] = dict(extensions or {}) | {
        "type": TYPE_BASE + type_slug if type_slug else problem_type(status),
        "title": title,
        "status": status,
        "detail": detail,
        "errors": errors or {},
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=MEDIA_TYPE)


def dotted(key: str) -> str:
    """`casualties[0]` (the services' way) as `casualties.0` (the schema errors' way): one path syntax."""
    return _INDEX.sub(r".\1", key)


def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    errors = {dotted(k): str(v) for k, v in exc.errors.items()}
    return problem_response(
        exc.status, title=_(exc.title), detail=str(exc.message), errors=errors, extensions=exc.extensions
    )


# Messages for the commonest schema errors, translatable; others keep pydantic's own (English) wording.
def _schema_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    messages = {
        "missing": _("This field is required."),
        "extra_forbidden": _("Unknown field."),
        "float_parsing": _("Enter a number."),
        "float_type": _("Enter a number."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "string_type": _("Enter a text string."),
        "bool_type": _("Enter true or false."),
        "bool_parsing": _("Enter true or false."),
        "list_type": _("Enter a list."),
        "datetime_parsing": _("Enter a date and time in ISO 8601 form, e.g. 2025-11-24T20:00:00Z."),
        "datetime_type": _("Enter a date and time in ISO 8601 form, e.g. 2025-11-24T20:00:00Z."),
        "timezone_aware": _("Give the time zone, e.g. 2025-11-24T20:00:00Z or +04:30."),
        "date_parsing": _("Enter a date in ISO 8601 form, e.g. 2025-11-24."),
        "date_from_datetime_parsing": _("Enter a date in ISO 8601 form, e.g. 2025-11-24."),
    }
    return str(messages.get(kind) or error.get("msg") or _("Invalid value."))


# The name of the body parameter in every handler; it is not part of the client's field path.
BODY_PARAMS = frozenset({"payload"})


def schema_error_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """('body', 'payload', 'casualties', 0, 'best') → 'casualties.0.best'; the parameter source is dropped."""
    parts = list(loc)
    source = parts.pop(0) if parts else "body"
    if source == "body" and parts and parts[0] in BODY_PARAMS:
        parts.pop(0)
    return ".".join(str(p) for p in parts) or str(source)


def on_schema_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, str] = {}
    for error in exc.errors:
        path = schema_error_path(error.get("loc", ()))
        errors.setdefault(path, _schema_message(error))
    return problem_response(
        422,
        title=_("Validation failed"),
        detail=_("The request has invalid fields; nothing was saved."),
        errors=errors,
    )


def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    status = exc.status_code
    if isinstance(exc, AuthenticationError):
        detail = (
            str(exc)
            if str(exc) != "Unauthorized"
            else _("Authentication required: send 'Authorization: Bearer <token>' or sign in.")
        )
        response = problem_response(401, title=_("Not authenticated"), detail=detail)
        response["WWW-Authenticate"] = 'Bearer realm="ceasefire"'
        return response
    if status == 400 and isinstance(exc.__cause__, ValueError):
        # ninja wraps a body its parser could not read (malformed JSON) as a bare 400.
        return problem_response(
            400,
            title=_("Malformed request body"),
            detail=_("The request body could not be read as JSON: %(error)s") % {"error": exc.__cause__},
            errors={"body": _("Not valid JSON.")},
            type_slug="malformed-body",
        )
    titles = {400: _("Bad request"), 403: _("Forbidden"), 404: _("Not found"), 429: _("Too many requests")}
    return problem_response(
        status,
        title=str(titles.get(status, _("Error"))),
        detail=str(exc),
        type_slug=getattr(exc, "type_slug", None),
    )


def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(404, title=_("Not found"), detail=_("No such record."))


def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    # The trace goes to the log under the request id; the client learns only that id, never internals.
    logger.exception("API error", exc_info=exc)
    return problem_response(
        500,
        title=_("Internal error"),
        detail=_("The server failed to answer this request. Quote request id %(rid)s when reporting it.")
        % {"rid": current_request_id()},
    )


def install(api: NinjaAPI) -> None:
    """Register the handlers on the API; the most specific class wins (ninja looks up the exception's MRO)."""
    handlers: list[tuple[type[Exception], Any]] = [
        (DomainError, on_domain_error),
        (ValidationError, on_schema_error),
        (HttpError, on_http_error),
        (Http404, on_not_found),
        (Exception, on_unexpected),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
