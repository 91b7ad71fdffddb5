"""Charts of people flows, trade and closures as Vega-Lite specs (altair), drawn in the browser by the vendored
vega-embed and on the server by vl-convert (PNG/SVG for reports). No network either way: the data is inline in
the spec and vl-convert bundles its own Vega (core/charts.py draws them).

The spec builders take plain rows (from queries.py, already filtered by visibility), so a report and the web page
draw exactly the same chart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import altair as alt
from django.utils.translation import gettext

from ceasefire.core.charts import empty_spec, render_png, render_svg

from .enums import FlowCategory
from .queries import MonthStats

# Drawing lives in core/charts.py (one copy for every app); re-exported for the border pages and their callers.
__all__ = ["closures_spec", "flows_spec", "render_png", "render_svg", "trade_spec"]

WIDTH, HEIGHT = 640, 240
CATEGORY_COLOURS = {FlowCategory.RETURN.value: "#1f77b4", FlowCategory.DEPORTATION.value: "#d62728"}


def _base(rows: Sequence[dict[str, Any]]) -> alt.Chart:
    data = alt.Data(values=list(rows))  # type: ignore[no-untyped-call]
    return alt.Chart(data).properties(width=WIDTH, height=HEIGHT)


def flows_spec(rows: Iterable[Mapping[str, Any]], *, title: str = "") -> dict[str, Any]:
    """People per day and category (returns, deportations), stacked; rows: day, category, total, source."""
    data = [
        {
            "day": row["day"].isoformat() if isinstance(row["day"], dt.date) else row["day"],
            "category": str(FlowCategory(row["category"]).label),
            "total": row["total"],
            "source": row.get("source", ""),
        }
        for row in rows
    ]
    title = title or gettext("Returns and deportations per day")
    if not data:
        return empty_spec(title, width=WIDTH)
    labels = [str(FlowCategory(c).label) for c in CATEGORY_COLOURS]
    chart = (
        _base(data)
        .mark_bar()
        .encode(
            x=alt.X("day:T", title=gettext("Day"), timeUnit="yearmonthdate"),
            y=alt.Y("sum(total):Q", title=gettext("People")),
            color=alt.Color(
                "category:N",
                title=gettext("Category"),
                scale=alt.Scale(domain=labels, range=list(CATEGORY_COLOURS.values())),
            ),
            tooltip=[
                alt.Tooltip("day:T", title=gettext("Day")),
                alt.Tooltip("category:N", title=gettext("Category")),
                alt.Tooltip("sum(total):Q", title=gettext("People"), format=","),
            ],
        )
        .properties(title=title)
    )
    return dict(chart.to_dict())


def trade_spec(rows: Iterable[Mapping[str, Any]], *, title: str = "") -> dict[str, Any]:
    """Trucks waiting (a reported range as a band) and trucks crossed per day; rows from TradeDay values."""
    data: list[dict[str, Any]] = []
    for row in rows:
        day = row["day"].isoformat() if isinstance(row["day"], dt.date) else row["day"]
        if row.get("trucks_waiting") is not None:
            high = row.get("trucks_waiting_high") or row["trucks_waiting"]
            data.append(
                {"day": day, "measure": gettext("Trucks waiting"), "value": row["trucks_waiting"], "high": high}
            )
        if row.get("trucks_crossed") is not None:
            value = row["trucks_crossed"]
            data.append({"day": day, "measure": gettext("Trucks crossed"), "value": value, "high": value})
    title = title or gettext("Trucks waiting and crossed")
    if not data:
        return empty_spec(title, width=WIDTH)
    base = _base(data).encode(
        x=alt.X("day:T", title=gettext("Day")),
        color=alt.Color("measure:N", title=""),
    )
    points = base.mark_line(point=True).encode(
        y=alt.Y("value:Q", title=gettext("Trucks")),
        tooltip=[
            alt.Tooltip("day:T", title=gettext("Day")),
            alt.Tooltip("measure:N", title=""),
            alt.Tooltip("value:Q", title=gettext("Trucks (low)"), format=","),
            alt.Tooltip("high:Q", title=gettext("Trucks (high)"), format=","),
        ],
    )
    band = base.mark_rule(strokeWidth=3, opacity=0.5).encode(y="value:Q", y2="high:Q")
    return dict(alt.layer(band, points).properties(title=title).to_dict())


def closures_spec(months_by_crossing: Iterable[tuple[str, Sequence[MonthStats]]], *, title: str = "") -> dict[str, Any]:
    """Days closed per crossing per month (UTC), one bar group per month."""
    data = [
        {"crossing": name.split(" (")[0], "month": f"{m.year:04d}-{m.month:02d}", "days": m.closed}
        for name, months in months_by_crossing
        for m in months
    ]
    title = title or gettext("Days closed per month")
    if not data:
        return empty_spec(title, width=WIDTH)
    chart = (
        _base(data)
        .mark_bar()
        .encode(
            x=alt.X("month:O", title=gettext("Month")),
            xOffset="crossing:N",
            y=alt.Y("days:Q", title=gettext("Days closed")),
            color=alt.Color("crossing:N", title=gettext("Crossing")),
            tooltip=[
                alt.Tooltip("crossing:N", title=gettext("Crossing")),
                alt.Tooltip("month:O", title=gettext("Month")),
                alt.Tooltip("days:Q", title=gettext("Days closed")),
            ],
        )
        .properties(title=title)
    )
    return dict(chart.to_dict())
