from django.apps import AppConfig


class BorderConfig(AppConfig):
    name = "ceasefire.border"
    verbose_name = "Border crossings, people flows, trade and transit"
