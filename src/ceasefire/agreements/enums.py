"""Choices of agreements. Imports nothing from the project."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitmentCategory(models.TextChoices):
    HOSTILE_ACTS = "hostile_acts", _("No hostile acts")
    TERRITORIAL = "territorial", _("Territorial integrity")
    NON_SUPPORT = "non_support", _("No support for armed groups")
    PROTECTION = "protection", _("Protection of civilians and installations")
    BORDER = "border", _("Border crossings, trade and transit")
    PEOPLE = "people", _("Refugees and people on the move")
    MECHANISM = "mechanism", _("Cooperation with the mechanism")
