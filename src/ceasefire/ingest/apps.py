from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "ceasefire.ingest"
    label = "ingest"
    verbose_name = "External event data"
