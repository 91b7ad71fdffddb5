"""Border services, one rule at a time: who may do what, what bad input is refused, what is stored and logged."""

import datetime as dt

import pytest
from border_helpers import crossing, declare, utc
from support import khost_strike_draft

from ceasefire.border.models import CrossingEdit, StatusDeclaration, TransitObstacle
from ceasefire.border.quality import crossing_flags
from ceasefire.border.queries import crossing_rows, crossing_timeline, facts_for_complaint, loss_claims_by_claimant
from ceasefire.border.services import (
    cite_flows,
    claim_losses,
    import_flow_csv,
    link_closure,
    report_obstacle,
    resolve_conflict,
    update_crossing,
    update_obstacle,
)
from ceasefire.core.errors import NotPermitted, NotVisible, ValidationFailed
from ceasefire.incidents.services import file_complaint
from ceasefire.ledger.models import LogEntry

pytestmark = pytest.mark.integration


def test_party_liaison_and_mediator_observer_declare_status(af_liaison, tr_investigator):
    declare(af_liaison, "closed", utc(2025, 10, 12), reason="Clashes")
    observed = declare(tr_investigator, "closed", utc(2025, 10, 12, 1))
    assert observed.party.code == "TR"
    assert LogEntry.objects.filter(kind="crossing.status_declared", subject_code=observed.public_code).exists()


@pytest.mark.parametrize("persona", ["af_viewer", "analyst", "tr_adjudicator"])
def test_declaring_refused_for_other_roles(persona, request):
    with pytest.raises(NotPermitted):
        declare(request.getfixturevalue(persona), "closed", utc(2025, 10, 12))


def test_declaration_with_bad_fields_names_each_and_stores_nothing(pk_liaison):
    with pytest.raises(ValidationFailed) as caught:
        declare(
            pk_liaison,
            "restricted",
            utc(2025, 10, 12),
            notice_hours=-3,
            expected_reopening=utc(2025, 10, 1),
        )
    assert set(caught.value.errors) == {"restriction", "notice_hours", "expected_reopening"}
    assert "before" in caught.value.errors["expected_reopening"]
    assert not StatusDeclaration.objects.exists()


def test_declaration_needs_aware_time(pk_liaison):
    with pytest.raises(ValidationFailed) as caught:
        declare(pk_liaison, "closed", dt.datetime(2025, 10, 12))
    assert "effective_at" in caught.value.errors


def test_conflict_resolved_by_mediator_sets_aside_the_other_claim(pk_liaison, af_liaison, tr_adjudicator):
    pk = declare(pk_liaison, "open", utc(2025, 11, 1))
    af = declare(af_liaison, "closed", utc(2025, 11, 1, 6))
    assert [c.codes for c in crossing_timeline(tr_adjudicator, crossing()).conflicts] == [
        (pk.public_code, af.public_code)
    ]
    with pytest.raises(NotPermitted):
        resolve_conflict(
            pk_liaison,
            crossing=crossing(),
            codes=[pk.public_code, af.public_code],
            accepted_code=pk.public_code,
            note="x",
        )
    resolution = resolve_conflict(
        tr_adjudicator,
        crossing=crossing(),
        codes=[pk.public_code, af.public_code],
        accepted_code=af.public_code,
        note="Observed shut.",
    )
    pk.refresh_from_db()
    af.refresh_from_db()
    assert (pk.set_aside, af.set_aside) == (True, False)
    assert pk.resolution == af.resolution == resolution
    timeline = crossing_timeline(tr_adjudicator, crossing(), until=utc(2025, 11, 3))
    assert timeline.conflicts == []
    assert [(s.state, s.start) for s in timeline.segments] == [("closed", utc(2025, 11, 1, 6))]
    with pytest.raises(ValidationFailed) as again:
        resolve_conflict(
            tr_adjudicator,
            crossing=crossing(),
            codes=[pk.public_code, af.public_code],
            accepted_code=af.public_code,
            note="again",
        )
    assert "codes" in again.value.errors


