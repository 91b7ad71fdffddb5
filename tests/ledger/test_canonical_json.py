"""RFC 8785 canonical JSON: the RFC's own examples, the rejections, and properties."""

from __future__ import annotations

import json
import math
import struct
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.ledger.canonical import CanonicalJSONError, canonical_text, canonicalize, format_number

pytestmark = pytest.mark.unit

# RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text.
APPENDIX_B = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),
    ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]


def _double(bits: str) -> float:
    value: float = struct.unpack(">d", bytes.fromhex(bits))[0]
    return value


@pytest.mark.parametrize(("bits", "expected"), APPENDIX_B)
def test_number_matches_rfc_appendix_b(bits: str, expected: str) -> None:
    assert canonicalize(_double(bits)) == expected.encode()


@pytest.mark.parametrize("bits", ["7fffffffffffffff", "7ff0000000000000", "fff0000000000000"])
def test_number_rejected_when_nan_or_infinite(bits: str) -> None:
    with pytest.raises(CanonicalJSONError, match="not allowed"):
        canonicalize({"n": _double(bits)})


def test_rfc_section_3_2_2_example_gives_the_published_bytes() -> None:
    value = {
        "numbers": [333333333.33333329, 1e30, 4.50, 2e-3, 0.000000000000000000000000001],
        "string": "\u20ac$\u000f\u000aA'\u0042\u0022\u005c\\\"/",
        "literals": [None, True, False],
    }
    published = (
        "7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72 75 65 2c 66 61 6c 73 65 5d 2c"
        " 22 6e 75 6d 62 65 72 73 22 3a 5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31"
        " 65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37 5d 2c 22 73 74 72 69 6e 67 22"
        " 3a 22 e2 82 ac 24 5c 75 30 30 30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d"
    )
    assert canonicalize(value) == bytes.fromhex(published)


def test_rfc_section_3_2_3_sorting_example_orders_by_utf16_code_units() -> None:
    value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    names = list(json.loads(canonical_text(value)))
    assert names == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]


def test_minus_zero_and_integers_use_the_double_form() -> None:
    assert canonicalize([-0.0, 0, 10**21, -(2**53), 1e16, 6.0]) == b"[0,0,1e+21,-9007199254740992,10000000000000000,6]"


def test_string_escaping_is_minimal() -> None:
    text = '\x00\x08\t\n\x0b\x0c\r\x1f "\\/\x7f\u2028\U0001f600'
    assert canonical_text(text) == '"\\u0000\\b\\t\\n\\u000b\\f\\r\\u001f \\"\\\\/\x7f\u2028\U0001f600"'


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({1: "a"}, r"\$: member name 1 is not a string"),
        ({"a": ["\ud800"]}, r"\$\.a\[0\]: lone surrogate U\+D800"),
        ({"\udfff": 1}, r"lone surrogate U\+DFFF"),
        ({"a": 2**53 + 1}, "cannot be represented exactly"),
        ({"a": 10**400}, "outside the IEEE 754 double range"),
        ({"a": b"bytes"}, r"\$\.a: bytes is not a JSON value"),
        ({"a": {1, 2}}, "set is not a JSON value"),
    ],
)
def test_value_outside_ijson_is_rejected_with_its_path(value: Any, message: str) -> None:
    with pytest.raises(CanonicalJSONError, match=message):
        canonicalize(value)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=25,
)


@given(json_values)
def test_canonical_form_is_idempotent_and_round_trips(value: Any) -> None:
    text = canonical_text(value)
    # JCS numbers are doubles: read them back as doubles (a large float's digits may look like an integer).
    parsed = json.loads(text, parse_int=float)
    assert parsed == value
    assert canonical_text(parsed) == text


@given(st.dictionaries(st.text(max_size=6), st.integers(0, 9), max_size=12))
def test_member_order_is_utf16_code_unit_order(value: dict[str, int]) -> None:
    names = list(json.loads(canonical_text(value)))
    assert names == sorted(value, key=lambda name: name.encode("utf-16-be"))
    assert canonical_text(dict(reversed(list(value.items())))) == canonical_text(value)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_number_text_reads_back_as_the_same_double(value: float) -> None:
    text = format_number(value)
    assert float(text) == value or (value == 0 and text == "0")
    assert "e" not in text or (abs(value) >= 1e21 or abs(value) < 1e-6)
    assert math.isclose(float(text), value)
