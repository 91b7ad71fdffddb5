from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "ceasefire.agreements"
    label = "agreements"
