"""Choices of the geo layer. Imports nothing from the project."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Side(models.TextChoices):
    """Which national outline of the reference dataset a point falls in; never a claim about sovereignty."""

    AF = "AF", _("Afghan side")
    PK = "PK", _("Pakistani side")
    OUTSIDE = "outside", _("Outside both outlines")


class PlaceKind(models.TextChoices):
    SETTLEMENT = "settlement", _("Settlement")
    CROSSING = "crossing", _("Border crossing")
    OPERATOR = "operator", _("Added by the operator")


class PlacePrecision(models.TextChoices):
    EXACT = "exact", _("Exact point")
    NEAR = "near", _("Near a named place (within 5 km)")
    DISTRICT = "district", _("District")
    PROVINCE = "province", _("Province")


class CoordStatus(models.TextChoices):
    OK = "ok", _("Verified")
    APPROXIMATE = "approximate", _("Approximate")
    SUSPECT = "SUSPECT", _("Suspect")
    MISSING = "missing", _("No coordinate")
