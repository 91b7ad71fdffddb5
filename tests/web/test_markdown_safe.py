"""The Markdown renderer of intelligence bodies: what a party writes is formatted, and nothing it writes runs, loads
or links anywhere but http, https and mailto in another reader's browser."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.web.templatetags.markdown_safe import render_markdown

pytestmark = pytest.mark.unit

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg/onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "![x](https://evil.example/track.png)",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onclick="alert(1)">x</p>',
    "<style>body{display:none}</style>",
    '<form action="https://evil.example"><input name=p></form>',
    "<!-- <script>alert(1)</script> -->",
    '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
    "`<script>` and ```\n<script>alert(1)</script>\n```",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "{: onclick=alert(1) }\nparagraph",
]
ALLOWED = {"p", "br", "hr", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "h3", "h4", "h5", "h6",
           "a", "table", "thead", "tbody", "tr", "th", "td"}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title", "rel"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}


class Elements(HTMLParser):
    """Every element a browser would build from the output, with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def assert_harmless(html: str) -> None:
    parser = Elements()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.found:
        assert tag in ALLOWED, (tag, html)
        assert set(attrs) <= ATTRIBUTES.get(tag, set()), (tag, attrs, html)
        href = (attrs.get("href") or "").strip().lower()
        assert not href or href.split(":", 1)[0] in ("http", "https", "mailto"), (href, html)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_renders_harmless(text):
    assert_harmless(str(render_markdown(text)))


def test_raw_html_is_shown_as_text_not_dropped():
    assert str(render_markdown("<b>bold?</b> & more")) == "<p>&lt;b&gt;bold?&lt;/b&gt; &amp; more</p>"


def test_markdown_formats_and_keeps_safe_links():
    html = str(
        render_markdown(
            "# Sighting\n\n**40** fighters, *two* trucks.\n\n- one\n- two\n\n[report](https://ok.example/r)"
        )
    )
    assert "<h3>Sighting</h3>" in html  # below the page's own h1 and h2
    assert "<strong>40</strong>" in html and "<em>two</em>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert '<a href="https://ok.example/r" rel="noopener noreferrer nofollow">report</a>' in html


def test_links_lose_a_dangerous_target_but_keep_their_text():
    assert str(render_markdown("[map](javascript:alert(1))")) == '<p><a rel="noopener noreferrer nofollow">map</a></p>'


def test_tables_and_code_blocks_render():
    html = str(render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nx < y\n```"))
    assert "<td>1</td>" in html and "<pre><code>x &lt; y\n</code></pre>" in html


def test_the_template_filter_renders_the_same():
    out = Template("{% load markdown_safe %}{{ body|markdown_safe }}").render(Context({"body": "**x** <script>"}))
    assert out == "<p><strong>x</strong> &lt;script&gt;</p>"


PIECES = [
    "<",
    ">",
    "/",
    "=",
    '"',
    "'",
    " ",
    ":",
    "(",
    ")",
    "[",
    "]",
    "!",
    "*",
    "&",
    "#",
    ";",
    "\n",
    "`",
    "script",
    "img",
    "a",
    "href",
    "src",
    "onerror",
    "javascript",
    "data",
    "http",
    "style",
    "svg",
    "on",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=60).map("".join))
def test_no_input_yields_an_element_or_link_outside_the_allow_list(text):
    assert_harmless(str(render_markdown(text)))
