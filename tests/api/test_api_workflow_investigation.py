"""The investigation through the API: assign, tasks, grades, corroborations, notes, findings, and the
mediators-only investigation read. Refusals change nothing; a party never gets any of it."""

import datetime as dt

import pytest
from api_helpers import as_member, assert_problem, signed_in
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from support import khost_strike_draft
from workflow_api_helpers import (
    SECRET_NOTE,
    assert_conflict,
    get,
    investigating,
    move,
    no_secret,
    notified,
    snapshot,
    workflow,
)

from ceasefire.incidents.models import Evidence
from ceasefire.incidents.services import file_complaint
from ceasefire.verification import services
from ceasefire.verification.models import Assignment, Corroboration, EvidenceGrade, Findings, InvestigationTask

pytestmark = pytest.mark.integration


def _due(days=3):
    return (timezone.now() + dt.timedelta(days=days)).isoformat()


def test_assign_opens_the_investigation_when_secretariat(pk_complaint, secretariat, tr_investigator, af_liaison):
    notified(pk_complaint, secretariat)
    body = {"investigators": ["tr-investigator", "qa-investigator"], "note": "Both mediators."}
    response = move(secretariat, pk_complaint, "assign", body)
    assert response.status_code == 200, response.content
    view = response.json()
    assert view["state"] == "under_investigation" and view["investigation_due_at"] is not None
    assert Assignment.objects.filter(complaint=pk_complaint).count() == 2
    assert "findings" in move(tr_investigator, pk_complaint, "notes", {"text": "Start."}).json()["actions"]
    party_view = workflow(af_liaison, pk_complaint)
    assert party_view["investigation_due_at"] is None
    opened = party_view["timeline"][-1]
    assert opened["to_state"] == "under_investigation" and opened["note"] == "" and opened["by"] == ""


def test_assign_is_refused_without_change_when_bad(pk_complaint, secretariat, tr_adjudicator, af_liaison):
    before = snapshot()
    assert_conflict(move(secretariat, pk_complaint, "assign", {"investigators": ["tr-investigator"]}), "submitted")
    notified(pk_complaint, secretariat)
    before = snapshot()
    body = assert_problem(
        move(secretariat, pk_complaint, "assign", {"investigators": ["tr-investigator", "nobody", "af-liaison"]}),
        422,
        "investigators.1",
        "investigators.2",
    )
    assert "nobody" in body["errors"]["investigators.1"] and "investigator" in body["errors"]["investigators.2"]
    assert_problem(move(secretariat, pk_complaint, "assign", {"investigators": []}), 422, "investigators")
    assert_problem(move(tr_adjudicator, pk_complaint, "assign", {"investigators": ["nobody"]}), 403)
    assert_problem(move(af_liaison, pk_complaint, "assign", {"investigators": ["tr-investigator"]}), 403)
    assert snapshot() == before


def test_tasks_are_added_and_completed_when_assigned_investigator(pk_complaint, secretariat, tr_investigator):
    investigating(pk_complaint, secretariat, tr_investigator)
    body = {"kind": "site_visit", "description": "Visit the court.", "due_at": _due(), "assigned_to": "tr-investigator"}
    added = move(tr_investigator, pk_complaint, "tasks", body)
    assert added.status_code == 200, added.content
    created = added.json()["created"]
    task = InvestigationTask.objects.get(pk=int(created["ref"]))
    assert created["kind"] == "task" and task.assigned_to == tr_investigator
    done = move(tr_investigator, pk_complaint, f"tasks/{task.pk}/complete", {"result": "Damage confirmed."})
    assert done.status_code == 200, done.content
    task.refresh_from_db()
    assert task.done_at is not None and task.result == "Damage confirmed."
    before = snapshot()
    assert_problem(move(tr_investigator, pk_complaint, f"tasks/{task.pk}/complete", {"result": "Again."}), 409)
    assert snapshot() == before


def test_tasks_are_refused_without_change_when_bad(
    pk_complaint, secretariat, tr_investigator, qa_investigator, af_liaison
):
    investigating(pk_complaint, secretariat, tr_investigator)
    task = services.add_investigation_task(
        tr_investigator, pk_complaint, kind="interview", description="Talk.", due_at=timezone.now() + dt.timedelta(1)
    )
    before = snapshot()
    bad = {"kind": "seance", "description": " ", "due_at": "2020-01-01T00:00:00Z", "assigned_to": None}
    assert_problem(move(tr_investigator, pk_complaint, "tasks", bad), 422, "kind", "description", "due_at")
    unknown = {"kind": "interview", "description": "Talk.", "due_at": _due(), "assigned_to": "ghost"}
    assert_problem(move(tr_investigator, pk_complaint, "tasks", unknown), 422, "assigned_to")
    assert_problem(move(qa_investigator, pk_complaint, "tasks", unknown), 403)  # not assigned to this one
    assert_problem(move(af_liaison, pk_complaint, "tasks", unknown), 403)
    assert_problem(move(af_liaison, pk_complaint, f"tasks/{task.pk}/complete", {"result": "r"}), 404)
    assert_problem(move(tr_investigator, pk_complaint, "tasks/999999/complete", {"result": "r"}), 404)
    assert_problem(move(tr_investigator, pk_complaint, f"tasks/{task.pk}/complete", {"result": ""}), 422, "result")
    assert snapshot() == before


