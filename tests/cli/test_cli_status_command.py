"""`ceasefire status`: database, migrations, rows per model, complaints per state and log size."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from cli_helpers import run
from django.apps import apps
from django.conf import settings
from django.utils import timezone

from ceasefire.incidents.enums import ComplaintState
from ceasefire.incidents.models import Complaint
from ceasefire.incidents.services import file_complaint
from ceasefire.ledger.models import LogHead

pytestmark = pytest.mark.integration


@pytest.fixture
def status(af_complaint, pk_liaison, mechanism):
    from support import islamabad_attack_draft

    file_complaint(pk_liaison, islamabad_attack_draft(), submit=False)
    return json.loads(run("status", "--json"))


def test_status_json_counts_match_the_database(status):
    for label in ("core", "agreements", "geo", "incidents", "ledger"):
        for model in apps.get_app_config(label).get_models():
            assert status["models"][model._meta.label] == model._default_manager.count(), model._meta.label
    assert status["models"]["incidents.Complaint"] == 2
    assert status["complaints_by_state"][ComplaintState.SUBMITTED] == 1
    assert status["complaints_by_state"][ComplaintState.DRAFT] == 1
    assert set(status["complaints_by_state"]) == set(ComplaintState.values)
    assert status["log_size"] == LogHead.objects.get().size > 0


def test_status_json_reports_database_and_no_pending_migrations(status):
    db = status["database"]
    assert db["engine"] == settings.DATABASES["default"]["ENGINE"]
    assert db["name"] == str(settings.DATABASES["default"]["NAME"])
    assert "password" not in {key.lower() for key in db}
    assert status["pending_migrations"] == {"count": 0, "names": []}


def test_status_json_reports_later_features_as_not_available(status):
    assert status["last_checkpoint_age_seconds"] is None
    assert status["worker_heartbeat"] is None


def test_status_table_shows_the_same_figures(af_complaint):
    out = run("status")
    assert "Complaints by state" in out and "Rows per model" in out
    assert "incidents.Complaint" in out
    assert "not available yet" in out
    assert str(LogHead.objects.get().size) in out
    assert Complaint.objects.count() == 1


def test_status_counts_the_tasks_ready_for_the_worker(pk_complaint, secretariat):
    from ceasefire.core.taskqueue import run_ready_tasks
    from ceasefire.verification.services import notify_respondent

    notify_respondent(secretariat, pk_complaint)  # e-mails now; the reply deadline and reminder later
    assert json.loads(run("status", "--json"))["queued_tasks"] >= 1
    run_ready_tasks()
    assert json.loads(run("status", "--json"))["queued_tasks"] == 0
    assert "Queued tasks (ready)" in run("status")
    with time_machine.travel(timezone.now() + dt.timedelta(hours=73)):
        assert json.loads(run("status", "--json"))["queued_tasks"] == 2  # the reminder and the no-reply task
