"""What the report template shows: the figures of the report's audience (internal: figures.py and
border_figures.py as the party's reader; public: public_figures.py only), the charts and the map as specs with
their HTML legends, and the words around them. Evaluated inside the report's language (document.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language_bidi, gettext

from ceasefire.border.charts import CATEGORY_COLOURS
from ceasefire.border.conf import border_settings
from ceasefire.border.enums import DerivedState, FlowCategory
from ceasefire.core.enums import PartyKind
from ceasefire.core.models import Party
from ceasefire.geo.reference import reference
from ceasefire.incidents.enums import CasualtyKind

from . import charts
from .border_figures import border_figures
from .enums import Audience, ReportKind
from .figures import LIST_LIMIT, complaint_figures
from .fonts import font_stack
from .mapspec import STATE_COLOURS, MapCrossing, MapPoint, map_spec
from .periods import trend_days
from .public_figures import public_figures
from .queries import party_reader
from .spec import ReportSpec

# Points on the map carry the number of their table row while there are few enough to read.
NUMBERED_POINTS = 30


@dataclass
class Figure:
    """A chart or the map: the spec to draw, its HTML title and legend, and (once drawn) the PNG as a data URI."""

    key: str
    title: str
    spec: dict[str, Any] | None
    legend: list[tuple[str, str]] = field(default_factory=list)  # (colour, label)
    note: str = ""
    image: str = ""
    shape: str = "square"  # how the legend draws its swatches: square, circle or triangle


def _period_words(spec: ReportSpec) -> dict[str, str]:
    daily = spec.kind == ReportKind.DAILY
    return {
        "title": gettext("Daily situation report") if daily else gettext("Weekly situation report"),
        "this": gettext("This day") if daily else gettext("This week"),
        "previous": gettext("Previous day") if daily else gettext("Previous week"),
    }


def report_context(spec: ReportSpec, *, generated_at: dt.datetime) -> dict[str, Any]:
    words = _period_words(spec)
    context: dict[str, Any] = {
        "spec": spec,
        "period": spec.period,
        "previous": spec.period.previous,
        "words": words,
        "language": spec.language,
        "font_stack": font_stack(spec.language),
        "direction": "rtl" if get_language_bidi() else "ltr",
        "generated_at": generated_at.astimezone(dt.UTC),
        "dataset": reference().dataset_name,
        "public": spec.audience == Audience.PUBLIC,
        "party": spec.party,
    }
    if spec.audience == Audience.PUBLIC:
        context.update(_public(spec, words))
    else:
        context.update(_internal(spec, words))
    return context


def _period_legend(words: dict[str, str]) -> list[tuple[str, str]]:
    return [(charts.CURRENT, words["this"]), (charts.PREVIOUS, words["previous"])]


def _public(spec: ReportSpec, words: dict[str, str]) -> dict[str, Any]:
    figures = public_figures(spec.period)
    numbered = len(figures.rows) <= NUMBERED_POINTS
    points = [
        MapPoint(row.longitude, row.latitude, charts.PALETTE[0], number if numbered else 0)
        for number, row in enumerate(figures.rows, start=1)
    ]
    return {
        "figures": figures,
        "key_figures": [
            (gettext("Determinations published"), figures.published),
            *[(c.label, c) for c in figures.by_outcome],
        ],
        "charts": [
            Figure(
                "categories",
                gettext("Published determinations by category"),
                charts.comparison_spec(figures.by_category),
                _period_legend(words),
            ),
            Figure(
                "outcomes",
                gettext("Published determinations by outcome"),
                charts.comparison_spec(figures.by_outcome),
                _period_legend(words),
            ),
        ],
        "map": Figure(
            "map",
            gettext("Where the published incidents took place"),
            map_spec(points),
            [(charts.PALETTE[0], gettext("Incident of a published determination"))],
            shape="circle",
        ),
    }


def _internal(spec: ReportSpec, words: dict[str, str]) -> dict[str, Any]:
    assert spec.party is not None
    reader = party_reader(spec.party)
    parties = list(Party.objects.filter(kind=PartyKind.PARTY).order_by("code"))
    complaints = complaint_figures(reader, spec.period, parties)
    border = border_figures(reader, spec.period)
    codes = [p.code for p in parties]
    colours = charts.party_colours(codes)
    numbered = len(complaints.new) <= NUMBERED_POINTS
    points = [
        MapPoint(row.longitude, row.latitude, colours.get(row.complainant_code, "#777777"), n if numbered else 0)
        for n, row in enumerate(complaints.new, start=1)
    ]
    located = [c for c in border.crossings if c.latitude is not None and c.longitude is not None]
    crossings = [MapCrossing(c.longitude, c.latitude, c.state) for c in located]  # type: ignore[arg-type]
    trend_window = trend_days(spec.period)
    return {
        "figures": complaints,
        "border": border,
        "list_limit": LIST_LIMIT,
        "border_definition": border_settings(),
        "trend_from": trend_window[0],
        "key_figures": [
            (gettext("Complaints filed or received"), complaints.filed),
            (gettext("Determinations in effect"), complaints.determined),
            *[
                (gettext("Killed, as claimed by %(party)s") % {"party": c.claimant.display_name}, c.killed)
                for c in complaints.casualties
            ],
        ],
        "charts": [
            Figure(
                "categories",
                gettext("Complaints by category"),
                charts.comparison_spec(complaints.by_category),
                _period_legend(words),
                gettext("Rows are numbered as in the table."),
            ),
            Figure(
                "trend",
                gettext("Complaints per day, by complainant"),
                charts.trend_spec(complaints.trend, codes, trend_window),
                [(colours[p.code], f"{p.code} — {p.display_name}") for p in parties],
            ),
            Figure(
                "flows",
                gettext("People crossing per day, as counted by %(source)s") % {"source": border.flow_source}
                if border.flow_source
                else gettext("People crossing per day"),
                charts.flows_chart_spec(border.flow_chart_rows),
                [(colour, str(FlowCategory(category).label)) for category, colour in CATEGORY_COLOURS.items()],
            ),
            Figure(
                "casualties",
                gettext("Casualties claimed in this period, by claimant"),
                charts.casualties_spec(complaints.casualties),
                [
                    (charts.KILLED, str(CasualtyKind.KILLED.label)),
                    (charts.INJURED, str(CasualtyKind.INJURED.label)),
                ],
                gettext("Each bar group is one claimant's own figures; no figure is added to another's."),
            ),
        ],
        "map": Figure(
            "map",
            gettext("Where this period's complaints place their incidents, and the crossings' state"),
            map_spec(points, crossings),
            [(colours[p.code], gettext("Complaint by %(party)s") % {"party": p.display_name}) for p in parties],
            shape="circle",
        ),
        "crossing_legend": [(STATE_COLOURS[s.value], str(s.label)) for s in DerivedState],
    }
