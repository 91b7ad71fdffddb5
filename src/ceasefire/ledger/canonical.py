"""RFC 8785 JSON Canonicalization Scheme (JCS): the byte form of every log leaf.

Two parties that hold the same record must derive the same leaf bytes, whatever language or JSON library they
use, so the leaf is hashed over JCS output and nothing else:

- objects: members sorted by their names as UTF-16 code units (not code points: U+FB33 sorts after U+1F600),
  no whitespace anywhere;
- numbers: IEEE 754 doubles written the way ECMAScript's Number.prototype.toString writes them (shortest
  round-tripping digits, exponent form below 1e-6 and from 1e21, `-0` written `0`);
- strings: UTF-8, escaping only `"`, `\\` and the C0 controls (`\\b \\f \\n \\r \\t` by name, the rest as
  `\\u00xx` in lower-case hex).

Values outside the I-JSON model are refused with `CanonicalJSONError` naming the path of the offending value:
NaN and the infinities, integers a double cannot hold exactly, non-string member names, lone surrogates and
any Python type that is not dict/list/tuple/str/int/float/bool/None.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

__all__ = ["CanonicalJSONError", "canonical_text", "canonicalize", "format_number"]


class CanonicalJSONError(ValueError):
    """The value cannot be written as RFC 8785 canonical JSON; `path` says where (e.g. `$.numbers[2]`)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


# The escapes JSON.stringify (ECMA-262 QuoteJSONString) uses; every other code point is written as itself.
_ESCAPES = {0x22: '\\"', 0x5C: "\\\\", 0x08: "\\b", 0x0C: "\\f", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}
_ESCAPE_TABLE = {code: _ESCAPES.get(code, f"\\u{code:04x}") for code in range(0x20)} | _ESCAPES


def canonicalize(value: Any) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of a value built of dict/list/str/int/float/bool/None."""
    return canonical_text(value).encode("utf-8")


def canonical_text(value: Any) -> str:
    """Return the canonical JSON text (a str; `canonicalize` gives its UTF-8 bytes)."""
    parts: list[str] = []
    _write(value, parts, "$")
    return "".join(parts)


def _write(value: Any, parts: list[str], path: str) -> None:
    # bool before int: True is an int in Python but a literal in JSON.
    if value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, str):
        parts.append(_quote(value, path))
    elif isinstance(value, int):
        parts.append(_format_int(value, path))
    elif isinstance(value, float):
        parts.append(_format_float(value, path))
    elif isinstance(value, Mapping):
        _write_object(value, parts, path)
    elif isinstance(value, list | tuple):
        parts.append("[")
        for position, item in enumerate(value):
            if position:
                parts.append(",")
            _write(item, parts, f"{path}[{position}]")
        parts.append("]")
    else:
        raise CanonicalJSONError(path, f"{type(value).__name__} is not a JSON value")


def _write_object(value: Mapping[Any, Any], parts: list[str], path: str) -> None:
    for name in value:
        if not isinstance(name, str):
            raise CanonicalJSONError(path, f"member name {name!r} is not a string")
    parts.append("{")
    for position, name in enumerate(sorted(value, key=_utf16_sort_key)):
        if position:
            parts.append(",")
        member_path = f"{path}.{name}"
        parts.append(_quote(name, member_path))
        parts.append(":")
        _write(value[name], parts, member_path)
    parts.append("}")


def _utf16_sort_key(name: str) -> bytes:
    # Big-endian UTF-16 bytes compare exactly as the sequence of 16-bit code units the RFC sorts by.
    # surrogatepass lets a lone surrogate reach _quote, which reports it with its path.
    return name.encode("utf-16-be", "surrogatepass")


def _quote(text: str, path: str) -> str:
    for char in text:
        if 0xD800 <= ord(char) <= 0xDFFF:
            raise CanonicalJSONError(path, f"lone surrogate U+{ord(char):04X} in string")
    return '"' + text.translate(_ESCAPE_TABLE) + '"'


def _format_int(value: int, path: str) -> str:
    # JCS numbers are doubles: an integer is written as the double it denotes, so it must be one exactly.
    try:
        as_double = float(value)
    except OverflowError:
        raise CanonicalJSONError(path, f"integer {value} is outside the IEEE 754 double range") from None
    if int(as_double) != value:
        raise CanonicalJSONError(path, f"integer {value} cannot be represented exactly as an IEEE 754 double")
    return format_number(as_double)


def _format_float(value: float, path: str) -> str:
    if not math.isfinite(value):
        raise CanonicalJSONError(path, f"{value!r} is not allowed in JSON")
    return format_number(value)


def format_number(value: float) -> str:
    """ECMAScript Number::toString(value) for a finite double (ECMA-262 §6.1.6.1.20), as RFC 8785 requires."""
    if value == 0:
        return "0"  # covers -0.0
    if value < 0:
        return "-" + format_number(-value)
    # repr() gives the shortest digit string that round-trips, the same digits ECMAScript chooses.
    mantissa, _, exponent_text = repr(value).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    # n is the decimal exponent such that value = 0.digits × 10^n.
    n = len(whole) + (int(exponent_text) if exponent_text else 0)
    if whole == "0":
        n -= len(fraction) - len(fraction.lstrip("0")) + 1
    digits = digits.rstrip("0") or "0"
    k = len(digits)
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    exponent = n - 1
    sign = "+" if exponent >= 0 else "-"
    head = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{head}e{sign}{abs(exponent)}"
