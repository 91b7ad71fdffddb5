"""The dashboard's charts as Vega-Lite specs (altair): complaints over time by one breakdown, casualties as each
party claimed them, and external events over time. People flows reuse border/charts.py.

The builders take rows already aggregated from visible records (queries.py), with their display labels, so the
page (vega-embed), the API and a report (core/charts.py draws PNG/SVG) show the same chart. The data is inline:
nothing is fetched when the chart is drawn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import altair as alt
from django.utils.translation import gettext

from ceasefire.core.charts import empty_spec

from .dashboard_period import ClaimedFigure
from .queries import WEEK

WIDTH, HEIGHT = 640, 240
# Twenty distinct colours (Vega's tableau20), enough for the eleven categories and the ten states; claimants are
# told apart by the panel they are drawn in, not by colour.
SCHEME: Final = "tableau20"


def bucket_label(bucket: str, kind: str) -> str:
    """'2025-10-20' for the week starting that Monday; '2025-10' for a month."""
    return bucket if kind == WEEK else bucket[:7]


def _spec(chart: alt.TopLevelMixin, rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The chart's spec with its rows put in afterwards. Not validated against the Vega-Lite schema on each request
    (altair checks every row, which costs more than the dashboard's whole budget): the builders are fixed code,
    and the tests render every chart with vl-convert."""
    spec = dict(chart.to_dict(validate=False))
    spec["data"] = {"values": [dict(row) for row in rows]}
    return spec


_NO_ROWS = alt.Data(values=[])  # type: ignore[no-untyped-call]


def _time_bars(
    rows: Sequence[Mapping[str, Any]], labels: Sequence[str], *, series: str, series_title: str, title: str
) -> dict[str, Any]:
    chart = (
        alt.Chart(_NO_ROWS)
        .mark_bar()
        .encode(
            x=alt.X("period:O", title=gettext("Period"), scale=alt.Scale(domain=list(labels)), sort=list(labels)),
            y=alt.Y("sum(count):Q", title=gettext("Number")),
            color=alt.Color(f"{series}:N", title=series_title, scale=alt.Scale(scheme=SCHEME)),
            tooltip=[
                alt.Tooltip("period:O", title=gettext("Period")),
                alt.Tooltip(f"{series}:N", title=series_title),
                alt.Tooltip("sum(count):Q", title=gettext("Number"), format=","),
            ],
        )
        .properties(width=WIDTH, height=HEIGHT, title=title)
    )
    return _spec(chart, rows)


def complaints_time_spec(
    rows: Iterable[Mapping[str, Any]],
    *,
    buckets: Sequence[str],
    bucket: str,
    key_labels: Mapping[str, str],
    by_title: str,
    title: str = "",
) -> dict[str, Any]:
    """Complaints per week or month, stacked by the breakdown's values; rows: bucket, key, count."""
    title = title or gettext("Complaints over time")
    data = [
        {"period": bucket_label(row["bucket"], bucket), "series": key_labels.get(row["key"], row["key"] or "—"),
         "count": row["count"]}
        for row in rows
    ]  # fmt: skip
    if not data:
        return empty_spec(title, message=gettext("No complaints in this period"), width=WIDTH)
    labels = [bucket_label(b, bucket) for b in buckets]
    return _time_bars(data, labels, series="series", series_title=by_title, title=title)


def events_time_spec(
    rows: Iterable[Mapping[str, Any]],
    *,
    buckets: Sequence[str],
    bucket: str,
    source_labels: Mapping[str, str],
    title: str = "",
) -> dict[str, Any]:
    """External events per week or month, stacked by source; rows: bucket, source, count (counts only)."""
    title = title or gettext("External events over time")
    data = [
        {"period": bucket_label(row["bucket"], bucket), "source": source_labels.get(row["source"], row["source"]),
         "count": row["count"]}
        for row in rows
    ]  # fmt: skip
    if not data:
        return empty_spec(title, message=gettext("No external events in this period"), width=WIDTH)
    labels = [bucket_label(b, bucket) for b in buckets]
    return _time_bars(data, labels, series="source", series_title=gettext("Source"), title=title)


def casualties_spec(
    figures: Iterable[ClaimedFigure],
    *,
    claimant_labels: Mapping[str, str],
    kind_labels: Mapping[str, str],
    status_labels: Mapping[str, str],
    title: str = "",
) -> dict[str, Any]:
    """Killed and injured as each party claimed them, one panel per claimant: no bar ever adds two parties'
    figures together."""
    title = title or gettext("Casualties as claimed by each party")
    data: list[dict[str, Any]] = [
        {
            "claimant": claimant_labels.get(f.claimant, f.claimant),
            "kind": kind_labels.get(f.kind, f.kind),
            "status": status_labels.get(f.status, f.status),
            "best": f.best,
        }
        for f in figures
    ]
    if not data:
        return empty_spec(title, message=gettext("No casualty figures claimed in this period"), width=WIDTH)
    claimants = sorted({row["claimant"] for row in data})
    panel_width = max(120, WIDTH // max(1, len(claimants)) - 40)
    base = (
        alt.Chart()
        .mark_bar()
        .encode(
            x=alt.X("kind:N", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("sum(best):Q", title=gettext("People (best estimate)")),
            color=alt.Color("status:N", title=gettext("Status"), scale=alt.Scale(scheme=SCHEME)),
            tooltip=[
                alt.Tooltip("claimant:N", title=gettext("Claimed by")),
                alt.Tooltip("kind:N", title=gettext("Kind")),
                alt.Tooltip("status:N", title=gettext("Status")),
                alt.Tooltip("sum(best):Q", title=gettext("People (best estimate)"), format=","),
            ],
        )
        .properties(width=panel_width, height=HEIGHT - 40)
    )
    chart = base.facet(
        data=_NO_ROWS,
        column=alt.Column("claimant:N", title=gettext("Claimed by"), sort=claimants),
    ).properties(title=title)
    return _spec(chart, data)