def test_resolution_must_accept_one_of_the_conflict(pk_liaison, af_liaison, tr_investigator):
    pk = declare(pk_liaison, "open", utc(2025, 11, 1))
    af = declare(af_liaison, "closed", utc(2025, 11, 1, 6))
    other = declare(tr_investigator, "closed", utc(2025, 12, 1))
    with pytest.raises(ValidationFailed) as caught:
        resolve_conflict(
            tr_investigator,
            crossing=crossing(),
            codes=[pk.public_code, af.public_code],
            accepted_code=other.public_code,
            note="",
        )
    assert set(caught.value.errors) == {"accepted", "note"}


def test_registry_edit_by_secretariat_is_kept_in_history(secretariat, af_liaison):
    gursal = crossing("gursal")
    with pytest.raises(NotPermitted):
        update_crossing(af_liaison, gursal, changes={"notes": "x"})
    with pytest.raises(ValidationFailed) as caught:
        update_crossing(secretariat, gursal, changes={"latitude": 33.9})
    assert "longitude" in caught.value.errors
    update_crossing(
        secretariat,
        gursal,
        changes={"latitude": 33.9, "longitude": 69.9, "coord_status": "approximate"},
        note="Located",
    )
    edit = CrossingEdit.objects.get(crossing=gursal)
    assert edit.changes == {
        "latitude": [None, 33.9],
        "longitude": [None, 69.9],
        "coord_status": ["missing", "approximate"],
    }
    assert edit.note == "Located"
    assert LogEntry.objects.filter(kind="crossing.updated", subject_code="crossing-gursal").count() == 1


def test_quality_flags_name_missing_suspect_and_contradicting_coordinates(mechanism):
    assert [f.code for f in crossing_flags(crossing("torkham"))] == []
    assert [f.code for f in crossing_flags(crossing("kharlachi"))] == ["missing"]
    ghulam = crossing_flags(crossing("ghulam-khan"))
    assert [f.code for f in ghulam] == ["suspect", "off_line", "province_mismatch"]
    assert "10.7 km inside Afghanistan" in ghulam[1].message
    assert "Nangarhar" in ghulam[2].message and "Khost" in ghulam[2].message


def test_border_data_seen_by_every_member_and_nobody_else(pk_liaison, af_viewer, analyst, qa_adjudicator):
    declare(pk_liaison, "closed", utc(2025, 10, 12))
    for member in (af_viewer, analyst, qa_adjudicator):
        assert StatusDeclaration.objects.visible_to(member).count() == 1
    assert StatusDeclaration.objects.visible_to(None).count() == 0
    assert crossing_rows(None) == []


def test_loss_claims_are_the_partys_own_and_kept_apart(af_liaison, pk_liaison, tr_investigator):
    with pytest.raises(NotPermitted):
        claim_losses(tr_investigator, period_start=dt.date(2025, 10, 1), period_end=dt.date(2025, 10, 31), amount_usd=1)
    with pytest.raises(ValidationFailed) as caught:
        claim_losses(af_liaison, period_start=dt.date(2025, 10, 31), period_end=dt.date(2025, 10, 1), amount_usd=-1)
    assert set(caught.value.errors) == {"period_end", "amount_usd"}
    claim_losses(
        af_liaison, period_start=dt.date(2025, 10, 12), period_end=dt.date(2025, 11, 11), amount_usd=200_000_000
    )
    claim_losses(pk_liaison, period_start=dt.date(2025, 10, 12), period_end=dt.date(2025, 11, 11), amount_usd=5)
    grouped = loss_claims_by_claimant(tr_investigator)
    assert [(party.code, [c.amount_usd for c in claims]) for party, claims in grouped] == [
        ("AF", [200_000_000]),
        ("PK", [5]),
    ]


def test_obstacle_history_and_who_confirms(af_liaison, pk_liaison, tr_investigator):
    obstacle = report_obstacle(af_liaison, kind="new_fee", description="Fee", observed_from=dt.date(2025, 11, 1))
    with pytest.raises(NotPermitted):
        update_obstacle(pk_liaison, obstacle, status="confirmed", note="no")
    update_obstacle(pk_liaison, obstacle, status="disputed", note="No such fee.")
    update_obstacle(tr_investigator, obstacle, status="confirmed", note="Receipts seen.")
    with pytest.raises(ValidationFailed):
        update_obstacle(tr_investigator, obstacle, status="confirmed", note="again")
    stored = TransitObstacle.objects.get(pk=obstacle.pk)
    assert stored.status == "confirmed"
    assert [(u.status, u.party.code) for u in stored.updates.all()] == [
        ("reported", "AF"),
        ("disputed", "PK"),
        ("confirmed", "TR"),
    ]


