"""Benchmark fixture data: the demo mechanism, API tokens, points inside the area, a bulk load of complaints.

BENCHMARK FIXTURE DATA ONLY. `bulk_complaints` writes Incident and Complaint rows (and their commitments,
actors and casualty claims) straight through the ORM's bulk_create, without `file_complaint` and without
transparency-log entries, because filing 100k complaints one by one through the API would take most of an
hour. The rows are shaped like real ones (valid public codes, states with notification dates, both parties,
provinces and sides computed by geo/ from real coordinates, dates spread over the months since the agreement)
so the list queries meet realistic data. The product's write path is untouched: nothing in src/ calls this.

Run as a script it works on the database named by the CEASEFIRE_* environment:
    python bench/seed.py prepare --password PW   -> JSON on stdout: tokens, filing points, web paths
    python bench/seed.py complaints --total N    -> adds complaints until N exist
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import secrets
import sys
from dataclasses import dataclass
from typing import Any

if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceasefire.settings")
    django.setup()

from django.db import connection, transaction
from django.db.models import Count
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from ceasefire.agreements.models import Agreement
from ceasefire.core.codes import ALPHABET, CODE_LENGTH
from ceasefire.core.enums import TLP
from ceasefire.core.models import Membership, Party
from ceasefire.demo.mechanism import AGREEMENT_CODE, build_mechanism
from ceasefire.geo.queries import Placement, locate
from ceasefire.geo.reference import reference
from ceasefire.incidents.enums import RESPONDENT_VISIBLE_STATES, Category, ComplaintState, TimePrecision
from ceasefire.incidents.models import Actor, CasualtyClaim, Complaint, Incident

# A box around both countries; points are drawn in it and kept only when inside the mechanism's area.
LON_RANGE, LAT_RANGE = (60.4, 77.9), (23.6, 38.5)
SINCE = dt.datetime(2025, 10, 19, tzinfo=dt.UTC)  # the Doha ceasefire

# What each side typically alleges against the other: (category, commitment codes, actor codes).
ALLEGATIONS = {
    "AF": [
        ("air_strike", ["C2", "C3"], ["pk-forces"]),
        ("cross_border_fire", ["C1", "C3"], ["pk-forces"]),
        ("airspace_violation", ["C2"], ["pk-forces"]),
        ("crossing_closure", ["C7"], ["pk-forces"]),
        ("forced_expulsion", ["C9"], ["pk-forces"]),
        ("militant_sanctuary", ["C6"], ["nrf"]),
    ],
    "PK": [
        ("militant_attack", ["C4", "C5"], ["ttp"]),
        ("cross_border_fire", ["C1", "C3"], ["af-forces"]),
        ("ground_incursion", ["C2"], ["af-forces"]),
        ("armed_clash", ["C1"], ["af-forces"]),
        ("militant_sanctuary", ["C4", "C5"], ["ttp", "hafiz-gul-bahadur"]),
        ("trade_obstruction", ["C8"], []),
    ],
}
STATE_WEIGHTS = {
    ComplaintState.DRAFT: 2,
    ComplaintState.SUBMITTED: 18,
    ComplaintState.NOTIFIED: 25,
    ComplaintState.UNDER_INVESTIGATION: 25,
    ComplaintState.FINDINGS_READY: 5,
    ComplaintState.DETERMINED: 10,
    ComplaintState.CLOSED: 10,
    ComplaintState.WITHDRAWN: 3,
    ComplaintState.REJECTED_INADMISSIBLE: 2,
}
NARRATIVES = [
    "Witnesses in {province} report {what} near the reference line; local elders confirmed damage to homes.",
    "{what} was reported in {province} at night; the district office counted the casualties next day.",
    "Border police in {province} observed {what}; photographs and a medical report are attached.",
]


@dataclass(frozen=True)
class SitePoint:
    latitude: float
    longitude: float
    side: str


def sample_points(count: int, rng: random.Random) -> list[SitePoint]:
    """Points inside either country, most of them near the reference line where incidents cluster."""
    ref = reference()
    points: list[SitePoint] = []
    while len(points) < count:
        lon, lat = rng.uniform(*LON_RANGE), rng.uniform(*LAT_RANGE)
        side = ref.side_of(lon, lat)
        if side not in ("AF", "PK"):
            continue
        if ref.distance_to_line_km(lon, lat) > 150 and rng.random() > 0.25:
            continue
        points.append(SitePoint(round(lat, 4), round(lon, 4), side))
    return points


def prepare(password: str, *, points: int = 400) -> dict[str, Any]:
    """Build the demo mechanism, issue the benchmark's API tokens, and say which web pages exist."""
    from ceasefire.core.services import issue_token

    mechanism = build_mechanism(password=password)
    tokens = {
        name: issue_token(mechanism.members[name], name="bench")[1]
        for name in ("af-liaison", "pk-liaison", "tr-investigator")
    }
    try:
        login_path = reverse("web:login")
    except NoReverseMatch:
        login_path = None
    try:
        resolve("/complaints/")
        web_list = True
    except Resolver404:
        web_list = False
    return {
        "tokens": tokens,
        "points": [p.__dict__ for p in sample_points(points, random.Random(7))],
        "login_path": login_path,
        "web_list": web_list,
    }


