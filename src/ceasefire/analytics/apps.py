from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "ceasefire.analytics"
    label = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        from ceasefire.core.worker import register

        from .alerts_job import EVERY_SECONDS, JOB_NAME, run_early_warning

        # Early warning: detection over the look-back every ten minutes; alerts already raised are not raised again.
        register(JOB_NAME, every=EVERY_SECONDS)(run_early_warning)
