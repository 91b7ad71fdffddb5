"""Rendering one report: its figures (context.py), the charts and the map as PNG (vl-convert), the HTML document in
the report's language and direction, and the PDF (WeasyPrint with the bundled Noto fonts, so Pashto, Dari, Urdu
and Arabic are shaped and ordered right).

The template is rendered once; the HTML kept and the HTML given to WeasyPrint differ only in where the fonts come
from (fonts.py). Each stage is timed, for bench/report_bench.py.
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from ceasefire.core.charts import render_png

from .context import report_context
from .fonts import FONTS_DIR, FontSource, font_faces, register_chart_fonts
from .spec import ReportSpec

FONTS_PLACEHOLDER = "/*@font-face*/"
# WeasyPrint logs every layout step at INFO: seven lines per report in the worker's log say nothing to an operator.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass
class RenderedReport:
    html: bytes  # with the fonts from the source asked for (the site's URLs by default)
    pdf: bytes | None
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage


def png_data_uri(spec: dict[str, Any] | None) -> str:
    if spec is None:
        return ""
    register_chart_fonts()
    return "data:image/png;base64," + base64.b64encode(render_png(spec, scale=2.0)).decode()


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - started


def render_report(spec: ReportSpec, *, fonts: FontSource = "site", pdf: bool = True) -> RenderedReport:
    """The report of `spec` as HTML (fonts from `fonts`) and, unless pdf=False, as PDF."""
    timings: dict[str, float] = {}
    with translation.override(spec.language):
        with _timed(timings, "queries"):
            context = report_context(spec, generated_at=timezone.now())
        with _timed(timings, "charts"):
            for chart in context["charts"]:
                chart.image = png_data_uri(chart.spec)
        with _timed(timings, "map"):
            context["map"].image = png_data_uri(context["map"].spec)
        with _timed(timings, "html"):
            template = render_to_string("reports/document.html", context)
            html = _with_fonts(template, fonts, spec.language)
        document = None
        if pdf:
            with _timed(timings, "pdf"):
                document = html_to_pdf(_with_fonts(template, "file", spec.language))
    return RenderedReport(html.encode(), document, timings)


def _with_fonts(template: str, source: FontSource, language: str) -> str:
    return template.replace(FONTS_PLACEHOLDER, font_faces(source, language), 1)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    document: bytes = HTML(string=html, base_url=str(FONTS_DIR)).write_pdf()
    return document
