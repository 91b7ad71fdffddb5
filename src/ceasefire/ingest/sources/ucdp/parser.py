"""UCDP GED CSV (comma-separated, with its 49-column header) to ParsedRow."""

from __future__ import annotations

from collections.abc import Callable
from itertools import repeat
from operator import lt
from pathlib import Path

from django.utils.translation import gettext as _

from ceasefire.ingest.sources import base
from ceasefire.ingest.sources.base import Columns, EventFormat, ParseColumns, ParsedRow, RowRejected
from ceasefire.ingest.sources.reading import Records, Table, open_table

from . import categories
from .layout import COLUMNS

LABEL = "UCDP GED"
TYPES = categories.TYPE_OF_VIOLENCE
WHERE = categories.WHERE_PREC
TYPES_OR_BLANK = {*TYPES, ""}


def _open(path: Path, name: str) -> tuple[Table, Callable[[list[str]], ParsedRow], ParseColumns]:
    base.wrong_importer(path, name, UCDP)
    table = open_table(path, name, delimiter=",", has_header=True)
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

    picked = (
        i_id, i_start, i_end, i_dprec, i_lat, i_lon, i_wprec, i_where, i_wdesc, i_adm1, i_adm2, i_country, i_type,
        i_a, i_b, i_best, i_low, i_high, i_headline, i_article, *(i for _column, i in i_deaths),
    )  # fmt: skip
    date_prec, date_precision = categories.DATE_PREC, categories.date_precision
    strip, cut, count_column = str.strip, base.cut_column, base.count_column

    def parse_columns(records: Records) -> Columns | None:
        """A whole chunk column by column, giving exactly what `parse` gives row by row; None as soon as any value
        is one `parse` would reject or reads differently (the chunk then goes row by row, which names it). Loops
        run in C where they can (map over str methods and dict lookups)."""
        columns = records.columns(width, picked)
        if columns is None:
            return None
        (ids, start, end, dprec, lat, lon, wprec, where, wdesc, adm1, adm2, country, kind, side_a, side_b, best, low,
         high, headline, article, *deaths) = columns  # fmt: skip
        source_ids = list(map(strip, ids))
        if "" in source_ids:
            return None
        starts, starts_iso = base.iso_column(start)
        ends, ends_iso = base.iso_column(end)
        if starts is None or ends is None or any(map(lt, ends, starts)):
            return None
        kinds = list(map(strip, kind))
        wheres = list(map(strip, wprec))
        if not TYPES_OR_BLANK.issuperset(kinds) or not WHERE.keys() >= set(wheres):
            return None
        lats, lons = base.coordinate_column(lat, 90.0), base.coordinate_column(lon, 180.0)
        bests, lows, highs = count_column(best), count_column(low), count_column(high)
        if lats is None or lons is None or bests is None or lows is None or highs is None:
            return None
        if None in bests:  # no `best`: the sum of the deaths columns given, as `parse` computes it
            counted = [count_column(column) for column in deaths]
            given = [column for column in counted if column is not None]
            if len(given) < len(counted):
                return None
            for i in [i for i, b in enumerate(bests) if b is None]:
                parts = [value for column in given if (value := column[i]) is not None]
                bests[i] = sum(parts) if parts else None
        codes = list(map(strip, dprec))
        if date_prec.keys() >= set(codes):
            precisions = list(map(date_prec.__getitem__, codes))
        else:
            precisions = [
                date_prec[c] if c in date_prec else date_precision(c, (e - s).days)
                for c, s, e in zip(codes, starts, ends, strict=True)
            ]
        adm2s = list(map(strip, adm2))
        heads, arts = list(map(strip, headline)), list(map(strip, article))
        return [
            cut(source_ids, 64),
            starts_iso,
            ends_iso,
            precisions,
            lats,
            lons,
            list(map(WHERE.__getitem__, wheres)),
            [(w.strip() or d.strip() or a2)[:300] for w, d, a2 in zip(where, wdesc, adm2s, strict=True)],
            cut(list(map(strip, adm1)), 120),
            cut(adm2s, 120),
            cut(list(map(strip, country)), 80),
            list(map(TYPES.get, kinds, repeat(""))),
            kinds,
            cut(list(map(strip, side_a)), 300),
            cut(list(map(strip, side_b)), 300),
            bests,
            lows,
            highs,
            [f"{h} {a}" if h and a else h or a for h, a in zip(heads, arts, strict=True)],
        ]

    return table, parse, parse_columns


UCDP = EventFormat(source="ucdp", label=LABEL, open=_open, command="ucdp")
