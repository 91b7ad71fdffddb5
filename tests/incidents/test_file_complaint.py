"""file_complaint: what a filed complaint records, who may file, each bad input refused saving nothing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from incident_samples import (
    FORBIDDEN,
    SAMPLES,
    islamabad_attack_draft,
    khost_strike_draft,
    snapshot,
    stored_files,
    upload,
)

from ceasefire.core.errors import NotPermitted, ValidationFailed
from ceasefire.core.models import Membership
from ceasefire.geo.reference import DEFAULT_DATASET_NAME
from ceasefire.incidents.drafts import MAX_NARRATIVE, CasualtyFigure, ComplaintDraft
from ceasefire.incidents.enums import ComplaintState, CustodyAction
from ceasefire.incidents.models import Complaint, Evidence, Incident
from ceasefire.incidents.services import file_complaint
from ceasefire.ledger.models import LogEntry

pytestmark = pytest.mark.integration

CODE = re.compile(r"^CMP-\d{4}-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}$")


def bajaur_shelling_draft(**overrides: Any) -> ComplaintDraft:
    """A Pakistani complaint of cross-border fire landing near Khar, Bajaur (Khyber Pakhtunkhwa)."""
    fields: dict[str, Any] = dict(
        category="cross_border_fire",
        latitude=34.72,
        longitude=71.50,
        commitments=["C1", "C3"],
        actors=["af-forces"],
        narrative="Mortar rounds fired from across the line landed near Khar, Bajaur.",
        casualties=[CasualtyFigure(kind="injured", status="civilian", low=3, best=4, high=6)],
    )
    return islamabad_attack_draft(**(fields | overrides))


def test_file_complaint_records_afghan_incident_in_khost(af_liaison: Membership) -> None:
    complaint = file_complaint(af_liaison, khost_strike_draft())

    assert CODE.match(complaint.public_code)
    assert complaint.public_code.split("-")[1] == str(timezone.now().year)
    assert complaint.state == ComplaintState.SUBMITTED
    assert complaint.submitted_at is not None and complaint.notified_at is None
    assert (complaint.complainant.code, complaint.respondent.code) == ("AF", "PK")
    assert complaint.filed_by == af_liaison
    assert sorted(c.code for c in complaint.commitments.all()) == ["C2", "C3"]
    assert [a.code for a in complaint.actors.all()] == ["pk-forces"]
    incident = complaint.incident
    assert (incident.side, incident.province) == ("AF", "Khost")
    assert 5 < incident.distance_km < 25
    assert incident.nearest_crossing is not None and incident.nearest_crossing.slug == "dand-e-patan"
    assert incident.reference_dataset == DEFAULT_DATASET_NAME
    assert incident.place_description == "Mughalgai, Gurbuz district, Khost"


def test_file_complaint_takes_pakistani_province_from_gazetteer_in_bajaur(pk_liaison: Membership) -> None:
    complaint = file_complaint(pk_liaison, bajaur_shelling_draft())

    incident = complaint.incident
    assert (incident.side, incident.province) == ("PK", "Khyber Pakhtunkhwa")
    assert 10 < incident.distance_km < 40
    assert incident.nearest_crossing is not None
    assert (complaint.complainant.code, complaint.respondent.code) == ("PK", "AF")


def test_file_complaint_places_khyber_point_next_to_torkham(pk_liaison: Membership) -> None:
    complaint = file_complaint(pk_liaison, bajaur_shelling_draft(latitude=34.10, longitude=71.14))

    incident = complaint.incident
    assert (incident.side, incident.province) == ("PK", "Khyber Pakhtunkhwa")
    assert incident.nearest_crossing is not None and incident.nearest_crossing.slug == "torkham"
    assert incident.nearest_crossing_km is not None and incident.nearest_crossing_km < 10


def test_file_complaint_attributes_casualty_claims_to_complainant(pk_liaison: Membership) -> None:
    complaint = file_complaint(pk_liaison, islamabad_attack_draft())

    claims = {(c.claimant.code, c.kind, c.status, c.best) for c in complaint.casualty_claims.all()}
    assert claims == {("PK", "killed", "civilian", 12), ("PK", "injured", "civilian", 27)}


def test_file_complaint_keeps_low_and_high_estimates(pk_liaison: Membership) -> None:
    complaint = file_complaint(pk_liaison, bajaur_shelling_draft())

    claim = complaint.casualty_claims.get()
    assert (claim.low, claim.best, claim.high) == (3, 4, 6)


def test_file_complaint_writes_one_sealed_log_entry(af_liaison: Membership) -> None:
    before = LogEntry.objects.count()
    complaint = file_complaint(af_liaison, khost_strike_draft())

    entry = LogEntry.objects.get(sequence=before)
    assert LogEntry.objects.count() == before + 1
    assert (entry.kind, entry.subject_code, entry.party_code) == (
        "complaint.submitted",
        complaint.public_code,
        "AF",
    )
    assert entry.sealed


def test_file_complaint_stores_evidence_with_custody(af_liaison: Membership, evidence_dir: Path) -> None:
    data, media_type = SAMPLES["photo.jpg"]
    complaint = file_complaint(af_liaison, khost_strike_draft(evidence=[upload("photo.jpg", data)]))

    evidence = complaint.evidence.get()
    assert evidence.stored_file.media_type == media_type
    assert [e.action for e in evidence.custody.all()] == [CustodyAction.ADDED]
    assert len(stored_files(evidence_dir)) == 1


def test_file_complaint_draft_is_seen_by_complainant_party_only(
    af_liaison: Membership,
    af_viewer: Membership,
    pk_liaison: Membership,
    tr_investigator: Membership,
    qa_adjudicator: Membership,
    secretariat: Membership,
) -> None:
    complaint = file_complaint(af_liaison, khost_strike_draft(), submit=False)

    assert complaint.state == ComplaintState.DRAFT and complaint.submitted_at is None
    assert LogEntry.objects.filter(subject_code=complaint.public_code).get().kind == "complaint.drafted"
    for member in (af_liaison, af_viewer):
        assert Complaint.objects.visible_to(member).filter(pk=complaint.pk).exists()
    for member in (pk_liaison, tr_investigator, qa_adjudicator, secretariat):
        assert not Complaint.objects.visible_to(member).filter(pk=complaint.pk).exists()
        assert not Incident.objects.visible_to(member).filter(pk=complaint.incident_id).exists()


@pytest.mark.parametrize(
    "persona", ["af_viewer", "pk_viewer", "analyst", "tr_investigator", "qa_adjudicator", "secretariat"]
)
def test_file_complaint_refuses_member_not_liaison(
    persona: str, request: pytest.FixtureRequest, evidence_dir: Path
) -> None:
    member = request.getfixturevalue(persona)
    before = snapshot(evidence_dir)

    with pytest.raises(NotPermitted):
        file_complaint(member, khost_strike_draft())

    assert snapshot(evidence_dir) == before


def test_file_complaint_refuses_no_membership(mechanism: Any, evidence_dir: Path) -> None:
    before = snapshot(evidence_dir)

    with pytest.raises(NotPermitted):
        file_complaint(None, khost_strike_draft())  # type: ignore[arg-type]

    assert snapshot(evidence_dir) == before


def test_file_complaint_refuses_inactive_liaison(af_liaison: Membership, evidence_dir: Path) -> None:
    Membership.objects.filter(pk=af_liaison.pk).update(is_active=False)
    af_liaison.refresh_from_db()
    before = snapshot(evidence_dir)

    with pytest.raises(NotPermitted):
        file_complaint(af_liaison, khost_strike_draft())

    assert snapshot(evidence_dir) == before


FUTURE = timezone.now() + dt.timedelta(days=2)

# (AF liaison's draft overrides, field at fault, words its message must contain)
AF_BAD_INPUTS: list[tuple[str, dict[str, Any], str, str]] = [
    ("tehran", {"latitude": 35.6892, "longitude": 51.3890}, "latitude", "outside the mechanism's area"),
    ("latitude_91", {"latitude": 91.0}, "latitude", "between -90 and 90"),
    ("latitude_nan", {"latitude": float("nan")}, "latitude", "between -90 and 90"),
    ("longitude_nan", {"longitude": float("nan")}, "longitude", "between -180 and 180"),
    ("longitude_infinite", {"longitude": float("inf")}, "longitude", "between -180 and 180"),
    (
        "end_before_start",
        {"ends_at": dt.datetime(2025, 11, 24, 19, 0, tzinfo=dt.UTC)},
        "ends_at",
        "before its start",
    ),
    (
        "start_in_future",
        {"starts_at": FUTURE, "ends_at": FUTURE + dt.timedelta(hours=1)},
        "starts_at",
        "future",
    ),
    ("unknown_commitment", {"commitments": ["C2", "C99"]}, "commitments", "C99"),
    ("no_commitment", {"commitments": []}, "commitments", "at least one commitment"),
    ("unknown_actor", {"actors": ["pk-forces", "lashkar-x"]}, "actors", "lashkar-x"),
    ("respondent_is_complainant", {"respondent": "AF"}, "respondent", "against itself"),
    ("respondent_is_mediator", {"respondent": "TR"}, "respondent", "not a party to the ceasefire"),
    ("respondent_unknown", {"respondent": "XX"}, "respondent", "Unknown party 'XX'"),
    ("respondent_empty", {"respondent": ""}, "respondent", "Unknown party"),
    ("narrative_empty", {"narrative": ""}, "narrative", "empty"),
    ("narrative_whitespace", {"narrative": "  \n\t  "}, "narrative", "empty"),
    ("narrative_too_long", {"narrative": "x" * (MAX_NARRATIVE + 1)}, "narrative", str(MAX_NARRATIVE)),
    ("title_too_long", {"title": "t" * 201}, "title", "200"),
    (
        "low_above_best",
        {"casualties": [CasualtyFigure("killed", "civilian", best=5, low=7)]},
        "casualties[0]",
        "low estimate",
    ),
    (
        "high_below_best",
        {"casualties": [CasualtyFigure("killed", "civilian", best=5, high=2)]},
        "casualties[0]",
        "high estimate",
    ),
    (
        "negative_best",
        {"casualties": [CasualtyFigure("killed", "civilian", best=-1)]},
        "casualties[0]",
        "negative",
    ),
    (
        "negative_low",
        {"casualties": [CasualtyFigure("injured", "civilian", best=3, low=-2)]},
        "casualties[0]",
        "negative",
    ),
    (
        "second_figure_bad",
        {
            "casualties": [
                CasualtyFigure("killed", "civilian", best=1),
                CasualtyFigure("wounded", "civilian", best=1),
            ]
        },
        "casualties[1]",
        "wounded",
    ),
    (
        "casualty_status_unknown",
        {"casualties": [CasualtyFigure("killed", "soldier", best=1)]},
        "casualties[0]",
        "soldier",
    ),
    ("category_unknown", {"category": "bombing"}, "category", "bombing"),
    ("tlp_unknown", {"tlp": "PURPLE"}, "tlp", "PURPLE"),
    ("time_precision_unknown", {"time_precision": "second"}, "time_precision", "second"),
    ("agreement_unknown", {"agreement_code": "minsk-2"}, "agreement", "minsk-2"),
    ("place_unknown", {"place_id": 987654321}, "place", "Unknown gazetteer place"),
]


@pytest.mark.parametrize(
    ("overrides", "field", "words"), [c[1:] for c in AF_BAD_INPUTS], ids=[c[0] for c in AF_BAD_INPUTS]
)
def test_file_complaint_refuses_bad_input_naming_field(
    af_liaison: Membership, evidence_dir: Path, overrides: dict[str, Any], field: str, words: str
) -> None:
    before = snapshot(evidence_dir)
    draft = khost_strike_draft(evidence=[upload("photo.png", SAMPLES["photo.png"][0])], **overrides)

    with pytest.raises(ValidationFailed) as caught:
        file_complaint(af_liaison, draft)

    assert list(caught.value.errors) == [field]
    assert words in caught.value.errors[field]
    assert snapshot(evidence_dir) == before


def test_file_complaint_refuses_commitment_not_binding_respondent(pk_liaison: Membership, evidence_dir: Path) -> None:
    before = snapshot(evidence_dir)

    with pytest.raises(ValidationFailed) as caught:
        file_complaint(pk_liaison, bajaur_shelling_draft(commitments=["C1", "C6"]))

    assert caught.value.errors == {"commitments": "Afghanistan is not bound by: C6."}
    assert snapshot(evidence_dir) == before


def test_file_complaint_reports_every_error_at_once(af_liaison: Membership, evidence_dir: Path) -> None:
    before = snapshot(evidence_dir)
    draft = khost_strike_draft(
        latitude=35.6892,
        longitude=51.3890,
        ends_at=dt.datetime(2025, 11, 1, tzinfo=dt.UTC),
        commitments=["C42"],
        actors=["nobody"],
        narrative=" ",
        category="bombing",
        tlp="BLUE",
        time_precision="eon",
        casualties=[CasualtyFigure("killed", "civilian", best=2, low=3)],
    )

    with pytest.raises(ValidationFailed) as caught:
        file_complaint(af_liaison, draft)

    assert set(caught.value.errors) == {
        "latitude",
        "ends_at",
        "commitments",
        "actors",
        "narrative",
        "category",
        "tlp",
        "time_precision",
        "casualties[0]",
    }
    assert snapshot(evidence_dir) == before


def test_file_complaint_refuses_oversize_evidence(af_liaison: Membership, evidence_dir: Path, settings: Any) -> None:
    settings.EVIDENCE_MAX_BYTES = 1000
    before = snapshot(evidence_dir)
    data = SAMPLES["report.pdf"][0] + bytes(2000)

    with pytest.raises(ValidationFailed) as caught:
        file_complaint(af_liaison, khost_strike_draft(evidence=[upload("report.pdf", data)]))

    message = caught.value.errors["evidence[0]"]
    assert "report.pdf" in message and "larger than the limit" in message
    assert "1000 bytes" in message
    assert snapshot(evidence_dir) == before


@pytest.mark.parametrize("name", list(FORBIDDEN))
def test_file_complaint_refuses_disallowed_evidence_by_content(
    af_liaison: Membership, evidence_dir: Path, name: str
) -> None:
    before = snapshot(evidence_dir)
    filename = name.split(" ")[0]

    with pytest.raises(ValidationFailed) as caught:
        file_complaint(af_liaison, khost_strike_draft(evidence=[upload(filename, FORBIDDEN[name])]))

    assert list(caught.value.errors) == ["evidence[0]"]
    assert filename in caught.value.errors["evidence[0]"]
    assert snapshot(evidence_dir) == before


def test_file_complaint_refuses_bad_second_file_saving_nothing(af_liaison: Membership, evidence_dir: Path) -> None:
    before = snapshot(evidence_dir)
    uploads = [upload("photo.png", SAMPLES["photo.png"][0]), upload("setup.exe", FORBIDDEN["setup.exe"])]

    with pytest.raises(ValidationFailed) as caught:
        file_complaint(af_liaison, khost_strike_draft(evidence=uploads))

    assert list(caught.value.errors) == ["evidence[1]"]
    assert snapshot(evidence_dir) == before
    assert not Evidence.objects.exists()


def test_file_complaint_reports_every_refused_file(af_liaison: Membership, evidence_dir: Path) -> None:
    before = snapshot(evidence_dir)
    uploads = [
        upload("setup.exe", FORBIDDEN["setup.exe"]),
        upload("photo.png", SAMPLES["photo.png"][0]),
        upload("map.svg", FORBIDDEN["map.svg"]),
    ]

    with pytest.raises(ValidationFailed) as caught:
        file_complaint(af_liaison, khost_strike_draft(evidence=uploads))

    assert set(caught.value.errors) == {"evidence[0]", "evidence[2]"}
    assert "executable" in caught.value.errors["evidence[0]"]
    assert "markup" in caught.value.errors["evidence[2]"]
    assert snapshot(evidence_dir) == before


def test_logged_version_equals_the_version_read_back_when_filed_with_several_claims(af_liaison):
    from ceasefire.incidents.drafts import CasualtyFigure
    from ceasefire.incidents.versions import complaint_version
    from ceasefire.ledger.models import LogEntry

    claims = [
        CasualtyFigure(kind="injured", status="civilian", best=4),
        CasualtyFigure(kind="killed", status="civilian", best=10),
        CasualtyFigure(kind="injured", status="combatant", best=2, low=1, high=3),
    ]
    complaint = file_complaint(af_liaison, khost_strike_draft(casualties=claims, actors=["pk-forces", "ttp"]))
    entry = LogEntry.objects.filter(subject_code=complaint.public_code).latest("sequence")
    assert entry.record == complaint_version(Complaint.objects.get(pk=complaint.pk))
