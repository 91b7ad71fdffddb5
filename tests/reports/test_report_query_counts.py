"""Lists of reports and publications read the same number of queries for one row as for several."""

from __future__ import annotations

import datetime as dt

import pytest
from api.api_helpers import as_member
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from support import login
from verification.wf_steps import drive

from ceasefire.incidents.enums import ComplaintState
from ceasefire.reports.services import generate_report, publish_complaint

pytestmark = pytest.mark.integration


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200
    return len(captured)


def public_daily(day: int):
    return generate_report(None, kind="daily", day=dt.date(2025, 11, day), audience="public")


def test_report_lists_cost_the_same_for_one_report_and_for_four(client, secretariat):
    public_daily(24)
    login(client, "tr-secretariat")
    api = as_member(secretariat)
    api.get("/api/v1/reports")  # the token's first use records its last_used_at: one write, once
    page_one = queries(lambda: client.get(reverse("web:report-list")))
    public_one = queries(lambda: client.get(reverse("web:public-reports")))
    api_one = queries(lambda: api.get("/api/v1/reports"))

    for day in (25, 26, 27):
        public_daily(day)

    assert queries(lambda: client.get(reverse("web:report-list"))) == page_one
    assert queries(lambda: client.get(reverse("web:public-reports"))) == public_one
    assert queries(lambda: api.get("/api/v1/reports")) == api_one


def test_publications_page_costs_the_same_for_one_publication_and_for_three(client, cast):
    publish_complaint(cast.secretariat, drive(cast, ComplaintState.DETERMINED), summary="One.")
    login(client, "tr-secretariat")
    one = queries(lambda: client.get(reverse("web:report-publications")))

    for n in range(2):
        publish_complaint(cast.secretariat, drive(cast, ComplaintState.DETERMINED), summary=f"More {n}.")

    assert queries(lambda: client.get(reverse("web:report-publications"))) == one
