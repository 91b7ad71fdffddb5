"""Template tags of the intelligence pages: the TLP 2.0 badge and what each level asks of its readers."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ceasefire.core.enums import TLP

register = template.Library()

# TLP 2.0 (FIRST) in the mechanism's words: who may be told, and whether it may travel further.
HANDLING: dict[str, Any] = {
    TLP.CLEAR: _("no limit on disclosure"),
    TLP.GREEN: _("every member of the mechanism, not the public"),
    TLP.AMBER: _("recipients' organisation, on a need-to-know basis; forwarded only as the originator allows"),
    TLP.AMBER_STRICT: _("recipients' organisation only, no further sharing"),
    TLP.RED: _("named people only, no further sharing"),
}


@register.simple_tag
def tlp_badge(tlp: str) -> SafeString:
    """The level as TLP 2.0 shows it: its colour on black (app.css .tlp-*); the label is never translated."""
    return format_html('<span class="tlp tlp-{}" dir="ltr">TLP:{}</span>', slugify(tlp), tlp)


@register.filter
def tlp_handling(tlp: str) -> str:
    return str(HANDLING.get(tlp, ""))
