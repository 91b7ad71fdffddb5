from django.apps import AppConfig


class IntelConfig(AppConfig):
    name = "ceasefire.intel"
    label = "intel"
    verbose_name = "Intelligence sharing"

    def ready(self) -> None:
        from ceasefire.core.worker import register

        from .tasks import sweep_overdue_requests
        from .versions import register_item_versions

        register_item_versions()
        # Requests for action fall due at any minute; a sweep each minute flags them within one.
        register("intel.overdue_requests", every=60.0)(sweep_overdue_requests)
