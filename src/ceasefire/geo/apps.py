from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "ceasefire.geo"
    label = "geo"
