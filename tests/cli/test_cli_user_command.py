"""`ceasefire user create | list`: people created through core.services, every bad input a specific error."""

from __future__ import annotations

import io

import pytest
from cli_helpers import run
from django.contrib.auth import authenticate, get_user_model
from django.core.management.base import CommandError
from support import PASSWORD

from ceasefire.core.models import Membership

pytestmark = pytest.mark.integration

NEW = ["user", "create", "--username", "kabul-liaison-2", "--password", "a-long-enough-password"]


def test_user_create_adds_a_person_with_one_membership(mechanism):
    out = run(*NEW, "--party", "af", "--role", "liaison", "--time-zone", "Asia/Kabul", "--email", "l2@example.org")
    assert "kabul-liaison-2" in out and "AF" in out
    member = Membership.objects.get(user__username="kabul-liaison-2")
    assert (member.party.code, member.role) == ("AF", "liaison")
    assert member.user.profile.time_zone == "Asia/Kabul"
    assert member.user.email == "l2@example.org"
    assert authenticate(username="kabul-liaison-2", password="a-long-enough-password") is not None


def test_user_create_refuses_an_unknown_party(mechanism):
    with pytest.raises(CommandError, match=r"Unknown party 'ZZ' \(--party\); the parties are: AF, PK, QA"):
        run(*NEW, "--party", "ZZ", "--role", "liaison")
    assert not get_user_model().objects.filter(username="kabul-liaison-2").exists()


def test_user_create_refuses_an_unknown_role(mechanism):
    with pytest.raises(CommandError, match=r"Unknown role 'general' \(--role\); the roles are: liaison"):
        run(*NEW, "--party", "AF", "--role", "general")
    assert not get_user_model().objects.filter(username="kabul-liaison-2").exists()


def test_user_create_refuses_an_existing_user(mechanism):
    with pytest.raises(CommandError, match="--username: User af-liaison exists already"):
        run(
            "user",
            "create",
            "--username",
            "af-liaison",
            "--party",
            "AF",
            "--role",
            "viewer",
            "--password",
            "a-long-enough-password",
        )
    assert Membership.objects.filter(user__username="af-liaison").count() == 1


def test_user_create_refuses_a_weak_password(mechanism):
    with pytest.raises(CommandError, match="--password: This password is too short"):
        run("user", "create", "--username", "weak", "--party", "PK", "--role", "viewer", "--password", "short")
    assert not get_user_model().objects.filter(username="weak").exists()


def test_user_create_refuses_an_unknown_time_zone(mechanism):
    with pytest.raises(CommandError, match=r"Unknown time zone 'Mars/Olympus' \(--time-zone\)"):
        run(*NEW, "--party", "AF", "--role", "liaison", "--time-zone", "Mars/Olympus")


def test_user_create_without_password_and_no_input_names_the_flag(mechanism):
    with pytest.raises(CommandError, match="--password is required"):
        run("user", "create", "--username", "nopass", "--party", "AF", "--role", "viewer", "--no-input")


def test_user_create_without_password_and_no_terminal_names_the_flag(mechanism, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="--password is required"):
        run("user", "create", "--username", "nopass", "--party", "AF", "--role", "viewer")


def test_user_without_action_is_an_error(mechanism):
    with pytest.raises(CommandError, match="create,list"):
        run("user")


def test_user_list_shows_people_and_memberships(mechanism):
    out = run("user", "list")
    assert "af-liaison" in out and "AF liaison" in out and "tr-secretariat" in out
    assert "superuser" in out  # admin, with no membership
    assert PASSWORD not in out


def test_user_list_filters_by_party(mechanism):
    out = run("user", "list", "--party", "PK")
    assert "pk-analyst" in out and "af-liaison" not in out
