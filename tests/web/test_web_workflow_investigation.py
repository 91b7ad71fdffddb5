"""The investigation actions from the complaint page: assign, add and complete a task, note, grade evidence,
corroborate, findings. Each one's happy path, a refused input (422, nothing changed), a wrong persona (403/404)
and a move the state no longer allows (409)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from support import login
from workflow_steps import advance, url

from ceasefire.verification.models import (
    Assignment,
    Corroboration,
    EvidenceGrade,
    Findings,
    InvestigationNote,
    InvestigationTask,
)

pytestmark = pytest.mark.integration


def _post(client, username, complaint, action, data=None):
    client.logout()
    login(client, username)
    return client.post(url(complaint, action), data or {})


def _future(days=2):
    return timezone.localtime(timezone.now() + dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def investigating(pk_complaint, mechanism):
    return advance(mechanism, pk_complaint, "under_investigation")


@pytest.fixture
def findings_ready(pk_complaint, mechanism):
    return advance(mechanism, pk_complaint, "findings_ready")


# --- assign -------------------------------------------------------------------------------------------------------


def test_assign_opens_the_investigation(client, pk_complaint, mechanism, qa_investigator):
    advance(mechanism, pk_complaint, "notified")
    response = _post(client, "tr-secretariat", pk_complaint, "assign", {"investigators": [qa_investigator.pk]})
    assert response.status_code == 302
    pk_complaint.refresh_from_db()
    assert pk_complaint.state == "under_investigation"
    assert Assignment.objects.get(complaint=pk_complaint).investigator == qa_investigator


def test_assign_without_investigators_says_so(client, pk_complaint, mechanism):
    advance(mechanism, pk_complaint, "notified")
    response = _post(client, "tr-secretariat", pk_complaint, "assign", {})
    assert response.status_code == 422
    assert "Choose at least one investigator." in response.content.decode()
    pk_complaint.refresh_from_db()
    assert pk_complaint.state == "notified" and not Assignment.objects.exists()


def test_assign_is_refused_to_an_investigator(client, pk_complaint, mechanism, tr_investigator):
    advance(mechanism, pk_complaint, "notified")
    response = _post(client, "tr-investigator", pk_complaint, "assign", {"investigators": [tr_investigator.pk]})
    assert response.status_code == 403
    assert not Assignment.objects.exists()


def test_assign_before_notice_is_a_conflict(client, pk_complaint, tr_investigator):
    response = _post(client, "tr-secretariat", pk_complaint, "assign", {"investigators": [tr_investigator.pk]})
    assert response.status_code == 409
    assert "Notify the respondent before the investigation opens." in response.content.decode()


# --- tasks --------------------------------------------------------------------------------------------------------


def test_add_task_with_due_date(client, investigating, tr_investigator):
    data = {
        "kind": "site_visit",
        "description": "Visit the crater.",
        "due_at": _future(),
        "assigned_to": tr_investigator.pk,
    }
    assert _post(client, "tr-investigator", investigating, "add_task", data).status_code == 302
    task = InvestigationTask.objects.get(description="Visit the crater.")
    assert task.assigned_to == tr_investigator
    assert "Visit the crater." in client.get(url(investigating)).content.decode()


def test_add_task_due_in_the_past_changes_nothing(client, investigating):
    before = InvestigationTask.objects.count()
    data = {"kind": "site_visit", "description": "Visit.", "due_at": "2020-01-01T10:00"}
    response = _post(client, "tr-investigator", investigating, "add_task", data)
    assert response.status_code == 422
    assert "The due time must be in the future." in response.content.decode()
    assert InvestigationTask.objects.count() == before


def test_add_task_is_refused_to_an_unassigned_investigator_and_parties(client, investigating):
    data = {"kind": "site_visit", "description": "Visit.", "due_at": _future()}
    assert _post(client, "qa-investigator", investigating, "add_task", data).status_code == 403
    assert _post(client, "pk-liaison", investigating, "add_task", data).status_code == 403
    assert not InvestigationTask.objects.filter(description="Visit.").exists()


def test_add_task_after_findings_is_a_conflict(client, findings_ready):
    data = {"kind": "site_visit", "description": "Visit.", "due_at": _future()}
    response = _post(client, "tr-investigator", findings_ready, "add_task", data)
    assert response.status_code == 409
    assert "Findings ready" in response.content.decode()


def test_complete_task_records_the_result(client, investigating):
    task = InvestigationTask.objects.get(complaint=investigating)
    response = _post(client, "tr-investigator", investigating, "complete_task", {"task": task.pk, "result": "Done."})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.done_at is not None and task.result == "Done."


def test_complete_task_without_a_result_changes_nothing(client, investigating):
    task = InvestigationTask.objects.get(complaint=investigating)
    response = _post(client, "tr-investigator", investigating, "complete_task", {"task": task.pk, "result": ""})
    assert response.status_code == 422
    assert "Say what the task found." in response.content.decode()
    task.refresh_from_db()
    assert task.done_at is None


def test_complete_task_is_refused_to_parties(client, investigating):
    task = InvestigationTask.objects.get(complaint=investigating)
    assert (
        _post(client, "pk-liaison", investigating, "complete_task", {"task": task.pk, "result": "x"}).status_code == 403
    )
    task.refresh_from_db()
    assert task.done_at is None


def test_complete_task_twice_is_a_conflict(client, investigating):
    task = InvestigationTask.objects.get(complaint=investigating)
    _post(client, "tr-investigator", investigating, "complete_task", {"task": task.pk, "result": "Done."})
    response = _post(client, "tr-investigator", investigating, "complete_task", {"task": task.pk, "result": "Again."})
    assert response.status_code == 409
    assert "completed already" in response.content.decode()


# --- notes --------------------------------------------------------------------------------------------------------


def test_note_by_an_adjudicator(client, investigating):
    assert _post(client, "qa-adjudicator", investigating, "note", {"text": "Check the timing."}).status_code == 302
    assert InvestigationNote.objects.filter(text="Check the timing.").exists()


def test_empty_note_changes_nothing(client, investigating):
    before = InvestigationNote.objects.count()
    response = _post(client, "tr-investigator", investigating, "note", {"text": ""})
    assert response.status_code == 422
    assert "Write the note." in response.content.decode()
    assert InvestigationNote.objects.count() == before


def test_note_is_refused_to_parties(client, investigating):
    assert _post(client, "af-liaison", investigating, "note", {"text": "Ours."}).status_code == 403
    assert not InvestigationNote.objects.filter(text="Ours.").exists()


def test_note_before_notice_is_a_conflict(client, pk_complaint):
    response = _post(client, "tr-secretariat", pk_complaint, "note", {"text": "Early."})
    assert response.status_code == 409
    assert not InvestigationNote.objects.exists()


# --- grades -------------------------------------------------------------------------------------------------------


def test_grade_has_two_separate_selects(client, investigating):
    evidence = investigating.evidence.first()
    response = _post(
        client,
        "tr-investigator",
        investigating,
        "grade",
        {"evidence": evidence.public_code, "reliability": "A", "credibility": "2"},
    )
    assert response.status_code == 302
    grade = EvidenceGrade.objects.filter(evidence=evidence).last()
    assert (grade.reliability, grade.credibility) == ("A", "2")
    page = client.get(url(investigating)).content.decode()
    assert 'name="reliability"' in page and 'name="credibility"' in page


def test_grade_without_reliability_changes_nothing(client, investigating):
    evidence = investigating.evidence.first()
    before = EvidenceGrade.objects.count()
    response = _post(
        client,
        "tr-investigator",
        investigating,
        "grade",
        {"evidence": evidence.public_code, "reliability": "", "credibility": "2"},
    )
    assert response.status_code == 422
    assert "Source reliability is a letter from A to F." in response.content.decode()
    assert EvidenceGrade.objects.count() == before


def test_grade_is_refused_to_parties(client, investigating):
    evidence = investigating.evidence.first()
    data = {"evidence": evidence.public_code, "reliability": "A", "credibility": "1"}
    assert _post(client, "af-liaison", investigating, "grade", data).status_code == 403


def test_grade_after_findings_is_a_conflict(client, findings_ready):
    evidence = findings_ready.evidence.first()
    data = {"evidence": evidence.public_code, "reliability": "A", "credibility": "1"}
    assert _post(client, "tr-investigator", findings_ready, "grade", data).status_code == 409


# --- corroboration ------------------------------------------------------------------------------------------------


def test_corroborate_links_another_incident(client, investigating, af_complaint):
    code = af_complaint.incident.public_code
    response = _post(client, "tr-investigator", investigating, "corroborate", {"incident": code, "note": "Same night."})
    assert response.status_code == 302
    assert Corroboration.objects.get(complaint=investigating).incident == af_complaint.incident


def test_corroborate_with_an_unknown_code_changes_nothing(client, investigating):
    response = _post(
        client, "tr-investigator", investigating, "corroborate", {"incident": "INC-0000-XXXX", "note": "?"}
    )
    assert response.status_code == 422
    assert "No incident with the code INC-0000-XXXX." in response.content.decode()
    assert not Corroboration.objects.exists()


def test_corroborate_is_refused_to_parties(client, investigating, af_complaint):
    data = {"incident": af_complaint.incident.public_code, "note": "x"}
    assert _post(client, "pk-liaison", investigating, "corroborate", data).status_code == 403


def test_corroborate_after_findings_is_a_conflict(client, findings_ready, af_complaint):
    data = {"incident": af_complaint.incident.public_code, "note": "x"}
    assert _post(client, "tr-investigator", findings_ready, "corroborate", data).status_code == 409


# --- findings -----------------------------------------------------------------------------------------------------


def test_findings_close_the_round(client, investigating):
    assert _post(client, "tr-investigator", investigating, "findings", {"summary": "Consistent."}).status_code == 302
    investigating.refresh_from_db()
    assert investigating.state == "findings_ready"


def test_empty_findings_change_nothing(client, investigating):
    response = _post(client, "tr-investigator", investigating, "findings", {"summary": ""})
    assert response.status_code == 422
    assert "Write the findings." in response.content.decode()
    investigating.refresh_from_db()
    assert investigating.state == "under_investigation" and not Findings.objects.exists()


def test_findings_are_refused_to_an_unassigned_investigator(client, investigating):
    assert _post(client, "qa-investigator", investigating, "findings", {"summary": "x"}).status_code == 403


def test_findings_twice_is_a_conflict(client, findings_ready):
    response = _post(client, "tr-investigator", findings_ready, "findings", {"summary": "Again."})
    assert response.status_code == 409
    assert Findings.objects.count() == 1
