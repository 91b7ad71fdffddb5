"""GDELT 1.0 / 2.0 event export (tab-separated, no header) to ParsedRow. The layout is chosen by the first
row's column count; every later row must have the same."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.utils.translation import gettext as _

from ceasefire.ingest.enums import DatePrecision
from ceasefire.ingest.sources import base
from ceasefire.ingest.sources.base import (
    EventFormat,
    FileRejected,
    ParsedRow,
    Rejection,
    RowRejected,
    RowSkipped,
)
from ceasefire.ingest.sources.reading import Table, open_table

from . import categories
from .layout import LAYOUTS

LABEL = "GDELT"


def _layout(path: Path, name: str) -> tuple[str, ...]:
    with path.open("rb") as stream:
        first = stream.readline(1 << 20).decode("utf-8", "replace").rstrip("\r\n")
    if not first:
        raise FileRejected(Rejection(name, 0, "", _("the file is empty")))
    width = first.count("\t") + 1
    if width not in LAYOUTS:
        hint = _(": it is not tab-separated") if width == 1 else ""
        raise FileRejected(
            Rejection(
                name,
                1,
                "",
                _("%(n)d tab-separated columns; a GDELT event export has 57 or 58 (1.0) or 61 (2.0)%(hint)s")
                % {"n": width, "hint": hint},
            )
        )
    return LAYOUTS[width]


def _open(path: Path, name: str) -> tuple[Table, Callable[[list[str]], ParsedRow], None]:
    base.wrong_importer(path, name, GDELT)
    columns = _layout(path, name)
    at = {c: i for i, c in enumerate(columns)}
    width = len(columns)
    table = open_table(path, name, delimiter="\t", has_header=False)
    i_id, i_date, i_code, i_a1, i_a2 = (at[c] for c in ("GLOBALEVENTID", "SQLDATE", "EventCode", "Actor1Name",
                                                       "Actor2Name"))  # fmt: skip
    i_gtype, i_gname, i_gcountry, i_gadm1 = (at[c] for c in ("ActionGeo_Type", "ActionGeo_FullName",
                                                            "ActionGeo_CountryCode", "ActionGeo_ADM1Code"))  # fmt: skip
    i_gadm2 = at.get("ActionGeo_ADM2Code", -1)
    i_lat, i_lon, i_url = at["ActionGeo_Lat"], at["ActionGeo_Long"], at.get("SOURCEURL", -1)

    def parse(f: list[str]) -> ParsedRow:
        base.check_columns(f, width, f"{LABEL} ({width}-column)")
        source_id = f[i_id].strip()
        if not source_id.isdigit():
            raise RowRejected("GLOBALEVENTID", _("'%(v)s' is not a numeric event id") % {"v": source_id[:40]})
        day = base.compact_date(f[i_date], "SQLDATE")
        geo_type = f[i_gtype].strip()
        if geo_type not in categories.GEO_TYPE:
            if geo_type in ("", "0"):
                # GDELT codes events it could not place as type 0, without coordinates: well-formed, not mappable.
                raise RowSkipped()
            raise RowRejected("ActionGeo_Type", _("'%(v)s' is not a GDELT place type 0-5") % {"v": geo_type[:8]})
        code = f[i_code].strip()
        return ParsedRow(
            source_id,
            day,
            day,
            DatePrecision.DAY,
            base.coordinate(f, i_lat, "ActionGeo_Lat", 90.0),
            base.coordinate(f, i_lon, "ActionGeo_Long", 180.0),
            categories.GEO_TYPE[geo_type],
            base.text(f, i_gname, 300),
            base.text(f, i_gadm1, 120),
            base.text(f, i_gadm2, 120),
            base.text(f, i_gcountry, 80),
            categories.category_of(code),
            code[:120],
            base.text(f, i_a1, 300),
            base.text(f, i_a2, 300),
            None,
            None,
            None,
            base.text(f, i_url, 2000),
        )

    return table, parse, None


GDELT = EventFormat(source="gdelt", label=LABEL, open=_open, command="gdelt")
