"""`ceasefire init`: an empty mechanism gets one mediator and its secretariat; a second init is refused."""

from __future__ import annotations

import pytest
from cli_helpers import run
from django.contrib.auth import authenticate
from django.core.management.base import CommandError

from ceasefire.core.enums import PartyKind, Role
from ceasefire.core.models import Membership, Party
from ceasefire.ledger.models import LogHead

pytestmark = pytest.mark.integration

FULL = [
    "init",
    "--mediator-code",
    "TR",
    "--mediator-name",
    "Türkiye",
    "--username",
    "secretary",
    "--password",
    "a-long-enough-password",
    "--time-zone",
    "Europe/Istanbul",
    "--no-input",
]


def test_init_creates_the_mediator_and_its_secretariat(db):
    size = LogHead.objects.get().size
    out = run(*FULL)
    assert "TR" in out and "secretary" in out
    party = Party.objects.get()
    assert (party.code, party.name, party.kind) == ("TR", "Türkiye", PartyKind.MEDIATOR)
    member = Membership.objects.get()
    assert (member.user.username, member.party, member.role) == ("secretary", party, Role.SECRETARIAT)
    assert member.user.profile.time_zone == "Europe/Istanbul"
    assert authenticate(username="secretary", password="a-long-enough-password") is not None
    assert LogHead.objects.get().size == size + 2  # party created, membership granted


def test_init_refuses_a_second_time(db):
    run(*FULL)
    with pytest.raises(CommandError, match=r"already set up \(parties: TR\)"):
        run(*FULL)
    assert Party.objects.count() == 1 and Membership.objects.count() == 1


def test_init_refuses_a_mechanism_with_parties(mechanism):
    with pytest.raises(CommandError, match=r"already set up \(parties: AF, PK, QA, TR\)"):
        run(*FULL)


@pytest.mark.parametrize("flag", ["--mediator-code", "--mediator-name", "--username", "--password"])
def test_init_with_no_input_names_the_missing_flag(db, flag):
    args = list(FULL)
    at = args.index(flag)
    del args[at : at + 2]
    with pytest.raises(CommandError, match=f"{flag} is required"):
        run(*args)
    assert Party.objects.count() == 0


def test_init_with_a_bad_code_names_the_flag_and_changes_nothing(db):
    args = list(FULL)
    args[args.index("TR")] = "T-R"
    with pytest.raises(CommandError, match="--mediator-code: A party code is 2 to 8 letters or digits"):
        run(*args)
    assert Party.objects.count() == 0


def test_init_with_a_weak_password_leaves_no_party_behind(db):
    args = list(FULL)
    args[args.index("a-long-enough-password")] = "short"
    with pytest.raises(CommandError, match="--password: This password is too short"):
        run(*args)
    assert Party.objects.count() == 0 and Membership.objects.count() == 0
