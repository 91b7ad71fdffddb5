"""Markdown written by a party (intelligence item bodies), rendered to HTML that is safe to show to everyone else.

Two locks, so one failing does not open the page: Markdown's raw-HTML handling is switched off, so `<script>` typed
in a body stays visible text; then nh3 (the Ammonia sanitiser) keeps only a short list of tags and attributes, and
links only to http, https and mailto. Images become plain links: an image from another host would tell that host
who read the item and when, and the page's CSP would block it anyway.
"""

from __future__ import annotations

import markdown
import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
# The item's title is the page's h1 and its sections are h2: a body's own headings start at h3.
HEADING_BASE = 3


def _converter() -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=["fenced_code", "tables", "sane_lists", "toc"],
        extension_configs={"toc": {"baselevel": HEADING_BASE}},
        output_format="html",
    )
    # No raw HTML at all: block-level HTML and inline tags are left as text (escaped) instead of passed through.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    # An image stays a plain link to it, which the reader may choose to follow.
    md.inlinePatterns.deregister("image_link")
    md.inlinePatterns.deregister("image_reference")
    return md


def render_markdown(text: str) -> SafeString:
    """The body as sanitised HTML: only what ALLOWED_TAGS lists, links opened without referrer or opener."""
    html = _converter().convert(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308 -- nh3 just removed everything but the allow-list above


@register.filter(name="markdown_safe")
def markdown_safe(text: str) -> SafeString:
    return render_markdown(text)