def test_grade_records_admiralty_code_when_investigator(pk_complaint, secretariat, tr_investigator, af_liaison):
    investigating(pk_complaint, secretariat, tr_investigator)
    evidence = _evidence(pk_complaint, tr_investigator)
    path = f"evidence/{evidence.public_code}/grade"
    before = snapshot()
    assert_problem(
        move(tr_investigator, pk_complaint, path, {"reliability": "Z", "credibility": "9"}),
        422,
        "reliability",
        "credibility",
    )
    assert_problem(move(af_liaison, pk_complaint, path, {"reliability": "B", "credibility": "2"}), 403)
    assert_problem(
        move(tr_investigator, pk_complaint, "evidence/EVD-NONE/grade", {"reliability": "B", "credibility": "2"}), 404
    )
    assert snapshot() == before
    response = move(tr_investigator, pk_complaint, path, {"reliability": "B", "credibility": "2", "note": "Geo."})
    assert response.status_code == 200, response.content
    assert EvidenceGrade.objects.get(evidence=evidence).reliability == "B"


def test_corroboration_links_an_incident_by_code(pk_complaint, secretariat, tr_investigator, af_liaison):
    other = file_complaint(af_liaison, khost_strike_draft())
    investigating(pk_complaint, secretariat, tr_investigator)
    before = snapshot()
    assert_problem(
        move(tr_investigator, pk_complaint, "corroborations", {"incident": "INC-NONE", "note": "n"}), 422, "incident"
    )
    link = {"incident": other.incident.public_code, "note": "Same night, same district."}
    assert_problem(move(af_liaison, pk_complaint, "corroborations", link), 403)
    assert_problem(move(tr_investigator, pk_complaint, "corroborations", link | {"note": ""}), 422, "note")
    assert snapshot() == before
    response = move(tr_investigator, pk_complaint, "corroborations", link)
    assert response.status_code == 200, response.content
    assert Corroboration.objects.get(complaint=pk_complaint).incident == other.incident


def test_notes_and_findings_stay_with_the_mediators(pk_complaint, secretariat, tr_investigator, af_liaison, pk_liaison):
    investigating(pk_complaint, secretariat, tr_investigator)
    before = snapshot()
    assert_problem(move(af_liaison, pk_complaint, "notes", {"text": SECRET_NOTE}), 403)
    assert_problem(move(tr_investigator, pk_complaint, "notes", {"text": ""}), 422, "text")
    assert_problem(move(tr_investigator, pk_complaint, "findings", {"summary": " "}), 422, "summary")
    assert_problem(move(pk_liaison, pk_complaint, "findings", {"summary": "Mine."}), 403)
    assert snapshot() == before
    assert move(tr_investigator, pk_complaint, "notes", {"text": SECRET_NOTE}).status_code == 200
    response = move(tr_investigator, pk_complaint, "findings", {"summary": "okapi-findings"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "findings_ready"
    assert Findings.objects.get(complaint=pk_complaint).summary == "okapi-findings"
    before = snapshot()
    assert_conflict(move(tr_investigator, pk_complaint, "findings", {"summary": "Twice."}), "findings_ready")
    assert_conflict(
        move(tr_investigator, pk_complaint, "tasks", {"kind": "other", "description": "d", "due_at": _due()}),
        "findings_ready",
    )
    assert snapshot() == before
    for party in (af_liaison, pk_liaison):
        no_secret(get(party, f"/api/v1/complaints/{pk_complaint.public_code}/workflow"))
        no_secret(get(party, "/api/v1/notifications"))


def test_investigation_read_is_for_mediators_only(
    pk_complaint, secretariat, tr_investigator, af_liaison, pk_liaison, qa_adjudicator, analyst, outsider
):
    investigating(pk_complaint, secretariat, tr_investigator)
    move(tr_investigator, pk_complaint, "notes", {"text": SECRET_NOTE})
    path = f"/api/v1/complaints/{pk_complaint.public_code}/investigation"
    for mediator in (tr_investigator, qa_adjudicator, secretariat):
        response = get(mediator, path)
        assert response.status_code == 200, response.content
        body = response.json()
        assert [n["text"] for n in body["notes"]] == [SECRET_NOTE]
        assert [a["investigator"] for a in body["assignments"]] == ["tr-investigator"]
    for party in (af_liaison, pk_liaison, analyst):
        response = get(party, path)
        assert_problem(response, 404)
        no_secret(response)
    assert_problem(signed_in(outsider).get(path), 404)


def _evidence(complaint, member):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(80))
    response = as_member(member).post(
        f"/api/v1/complaints/{complaint.public_code}/evidence", data={"files": [SimpleUploadedFile("s.png", png)]}
    )
    assert response.status_code == 201, response.content
    return Evidence.objects.get(public_code=response.json()[0]["public_code"])
