"""The commands' shared helpers: asking for a missing value, or failing with the flag that supplies it."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from ceasefire.core.errors import ValidationFailed
from ceasefire.core.management.commandlib import ask, command_error, render, table

pytestmark = pytest.mark.unit


def test_ask_returns_a_given_value_without_asking():
    assert ask("TR", flag="--mediator-code", label="Code", interactive=True, prompt=pytest.fail) == "TR"


def test_ask_without_a_terminal_names_the_flag():
    with pytest.raises(CommandError, match=r"--username is required \(User name\)"):
        ask(None, flag="--username", label="User name", interactive=False)


def test_ask_on_a_terminal_takes_the_answer():
    assert ask(None, flag="--username", label="User name", interactive=True, prompt=lambda _: " sec ") == "sec"


def test_ask_refuses_an_empty_answer():
    with pytest.raises(CommandError, match=r"User name cannot be empty \(--username\)"):
        ask("  ", flag="--username", label="User name", interactive=True, prompt=lambda _: "")


def test_command_error_names_each_bad_field_by_its_flag():
    exc = ValidationFailed("bad", errors={"code": "Too long.", "password": "Too short."})
    message = str(command_error(exc, {"code": "--mediator-code", "password": "--password"}))
    assert message == "--mediator-code: Too long. --password: Too short."


def test_render_gives_plain_text_with_a_dash_for_missing_cells():
    text = render(table("People", ["User", "Party"], [("admin", None)]))
    assert "admin" in text and "—" in text and "\x1b[" not in text


@pytest.mark.parametrize("name", ["serve", "demo", "init", "user", "token", "status"])
def test_every_product_command_has_a_help_text(name):
    from django.core.management import load_command_class

    text = load_command_class("ceasefire.core", name).create_parser("ceasefire", name).format_help()
    assert text.startswith(f"usage: ceasefire {name}")
    description = text.split("\n\n")[1]
    assert len(description) > 40, description
