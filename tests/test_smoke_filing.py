import pytest

from ceasefire.incidents.enums import ComplaintState
from ceasefire.incidents.models import Complaint

pytestmark = pytest.mark.integration


def test_filed_complaint_is_located_and_submitted(af_complaint):
    assert af_complaint.state == ComplaintState.SUBMITTED
    assert af_complaint.public_code.startswith("CMP-")
    assert af_complaint.incident.side == "AF"
    assert af_complaint.incident.province == "Khost"
    assert af_complaint.incident.distance_km > 0


def test_respondent_cannot_see_complaint_before_notice(af_complaint, pk_liaison, tr_investigator):
    assert not Complaint.objects.visible_to(pk_liaison).exists()
    assert Complaint.objects.visible_to(tr_investigator).count() == 1
