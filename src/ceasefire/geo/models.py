"""Gazetteer places and border crossings. Geometry of the outlines lives in bundled GeoJSON (see reference.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import CoordStatus, PlaceKind


class Place(models.Model):
    name = models.CharField(_("name"), max_length=200, db_index=True)
    ascii_name = models.CharField(max_length=200, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PlaceKind.choices, default=PlaceKind.SETTLEMENT)
    country_code = models.CharField(_("country"), max_length=2)
    admin1 = models.CharField(_("province"), max_length=100, blank=True)
    admin2 = models.CharField(_("district"), max_length=100, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    population = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.admin1} ({self.country_code})" if self.admin1 else self.name


class Crossing(models.Model):
    """A crossing point as published. A missing or suspect coordinate is kept and flagged, never invented."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    afghan_province = models.CharField(max_length=100, blank=True)
    afghan_district = models.CharField(max_length=200, blank=True)
    pakistan_district = models.CharField(max_length=200, blank=True)
    pakistan_province = models.CharField(max_length=100, blank=True)
    source = models.TextField(blank=True)
    coord_kind = models.CharField(max_length=100, blank=True)
    coord_status = models.CharField(max_length=16, choices=CoordStatus.choices, default=CoordStatus.MISSING)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_coordinate(self) -> bool:
        return self.latitude is not None and self.longitude is not None