def _unique_codes(prefix: str, model: Any, years: list[int]) -> list[str]:
    taken = set(model.objects.values_list("public_code", flat=True))
    codes = []
    for year in years:
        while True:
            code = f"{prefix}-{year}-{''.join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))}"
            if code not in taken:
                taken.add(code)
                codes.append(code)
                break
    return codes


def bulk_complaints(count: int, *, seed: int = 1, batch: int = 5000, pool_size: int = 300) -> int:
    """Add `count` complaints between AF and PK in bulk (fixture data, see the module docstring)."""
    rng = random.Random(seed)
    agreement = Agreement.objects.get(code=AGREEMENT_CODE)
    parties = {p.code: p for p in Party.objects.filter(code__in=["AF", "PK"])}
    filers = {code: Membership.objects.get(user__username=f"{code.lower()}-liaison") for code in parties}
    commitments = {c.code: c.pk for c in agreement.commitments.all()}
    actors = {a.code: a.pk for a in Actor.objects.all()}
    # Placing a point costs a few queries; a pool of placed points is reused, as incidents recur in hot spots.
    pool: dict[str, list[tuple[SitePoint, Placement]]] = {"AF": [], "PK": []}
    for point in sample_points(pool_size, rng):
        pool[point.side].append((point, locate(point.longitude, point.latitude)))
    states, weights = list(STATE_WEIGHTS), list(STATE_WEIGHTS.values())
    span = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1) - SINCE).total_seconds()
    done = 0
    while done < count:
        size = min(batch, count - done)
        _bulk_batch(size, rng, agreement, parties, filers, commitments, actors, pool, states, weights, span)
        done += size
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # autovacuum would soon after a real bulk load
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA optimize")
    return done


def _bulk_batch(
    size: int,
    rng: random.Random,
    agreement: Agreement,
    parties: dict[str, Party],
    filers: dict[str, Membership],
    commitments: dict[str, int],
    actors: dict[str, int],
    pool: dict[str, list[tuple[SitePoint, Placement]]],
    states: list[str],
    weights: list[int],
    span: float,
) -> None:
    rows = []
    for _ in range(size):
        complainant = rng.choice(["AF", "PK"])
        respondent = "PK" if complainant == "AF" else "AF"
        # Mostly on the complainant's own side (a strike on its soil), sometimes across the line.
        side = complainant if rng.random() < 0.85 else respondent
        point, placement = rng.choice(pool[side] or pool[complainant])
        category, codes, actor_codes = rng.choice(ALLEGATIONS[complainant])
        starts = SINCE + dt.timedelta(seconds=rng.uniform(0, span))
        rows.append(
            (
                complainant,
                respondent,
                point,
                placement,
                category,
                codes,
                actor_codes,
                starts,
                rng.choices(states, weights)[0],
            )
        )
    with transaction.atomic():
        incident_codes = _unique_codes("INC", Incident, [r[7].year for r in rows])
        incidents = Incident.objects.bulk_create(
            [_incident(r, code, rng) for r, code in zip(rows, incident_codes, strict=True)]
        )
        complaint_codes = _unique_codes("CMP", Complaint, [r[7].year for r in rows])
        complaints = Complaint.objects.bulk_create(
            [
                _complaint(r, incident, code, agreement, parties, filers)
                for r, incident, code in zip(rows, incidents, complaint_codes, strict=True)
            ]
        )
        # Many-to-many rows via the through-models' own bulk_create: one INSERT per batch, not per complaint.
        pairs = list(zip(complaints, rows, strict=True))
        through = Complaint.commitments.through
        through.objects.bulk_create(
            [through(complaint_id=c.pk, commitment_id=commitments[code]) for c, r in pairs for code in r[5]]
        )
        actor_through = Complaint.actors.through
        actor_through.objects.bulk_create(
            [
                actor_through(complaint_id=c.pk, actor_id=actors[code])
                for c, r in pairs
                for code in r[6]
                if code in actors
            ]
        )
        CasualtyClaim.objects.bulk_create(
            [
                CasualtyClaim(
                    complaint=c,
                    claimant_id=c.complainant_id,
                    kind=rng.choice(["killed", "injured"]),
                    status=rng.choice(["civilian", "combatant", "unknown"]),
                    best=rng.randint(1, 12),
                )
                for c in complaints
                if rng.random() < 0.3
            ]
        )


