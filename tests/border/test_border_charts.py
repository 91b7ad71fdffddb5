"""Charts: Vega-Lite specs from altair, drawn offline to PNG by vl-convert, and the vendored browser libraries."""

import datetime as dt
import re
from pathlib import Path

import pytest

from ceasefire.border.charts import flows_spec, render_png, render_svg, trade_spec

pytestmark = pytest.mark.unit

VENDOR = Path(__file__).resolve().parents[2] / "src" / "ceasefire" / "web" / "static" / "vendor" / "vega"
ROWS = [{"day": dt.date(2025, 11, d), "category": "deportation", "total": 500} for d in range(1, 8)]


def test_flows_chart_renders_png_offline():
    png = render_png(flows_spec(ROWS))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width > 600 and height > 200


def test_trade_chart_renders_svg_with_its_title():
    svg = render_svg(trade_spec([{"day": dt.date(2025, 10, 15), "trucks_waiting": 4000, "trucks_waiting_high": 5000}]))
    assert svg.startswith("<svg") and "Trucks waiting and crossed" in svg


def test_vendored_vega_lite_matches_the_major_version_altair_writes():
    schema = flows_spec(ROWS)["$schema"]
    major = re.search(r"/v(\d+)\.", schema).group(1)
    bundle = (VENDOR / "vega-lite.min.js").read_text(encoding="utf-8")
    assert re.search(rf'"{major}\.\d+\.\d+"', bundle)
    for name in ("vega.min.js", "vega-embed.min.js", "LICENSE-vega", "LICENSE-vega-lite", "LICENSE-vega-embed"):
        assert (VENDOR / name).stat().st_size > 1000


def test_chart_without_figures_still_renders_and_says_so():
    for spec in (flows_spec([]), trade_spec([])):
        assert render_png(spec).startswith(b"\x89PNG")
        assert "No figures recorded yet" in render_svg(spec)
