"""Drawing Vega-Lite specs on the server, offline: PNG and SVG by vl-convert (which bundles its own Vega), and the
chart every builder returns when it has nothing to draw.

Each app builds its own specs with altair from rows it read through visible_to (border/charts.py,
analytics/charts.py); this module only draws them, so a report, a download link and the web page show one chart.
"""

from __future__ import annotations

from typing import Any

import altair as alt
from django.utils.translation import gettext

WIDTH = 640


def empty_spec(title: str, *, message: str = "", width: int = WIDTH) -> dict[str, Any]:
    """A chart with nothing to draw still renders (vl-convert refuses an empty layered chart): it says so."""
    data = alt.Data(values=[{"text": message or gettext("No figures recorded yet")}])  # type: ignore[no-untyped-call]
    chart = (
        alt.Chart(data)
        .mark_text(size=14, color="#555")
        .encode(text="text:N")
        .properties(width=width, height=60, title=title)
    )
    return dict(chart.to_dict(validate=False))  # one fixed text mark: nothing to check on every request


def render_png(spec: dict[str, Any], *, scale: float = 2.0) -> bytes:
    """The chart as PNG (reports, download links). vl-convert draws text itself, so a report built from HTML keeps
    right-to-left labels out of the image and as HTML text instead."""
    import vl_convert

    return bytes(vl_convert.vegalite_to_png(spec, scale=scale))


def render_svg(spec: dict[str, Any]) -> str:
    import vl_convert

    return str(vl_convert.vegalite_to_svg(spec))
