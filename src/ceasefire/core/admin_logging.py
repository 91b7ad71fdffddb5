"""A ModelAdmin base that appends a transparency-log entry for every admin addition, change and deletion.

Django's admin calls log_addition/log_change inside the atomic block of the change form and log_deletions inside
the delete view's, so the entry commits or rolls back with the edit itself.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from .services import record_configuration_change


class LoggedModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    # Bulk deletion from the list runs outside one transaction with its log entries: edit one row at a time.
    actions = None

    def _record(self, request: HttpRequest, obj: Model, action: str) -> None:
        record_configuration_change(
            getattr(request, "membership", None), by=request.user.get_username(), instance=obj, action=action
        )

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._record(request, obj, "added")
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._record(request, obj, "changed")
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        for obj in queryset:
            self._record(request, obj, "deleted")
        return super().log_deletions(request, queryset)