def _incident(row: tuple[Any, ...], code: str, rng: random.Random) -> Incident:
    _, _, point, placement, category, _, _, starts, _ = row
    return Incident(
        public_code=code,
        category=category,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=rng.choice([0, 1, 2, 6])),
        time_precision=rng.choice([TimePrecision.MINUTE, TimePrecision.HOUR, TimePrecision.HOUR, TimePrecision.DAY]),
        latitude=point.latitude,
        longitude=point.longitude,
        place_description="",
        side=placement.side,
        distance_km=placement.distance_km,
        province=placement.province,
        nearest_crossing=placement.nearest_crossing,
        nearest_crossing_km=placement.nearest_crossing_km,
        reference_dataset=placement.dataset,
        created_at=starts + dt.timedelta(hours=6),
    )


def _complaint(
    row: tuple[Any, ...],
    incident: Incident,
    code: str,
    agreement: Agreement,
    parties: dict[str, Party],
    filers: dict[str, Membership],
) -> Complaint:
    complainant, respondent, _, placement, category, _, _, starts, state = row
    filed = starts + dt.timedelta(hours=6)
    submitted = None if state == ComplaintState.DRAFT else filed
    notified = filed + dt.timedelta(days=2) if state in RESPONDENT_VISIBLE_STATES else None
    where = placement.province or f"{incident.latitude:.3f}, {incident.longitude:.3f}"
    title = f"{Category(category).label} — {where}, {starts:%Y-%m-%d}"
    what = str(Category(category).label).lower()
    narrative = NARRATIVES[hash(code) % len(NARRATIVES)].format(province=where, what=what)
    return Complaint(
        public_code=code,
        incident=incident,
        agreement=agreement,
        complainant=parties[complainant],
        respondent=parties[respondent],
        title=title,
        narrative=narrative,
        tlp=TLP.GREEN if hash(code) % 5 == 0 else TLP.AMBER,
        state=state,
        filed_by=filers[complainant],
        created_at=filed,
        submitted_at=submitted,
        notified_at=notified,
        updated_at=notified or filed,
        category=category,
        occurred_at=starts,
        search_text=" ".join([title, narrative, "", placement.province]).lower(),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    prep = sub.add_parser("prepare")
    prep.add_argument("--password", required=True)
    fill = sub.add_parser("complaints")
    fill.add_argument("--total", type=int, required=True, help="add complaints until this many exist")
    args = parser.parse_args(argv)
    if args.command == "prepare":
        json.dump(prepare(args.password), sys.stdout)
    else:
        missing = max(0, args.total - Complaint.objects.count())
        added = bulk_complaints(missing)
        top = Incident.objects.exclude(province="").values("province").annotate(n=Count("pk")).order_by("-n")
        province = top[0]["province"] if top else "khost"
        json.dump({"added": added, "total": Complaint.objects.count(), "province": province}, sys.stdout)


if __name__ == "__main__":
    main()
