"""`ceasefire token create`: prints only a working secret; unknown users and ambiguous memberships refused."""

from __future__ import annotations

import pytest
from cli_helpers import run
from django.core.management.base import CommandError

from ceasefire.core.enums import Role
from ceasefire.core.models import ApiToken
from ceasefire.core.services import authenticate_token, grant_membership

pytestmark = pytest.mark.integration


def test_token_create_prints_only_a_secret_that_authenticates(af_liaison):
    out = run("token", "create", "--user", "af-liaison", "--name", "ci")
    assert out.count("\n") == 1
    secret = out.strip()
    assert " " not in secret
    assert authenticate_token(secret) == af_liaison
    token = ApiToken.objects.get(membership=af_liaison)
    assert token.name == "ci" and token.expires_at is None
    assert secret not in (token.key_hash, token.prefix)


def test_token_create_with_expiry_sets_it(pk_liaison, now):
    secret = run("token", "create", "--user", "pk-liaison", "--expires-days", "30").strip()
    token = ApiToken.objects.get(membership=pk_liaison)
    assert 29 <= (token.expires_at - now).days <= 30
    assert authenticate_token(secret) == pk_liaison


def test_token_create_refuses_an_unknown_user(mechanism):
    with pytest.raises(CommandError, match=r"Unknown user 'nobody' \(--user\)"):
        run("token", "create", "--user", "nobody")
    assert ApiToken.objects.count() == 0


def test_token_create_refuses_a_user_without_membership(admin):
    with pytest.raises(CommandError, match="User admin has no active party membership"):
        run("token", "create", "--user", "admin")


def test_token_create_with_several_memberships_lists_them(af_liaison, mechanism):
    grant_membership(None, user=af_liaison.user, party=mechanism.parties["AF"], role=Role.VIEWER)
    with pytest.raises(CommandError, match=r"several memberships \(AF liaison, AF viewer\); choose one"):
        run("token", "create", "--user", "af-liaison")
    assert ApiToken.objects.count() == 0


def test_token_create_chooses_among_memberships_by_role(af_liaison, mechanism):
    viewer = grant_membership(None, user=af_liaison.user, party=mechanism.parties["AF"], role=Role.VIEWER)
    secret = run("token", "create", "--user", "af-liaison", "--party", "AF", "--role", "viewer").strip()
    assert authenticate_token(secret) == viewer


def test_token_create_with_a_non_matching_choice_lists_the_memberships(af_liaison):
    with pytest.raises(CommandError, match="no membership matching --party/--role; theirs: AF liaison"):
        run("token", "create", "--user", "af-liaison", "--party", "PK")


def test_token_create_refuses_an_unknown_role(af_liaison):
    with pytest.raises(CommandError, match=r"Unknown role 'boss' \(--role\)"):
        run("token", "create", "--user", "af-liaison", "--role", "boss")


def test_token_create_refuses_a_non_positive_expiry(af_liaison):
    with pytest.raises(CommandError, match="--expires-days must be at least 1"):
        run("token", "create", "--user", "af-liaison", "--expires-days", "0")
