from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ceasefire.reports"
    label = "reports"
    verbose_name = "Periodic and public reports"

    def ready(self) -> None:
        from ceasefire.core.worker import register

        from .schedule import run_schedule
        from .versions import register_report_versions

        register_report_versions()
        # Reports fall due once a day (06:00 UTC); a look every five minutes finds a due one soon enough and
        # costs one indexed query when nothing is due.
        register("reports.schedule", every=300.0)(run_schedule)
