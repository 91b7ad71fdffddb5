"""Correlation: the engine's window, compatibility and ranking with exact expected orders, and the services that
store candidates, record investigators' decisions and group two complaints under one incident."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from ingest_helpers import acled_csv, acled_row, gdelt_row, gdelt_tsv
from support import islamabad_attack_draft, khost_strike_draft

from ceasefire.core.errors import Conflict, NotPermitted, NotVisible, ValidationFailed
from ceasefire.incidents.models import Complaint
from ceasefire.incidents.services import file_complaint
from ceasefire.incidents.versions import complaint_version, is_sealed
from ceasefire.ingest import correlation
from ceasefire.ingest.correlation import COMPATIBLE, SAME, Points, match_complaints, match_events
from ceasefire.ingest.enums import LinkStatus
from ceasefire.ingest.models import CorrelationLink
from ceasefire.ingest.queries import corroboration_for_complaint, links_for_complaint
from ceasefire.ingest.services import decide_link, group_complaints, import_events, refresh_correlations
from ceasefire.ledger.models import LogEntry
from ceasefire.ledger.versions import domain_problems

KM = 1 / 111.19508  # degrees of latitude per km on the sphere reference.py measures on
DAY = 20417  # 2025-11-25 as days since 1970-01-01


def _events(rows: list[tuple[int, float, int, float, tuple[str, str, str]]]) -> Points:
    """(id, km north of the complaint, day offset, uncertainty km, (source, type, category))."""
    kinds = sorted({r[4] for r in rows})
    return Points(
        np.array([r[0] for r in rows]), np.full(len(rows), 69.95), np.array([33.28 + r[1] * KM for r in rows]),
        np.array([DAY + r[2] for r in rows]), np.array([DAY + r[2] for r in rows]), np.array([r[3] for r in rows]),
        np.array([kinds.index(r[4]) for r in rows]), kinds,
    )  # fmt: skip


def _complaints(*rows: tuple[int, float, int, str]) -> Points:
    """(id, km north, day offset, category)."""
    return Points(
        np.array([r[0] for r in rows]), np.full(len(rows), 69.95), np.array([33.28 + r[1] * KM for r in rows]),
        np.array([DAY + r[2] for r in rows]), np.array([DAY + r[2] for r in rows]), np.zeros(len(rows)),
        np.array([correlation.CATEGORIES.index(r[3]) for r in rows]), slack_days=np.zeros(len(rows), dtype=np.int64),
    )  # fmt: skip


AIR = ("acled", "Explosions/Remote violence/Air/drone strike", "air_strike")
CAMEO_AIR = ("gdelt", "195", "air_strike")
UCDP_STATE = ("ucdp", "1", "armed_clash")
PROTEST = ("acled", "Protests/Peaceful protest", "")


@pytest.mark.unit
def test_events_are_ranked_by_score_with_exact_order():
    events = _events(
        [
            (1, 1.0, 0, 0.0, AIR),  # 1 km, same day, same category
            (2, 10.0, 1, 0.0, CAMEO_AIR),  # 10 km, a day apart
            (3, 5.0, 0, 0.0, UCDP_STATE),  # 5 km, compatible only
            (4, 30.0, 0, 0.0, AIR),  # beyond 25 km
            (5, 30.0, 0, 50.0, AIR),  # 30 km but placed only to the district: window 75 km
            (6, 0.0, 3, 0.0, AIR),  # three days later: beyond ±2 days
            (7, 0.0, 0, 0.0, PROTEST),  # incompatible category
            (8, 0.0, -1, 0.0, AIR),  # the day before, same place
        ]
    )

    found = correlation.rank(match_events(_complaints((100, 0.0, 0, "air_strike")), events))

    assert [c.target_id for c in found] == [1, 8, 5, 3, 2]
    by_id = {c.target_id: c for c in found}
    assert by_id[1].score == pytest.approx(0.35 * (1 - 1 / 25) + 0.35 + 0.2, abs=1e-6)
    assert by_id[8].score == pytest.approx(0.35 + 0.35 * (1 - 1 / 3) + 0.2, abs=1e-6)
    assert by_id[5].score == pytest.approx(0.35 * (1 - 30 / 75) + 0.35 + 0.2, abs=1e-6)
    assert by_id[3].score == pytest.approx(0.35 * (1 - 5 / 25) + 0.35 + 0.1, abs=1e-6)
    assert (by_id[3].category, by_id[1].category) == (COMPATIBLE, SAME)
    assert by_id[2].reasons()["gap_days"] == 1 and by_id[5].reasons()["radius_km"] == 75.0


@pytest.mark.unit
def test_actor_match_raises_a_candidate_above_an_otherwise_better_one():
    events = _events([(1, 2.0, 0, 0.0, AIR), (2, 1.0, 0, 0.0, AIR)])
    found = {c.target_id: c for c in match_events(_complaints((100, 0.0, 0, "air_strike")), events)}
    assert [c.target_id for c in correlation.rank(found.values())] == [2, 1]

    ranked = correlation.rank([correlation.with_actors(found[1], ["Pakistan Air Force"]), found[2]])

    assert [c.target_id for c in ranked] == [1, 2]
    assert ranked[0].reasons()["actors"] == ["Pakistan Air Force"]


@pytest.mark.unit
def test_latitude_band_holds_every_event_within_reach():
    # Due north and due south at the very edge of reach: 25 km + the complaint's 100 + the event's 100.
    complaints = _complaints((100, 0.0, 0, "air_strike"), (101, 40.0, 0, "air_strike"))
    complaints.uncertainty_km = np.array([100.0, 0.0])
    edge = 224.9
    events = _events([(1, edge, 0, 100.0, AIR), (2, -edge, 0, 100.0, AIR), (3, 40.0 + 125.0, 0, 100.0, AIR)])
    south, north = correlation.latitude_band(complaints)

    assert {c.target_id for c in match_events(complaints, events)} == {1, 2, 3}
    assert all(south <= lat <= north for lat in events.lat)
    assert north < 33.28 + 40.0 * KM + 226.0 * KM and south > 33.28 - 226.0 * KM


@pytest.mark.unit
def test_events_outside_the_latitude_band_never_match():
    rng = np.random.default_rng(3)
    n, m = 200, 5000
    complaints = Points(
        np.arange(n), rng.uniform(68, 72, n), rng.uniform(31, 35, n), DAY + rng.integers(0, 30, n),
        DAY + rng.integers(30, 32, n), rng.choice([0.0, 5.0, 50.0, 100.0], n),
        rng.integers(0, len(correlation.CATEGORIES), n), slack_days=rng.choice([0, 7], n),
    )  # fmt: skip
    kinds = [AIR, CAMEO_AIR, UCDP_STATE, PROTEST]
    first = DAY + rng.integers(-5, 40, m)
    events = Points(
        np.arange(m), rng.uniform(66, 74, m), rng.uniform(27, 39, m), first, first + rng.integers(0, 3, m),
        rng.choice([0.0, 25.0, 50.0, 100.0], m), rng.integers(0, len(kinds), m), kinds,
    )  # fmt: skip
    south, north = correlation.latitude_band(complaints)
    inside = (events.lat >= south) & (events.lat <= north)
    banded = Points(
        events.ids[inside], events.lon[inside], events.lat[inside], events.first_day[inside],
        events.last_day[inside], events.uncertainty_km[inside], events.kind[inside], kinds,
    )  # fmt: skip

    found = match_events(complaints, events)

    assert 0 < inside.sum() < m and len(found) > 100
    assert match_events(complaints, banded) == found


@pytest.mark.unit
def test_complaint_pairs_need_window_and_compatible_category():
    complaints = _complaints(
        (1, 0.0, 0, "cross_border_fire"),
        (2, 11.0, 0, "cross_border_fire"),  # the other side's account, 11 km off
        (3, 5.0, 0, "armed_clash"),  # compatible category
        (4, 3.0, 0, "forced_expulsion"),  # incompatible
        (5, 60.0, 0, "cross_border_fire"),  # too far from all
    )

    pairs = correlation.rank(match_complaints(complaints))

    # 11 km with the same category (0.746) beats 5 km compatible (0.73) and 6 km compatible (0.716).
    assert [(c.complaint_id, c.target_id) for c in pairs] == [(1, 2), (1, 3), (2, 3)]


# --- services over the database ---


@pytest.fixture
def khost_events(db, tmp_path):
    """External events around the Khost strike complaint (33.28 N 69.95 E, 24-25 Nov 2025)."""
    acled = acled_csv(
        tmp_path / "acled.csv",
        [
            acled_row(event_id_cnty="AFG1", latitude="33.2900", actor1="Pakistan Air Force"),
            acled_row(event_id_cnty="AFG2", latitude="33.3500", event_date="2025-11-26"),
            acled_row(event_id_cnty="AFG3", event_type="Protests", sub_event_type="Peaceful protest"),
            acled_row(event_id_cnty="AFG4", latitude="34.5000"),
        ],
    )
    import_events(None, source="acled", path=acled)
    import_events(None, source="gdelt", path=gdelt_tsv(tmp_path / "g.tsv", [gdelt_row()]))


def _targets(links):
    return [
        f"{link.event.source}:{link.event.source_id}" if link.event else link.other_complaint.public_code
        for link in links
    ]


@pytest.mark.integration
def test_refresh_stores_ranked_candidates_mediators_only(af_complaint, khost_events, tr_investigator, af_liaison):
    held = refresh_correlations(tr_investigator, complaints=[af_complaint])

    links = list(links_for_complaint(tr_investigator, af_complaint))
    assert held == 3
    assert _targets(links) == ["acled:AFG1", "gdelt:1250000001", "acled:AFG2"]
    assert links[0].reasons["actors"] == ["Pakistani security forces"]
    assert list(links_for_complaint(af_liaison, af_complaint)) == []
    entry = LogEntry.objects.filter(kind="correlation.refreshed").get()
    assert entry.sealed and entry.record["added"] == 3


@pytest.mark.integration
def test_refresh_keeps_decisions_and_replaces_candidates(af_complaint, khost_events, tr_investigator):
    refresh_correlations(tr_investigator, complaints=[af_complaint])
    first = CorrelationLink.objects.get(event__source_id="AFG1")
    decide_link(tr_investigator, first, confirm=False, note="Different strike.")

    refresh_correlations(tr_investigator, complaints=[af_complaint])

    assert CorrelationLink.objects.get(pk=first.pk).status == LinkStatus.REJECTED
    assert CorrelationLink.objects.filter(complaint=af_complaint).count() == 3


@pytest.mark.integration
def test_confirmed_link_is_corroboration_for_whoever_sees_the_complaint(
    af_complaint, khost_events, tr_investigator, af_liaison, pk_liaison
):
    refresh_correlations(tr_investigator, complaints=[af_complaint])
    link = CorrelationLink.objects.get(event__source_id="AFG1")

    decide_link(tr_investigator, link, confirm=True, note="Same strike.")

    assert [c.pk for c in corroboration_for_complaint(af_complaint, af_liaison)] == [link.pk]
    assert corroboration_for_complaint(af_complaint, pk_liaison) == []  # not notified: PK cannot see it
    assert _targets(links_for_complaint(af_liaison, af_complaint)) == ["acled:AFG1"]
    entry = LogEntry.objects.get(kind="correlation.confirmed")
    assert (entry.subject_code, entry.sealed, entry.record["target"]) == (af_complaint.public_code, True, "acled:AFG1")


@pytest.mark.integration
def test_decisions_are_investigators_and_only_once(
    af_complaint, khost_events, tr_investigator, secretariat, af_liaison
):
    refresh_correlations(tr_investigator, complaints=[af_complaint])
    link = CorrelationLink.objects.get(event__source_id="AFG1")

    with pytest.raises(NotPermitted):
        decide_link(secretariat, link, confirm=True)
    with pytest.raises(NotVisible):
        decide_link(af_liaison, link, confirm=True)
    with pytest.raises(NotPermitted):
        refresh_correlations(af_liaison, complaints=[af_complaint])
    decide_link(tr_investigator, link, confirm=True)
    with pytest.raises(Conflict):
        decide_link(tr_investigator, link, confirm=False)


@pytest.fixture
def chaman_pair(af_liaison, pk_liaison):
    """Each side blames the other for one exchange of fire at Chaman / Spin Boldak, 5 Dec 2025."""
    af = file_complaint(
        af_liaison,
        khost_strike_draft(category="cross_border_fire", latitude=31.0058, longitude=66.3965, actors=["pk-forces"],
                           starts_at=dt.datetime(2025, 12, 5, 17, 30, tzinfo=dt.UTC),
                           ends_at=dt.datetime(2025, 12, 5, 19, 0, tzinfo=dt.UTC)),
    )  # fmt: skip
    pk = file_complaint(
        pk_liaison,
        islamabad_attack_draft(category="cross_border_fire", latitude=30.9177, longitude=66.4526, actors=["af-forces"],
                               starts_at=dt.datetime(2025, 12, 5, 17, 15, tzinfo=dt.UTC),
                               ends_at=dt.datetime(2025, 12, 5, 18, 0, tzinfo=dt.UTC)),
    )  # fmt: skip
    return af, pk


@pytest.mark.integration
def test_two_complaints_are_suggested_and_grouped_by_a_mediator(chaman_pair, tr_investigator, af_liaison):
    af, pk = chaman_pair
    refresh_correlations(None)
    link = CorrelationLink.objects.get(other_complaint__isnull=False)
    assert {link.complaint_id, link.other_complaint_id} == {af.pk, pk.pk}
    assert list(links_for_complaint(af_liaison, af)) == []

    with pytest.raises(ValidationFailed):
        decide_link(tr_investigator, link, confirm=True)
    moved = group_complaints(tr_investigator, link, note="One exchange of fire.")

    assert moved.pk == pk.pk and moved.incident_id == af.incident_id
    entry = LogEntry.objects.filter(kind="complaint.grouped").get()
    moved = Complaint.objects.get(pk=pk.pk)
    assert entry.subject_code == pk.public_code
    assert entry.record == complaint_version(moved)
    assert entry.sealed == is_sealed(moved)
    _records, problems = domain_problems(50)
    assert problems == []
    with pytest.raises(Conflict):
        group_complaints(tr_investigator, link)
