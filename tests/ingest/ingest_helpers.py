"""Builders of event files for the ingest tests: ACLED rows made up from the codebook's columns (ACLED's own rows
may not be redistributed), GDELT 2.0 rows from its schema, and UCDP rows in the GED layout."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from ceasefire.ingest.sources.acled.layout import CODEBOOK_COLUMNS
from ceasefire.ingest.sources.gdelt.layout import V2
from ceasefire.ingest.sources.ucdp.layout import COLUMNS as UCDP_COLUMNS

DATA = Path(__file__).resolve().parent / "data"
UCDP_SAMPLE = DATA / "ucdp_ged_sample.csv"
GDELT_SAMPLE = DATA / "gdelt_v1_sample.tsv"


def acled_row(**values: Any) -> dict[str, str]:
    row = {
        "data_id": "9001", "iso": "4", "event_id_cnty": "AFG70001", "event_id_no_cnty": "70001",
        "event_date": "2025-11-25", "year": "2025", "time_precision": "1", "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike", "actor1": "Military Forces of Pakistan (2018-)", "assoc_actor_1": "",
        "inter1": "8", "actor2": "Civilians (Afghanistan)", "assoc_actor_2": "", "inter2": "7", "interaction": "78",
        "region": "Caspian Central Asia", "country": "Afghanistan", "admin1": "Khost", "admin2": "Gurbuz",
        "admin3": "", "location": "Mughalgai", "latitude": "33.2800", "longitude": "69.9500", "geo_precision": "1",
        "source": "Made-up Daily", "source_scale": "National", "notes": "Made-up event for the tests.",
        "fatalities": "10", "timestamp": "1764000000", "iso3": "AFG",
    }  # fmt: skip
    row.update({k: str(v) for k, v in values.items()})
    return row


def acled_csv(path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = CODEBOOK_COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])
    return path


def gdelt_row(**values: Any) -> list[str]:
    row = dict.fromkeys(V2, "")
    row.update(
        GLOBALEVENTID="1250000001", SQLDATE="20251125", MonthYear="202511", Year="2025", FractionDate="2025.8959",
        Actor1Code="PAKMIL", Actor1Name="PAKISTAN", Actor2Code="AFG", Actor2Name="AFGHANISTAN", IsRootEvent="1",
        EventCode="195", EventBaseCode="195", EventRootCode="19", QuadClass="4", GoldsteinScale="-10.0",
        NumMentions="10", NumSources="2", NumArticles="10", AvgTone="-8.1", ActionGeo_Type="4",
        ActionGeo_FullName="Khost, Khowst, Afghanistan", ActionGeo_CountryCode="AF", ActionGeo_ADM1Code="AF37",
        ActionGeo_Lat="33.33", ActionGeo_Long="69.92", ActionGeo_FeatureID="-3378435", DATEADDED="20251125120000",
        SOURCEURL="https://example.org/news/khost",
    )  # fmt: skip
    row.update({k: str(v) for k, v in values.items()})
    return [row[c] for c in V2]


def gdelt_tsv(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def ucdp_row(**values: Any) -> dict[str, str]:
    row = dict.fromkeys(UCDP_COLUMNS, "")
    row.update(
        id="900001", year="2025", type_of_violence="1", side_a="Government of Pakistan",
        side_b="Government of Afghanistan", source_article="Made-up article", where_prec="1", adm_1="Khost province",
        adm_2="Gurbuz district", latitude="33.29", longitude="69.96", country="Afghanistan", country_id="700",
        region="Asia", date_prec="1", date_start="2025-11-25", date_end="2025-11-25", best="10", low="8", high="12",
    )  # fmt: skip
    row.update({k: str(v) for k, v in values.items()})
    return row


def ucdp_csv(
    path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = UCDP_COLUMNS, delimiter: str = ","
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path
