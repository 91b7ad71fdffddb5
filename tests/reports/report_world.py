"""A constructed two-week world for the reports tests, built through the services at chosen times.

Week under report: Monday 24 to Sunday 30 November 2025; the previous week: 17 to 23 November.

previous week  Tue 18  PK files `pk_old` (militant attack; PK claims 12 killed, 27 injured), AF is notified
this week      Tue 25  AF files `af_a` (air strike; AF claims 10 civilians killed)
                       AF files `af_b` (cross-border fire; AF claims 3 killed, 4 injured)
                       PK files `pk_new` (militant attack; 12 killed, 27 injured)
               Wed 26  AF is notified of `pk_new`
                       PK files `pk_hidden` (airspace violation; PK claims 77 killed): never notified
                       PK keeps `pk_draft` (other hostile act) as a draft
               Thu 27  `pk_old` determined: breach confirmed, attributed to AF
                       `af_a` notified to PK, investigated and determined: not substantiated
                       AF declares Torkham closed (no notice, no reason); flows recorded both weeks

So AF received 3 complaints this week (af_a, af_b filed; pk_new notified) against 1 the week before (pk_old
notified); the mediators received 4 (pk_hidden too); PK received 3 (pk_new, pk_hidden filed; af_a notified).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import time_machine
from support import islamabad_attack_draft, khost_strike_draft
from verification.wf_steps import Cast, determine, drive

from ceasefire.border.flowcsv import FlowRow
from ceasefire.border.services import declare_status, record_flows
from ceasefire.geo.models import Crossing
from ceasefire.incidents.drafts import CasualtyFigure
from ceasefire.incidents.enums import ComplaintState
from ceasefire.incidents.models import Complaint
from ceasefire.incidents.services import file_complaint
from ceasefire.verification import services as workflow

WEEK = dt.date(2025, 11, 24)
PREVIOUS_WEEK = dt.date(2025, 11, 17)


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def day(offset: int) -> dt.date:
    """A day of the week under report: 0 is Monday the 24th."""
    return WEEK + dt.timedelta(days=offset)


@dataclass
class ReportWorld:
    cast: Cast
    pk_old: Complaint
    af_a: Complaint
    af_b: Complaint
    pk_new: Complaint
    pk_hidden: Complaint
    pk_draft: Complaint

    @property
    def invisible_to_af(self) -> list[Complaint]:
        return [self.pk_hidden, self.pk_draft]


def _incident(when: dt.datetime) -> dict[str, object]:
    return {"starts_at": when - dt.timedelta(hours=6), "ends_at": when - dt.timedelta(hours=5)}


def build_world(cast: Cast) -> ReportWorld:
    with time_machine.travel(at(PREVIOUS_WEEK + dt.timedelta(days=1), 10), tick=False):
        pk_old = file_complaint(cast.pk_liaison, islamabad_attack_draft())
    with time_machine.travel(at(PREVIOUS_WEEK + dt.timedelta(days=1), 11), tick=False):
        workflow.notify_respondent(cast.secretariat, pk_old)
    with time_machine.travel(at(day(1), 9), tick=False):
        af_a = file_complaint(cast.af_liaison, khost_strike_draft(**_incident(at(day(1), 9))))
        af_b = file_complaint(
            cast.af_liaison,
            khost_strike_draft(
                category="cross_border_fire",
                casualties=[
                    CasualtyFigure(kind="killed", status="civilian", best=3),
                    CasualtyFigure(kind="injured", status="civilian", best=4),
                ],
                **_incident(at(day(1), 9)),
            ),
        )
    with time_machine.travel(at(day(1), 10), tick=False):
        pk_new = file_complaint(cast.pk_liaison, islamabad_attack_draft(**_incident(at(day(1), 10))))
    with time_machine.travel(at(day(2), 9), tick=False):
        workflow.notify_respondent(cast.secretariat, pk_new)
    with time_machine.travel(at(day(2), 10), tick=False):
        pk_hidden = file_complaint(
            cast.pk_liaison,
            islamabad_attack_draft(
                category="airspace_violation",
                casualties=[CasualtyFigure(kind="killed", status="combatant", best=77)],
                **_incident(at(day(2), 10)),
            ),
        )
        pk_draft = file_complaint(
            cast.pk_liaison,
            islamabad_attack_draft(category="other_hostile_act", **_incident(at(day(2), 10))),
            submit=False,
        )
    for complaint in (pk_old, pk_new):
        complaint.refresh_from_db()  # notified meanwhile
    with time_machine.travel(at(day(3), 10), tick=False):
        drive(cast, ComplaintState.DETERMINED, pk_old)
        drive(cast, ComplaintState.FINDINGS_READY, af_a)
        determine(cast, af_a, outcome="not_substantiated", reasons="No trace of the strike was found.")
        _border(cast)
    for complaint in (pk_old, af_a, af_b, pk_new, pk_hidden, pk_draft):
        complaint.refresh_from_db()
    return ReportWorld(cast, pk_old, af_a, af_b, pk_new, pk_hidden, pk_draft)


def _border(cast: Cast) -> None:
    torkham = Crossing.objects.get(slug="torkham")
    declare_status(cast.af_liaison, crossing=torkham, status="closed", effective_at=at(day(3), 6))
    rows = [
        FlowRow(day=d, crossing="torkham", direction="to_af", category="return", total=total)
        for d, total in ((PREVIOUS_WEEK + dt.timedelta(days=2), 100), (day(0), 150), (day(2), 250))
    ]
    rows.append(FlowRow(day=day(2), crossing="torkham", direction="to_af", category="deportation", total=40))
    record_flows(cast.af_liaison, rows)
