"""ACLED CSV export (comma-separated, with a header) to ParsedRow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from django.utils.translation import gettext as _

from ceasefire.ingest.sources import base
from ceasefire.ingest.sources.base import EventFormat, ParsedRow, RowRejected
from ceasefire.ingest.sources.reading import Table, open_table

from . import categories
from .layout import REQUIRED

LABEL = "ACLED"


def _open(path: Path, name: str) -> tuple[Table, Callable[[list[str]], ParsedRow], None]:
    base.wrong_importer(path, name, ACLED)
    table = open_table(path, name, delimiter=",", has_header=True)
    try:
        at = base.check_header(table, required=REQUIRED, label=LABEL, delimiter_name="comma")
    except base.FileRejected:
        table.close()
        raise
    width = len(table.header or ())
    i_id, i_date, i_tprec, i_type, i_sub = (at[c] for c in ("event_id_cnty", "event_date", "time_precision",
                                                          "event_type", "sub_event_type"))  # fmt: skip
    i_a1, i_a2, i_country, i_adm1, i_adm2 = (at[c] for c in ("actor1", "actor2", "country", "admin1", "admin2"))
    i_loc, i_lat, i_lon, i_gprec = (at[c] for c in ("location", "latitude", "longitude", "geo_precision"))
    i_source, i_notes, i_fat = at["source"], at["notes"], at["fatalities"]

    def parse(f: list[str]) -> ParsedRow:
        base.check_columns(f, width, LABEL)
        source_id = f[i_id].strip()
        if not source_id:
            raise RowRejected("event_id_cnty", _("the event id is empty"))
        day = base.flexible_date(f[i_date], "event_date")
        precision = categories.TIME_PRECISION.get(f[i_tprec].strip())
        if precision is None:
            raise RowRejected("time_precision", _("'%(v)s' is not 1, 2 or 3") % {"v": f[i_tprec].strip()[:20]})
        place_precision = categories.GEO_PRECISION.get(f[i_gprec].strip())
        if place_precision is None:
            raise RowRejected("geo_precision", _("'%(v)s' is not 1, 2 or 3") % {"v": f[i_gprec].strip()[:20]})
        kind = categories.source_type(f[i_type], f[i_sub])
        if kind not in categories.SUB_EVENT_TYPES:
            raise RowRejected("sub_event_type", _("unknown event/sub-event type '%(v)s'") % {"v": kind[:120]})
        notes, source = f[i_notes].strip(), f[i_source].strip()
        return ParsedRow(
            source_id[:64],
            day,
            day + dt.timedelta(days=categories.EXTRA_DAYS[precision]),
            precision,
            base.coordinate(f, i_lat, "latitude", 90.0),
            base.coordinate(f, i_lon, "longitude", 180.0),
            place_precision,
            base.text(f, i_loc, 300),
            base.text(f, i_adm1, 120),
            base.text(f, i_adm2, 120),
            base.text(f, i_country, 80),
            categories.SUB_EVENT_TYPES[kind],
            kind,
            base.text(f, i_a1, 300),
            base.text(f, i_a2, 300),
            base.count(f, i_fat, "fatalities"),
            None,
            None,
            f"{notes} [{source}]" if source else notes,
        )

    return table, parse, None


ACLED = EventFormat(source="acled", label=LABEL, open=_open, command="acled")
