"""The benchmark's bulk fixture data is shaped like real data: the visibility rule and the list filter
treat it as they treat filed complaints. (No timings here: bench/ measures, tests assert behaviour.)"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from ceasefire.core.codes import is_public_code
from ceasefire.incidents.enums import RESPONDENT_VISIBLE_STATES, ComplaintState
from ceasefire.incidents.models import Complaint, Incident
from ceasefire.incidents.queries import ComplaintFilter, filter_complaints

pytestmark = pytest.mark.integration

SEED_PATH = Path(__file__).resolve().parents[2] / "bench" / "seed.py"


def _seed_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_seed", SEED_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def seeded(mechanism):
    assert _seed_module().bulk_complaints(200, batch=64, pool_size=40) == 200
    return Complaint.objects.all()


def test_bulk_complaints_have_valid_codes_and_placements(seeded):
    assert seeded.count() == 200
    assert all(is_public_code(c.public_code, "CMP") for c in seeded)
    assert all(is_public_code(i.public_code, "INC") for i in Incident.objects.all())
    for complaint in seeded.select_related("incident", "complainant", "respondent"):
        assert complaint.incident.side in ("AF", "PK")
        assert complaint.incident.distance_km >= 0
        assert complaint.complainant != complaint.respondent
        assert complaint.occurred_at == complaint.incident.starts_at
        assert (complaint.notified_at is not None) == (complaint.state in RESPONDENT_VISIBLE_STATES)


def test_bulk_complaints_commitments_bind_the_respondent(seeded):
    for complaint in seeded.prefetch_related("commitments__bound_parties"):
        commitments = list(complaint.commitments.all())
        assert commitments
        assert all(complaint.respondent in c.bound_parties.all() for c in commitments)


def test_bulk_complaints_visible_to_mediators_except_drafts(seeded, tr_investigator, qa_investigator):
    not_drafts = seeded.exclude(state=ComplaintState.DRAFT).count()
    assert 0 < not_drafts <= 200
    assert Complaint.objects.visible_to(tr_investigator).count() == not_drafts
    assert Complaint.objects.visible_to(qa_investigator).count() == not_drafts


def test_bulk_complaints_respondent_sees_only_notified(seeded, pk_liaison):
    visible = list(Complaint.objects.visible_to(pk_liaison).select_related("complainant"))
    assert visible
    for complaint in visible:
        assert complaint.complainant.code == "PK" or complaint.notified_at is not None
    hidden = seeded.filter(respondent__code="PK", notified_at__isnull=True)
    assert hidden.exists()
    assert not Complaint.objects.visible_to(pk_liaison).filter(pk__in=hidden).exists()


def test_bulk_complaints_filterable_by_respondent_and_category(seeded, tr_investigator):
    expected = seeded.filter(respondent__code="PK", category="air_strike").exclude(state=ComplaintState.DRAFT)
    rows = filter_complaints(tr_investigator, ComplaintFilter(respondent="PK", category="air_strike"))
    assert expected.exists()
    assert set(rows.values_list("pk", flat=True)) == set(expected.values_list("pk", flat=True))


def test_bulk_complaints_filterable_by_dates_and_text(seeded, tr_investigator):
    middle = seeded.order_by("occurred_at")[100].occurred_at.date()
    by_date = filter_complaints(tr_investigator, ComplaintFilter(date_to=middle))
    assert by_date.exists()
    assert all(c.occurred_at.date() <= middle for c in by_date)
    province = seeded.exclude(incident__province="").values_list("incident__province", flat=True).first()
    word = province.split()[0].lower()
    by_text = filter_complaints(tr_investigator, ComplaintFilter(q=word))
    assert by_text.exists()
    assert all(word in c.search_text for c in by_text)
