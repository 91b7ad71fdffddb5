"""Reads of the workflow through the API: the workflow view, the caller's notifications (and marking them read)
and the mediators' deadline board — each filtered by what the caller may see."""

import datetime as dt

import pytest
import time_machine
from api_helpers import as_member, assert_problem, signed_in
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from workflow_api_helpers import findings_ready, get, no_secret, notified, workflow

from ceasefire.verification.models import Notification

pytestmark = pytest.mark.integration


def test_workflow_shows_history_and_actions_when_visible(pk_complaint, secretariat, pk_liaison, af_liaison):
    notified(pk_complaint, secretariat)
    body = workflow(pk_liaison, pk_complaint)
    assert body["state"] == "notified" and body["round"] == 1
    assert [e["to_state"] for e in body["timeline"]] == ["submitted", "notified"]
    assert body["timeline"][1]["by"] == "tr-secretariat" and body["timeline"][1]["party"] == "TR"
    assert body["reply"] is None and body["determinations"] == [] and body["appeals"] == []
    assert body["actions"] == ["withdraw"]
    assert workflow(af_liaison, pk_complaint)["actions"] == ["reply"]


def test_workflow_answers_404_when_not_visible(pk_complaint, af_liaison, outsider, admin):
    path = f"/api/v1/complaints/{pk_complaint.public_code}/workflow"
    assert_problem(get(af_liaison, path), 404)  # the respondent, before notice
    assert_problem(signed_in(outsider).get(path), 404)
    assert_problem(signed_in(admin).get(path), 404)
    assert_problem(get(af_liaison, "/api/v1/complaints/CMP-2025-NONE/workflow"), 404)


def test_workflow_never_gives_a_party_the_investigation(
    pk_complaint, secretariat, tr_investigator, pk_liaison, af_liaison, pk_viewer, analyst
):
    findings_ready(pk_complaint, secretariat, tr_investigator)
    for party in (pk_liaison, af_liaison, pk_viewer, analyst):
        response = get(party, f"/api/v1/complaints/{pk_complaint.public_code}/workflow")
        assert response.status_code == 200
        no_secret(response)
        assert "tr-investigator" not in response.content.decode()
    mediator = workflow(secretariat, pk_complaint)
    assert "tr-investigator" in {e["by"] for e in mediator["timeline"]}


def test_notifications_list_the_callers_own_with_unread_count(pk_complaint, secretariat, af_liaison, af_viewer):
    notified(pk_complaint, secretariat)
    response = get(af_liaison, "/api/v1/notifications")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["unread"] == body["count"] == len(body["items"]) >= 1
    item = body["items"][0]
    assert item["kind"] == "notified" and item["complaint"] == pk_complaint.public_code
    assert pk_complaint.public_code in item["message"] and item["read_at"] is None
    mine = {n["id"] for n in body["items"]}
    assert mine == set(Notification.objects.filter(recipient=af_liaison).values_list("pk", flat=True))


def test_notifications_never_show_mediator_only_events_to_a_party(
    pk_complaint, secretariat, tr_investigator, pk_liaison, af_liaison
):
    findings_ready(pk_complaint, secretariat, tr_investigator)
    assert Notification.objects.filter(mediators_only=True, recipient__party__kind="mediator").exists()
    kinds = {n["kind"] for n in get(secretariat, "/api/v1/notifications").json()["items"]}
    assert "submitted" in kinds
    for party in (pk_liaison, af_liaison):
        response = get(party, "/api/v1/notifications")
        no_secret(response)
        assert not {"submitted", "assigned", "task_added", "findings"} & {n["kind"] for n in response.json()["items"]}


def test_notifications_read_marks_only_the_callers_own(pk_complaint, secretariat, af_liaison, pk_liaison):
    notified(pk_complaint, secretariat)
    theirs = list(Notification.objects.filter(recipient=pk_liaison).values_list("pk", flat=True))
    mine = list(Notification.objects.filter(recipient=af_liaison).values_list("pk", flat=True))
    client = as_member(af_liaison)
    response = client.post_json("/api/v1/notifications/read", {"ids": theirs + mine[:1]})
    assert response.status_code == 200, response.content
    assert response.json() == {"marked": 1, "unread": len(mine) - 1}
    assert not Notification.objects.filter(pk__in=theirs, read_at__isnull=False).exists()
    everything = client.post("/api/v1/notifications/read", data="", content_type="application/json")
    assert everything.json() == {"marked": len(mine) - 1, "unread": 0}
    assert client.get("/api/v1/notifications?unread=true").json()["count"] == 0
    assert_problem(client.post_json("/api/v1/notifications/read", {"ids": ["x"]}), 422, "ids.0")


def test_notifications_are_empty_for_someone_without_a_party(pk_complaint, secretariat, outsider):
    notified(pk_complaint, secretariat)
    body = signed_in(outsider).get("/api/v1/notifications").json()
    assert body == {"unread": 0, "count": 0, "items": []}


def test_deadline_board_lists_running_clocks_for_mediators(pk_complaint, af_complaint, secretariat, tr_adjudicator):
    notified(pk_complaint, secretariat)
    notified(af_complaint, secretariat)
    board = get(tr_adjudicator, "/api/v1/deadlines").json()
    assert {d["complaint"] for d in board["later"] + board["due_soon"]} == {
        pk_complaint.public_code,
        af_complaint.public_code,
    }
    assert board["overdue"] == []
    with time_machine.travel(timezone.now() + dt.timedelta(hours=80)):
        late = get(secretariat, "/api/v1/deadlines").json()
    assert {(d["complaint"], d["stage"], d["who"]) for d in late["overdue"]} == {
        (pk_complaint.public_code, "reply", "AF"),
        (af_complaint.public_code, "reply", "PK"),
    }
    assert all(d["hours_late"] >= 7 for d in late["overdue"])
    assert late["per_stage"]["reply"]["overdue"] == 2 and late["per_party"]["AF"]["overdue"] == 2


def test_deadline_board_answers_404_to_everyone_else(pk_complaint, secretariat, af_liaison, analyst, outsider):
    notified(pk_complaint, secretariat)
    for member in (af_liaison, analyst):
        assert_problem(get(member, "/api/v1/deadlines"), 404)
    assert_problem(signed_in(outsider).get("/api/v1/deadlines"), 404)


def test_notifications_list_takes_the_same_queries_for_1_and_50(pk_complaint, secretariat, af_liaison):
    notified(pk_complaint, secretariat)
    client = as_member(af_liaison)

    def queries_for(rows):
        Notification.objects.filter(recipient=af_liaison).delete()
        Notification.objects.bulk_create(
            Notification(recipient=af_liaison, complaint=pk_complaint, kind="notified", params={"code": "x"})
            for _ in range(rows)
        )
        with CaptureQueriesContext(connection) as captured:
            body = client.get("/api/v1/notifications?limit=50").json()
        assert len(body["items"]) == rows
        return len(captured)

    queries_for(1)  # the token's first use is recorded once: warm it
    assert queries_for(1) == queries_for(50)
