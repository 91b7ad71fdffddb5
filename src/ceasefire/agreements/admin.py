"""Django admin for agreements, their commitments and penalty types (the mechanism's configuration)."""

from django.contrib import admin

from ceasefire.core.admin_logging import LoggedModelAdmin

from .models import Agreement, Commitment, PenaltyType


@admin.register(Agreement)
class AgreementAdmin(LoggedModelAdmin):
    list_display = ["code", "title", "signed_on", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "title"]
    filter_horizontal = ["parties"]
    # No inlines: each commitment and penalty type is edited on its own page, so each edit is its own log entry.


@admin.register(Commitment)
class CommitmentAdmin(LoggedModelAdmin):
    list_display = ["code", "agreement", "category", "text"]
    list_filter = ["agreement", "category"]
    search_fields = ["code", "text"]
    filter_horizontal = ["bound_parties"]


@admin.register(PenaltyType)
class PenaltyTypeAdmin(LoggedModelAdmin):
    list_display = ["code", "name", "agreement"]
    list_filter = ["agreement"]
