from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "ceasefire.ledger"
    label = "ledger"
