"""Helpers of the early-warning tests (a module with its own name, not a conftest.py): complaints filed on given
days at given places, external events imported through the importer, border closures, and running the worker's
job on a given day."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from pathlib import Path
from typing import Any

from support import islamabad_attack_draft, khost_strike_draft

from ceasefire.analytics.alerts_job import run_early_warning
from ceasefire.analytics.alerts_queries import visible_alerts
from ceasefire.analytics.models import Alert
from ceasefire.core.models import Membership
from ceasefire.incidents.models import Complaint
from ceasefire.incidents.services import file_complaint
from ceasefire.ingest.services import import_events
from ceasefire.ingest.sources.ucdp.layout import COLUMNS as UCDP_COLUMNS
from ceasefire.verification import services as workflow

# Khost (Mughalgai) and Kunar (Asadabad): Afghan provinces by the reference polygons, far from every crossing.
KHOST = (33.28, 69.95)
KUNAR = (34.87, 71.15)
# 5 km from Torkham on the Afghan side.
NEAR_TORKHAM = (34.15, 71.04)
STRIKES_PLACE = KHOST
_numbers = itertools.count(1)


def day(*args: int) -> dt.date:
    return dt.date(*args)


def at(when: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime(when.year, when.month, when.day, hour, tzinfo=dt.UTC)


def file_on(
    member: Membership, when: dt.date, *, place: tuple[float, float] = KHOST, submit: bool = True, **fields: Any
) -> Complaint:
    """A complaint by `member`'s party about an incident on `when` at `place` (AF: the Khost strike draft against
    PK; PK: the Islamabad draft against AF)."""
    draft = khost_strike_draft if member.party.code == "AF" else islamabad_attack_draft
    fields.setdefault("narrative", f"Incident number {next(_numbers)} of the early-warning tests.")
    fields.setdefault("place_description", "")
    return file_complaint(
        member,
        draft(
            starts_at=at(when),
            ends_at=at(when, 13),
            latitude=place[0],
            longitude=place[1],
            **fields,
        ),
        submit=submit,
    )


def notify_all(secretariat: Membership, complaints: list[Complaint]) -> None:
    for complaint in complaints:
        workflow.notify_respondent(secretariat, complaint)


def import_ucdp(tmp_path: Path, events: list[tuple[dt.date, tuple[float, float]]], first_id: int = 880000) -> int:
    """External events through the project's importer (a UCDP GED file), one per (day, place)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(UCDP_COLUMNS)
    for number, (when, (latitude, longitude)) in enumerate(events, start=first_id):
        row = dict.fromkeys(UCDP_COLUMNS, "")
        row.update(
            id=str(number), year=str(when.year), type_of_violence="1", side_a="Government of Pakistan",
            side_b="Government of Afghanistan", source_article="Made-up article for the tests", where_prec="1",
            latitude=str(latitude), longitude=str(longitude), country="Afghanistan", country_id="700",
            region="Asia", date_prec="1", date_start=when.isoformat(), date_end=when.isoformat(), best="3",
        )  # fmt: skip
        writer.writerow([row[c] for c in UCDP_COLUMNS])
    path = tmp_path / f"events-{first_id}.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    run = import_events(None, source="ucdp", path=path, operator="tests")
    assert run.rejected == 0, run.rejections
    return run.inserted


def run_on(today: dt.date) -> list[Alert]:
    return run_early_warning(today=today)


def seen_by(member: Membership | None, **filters: Any) -> list[Alert]:
    return list(visible_alerts(member).filter(**filters))


def codes(alerts: list[Alert]) -> set[str]:
    return {a.public_code for a in alerts}