def test_obstacle_observed_in_future_refused(af_liaison):
    with pytest.raises(ValidationFailed) as caught:
        report_obstacle(af_liaison, kind="bogus", description="", observed_from=dt.date(2099, 1, 1))
    assert set(caught.value.errors) == {"kind", "description", "observed_from"}


def test_closure_complaint_shows_the_closures_facts(af_liaison, pk_liaison, tr_investigator):
    closure = declare(tr_investigator, "closed", utc(2025, 10, 12), reason="Clashes")
    declare(pk_liaison, "restricted", utc(2025, 11, 1), restriction="returns_deportations_only")
    complaint = file_complaint(af_liaison, khost_strike_draft(category="crossing_closure", title="Torkham shut"))
    link_closure(af_liaison, complaint=complaint, declaration=closure)
    facts = facts_for_complaint(complaint, tr_investigator)
    assert len(facts.closures) == 1
    item = facts.closures[0]
    assert (item.closure.start, item.closure.end, item.closure.days) == (utc(2025, 10, 12), utc(2025, 11, 1), 20.0)
    assert item.reasons == ["no advance notice stated"]
    # The respondent has not been notified: it sees neither the complaint nor its facts.
    assert facts_for_complaint(complaint, pk_liaison).empty
    entry = LogEntry.objects.get(kind="border.closure_linked")
    assert entry.sealed and entry.subject_code == complaint.public_code


def test_linking_refused_for_wrong_category_invisible_complaint_or_role(
    af_liaison, pk_liaison, af_viewer, tr_investigator
):
    closure = declare(tr_investigator, "closed", utc(2025, 10, 12))
    strike = file_complaint(af_liaison, khost_strike_draft())
    with pytest.raises(ValidationFailed):
        link_closure(af_liaison, complaint=strike, declaration=closure)
    closing = file_complaint(af_liaison, khost_strike_draft(category="crossing_closure"))
    with pytest.raises(NotVisible):
        link_closure(pk_liaison, complaint=closing, declaration=closure)
    with pytest.raises(NotPermitted):
        link_closure(af_viewer, complaint=closing, declaration=closure)


def test_expulsion_complaint_cites_flow_figures_per_source(af_liaison, pk_liaison, tr_investigator):
    import_flow_csv(
        pk_liaison,
        b"date,crossing,direction,category,total,documented,undocumented,source,source_note\n"
        b"2025-11-02,torkham,to_af,deportation,100,40,60,party,\n"
        b"2025-11-03,torkham,to_af,deportation,50,,,party,\n"
        b"2025-11-03,torkham,to_af,return,900,,,party,\n"
        b"2025-12-03,torkham,to_af,deportation,7,,,party,\n",
        file_name="pk.csv",
    )
    import_flow_csv(
        tr_investigator,
        b"date,crossing,direction,category,total,documented,undocumented,source,source_note\n"
        b"2025-11-02,torkham,to_af,deportation,130,,,unhcr,UNHCR flash update\n",
        file_name="unhcr.csv",
    )
    complaint = file_complaint(af_liaison, khost_strike_draft(category="forced_expulsion"))
    with pytest.raises(ValidationFailed) as caught:
        cite_flows(
            af_liaison,
            complaint=complaint,
            crossing=crossing(),
            date_from=dt.date(2025, 11, 30),
            date_to=dt.date(2025, 11, 1),
        )
    assert "date_to" in caught.value.errors
    cite_flows(
        af_liaison,
        complaint=complaint,
        crossing=crossing(),
        date_from=dt.date(2025, 11, 1),
        date_to=dt.date(2025, 11, 30),
        category="deportation",
    )
    totals = facts_for_complaint(complaint, af_liaison).citations[0].totals
    assert [(t["source"], t["party"], t["total"]) for t in totals] == [("party", "PK", 150), ("unhcr", "TR", 130)]
    assert (totals[0]["documented"], totals[0]["undocumented"]) == (40, 60)
