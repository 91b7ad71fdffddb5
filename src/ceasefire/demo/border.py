"""The demo's border timeline, from public reporting on 2025 (context/FACTS.md), built through border/services.

What is reported: every crossing closed on 11–12 Oct 2025; Torkham reopened on 1 Nov 2025 for returning refugees
and deportees only while trade stayed suspended for over 100 days; 4,000–5,000 trucks waited at Torkham; the
Afghan estimate of losses was about USD 200 million a month; UNHCR counted 931,700 returns from Pakistan between
1 Apr and 13 Dec 2025, 135,200 of them deportations; cross-border fire at Chaman–Spin Boldak on 5–6 Dec 2025.

What is the demo's own: exact hours (reports give days), the daily flow figures (UNHCR's period totals spread
evenly, labelled as an estimate in every row), the weekly "0 trucks crossed" rows (what a suspension of trade
means, labelled so), and the conflicting Chaman declarations of 1 Nov (a scenario for the mediators to resolve,
labelled in their reasons).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction

from ceasefire.border.models import StatusDeclaration
from ceasefire.border.services import (
    cite_flows,
    claim_losses,
    declare_status,
    import_flow_csv,
    link_closure,
    record_trade_day,
    report_obstacle,
    update_crossing,
    update_obstacle,
)
from ceasefire.core.models import Membership
from ceasefire.geo.models import Crossing
from ceasefire.incidents.models import Complaint

from .mechanism import Mechanism

FLOWS_FILE = Path(__file__).resolve().parent / "data" / "border_flows_2025.csv"
PRESS = "Press reports, Oct 2025 (as summarised in the mechanism's context notes)"
CLOSED_ALL = dt.datetime(2025, 10, 12, tzinfo=dt.UTC)
TORKHAM_RETURNS = dt.datetime(2025, 11, 1, tzinfo=dt.UTC)
CHAMAN_CLASH = dt.datetime(2025, 12, 5, 12, 0, tzinfo=dt.UTC)
# The five main crossings (FACTS.md), by the start of their registry names.
MAIN_CROSSINGS = ("Torkham", "Chaman", "Ghulam Khan", "Kharlachi", "Angoor Adda")


def _crossing(name_start: str) -> Crossing:
    return Crossing.objects.get(name__startswith=name_start)


def load_border_demo(mechanism: Mechanism) -> bool:
    """Load the border timeline once; False when it is there already (any declaration means a previous load)."""
    if StatusDeclaration.objects.exists():
        return False
    m = mechanism.members
    observer, secretariat = m["tr-investigator"], m["tr-secretariat"]
    af, pk = m["af-liaison"], m["pk-liaison"]
    torkham, chaman = _crossing("Torkham"), _crossing("Chaman")
    with transaction.atomic():
        closures = {}
        for name in MAIN_CROSSINGS:
            closures[name] = declare_status(
                observer,
                crossing=_crossing(name),
                status="closed",
                effective_at=CLOSED_ALL,
                reason="All crossings closed after the border clashes of 11–12 Oct 2025 (as reported).",
                source=PRESS,
            )
        declare_status(
            pk,
            crossing=torkham,
            status="restricted",
            restriction="returns_deportations_only",
            effective_at=TORKHAM_RETURNS,
            reason="Opened for returning refugees and deportees only; trade stays suspended (as reported).",
            source=PRESS,
        )
        declare_status(
            pk,
            crossing=chaman,
            status="restricted",
            restriction="returns_deportations_only",
            effective_at=TORKHAM_RETURNS,
            reason="Demo scenario: Pakistan declares Chaman open to returns as at Torkham.",
            notice_hours=24,
            source="Demo scenario",
        )
        declare_status(
            af,
            crossing=chaman,
            status="closed",
            effective_at=TORKHAM_RETURNS + dt.timedelta(hours=6),
            reason="Demo scenario: the Afghan side reports the gate stayed shut to everyone.",
            source="Demo scenario",
        )
        declare_status(
            observer,
            crossing=chaman,
            status="closed",
            effective_at=CHAMAN_CLASH,
            reason="About two hours of cross-border fire at Chaman–Spin Boldak, 5–6 Dec 2025 (as reported).",
            source="Press reports, Dec 2025",
        )
        import_flow_csv(secretariat, FLOWS_FILE.read_bytes(), file_name=FLOWS_FILE.name)
        _trade(secretariat, torkham)
        claim_losses(
            af,
            period_start=dt.date(2025, 10, 12),
            period_end=dt.date(2025, 11, 11),
            amount_usd=200_000_000,
            basis="Afghan estimate as reported: about USD 200 million a month of lost trade.",
        )
        obstacle = report_obstacle(
            af,
            kind="route_closure",
            crossing=torkham,
            imposed_by=mechanism.parties["PK"],
            observed_from=dt.date(2025, 10, 12),
            description="Trade through Torkham suspended since the closure of 12 Oct 2025; since 1 Nov only "
            "returning refugees and deportees cross.",
        )
        update_obstacle(
            observer, obstacle, status="confirmed", note="Mediators' observation: no trucks crossed (as reported)."
        )
        update_crossing(
            secretariat,
            _crossing("Ghulam Khan"),
            changes={"notes": _crossing("Ghulam Khan").notes + " Secretariat: coordinate under review."},
            note="The published coordinate lies about 11 km inside Afghanistan.",
        )
        _link_complaints(mechanism, closures)
    return True


def _trade(member: Membership, torkham: Crossing) -> None:
    record_trade_day(
        member,
        crossing=torkham,
        day=dt.date(2025, 10, 15),
        trucks_waiting=4000,
        trucks_waiting_high=5000,
        source="press",
        goods_held="Fresh fruit and vegetables, coal, transit cargo",
        source_note="4,000–5,000 trucks reported waiting at Torkham (Oct 2025).",
    )
    day = dt.date(2025, 10, 12)
    while day <= dt.date(2026, 1, 25):  # more than 100 days of suspended trade
        record_trade_day(
            member,
            crossing=torkham,
            day=day,
            trucks_crossed=0,
            source="estimate",
            source_note="Follows from the reported suspension of trade; not a count.",
        )
        day += dt.timedelta(days=7)


# (complaint title, what it cites)
CLOSURE_COMPLAINTS = {
    "Torkham kept closed after the Doha ceasefire": "Torkham",
    "Chaman–Spin Boldak crossing closed without notice": "Chaman",
}
FLOW_COMPLAINTS = {
    "Mass deportation of registered refugees through Torkham": ("Torkham", "deportation"),
    "Families from Quetta expelled through Chaman in winter": ("Chaman", ""),
}


def _link_complaints(mechanism: Mechanism, closures: dict[str, StatusDeclaration]) -> None:
    """Demo complaints about closures and expulsions cite the border facts, as their filers would."""
    liaisons = [member for name, member in mechanism.members.items() if name.endswith("-liaison")]

    def filed(title: str) -> tuple[Membership, Complaint] | None:
        for member in liaisons:  # the filing party sees its own complaint through the one visibility rule
            complaint = Complaint.objects.visible_to(member).filter(complainant=member.party, title=title).first()
            if complaint is not None:
                return member, complaint
        return None

    for title, crossing_name in CLOSURE_COMPLAINTS.items():
        found = filed(title)
        if found is not None:
            link_closure(found[0], complaint=found[1], declaration=closures[crossing_name])
    for title, (crossing_name, category) in FLOW_COMPLAINTS.items():
        found = filed(title)
        if found is not None:
            cite_flows(
                found[0],
                complaint=found[1],
                crossing=_crossing(crossing_name),
                date_from=dt.date(2025, 10, 1),
                date_to=dt.date(2025, 12, 13),
                category=category,
            )
