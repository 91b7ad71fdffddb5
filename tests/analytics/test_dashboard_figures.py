"""The dashboard's figures on a constructed mechanism (analytics_world.py): exact counts for each audience,
casualty claims kept per claimant, time buckets, crossings, requests for action and the log's health."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from analytics_world import MARK, World, build_world, chaman_slug
from django.core.cache import cache
from support import khost_strike_draft

from ceasefire.agreements.models import Agreement
from ceasefire.analytics.daily import _key, audience_member, daily_figures
from ceasefire.analytics.dashboard import build_dashboard, period_between
from ceasefire.analytics.dashboard_period import default_period
from ceasefire.analytics.queries import BucketStart, Period
from ceasefire.incidents.models import Complaint
from ceasefire.incidents.services import file_complaint
from ceasefire.ledger.checkpoint import CosignatureSigner
from ceasefire.ledger.checkpoints import latest_witnessed
from ceasefire.ledger.jobs import checkpoint_and_witness
from ceasefire.ledger.keys import ensure_log_key
from ceasefire.ledger.note import Ed25519Signer, parse_verifier_key
from ceasefire.ledger.services import register_witness
from ceasefire.ledger.witness.server import WitnessApp, serve
from ceasefire.ledger.witness.state import WitnessState
from ceasefire.verification.services import notify_respondent

pytestmark = pytest.mark.integration

NOVEMBER = period_between(dt.date(2025, 11, 1), dt.date(2025, 11, 30), bucket="week")


@pytest.fixture
def world(mechanism) -> World:
    return build_world(mechanism)


def _claims(board) -> dict[tuple[str, str, str], int]:
    return {(f.claimant, f.kind, f.status): f.best for f in board.casualties}


def test_af_member_counts_only_what_af_sees(world):
    board = build_dashboard(world.member("af-viewer"), NOVEMBER)
    b = board.breakdowns
    assert b.total == 3
    assert dict(b.category) == {"air_strike": 1, "cross_border_fire": 1, "militant_attack": 1}
    assert dict(b.complainant) == {"AF": 2, "PK": 1}
    assert dict(b.respondent) == {"PK": 2, "AF": 1}
    assert dict(b.state) == {"determined": 1, "submitted": 1, "notified": 1}
    assert dict(b.side) == {"AF": 2, "PK": 1}


def test_pk_member_counts_only_what_pk_sees(world):
    b = build_dashboard(world.member("pk-analyst"), NOVEMBER).breakdowns
    assert b.total == 3
    assert dict(b.category) == {"air_strike": 1, "militant_attack": 1, "trade_obstruction": 1}
    assert dict(b.complainant) == {"PK": 2, "AF": 1}


def test_mediator_counts_every_filed_complaint_and_no_draft(world):
    b = build_dashboard(world.member("tr-investigator"), NOVEMBER).breakdowns
    assert b.total == 4
    assert dict(b.state) == {"determined": 1, "submitted": 2, "notified": 1}
    assert Complaint.objects.filter(state="draft").count() == 2  # the drafts exist, and are not counted


def test_casualties_are_kept_apart_per_claimant(world):
    af_view = _claims(build_dashboard(world.member("af-viewer"), NOVEMBER))
    assert af_view == {
        ("AF", "killed", "civilian"): 10,
        ("AF", "injured", "civilian"): 4,
        ("PK", "killed", "combatant"): 3,
        ("PK", "killed", "civilian"): 12,
        ("PK", "injured", "civilian"): 27,
    }
    pk_view = _claims(build_dashboard(world.member("pk-liaison"), NOVEMBER))
    assert ("AF", "injured", "civilian") not in pk_view  # A2 was never notified to PK
    assert pk_view[("PK", "injured", "unknown")] == 7313


def test_complaints_over_time_are_counted_per_week_and_per_month(world):
    weekly = build_dashboard(world.member("tr-secretariat"), NOVEMBER, by="complainant").over_time
    assert weekly == [
        {"bucket": "2025-11-03", "key": "AF", "count": 1},
        {"bucket": "2025-11-10", "key": "PK", "count": 2},
        {"bucket": "2025-11-24", "key": "AF", "count": 1},
    ]
    monthly = build_dashboard(
        world.member("tr-secretariat"), period_between(dt.date(2025, 10, 1), dt.date(2025, 12, 31), bucket="month")
    )
    assert monthly.over_time == [
        {"bucket": "2025-11-01", "key": "air_strike", "count": 1},
        {"bucket": "2025-11-01", "key": "cross_border_fire", "count": 1},
        {"bucket": "2025-11-01", "key": "militant_attack", "count": 1},
        {"bucket": "2025-11-01", "key": "trade_obstruction", "count": 1},
    ]
    assert monthly.period.labels() == ["2025-10-01", "2025-11-01", "2025-12-01"]


def test_period_bounds_leave_out_complaints_outside_it(world):
    early = period_between(dt.date(2025, 11, 1), dt.date(2025, 11, 10), bucket="week")
    assert build_dashboard(world.member("tr-secretariat"), early).breakdowns.total == 1  # A2 only


def test_bucket_start_in_sql_matches_python(world):
    rows = dict(
        Complaint.objects.filter(pk__in=[world.a1.pk, world.a2.pk, world.p3.pk]).values_list(
            "public_code", BucketStart("occurred_at", bucket="week")
        )
    )
    assert rows == {world.a1.public_code: "2025-11-24", world.a2.public_code: "2025-11-03",
                    world.p3.public_code: "2025-11-10"}  # fmt: skip
    months = set(Complaint.objects.values_list(BucketStart("occurred_at", bucket="month"), flat=True))
    assert months == {"2025-11-01"}


def test_daily_figures_follow_a_new_complaint_through_the_log(world, af_liaison):
    viewer = world.member("af-viewer")
    before = build_dashboard(viewer, NOVEMBER).breakdowns.total
    cached = daily_figures(viewer)
    file_complaint(af_liaison, khost_strike_draft(starts_at=dt.datetime(2025, 11, 5, 1, tzinfo=dt.UTC)))
    after = build_dashboard(viewer, NOVEMBER)
    assert after.breakdowns.total == before + 1
    assert dict(after.breakdowns.category)["air_strike"] == 2
    assert daily_figures(viewer).sequence > cached.sequence


def test_daily_figures_follow_a_notification_that_widens_what_pk_sees(world, secretariat):
    pk = world.member("pk-viewer")
    assert build_dashboard(pk, NOVEMBER).breakdowns.total == 3
    notify_respondent(secretariat, world.a2)
    board = build_dashboard(pk, NOVEMBER)
    assert board.breakdowns.total == 4
    assert ("AF", "injured", "civilian") in _claims(board)  # A2's claim comes with it


def test_daily_figures_from_another_log_are_rebuilt(world):
    viewer = world.member("af-viewer")
    figures = daily_figures(viewer)
    figures.anchor = "not-this-log"
    audience = audience_member(viewer)
    assert audience is not None
    cache.set(_key(audience), figures)
    assert build_dashboard(viewer, NOVEMBER).breakdowns.total == 3
    assert daily_figures(viewer).anchor != "not-this-log"


def test_crossings_closed_now_name_who_declared(world):
    board = build_dashboard(world.member("af-viewer"), NOVEMBER)
    closed = {c.slug: c for c in board.closed_now}
    assert set(closed) == {"torkham", chaman_slug()}
    assert closed["torkham"].declared_by == "PK"
    assert closed[chaman_slug()].declared_by == "AF"
    assert board.crossing_states["closed"] == 2


def test_requests_for_action_due_are_the_parties_own(world):
    af = build_dashboard(world.member("af-liaison"), NOVEMBER).requests
    assert af.open == 1  # the answered request waits for nothing; the overdue one is open
    assert [r.item.public_code for r in af.first] == [world.overdue.public_code]
    assert af.overdue == 1
    mediator = build_dashboard(world.member("tr-secretariat"), NOVEMBER).requests
    assert mediator.open == 0  # AMBER to AF: not the mediators' to see


@pytest.fixture
def witness(settings, tmp_path):
    """A real witness (HTTP on a free loopback port, in a thread) trusting this test's log key."""
    settings.LOG_KEY_FILE = str(tmp_path / "log-key")
    settings.LOG_ORIGIN = "ceasefire.test/log"
    log_vkey = ensure_log_key()
    signer = Ed25519Signer.generate("af.witness.test")
    app = WitnessApp("af.witness.test", signer.seed, [parse_verifier_key(log_vkey)], WitnessState(tmp_path / "w.json"))
    servers: list = []
    ready = threading.Event()
    threading.Thread(
        target=serve, args=(app, "127.0.0.1", 0, lambda s: (servers.append(s), ready.set())), daemon=True
    ).start()
    assert ready.wait(5)
    yield f"http://127.0.0.1:{servers[0].server_address[1]}", CosignatureSigner(app.name, signer.seed).verifier().vkey
    servers[0].shutdown()


