"""UCDP GED CSV (comma-separated, with its 49-column header) to ParsedRow."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.utils.translation import gettext as _

from ceasefire.ingest.sources import base
from ceasefire.ingest.sources.base import EventFormat, ParsedRow, RowRejected, Table

from . import categories
from .layout import COLUMNS

LABEL = "UCDP GED"
TYPES = categories.TYPE_OF_VIOLENCE
WHERE = categories.WHERE_PREC


def _open(path: Path, name: str) -> tuple[Table, Callable[[list[str]], ParsedRow]]:
    base.wrong_importer(path, name, UCDP)
    table = base.open_table(path, name, delimiter=",", has_header=True)
    try:
        at = base.check_header(table, required=COLUMNS, label=LABEL, delimiter_name="comma")
    except base.FileRejected:
        table.close()
        raise
    width = len(table.header or ())
    i_id, i_lat, i_lon = at["id"], at["latitude"], at["longitude"]
    i_start, i_end, i_dprec, i_wprec = at["date_start"], at["date_end"], at["date_prec"], at["where_prec"]
    i_type = at["type_of_violence"]
    i_a, i_b, i_adm1, i_adm2, i_country = at["side_a"], at["side_b"], at["adm_1"], at["adm_2"], at["country"]
    i_where, i_wdesc = at["where_coordinates"], at["where_description"]
    i_article, i_headline = at["source_article"], at["source_headline"]
    i_best, i_low, i_high = at["best"], at["low"], at["high"]
    i_deaths = [(c, at[c]) for c in ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown")]

    date = base.iso_date
    make = ParsedRow

    def parse(f: list[str]) -> ParsedRow:
        # The hot loop of a million-row import: locals and inline strips, helpers only where a value is checked.
        if len(f) != width:
            base.check_columns(f, width, LABEL)
        source_id = f[i_id].strip()
        if not source_id:
            raise RowRejected("id", _("the event id is empty"))
        starts_on = date(f[i_start], "date_start")
        ends_on = date(f[i_end], "date_end")
        if ends_on < starts_on:
            raise RowRejected(
                "date_end", _("%(end)s is before date_start %(start)s") % {"end": ends_on, "start": starts_on}
            )
        type_code = f[i_type].strip()
        if type_code and type_code not in TYPES:
            raise RowRejected("type_of_violence", _("'%(v)s' is not 1, 2 or 3") % {"v": type_code[:20]})
        where = f[i_wprec].strip()
        if where not in WHERE:
            raise RowRejected("where_prec", _("'%(v)s' is not a precision code 1-7") % {"v": where[:20]})
        best = base.count(f, i_best, "best")
        if best is None:
            parts = [base.count(f, i, column) for column, i in i_deaths]
            best = sum(p for p in parts if p is not None) if any(p is not None for p in parts) else None
        headline, article = f[i_headline].strip(), f[i_article].strip()
        low, high = f[i_low], f[i_high]
        return make(
            source_id[:64],
            starts_on,
            ends_on,
            categories.date_precision(f[i_dprec].strip(), (ends_on - starts_on).days),
            base.coordinate(f, i_lat, "latitude", 90.0),
            base.coordinate(f, i_lon, "longitude", 180.0),
            WHERE[where],
            (f[i_where].strip() or f[i_wdesc].strip() or f[i_adm2].strip())[:300],
            f[i_adm1].strip()[:120],
            f[i_adm2].strip()[:120],
            f[i_country].strip()[:80],
            TYPES.get(type_code, ""),
            type_code,
            f[i_a].strip()[:300],
            f[i_b].strip()[:300],
            best,
            base.count(f, i_low, "low") if low else None,
            base.count(f, i_high, "high") if high else None,
            f"{headline} {article}" if headline and article else headline or article,
        )

    return table, parse


UCDP = EventFormat(source="ucdp", label=LABEL, open=_open, command="ucdp")
