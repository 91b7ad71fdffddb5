"""Public codes such as CMP-2025-7K3Q.

Records are named in URLs, exports and the log by a random code, never by a sequential id, so a party
cannot count another party's complaints by watching ids grow.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

# Crockford's base32 without I, L, O, U: nothing to misread when a code is read out over a radio.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 4
MAX_ATTEMPTS = 50


class CodeSpaceExhausted(RuntimeError):
    pass


def random_code(prefix: str, year: int, length: int = CODE_LENGTH) -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(length))
    return f"{prefix}-{year}-{body}"


def new_public_code(prefix: str, year: int, taken: Callable[[str], bool]) -> str:
    """A fresh code not yet `taken`; longer codes once the 4-character space for a year gets crowded."""
    for attempt in range(MAX_ATTEMPTS):
        code = random_code(prefix, year, CODE_LENGTH + attempt // 10)
        if not taken(code):
            return code
    raise CodeSpaceExhausted(f"no free {prefix} code for {year}")


def is_public_code(value: str, prefix: str) -> bool:
    parts = value.split("-")
    return (
        len(parts) == 3
        and parts[0] == prefix
        and parts[1].isdigit()
        and len(parts[1]) == 4
        and len(parts[2]) >= CODE_LENGTH
        and all(c in ALPHABET for c in parts[2])
    )
