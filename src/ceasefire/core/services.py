"""The write path of the mechanism's configuration: parties, people, memberships and API tokens."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission, User
from django.contrib.auth.password_validation import validate_password
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext

from ceasefire.ledger.services import record_change

from .enums import PartyKind, Role
from .errors import NotPermitted, ValidationFailed
from .models import ApiToken, Membership, Party, Profile, hash_token

TOKEN_PREFIX = "cf"  # noqa: S105 -- a public marker of our tokens, not a secret


def _party_version(party: Party) -> dict[str, Any]:
    return {
        "code": party.code,
        "name": party.name,
        "names": party.names,
        "kind": party.kind,
        "witness_vkey": party.witness_vkey,
    }


def create_party(
    member: Membership | None, *, code: str, name: str, kind: str, names: dict[str, str] | None = None
) -> Party:
    """Add a party; `member` is None only when the mechanism is being set up (init, demo)."""
    code = code.strip().upper()
    if not code.isalnum() or not 2 <= len(code) <= 8:
        raise ValidationFailed(gettext("A party code is 2 to 8 letters or digits."), field="code")
    if kind not in PartyKind.values:
        raise ValidationFailed(gettext("Unknown party kind '%(kind)s'.") % {"kind": kind}, field="kind")
    if Party.objects.filter(code=code).exists():
        raise ValidationFailed(gettext("Party %(code)s exists already.") % {"code": code}, field="code")
    with transaction.atomic():
        party = Party.objects.create(code=code, name=name.strip(), names=names or {}, kind=kind)
        record_change(member, kind="party.created", subject_code=party.code, record=_party_version(party), sealed=False)
    return party


def create_person(
    member: Membership | None,
    *,
    username: str,
    password: str,
    party: Party,
    role: str,
    email: str = "",
    time_zone: str = "UTC",
    check_password: bool = True,
) -> Membership:
    """A new user with their first membership. The demo skips the password policy for its shared password."""
    User = get_user_model()
    if role not in Role.values:
        raise ValidationFailed(gettext("Unknown role '%(role)s'.") % {"role": role}, field="role")
    if not username.strip():
        raise ValidationFailed(gettext("A user name is required."), field="username")
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(gettext("User %(username)s exists already.") % {"username": username}, field="username")
    if check_password:
        try:
            validate_password(password)
        except ValidationError as exc:
            raise ValidationFailed(" ".join(exc.messages), field="password") from exc
    with transaction.atomic():
        user = User.objects.create_user(username=username, email=email, password=password)
        Profile.objects.create(user=user, time_zone=time_zone)
        membership = grant_membership(member, user=user, party=party, role=role)
    return membership


def create_administrator(member: Membership | None, *, username: str, password: str, email: str = "") -> User:
    """A system administrator: manages accounts and configuration, acts for no party, and so reads no record."""
    User = get_user_model()
    if not username.strip():
        raise ValidationFailed(gettext("A user name is required."), field="username")
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(gettext("User %(username)s exists already.") % {"username": username}, field="username")
    with transaction.atomic():
        user = User.objects.create_superuser(username=username, email=email, password=password)
        Profile.objects.create(user=user)
        record_change(
            member, kind="administrator.created", subject_code=username, record={"user": username}, sealed=False
        )
    return user


def grant_membership(member: Membership | None, *, user: User, party: Party, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationFailed(gettext("Unknown role '%(role)s'.") % {"role": role}, field="role")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, party=party, role=role)
        if created and role == Role.SECRETARIAT:
            _allow_configuration(user)
        if created:
            record_change(
                member,
                kind="membership.granted",
                subject_code=party.code,
                record={"user": user.get_username(), "party": party.code, "role": role},
                sealed=False,
            )
    return membership


def issue_token(member: Membership, *, name: str = "", expires_at: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """A new API token for one membership. Returns the row and the secret, which is never stored or shown again."""
    if not member.is_active:
        raise NotPermitted(gettext("The membership is not active."))
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationFailed(gettext("The expiry is in the past."), field="expires_at")
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        membership=member, name=name, prefix=prefix, key_hash=hash_token(secret), expires_at=expires_at
    )
    return token, secret


def revoke_token(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def authenticate_token(secret: str) -> Membership | None:
    """The membership an API token acts as, or None for an unknown, revoked or expired token."""
    if not secret.startswith(f"{TOKEN_PREFIX}_"):
        return None
    token = (
        ApiToken.objects.select_related("membership__party", "membership__user")
        .filter(key_hash=hash_token(secret))
        .first()
    )
    now = timezone.now()
    if token is None or not token.is_usable(now) or not token.membership.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.membership


def record_configuration_change(member: Membership | None, *, by: str, instance: Model, action: str) -> None:
    """Log a configuration edit made in the Django admin (parties, memberships, agreements, places...).

    The admin saves the row itself, inside its own transaction; this appends the entry to that same transaction,
    so an admin edit is as provable as any other change.
    """
    if action not in ("added", "changed", "deleted"):
        raise ValueError(f"unknown configuration action {action!r}")
    label = instance._meta.label_lower
    fields = serializers.serialize("python", [instance])[0]["fields"]
    with transaction.atomic():
        record_change(
            member,
            kind=f"config.{action}",
            subject_code=f"{label}:{instance.pk}",
            record={
                "model": label,
                "pk": instance.pk,
                "by": by,
                "fields": json.loads(json.dumps(fields, cls=DjangoJSONEncoder)),
            },
            sealed=False,
        )


# The secretariat configures the mechanism in the Django admin; these are the models it may edit there.
CONFIGURATION_MODELS = [
    ("core", "party"),
    ("core", "membership"),
    ("core", "profile"),
    ("agreements", "agreement"),
    ("agreements", "commitment"),
    ("agreements", "penaltytype"),
    ("geo", "place"),
    ("geo", "crossing"),
    ("incidents", "actor"),
]


def _allow_configuration(user: User) -> None:
    """Let a secretariat member into the admin for the configuration models, and nothing else."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    query = Q()
    for app_label, model in CONFIGURATION_MODELS:
        query |= Q(content_type__app_label=app_label, content_type__model=model)
    user.user_permissions.add(*Permission.objects.filter(query))
