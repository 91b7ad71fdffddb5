"""Filters of the report template: whole numbers with thousands separators, signed changes, day counts."""

from __future__ import annotations

import unicodedata

from django import template

register = template.Library()

MINUS = "\u2212"  # a real minus sign, not a hyphen: it keeps its shape and place in right-to-left text


@register.filter
def number(value: int | float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


@register.filter
def signed(value: int) -> str:
    """+3, −2 or 0: the change from the previous period."""
    if value > 0:
        return f"+{value:,}"
    if value < 0:
        return f"{MINUS}{-value:,}"
    return "0"


@register.filter
def days(value: float) -> str:
    return f"{value:.1f}"


@register.filter
def text_dir(value: str) -> str:
    """The direction ("rtl" or "ltr") of the first strongly directional letter, for free text (a public summary
    may be written in any language): what dir="auto" does in a browser, which WeasyPrint does not do."""
    for character in value or "":
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"
