from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "ceasefire.verification"
    label = "verification"
    verbose_name = "Verification"
