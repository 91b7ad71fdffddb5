from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "ceasefire.ledger"
    label = "ledger"

    def ready(self) -> None:
        from ceasefire.core.worker import register

        from .jobs import checkpoint_and_witness, checkpoint_interval

        register("ledger.checkpoint", every=checkpoint_interval())(checkpoint_and_witness)
