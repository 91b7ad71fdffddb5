"""Django admin for the secretariat's configuration: parties, memberships and people's preferences.

Every admin addition, change and deletion appends its transparency-log entry (core/admin_logging.py). Creating
parties and people with their rules checked goes through the CLI and core.services; the admin corrects them.
"""

from django.contrib import admin

from .admin_logging import LoggedModelAdmin
from .models import Membership, Party, Profile


@admin.register(Party)
class PartyAdmin(LoggedModelAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(Membership)
class MembershipAdmin(LoggedModelAdmin):
    list_display = ["user", "party", "role", "is_active", "created_at"]
    list_filter = ["party", "role", "is_active"]
    search_fields = ["user__username", "party__code"]
    list_select_related = ["user", "party"]
    autocomplete_fields = ["user"]


@admin.register(Profile)
class ProfileAdmin(LoggedModelAdmin):
    list_display = ["user", "time_zone", "language"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
