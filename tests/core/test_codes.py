"""Public codes: their format, retry when a code is taken, growth when a year is crowded, recognition."""

from __future__ import annotations

import re

import pytest

from ceasefire.core.codes import (
    ALPHABET,
    CODE_LENGTH,
    MAX_ATTEMPTS,
    CodeSpaceExhausted,
    is_public_code,
    new_public_code,
    random_code,
)

pytestmark = pytest.mark.unit

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def test_alphabet_is_crockford_without_confusable_letters() -> None:
    assert ALPHABET == CROCKFORD
    assert not set("ILOU") & set(ALPHABET)


def test_random_code_has_prefix_year_and_four_crockford_characters() -> None:
    for _ in range(200):
        assert re.fullmatch(r"CMP-2025-[0-9A-HJKMNP-TV-Z]{4}", random_code("CMP", 2025))


def test_new_public_code_retries_when_taken() -> None:
    offered: list[str] = []

    def taken(code: str) -> bool:
        offered.append(code)
        return len(offered) <= 3

    code = new_public_code("EVD", 2026, taken)

    assert len(offered) == 4 and code == offered[-1]
    assert is_public_code(code, "EVD") and len(code.split("-")[2]) == CODE_LENGTH


def test_new_public_code_grows_longer_when_year_is_crowded() -> None:
    offered: list[str] = []

    def taken(code: str) -> bool:
        offered.append(code)
        return len(offered) <= 10

    code = new_public_code("CMP", 2025, taken)

    assert {len(c.split("-")[2]) for c in offered[:10]} == {CODE_LENGTH}
    assert len(code.split("-")[2]) == CODE_LENGTH + 1
    assert is_public_code(code, "CMP")


def test_new_public_code_gives_up_after_max_attempts() -> None:
    offered: list[str] = []

    def taken(code: str) -> bool:
        offered.append(code)
        return True

    with pytest.raises(CodeSpaceExhausted):
        new_public_code("INC", 2025, taken)

    assert len(offered) == MAX_ATTEMPTS


@pytest.mark.parametrize("value", ["CMP-2025-7K3Q", "CMP-1999-0000", "CMP-2025-ZZZZZ"])
def test_is_public_code_accepts_well_formed(value: str) -> None:
    assert is_public_code(value, "CMP")


@pytest.mark.parametrize(
    "value",
    [
        "EVD-2025-7K3Q",
        "CMP-2025-7K3",
        "CMP-25-7K3Q",
        "CMP-20X5-7K3Q",
        "CMP-2025-7KIQ",
        "CMP-2025-7K3O",
        "CMP-2025-7k3q",
        "CMP-2025-7K3Q-1",
        "CMP2025-7K3Q",
        "",
        "CMP-2025-",
        "42",
    ],
)
def test_is_public_code_refuses_malformed(value: str) -> None:
    assert not is_public_code(value, "CMP")