def test_log_health_names_witnesses_missing_from_the_latest_checkpoint(world, witness):
    board = build_dashboard(world.member("af-viewer"), NOVEMBER)
    assert (board.log.size, board.log.witnessed_at, board.log.missing) == (0, None, [])
    Agreement.objects.filter(pk=world.mechanism.agreement.pk).update(witness_quorum=1)
    url, vkey = witness
    register_witness(None, party=world.mechanism.parties["AF"], url=url, vkey=vkey)
    register_witness(None, party=world.mechanism.parties["PK"], url="http://127.0.0.1:9", vkey=vkey, name="pk.down")
    checkpoint_and_witness()
    board = build_dashboard(world.member("af-viewer"), NOVEMBER)
    witnessed = latest_witnessed()
    assert witnessed is not None
    assert board.log.witnessed_size == witnessed.size == board.log.size
    assert board.log.missing == [("pk.down", "PK")]
    assert board.log.required_cosigners == 1
    assert board.log.witnessed_age_seconds is not None and board.log.witnessed_age_seconds >= 0


def test_external_events_are_counted_per_source(world):
    from ceasefire.ingest.models import ExternalEvent, ImportRun

    run = ImportRun.objects.create(public_code="RUN-T", source="ucdp", filename="t", operator="t", status="succeeded")
    for i, (source, day) in enumerate([("ucdp", "2025-11-04"), ("ucdp", "2025-11-05"), ("acled", "2025-11-20")]):
        ExternalEvent.objects.create(
            source=source, source_id=str(i), starts_on=day, ends_on=day, date_precision="day", latitude=34.0,
            longitude=70.0, place_precision="exact", side="AF", distance_km=1.0, h3_cell=1, content_hash="x",
            last_run=run,
        )  # fmt: skip
    cache.clear()  # events written outside the importer leave no log entry: start from the database
    board = build_dashboard(world.member("af-viewer"), NOVEMBER)
    assert board.event_totals == {"acled": 1, "ucdp": 2}
    assert {(r["bucket"], r["source"]): r["count"] for r in board.events} == {
        ("2025-11-03", "ucdp"): 2,
        ("2025-11-17", "acled"): 1,
    }


def test_default_period_runs_from_the_agreement_to_today(world):
    period = default_period(today=dt.date(2026, 1, 10))
    assert period.start == world.mechanism.agreement.signed_on
    assert period.bucket == "week"
    assert default_period(today=dt.date(2027, 1, 10)).bucket == "month"


def test_no_marker_of_an_invisible_record_in_the_figures(world):
    board = build_dashboard(world.member("af-liaison"), Period(dt.date(2025, 10, 1), dt.date(2025, 12, 31)))
    text = repr(board.__dict__)
    assert MARK not in text
    assert "trade_obstruction" not in text
    assert "7313" not in text
