from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "ceasefire.incidents"
    label = "incidents"
