"""Domain errors: raised by services, shown by the web next to the field and by the API as problem+json."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the mechanism refused the change. `field` names the input at fault, when there is one."""

    status = 400
    title = "Invalid request"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        errors: dict[str, str] | None = None,
        extensions: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or ({field: message} if field else {})
        # Machine-readable facts about the refusal, sent as problem+json extension members (e.g. `state`).
        self.extensions = extensions or {}


class ValidationFailed(DomainError):
    status = 422
    title = "Validation failed"


class NotPermitted(DomainError):
    """The acting membership may see the record but not do this to it."""

    status = 403
    title = "Not permitted"


class NotVisible(DomainError):
    """A record the caller may not see: answered as absent (404), never as forbidden."""

    status = 404
    title = "Not found"


class Conflict(DomainError):
    status = 409
    title = "Conflict"
