"""The demo loader: both parties' complaints, located inside the area, filed once however often it runs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from support import PASSWORD

from ceasefire.core.enums import TLP
from ceasefire.demo.complaints import demo_complaints
from ceasefire.demo.loader import load_demo
from ceasefire.demo.mechanism import build_mechanism
from ceasefire.demo.workflow import PLANS
from ceasefire.geo.reference import reference
from ceasefire.incidents.enums import Category, ComplaintState, TimePrecision
from ceasefire.incidents.models import CasualtyClaim, Complaint, Evidence, Incident
from ceasefire.incidents.services import file_complaint
from ceasefire.ledger.models import LogEntry, LogHead

pytestmark = pytest.mark.integration

CEASEFIRE_START = dt.datetime(2025, 10, 19, tzinfo=dt.UTC)
CEASEFIRE_END = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


@pytest.fixture
def demo(db):
    return load_demo(PASSWORD)


def test_demo_files_at_least_25_complaints_from_both_sides(demo):
    assert len(demo.filed) >= 25
    assert demo.already_there == 0
    by_party = {code: Complaint.objects.filter(complainant__code=code).count() for code in ("AF", "PK")}
    assert by_party["AF"] >= 10 and by_party["PK"] >= 10
    assert Complaint.objects.filter(complainant__code="AF").exclude(respondent__code="PK").count() == 0
    assert Complaint.objects.filter(complainant__code="PK").exclude(respondent__code="AF").count() == 0


def test_demo_complaints_are_located_inside_the_area_with_side_and_province(demo):
    ref = reference()
    for incident in Incident.objects.all():
        assert ref.in_area(incident.longitude, incident.latitude), incident.place_description
        assert incident.side in ("AF", "PK"), incident.place_description
        assert incident.province, incident.place_description
        assert incident.reference_dataset


def test_demo_incidents_fall_in_the_ceasefire_period(demo):
    for incident in Incident.objects.all():
        assert CEASEFIRE_START <= incident.starts_at <= incident.ends_at < CEASEFIRE_END


def test_demo_covers_every_category_precision_and_tlp_level(demo):
    assert set(Complaint.objects.values_list("category", flat=True)) == set(Category.values)
    assert set(Incident.objects.values_list("time_precision", flat=True)) == set(TimePrecision.values)
    assert set(Complaint.objects.values_list("tlp", flat=True)) == set(TLP.values)


def test_demo_complaints_without_a_workflow_plan_stay_submitted_except_a_few_drafts(demo):
    unplanned = Complaint.objects.exclude(title__in=PLANS)
    states = {s: unplanned.filter(state=s).count() for s in ComplaintState.values}
    assert states[ComplaintState.DRAFT] >= 2
    assert states[ComplaintState.SUBMITTED] >= 10
    assert states[ComplaintState.SUBMITTED] + states[ComplaintState.DRAFT] == unplanned.count()
    assert unplanned.filter(notified_at__isnull=False).count() == 0
    drafts = Complaint.objects.filter(state=ComplaintState.DRAFT)
    assert set(drafts.values_list("complainant__code", flat=True)) == {"AF", "PK"}


def test_demo_casualty_claims_are_the_complainants_own(demo):
    assert CasualtyClaim.objects.count() > 0
    for claim in CasualtyClaim.objects.select_related("complaint"):
        assert claim.claimant_id == claim.complaint.complainant_id


def test_demo_evidence_is_generated_png_pdf_and_text(demo):
    media_types = set(Evidence.objects.values_list("stored_file__media_type", flat=True))
    assert media_types == {"image/png", "application/pdf", "text/plain"}
    assert Evidence.objects.values("complaint__complainant").distinct().count() == 2
    assert Evidence.objects.filter(custody__action="added").count() == Evidence.objects.count()


def test_demo_commitments_bind_the_respondent(demo):
    for complaint in Complaint.objects.prefetch_related("commitments__bound_parties"):
        for commitment in complaint.commitments.all():
            assert complaint.respondent in commitment.bound_parties.all(), (complaint.title, commitment.code)
    used = set(Complaint.objects.values_list("commitments__code", flat=True))
    assert {"C5", "C6", "C9"} <= used  # the one-sided commitments appear, against the party each binds


def test_second_load_adds_nothing(demo):
    counts = (
        Complaint.objects.count(),
        Incident.objects.count(),
        Evidence.objects.count(),
        LogEntry.objects.count(),
        get_user_model().objects.count(),
    )
    size = LogHead.objects.get().size
    again = load_demo(PASSWORD)
    assert again.filed == []
    assert again.already_there == len(demo_complaints())
    assert (
        Complaint.objects.count(),
        Incident.objects.count(),
        Evidence.objects.count(),
        LogEntry.objects.count(),
        get_user_model().objects.count(),
    ) == counts
    assert LogHead.objects.get().size == size


def test_load_completes_a_partial_demo_without_duplicates(db):
    # As if an earlier run had filed only the first complaint: the next load files the rest, not that again.
    spec = demo_complaints()[0]
    mechanism = build_mechanism(password=PASSWORD)
    file_complaint(mechanism.members[spec.filer], spec.draft, submit=spec.submit)
    again = load_demo(PASSWORD)
    assert len(again.filed) == len(demo_complaints()) - 1
    assert again.already_there == 1
    assert Complaint.objects.count() == len(demo_complaints())
    assert Complaint.objects.filter(title=spec.title).count() == 1


def test_demo_titles_are_unique_markers_per_party():
    keys = [(spec.party, spec.title) for spec in demo_complaints()]
    assert len(keys) == len(set(keys))
