"""The report's charts as Vega-Lite specs (altair), drawn to PNG by vl-convert (core/charts.py).

A chart image carries no words: only numbers, dates written as digits (day.month), party codes and the numbers
that key categories to the table beside it. Titles, legends and category names are HTML text around the image
(document.html), so they are shaped and ordered right in every language — WeasyPrint mis-shapes Arabic script
inside SVG text, and month names in an image would stay in English on a Pashto page.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

import altair as alt

from ceasefire.border.charts import flows_spec

from .figures import ClaimantCasualties, Compared

WIDTH = 300
# Colour-blind-safe (Tableau 10); assigned in a fixed order, never by which side a party is on.
PALETTE = ("#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2", "#eeca3b", "#9d755d")
CURRENT, PREVIOUS = "#4c78a8", "#a0bcd8"
KILLED, INJURED = "#e45756", "#f2b447"
CONFIG: dict[str, Any] = {
    "font": "Noto Sans",
    "view": {"stroke": None},
    "axis": {"labelFontSize": 11, "title": None, "grid": True, "gridColor": "#e6e6e6"},
    "legend": {"disable": True},
}


def _data(rows: Sequence[dict[str, Any]]) -> alt.Data:
    return alt.Data(values=list(rows))  # type: ignore[no-untyped-call]


def _counts_axis(largest: int) -> alt.Axis:
    """Whole-number ticks only (a count of complaints has no halves), at most about six of them."""
    step = max(1, math.ceil(max(largest, 1) / 5))
    return alt.Axis(values=list(range(0, max(largest, 1) + step, step)), format="d")


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    spec = dict(chart.to_dict())
    spec["config"] = CONFIG
    return spec


def comparison_spec(counts: Sequence[Compared], *, width: int = WIDTH) -> dict[str, Any] | None:
    """Horizontal bars: each row's count in this period (dark) and the previous one (light), rows numbered as in
    the table the chart stands beside. None when both periods are empty."""
    if not any(c.current or c.previous for c in counts):
        return None
    rows = []
    for number, count in enumerate(counts, start=1):
        rows.append({"row": number, "period": 0, "count": count.current})
        rows.append({"row": number, "period": 1, "count": count.previous})
    chart = (
        alt.Chart(_data(rows))
        .mark_bar()
        .encode(
            y=alt.Y("row:O", sort="ascending"),
            yOffset=alt.YOffset("period:O"),
            x=alt.X("count:Q", axis=_counts_axis(max(max(c.current, c.previous) for c in counts))),
            color=alt.Color("period:O", scale=alt.Scale(domain=[0, 1], range=[CURRENT, PREVIOUS])),
        )
        .properties(width=width, height=max(60, 22 * len(counts)))
    )
    return _spec(chart)


def trend_spec(
    rows: Sequence[dict[str, object]], party_codes: Sequence[str], days: Sequence[dt.date], *, width: int = WIDTH
) -> dict[str, Any] | None:
    """Complaints per day over `days`, one bar per complainant side by side (never stacked: one party's count is
    not added to the other's). Rows: day (ISO), party (code), count. None when there is nothing to draw."""
    if not rows:
        return None
    domain = list(party_codes)
    counts = {(str(r["day"]), str(r["party"])): int(r["count"]) for r in rows}  # type: ignore[call-overload]
    grid = [
        {"day": f"{day:%d.%m}", "party": code, "count": counts.get((day.isoformat(), code), 0)}
        for day in days
        for code in domain
    ]
    labels = [f"{day:%d.%m}" for day in days]
    every = max(1, math.ceil(len(labels) / 14))
    chart = (
        alt.Chart(_data(grid))
        .mark_bar()
        .encode(
            x=alt.X("day:O", sort=labels, axis=alt.Axis(values=labels[::every], labelAngle=-45)),
            xOffset=alt.XOffset("party:N", scale=alt.Scale(domain=domain)),
            y=alt.Y("count:Q", axis=_counts_axis(max(counts.values(), default=1))),
            color=alt.Color("party:N", scale=alt.Scale(domain=domain, range=list(PALETTE[: len(domain)]))),
        )
        .properties(width=width, height=150)
    )
    return _spec(chart)


def party_colours(party_codes: Sequence[str]) -> dict[str, str]:
    return dict(zip(party_codes, PALETTE, strict=False))


def flows_chart_spec(rows: Sequence[dict[str, object]], *, width: int = WIDTH) -> dict[str, Any] | None:
    """People per day and category from one source: border/charts.flows_spec (the border page's chart), with its
    words taken out and the dates written as digits."""
    if not rows:
        return None
    spec = flows_spec(rows)
    spec.pop("title", None)
    spec["width"], spec["height"] = width, 160
    encoding = spec["encoding"]
    encoding["x"]["axis"] = {"format": "%d.%m", "labelAngle": -45}
    encoding["y"]["axis"] = {"format": ",d"}
    for channel in ("x", "y", "color"):
        encoding[channel].pop("title", None)
    encoding.pop("tooltip", None)
    spec["config"] = CONFIG
    return spec


def casualties_spec(claimants: Sequence[ClaimantCasualties], *, width: int = WIDTH) -> dict[str, Any] | None:
    """Killed and injured as each claimant claimed them, one group of bars per claimant: kept apart, never
    summed across claimants."""
    rows: list[dict[str, Any]] = [
        {"claimant": c.claimant.code, "kind": kind, "people": figure.current}
        for c in claimants
        for kind, figure in (("killed", c.killed), ("injured", c.injured))
    ]
    if not any(r["people"] for r in rows):
        return None
    chart = (
        alt.Chart(_data(rows))
        .mark_bar()
        .encode(
            x=alt.X("claimant:N", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("kind:N", scale=alt.Scale(domain=["killed", "injured"])),
            y=alt.Y("people:Q", axis=_counts_axis(max(int(r["people"]) for r in rows))),
            color=alt.Color("kind:N", scale=alt.Scale(domain=["killed", "injured"], range=[KILLED, INJURED])),
        )
        .properties(width=width, height=160)
    )
    return _spec(chart)
