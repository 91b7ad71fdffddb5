"""Parties, memberships (who acts for which party in which role), people's preferences and API tokens."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .enums import PartyKind, Role


class Party(models.Model):
    """A party, mediator or observer of the mechanism. Names per language are configuration, not code."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=200)
    names = models.JSONField(_("names by language"), default=dict, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PartyKind.choices)
    witness_vkey = models.CharField(_("witness verifier key"), max_length=300, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        language = (get_language() or "en").split("-")[0]
        return str(self.names.get(language) or self.name)

    @property
    def is_mediator(self) -> bool:
        return self.kind == PartyKind.MEDIATOR


class Membership(models.Model):
    """A user acting for one party in one role. Everything a person does is done as a membership."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "party", "role"], name="membership_unique")]
        ordering = ["party__code", "role"]

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.party.code} {self.role})"

    @property
    def is_mediator(self) -> bool:
        return self.party.kind == PartyKind.MEDIATOR


class Profile(models.Model):
    """Per-person display preferences: times are stored in UTC and shown in this zone."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    language = models.CharField(_("language"), max_length=8, blank=True)

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.time_zone})"


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """An API token bound to one membership. Only its SHA-256 is stored; the secret is shown once."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=16, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… for {self.membership}"

    def is_usable(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
