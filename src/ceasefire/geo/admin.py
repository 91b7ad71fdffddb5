"""Django admin for the gazetteer and the crossings."""

from django.contrib import admin

from ceasefire.core.admin_logging import LoggedModelAdmin

from .models import Crossing, Place


@admin.register(Place)
class PlaceAdmin(LoggedModelAdmin):
    list_display = ["name", "admin1", "admin2", "country_code", "kind", "latitude", "longitude", "population"]
    list_filter = ["country_code", "kind"]
    search_fields = ["name", "ascii_name", "admin1", "admin2"]


@admin.register(Crossing)
class CrossingAdmin(LoggedModelAdmin):
    list_display = ["name", "afghan_province", "pakistan_province", "coord_status", "latitude", "longitude"]
    list_filter = ["coord_status"]
    search_fields = ["name", "afghan_district", "pakistan_district"]
