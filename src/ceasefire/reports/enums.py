"""Choices of the reports app. Imports nothing from the project (enums → models → services)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    DAILY = "daily", _("Daily report")
    WEEKLY = "weekly", _("Weekly report")


class Audience(models.TextChoices):
    """Internal: what one party's members may see; public: only what the secretariat published."""

    INTERNAL = "internal", _("Internal")
    PUBLIC = "public", _("Public")


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    HTML = "html", "HTML"
