"""core services: parties, people, memberships and API tokens, with their validation and log entries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from ceasefire.core import rules
from ceasefire.core.errors import NotPermitted, ValidationFailed
from ceasefire.core.models import ApiToken, Membership, Party
from ceasefire.core.services import (
    authenticate_token,
    create_party,
    create_person,
    grant_membership,
    issue_token,
    revoke_token,
)
from ceasefire.ledger.models import LogEntry

pytestmark = pytest.mark.integration


def test_create_party_normalises_code_and_logs(mechanism: Any) -> None:
    before = LogEntry.objects.count()

    party = create_party(None, code=" un ", name=" United Nations ", kind="observer")

    assert (party.code, party.name, party.kind) == ("UN", "United Nations", "observer")
    entry = LogEntry.objects.get(sequence=before)
    assert (entry.kind, entry.subject_code, entry.sealed) == ("party.created", "UN", False)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"code": "A"}, "code"),
        ({"code": "A-B"}, "code"),
        ({"code": "TOOLONGCODE"}, "code"),
        ({"code": "AF"}, "code"),
        ({"kind": "guarantor"}, "kind"),
    ],
    ids=["too_short", "not_alnum", "too_long", "taken", "unknown_kind"],
)
def test_create_party_refuses_bad_input(mechanism: Any, fields: dict[str, str], field: str) -> None:
    before = (Party.objects.count(), LogEntry.objects.count())

    with pytest.raises(ValidationFailed) as caught:
        create_party(None, **({"code": "UN", "name": "United Nations", "kind": "observer"} | fields))

    assert list(caught.value.errors) == [field]
    assert (Party.objects.count(), LogEntry.objects.count()) == before


def test_create_person_makes_user_profile_and_membership(mechanism: Any) -> None:
    member = create_person(
        None,
        username="af-liaison-2",
        password="Kh0st-strike-2025!",
        party=mechanism.parties["AF"],
        role="liaison",
        time_zone="Asia/Kabul",
    )

    assert member.user.check_password("Kh0st-strike-2025!")
    assert member.user.profile.time_zone == "Asia/Kabul"
    assert rules.can_file_complaint(member)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"username": "af-liaison"}, "username"),
        ({"username": "  "}, "username"),
        ({"role": "general"}, "role"),
        ({"password": "123"}, "password"),
    ],
    ids=["taken", "blank", "unknown_role", "weak_password"],
)
def test_create_person_refuses_bad_input(mechanism: Any, fields: dict[str, str], field: str) -> None:
    before = (get_user_model().objects.count(), Membership.objects.count(), LogEntry.objects.count())
    arguments: dict[str, Any] = {
        "username": "new-person",
        "password": "Kh0st-strike-2025!",
        "party": mechanism.parties["PK"],
        "role": "viewer",
    } | fields

    with pytest.raises(ValidationFailed) as caught:
        create_person(None, **arguments)

    assert list(caught.value.errors) == [field]
    assert (get_user_model().objects.count(), Membership.objects.count(), LogEntry.objects.count()) == before


def test_grant_membership_twice_changes_and_logs_once(af_viewer: Membership) -> None:
    before = LogEntry.objects.count()

    first = grant_membership(None, user=af_viewer.user, party=af_viewer.party, role="analyst")
    second = grant_membership(None, user=af_viewer.user, party=af_viewer.party, role="analyst")

    assert first == second
    assert LogEntry.objects.count() == before + 1


def test_issue_token_authenticates_its_membership(pk_liaison: Membership) -> None:
    token, secret = issue_token(pk_liaison, name="laptop")

    assert secret.startswith("cf_") and secret not in token.key_hash
    assert authenticate_token(secret) == pk_liaison
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("secret", ["", "Bearer x", "cf_", "cf_deadbeef_notarealsecret"])
def test_authenticate_token_refuses_unknown_secret(pk_liaison: Membership, secret: str) -> None:
    issue_token(pk_liaison)

    assert authenticate_token(secret) is None


def test_authenticate_token_refuses_revoked_token(pk_liaison: Membership) -> None:
    token, secret = issue_token(pk_liaison)

    revoke_token(token)

    assert authenticate_token(secret) is None
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_authenticate_token_refuses_expired_token(pk_liaison: Membership) -> None:
    token, secret = issue_token(pk_liaison, expires_at=timezone.now() + dt.timedelta(hours=1))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    assert authenticate_token(secret) is None


def test_authenticate_token_refuses_inactive_membership(pk_liaison: Membership) -> None:
    _, secret = issue_token(pk_liaison)
    Membership.objects.filter(pk=pk_liaison.pk).update(is_active=False)

    assert authenticate_token(secret) is None


def test_issue_token_refuses_inactive_membership_and_past_expiry(pk_liaison: Membership) -> None:
    with pytest.raises(ValidationFailed) as caught:
        issue_token(pk_liaison, expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert list(caught.value.errors) == ["expires_at"]

    pk_liaison.is_active = False
    with pytest.raises(NotPermitted):
        issue_token(pk_liaison)
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("persona", "files", "adds_evidence", "manages"),
    [
        ("af_liaison", True, True, False),
        ("af_viewer", False, False, False),
        ("analyst", False, False, False),
        ("tr_investigator", False, True, False),
        ("qa_adjudicator", False, False, False),
        ("secretariat", False, False, True),
    ],
)
def test_rules_grant_each_role_its_rights(
    persona: str, files: bool, adds_evidence: bool, manages: bool, request: pytest.FixtureRequest, db: None
) -> None:
    member = request.getfixturevalue(persona)

    assert (
        rules.can_file_complaint(member),
        rules.can_add_evidence(member),
        rules.can_manage_mechanism(member),
    ) == (files, adds_evidence, manages)
    member.is_active = False
    assert not any(
        (rules.can_file_complaint(member), rules.can_add_evidence(member), rules.can_manage_mechanism(member))
    )


def test_rules_refuse_no_membership() -> None:
    assert not any(
        (
            rules.can_file_complaint(None),
            rules.can_add_evidence(None),
            rules.can_manage_mechanism(None),
            rules.is_mediator(None),
            rules.is_party_member(None),
        )
    )
