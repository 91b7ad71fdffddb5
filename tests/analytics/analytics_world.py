"""A small constructed mechanism for the analytics tests, built through the services: complaints in known states,
casualty claims by both sides, a reply at a known delay, a determination, requests for action, closures, and
records one party may not see carrying markers, so every figure has an exact expected value.

What each party sees (complaints filed, drafts aside):
- AF: A1 (its own, determined breach by PK), A2 (its own, submitted only), P1 (PK's, notified to AF);
- PK: A1 (notified to it), P1 (its own), P3 (its own, submitted only: AF may not see it, and it carries LEAKMARK);
- mediators: A1, A2, P1, P3.
Drafts (A-draft by AF, P4 by PK with LEAKMARK) are counted by no one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import time_machine
from django.core.cache import cache
from support import islamabad_attack_draft, khost_strike_draft

from ceasefire.border.services import declare_status
from ceasefire.core.models import Membership
from ceasefire.demo.mechanism import Mechanism
from ceasefire.geo.models import Crossing
from ceasefire.incidents.drafts import CasualtyFigure
from ceasefire.incidents.models import Complaint
from ceasefire.incidents.services import file_complaint
from ceasefire.intel.drafts import IntelDraft, RequestDraft
from ceasefire.intel.models import IntelItem
from ceasefire.intel.services import rate_response, record_action, save_item
from ceasefire.verification import services as workflow

MARK = "LEAKMARK"
T0 = dt.datetime(2025, 11, 26, 8, 0, tzinfo=dt.UTC)  # when the respondents are notified
A1_REPLY_HOURS = 5.0
P1_REPLY_HOURS = 30.0


@dataclass
class World:
    mechanism: Mechanism
    a1: Complaint
    a2: Complaint
    a_draft: Complaint
    p1: Complaint
    p3: Complaint
    p4: Complaint
    answered: IntelItem
    overdue: IntelItem
    hidden_intel: IntelItem

    def member(self, username: str) -> Membership:
        return self.mechanism.members[username]


def build_world(mechanism: Mechanism) -> World:
    cache.clear()  # the dashboard's daily figures live in the (per-process) cache
    m = mechanism.members
    af, pk = m["af-liaison"], m["pk-liaison"]
    secretariat = m["tr-secretariat"]
    a1 = file_complaint(af, khost_strike_draft(title="Strike on Mughalgai"))
    a2 = file_complaint(
        af,
        khost_strike_draft(
            category="cross_border_fire",
            title="Shelling in Kunar",
            starts_at=dt.datetime(2025, 11, 3, 6, 0, tzinfo=dt.UTC),
            ends_at=dt.datetime(2025, 11, 3, 7, 0, tzinfo=dt.UTC),
            latitude=34.87,
            longitude=71.15,
            commitments=["C1"],
            place_description="Asadabad",
            casualties=[CasualtyFigure(kind="injured", status="civilian", best=4)],
        ),
    )
    a_draft = file_complaint(af, khost_strike_draft(title="An AF draft"), submit=False)
    p1 = file_complaint(pk, islamabad_attack_draft(title="Court bombing"))
    p3 = file_complaint(
        pk,
        islamabad_attack_draft(
            category="trade_obstruction",
            title=f"{MARK}-P3 trucks held",
            narrative=f"{MARK}-P3 narrative: trucks held at the crossing.",
            starts_at=dt.datetime(2025, 11, 15, 9, 0, tzinfo=dt.UTC),
            ends_at=dt.datetime(2025, 11, 15, 10, 0, tzinfo=dt.UTC),
            latitude=30.19,
            longitude=67.01,
            commitments=["C8"],
            actors=[],
            place_description=f"{MARK}-P3 place",
            casualties=[CasualtyFigure(kind="injured", status="unknown", best=7313)],
        ),
    )
    p4 = file_complaint(pk, islamabad_attack_draft(title=f"{MARK}-P4 draft"), submit=False)

    with time_machine.travel(T0, tick=False):
        workflow.notify_respondent(secretariat, a1)
        workflow.notify_respondent(secretariat, p1)
    with time_machine.travel(T0 + dt.timedelta(hours=A1_REPLY_HOURS), tick=False):
        workflow.reply_to_complaint(
            pk,
            a1,
            kind="contested",
            account="Our forces struck a militant hideout.",
            casualties=[CasualtyFigure(kind="killed", status="combatant", best=3)],
        )
    with time_machine.travel(T0 + dt.timedelta(hours=P1_REPLY_HOURS), tick=False):
        workflow.reply_to_complaint(af, p1, kind="accepted", account="We accept the facts.")
    a1.refresh_from_db()
    workflow.assign_investigators(secretariat, a1, [m["tr-investigator"]])
    workflow.record_findings(m["tr-investigator"], a1, summary="Two sources confirm the strike.")
    agreement = mechanism.agreement
    determination = workflow.draft_determination(
        m["tr-adjudicator"],
        a1,
        outcome="breach_confirmed",
        reasons="Confirmed by imagery.",
        responsible_party=a1.respondent,
        commitments=[agreement.commitments.get(code="C2")],
    )
    workflow.sign_determination(m["tr-adjudicator"], determination)
    workflow.sign_determination(m["qa-adjudicator"], determination)

    answered, overdue, hidden = _intel(mechanism)
    _closures(mechanism)
    for complaint in (a1, a2, a_draft, p1, p3, p4):
        complaint.refresh_from_db()
    return World(mechanism, a1, a2, a_draft, p1, p3, p4, answered, overdue, hidden)


def _intel(mechanism: Mechanism) -> tuple[IntelItem, IntelItem, IntelItem]:
    """Two AMBER requests from PK to AF (one answered and rated, one overdue) and a PK item AF may not see."""
    m = mechanism.members
    pk, af = m["pk-liaison"], m["af-liaison"]
    with time_machine.travel(T0, tick=False):
        answered = save_item(pk, _request_item("Act against the camp at Dangam", T0 + dt.timedelta(days=3)), share=True)
        overdue = save_item(pk, _request_item("Close the route at Barikot", T0 + dt.timedelta(days=2)), share=True)
        hidden = save_item(
            pk,
            IntelDraft(title=f"{MARK}-INTEL for Türkiye", body=f"{MARK} body", tlp="AMBER", recipients=["TR"]),
            share=True,
        )
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        record_action(af, answered, text="Patrol sent; camp found empty.", taken_on=dt.date(2025, 11, 27))
    with time_machine.travel(T0 + dt.timedelta(days=1, hours=2), tick=False):
        rate_response(pk, answered, rating="partial", note="The camp had moved.")
    return answered, overdue, hidden


def _request_item(title: str, due: dt.datetime) -> IntelDraft:
    return IntelDraft(
        title=title,
        body="A TTP group gathers there.",
        tlp="AMBER",
        recipients=["AF"],
        request=RequestDraft(addressee="AF", what="Disperse the group.", due_at=due),
    )


def _closures(mechanism: Mechanism) -> None:
    """PK closes Torkham with no notice stated (a closure without notice); AF closes Chaman with four days'."""
    m = mechanism.members
    declare_status(
        m["pk-liaison"],
        crossing=Crossing.objects.get(slug="torkham"),
        status="closed",
        effective_at=dt.datetime(2025, 11, 20, 6, 0, tzinfo=dt.UTC),
        reason="Security operation",
    )
    declare_status(
        m["af-liaison"],
        crossing=Crossing.objects.get(slug=chaman_slug()),
        status="closed",
        effective_at=dt.datetime(2025, 11, 21, 6, 0, tzinfo=dt.UTC),
        reason="Road repairs",
        notice_hours=96,
    )


def chaman_slug() -> str:
    return str(Crossing.objects.filter(slug__contains="chaman").values_list("slug", flat=True).first())


def as_dict(rows: list[tuple[str, int]]) -> dict[str, Any]:
    return dict(rows)
