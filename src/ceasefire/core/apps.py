from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ceasefire.core"
    label = "core"
    verbose_name = "Mechanism"

    def ready(self) -> None:
        from .taskqueue import TASKS_JOB, run_ready_tasks
        from .worker import register

        # Django tasks (notifications, deadlines) queued by services; drained every second by `ceasefire worker`.
        register(TASKS_JOB, every=1.0)(run_ready_tasks)
