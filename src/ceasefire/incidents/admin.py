"""Django admin for the actor registry only.

Complaint, Incident, Evidence, StoredFile and CustodyEvent are deliberately NOT registered: the admin
reads and writes rows directly, which would bypass Complaint.objects.visible_to (an administrator sees no
complaint by being an administrator) and the services that keep the chain of custody and the transparency
log.
"""

from django.contrib import admin

from ceasefire.core.admin_logging import LoggedModelAdmin

from .models import Actor


@admin.register(Actor)
class ActorAdmin(LoggedModelAdmin):
    list_display = ["code", "name", "kind", "party"]
    list_filter = ["kind", "party"]
    search_fields = ["code", "name"]
