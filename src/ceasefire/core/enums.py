"""Choices of the core domain. Imports nothing from the project (enums → models → services)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartyKind(models.TextChoices):
    PARTY = "party", _("Party")
    MEDIATOR = "mediator", _("Mediator")
    OBSERVER = "observer", _("Observer")


class Role(models.TextChoices):
    LIAISON = "liaison", _("Liaison officer")
    VIEWER = "viewer", _("Viewer")
    INVESTIGATOR = "investigator", _("Investigator")
    ADJUDICATOR = "adjudicator", _("Adjudicator")
    SECRETARIAT = "secretariat", _("Secretariat")
    ANALYST = "analyst", _("Analyst")
    ADMIN = "admin", _("Administrator")


class TLP(models.TextChoices):
    """Traffic Light Protocol 2.0 levels, least to most restricted."""

    CLEAR = "CLEAR", "TLP:CLEAR"
    GREEN = "GREEN", "TLP:GREEN"
    AMBER = "AMBER", "TLP:AMBER"
    AMBER_STRICT = "AMBER+STRICT", "TLP:AMBER+STRICT"
    RED = "RED", "TLP:RED"
