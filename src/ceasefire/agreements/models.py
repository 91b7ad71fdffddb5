"""Agreements, the commitments they bind parties to, their time limits and penalty types: all data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ceasefire.core.models import Party

from .enums import CommitmentCategory


class Agreement(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    signed_on = models.DateField(_("signed on"))
    place_signed = models.CharField(_("place signed"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)
    parties = models.ManyToManyField(Party, related_name="agreements")
    # Admitted complaints go to the respondent at once, without the secretariat's notice, when this is set.
    notify_automatically = models.BooleanField(_("notify the respondent automatically"), default=False)
    response_hours = models.PositiveIntegerField(_("respondent's reply time limit (hours)"), default=72)
    investigation_days = models.PositiveIntegerField(_("investigation time limit (days)"), default=14)
    appeal_days = models.PositiveIntegerField(_("appeal window (days)"), default=14)
    # How many mediator parties' adjudicators must sign a determination; 0 means every mediator party.
    determination_quorum = models.PositiveSmallIntegerField(_("determination quorum"), default=0)
    witness_quorum = models.PositiveSmallIntegerField(_("witness quorum"), default=0)
    is_active = models.BooleanField(_("in force"), default=True)

    class Meta:
        ordering = ["-signed_on"]

    def __str__(self) -> str:
        return self.title


class Commitment(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="commitments")
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("text"))
    category = models.CharField(_("category"), max_length=20, choices=CommitmentCategory.choices)
    bound_parties = models.ManyToManyField(Party, related_name="commitments")

    class Meta:
        ordering = ["agreement", "code"]
        constraints = [models.UniqueConstraint(fields=["agreement", "code"], name="commitment_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"


class PenaltyType(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="penalty_types")
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["agreement", "code"]
        constraints = [models.UniqueConstraint(fields=["agreement", "code"], name="penalty_code_unique")]

    def __str__(self) -> str:
        return self.name
