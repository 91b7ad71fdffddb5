"""The complaint list: filters, pagination, the HTMX table partial and a query count independent of page
size.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from support import login

from ceasefire.incidents.models import Complaint

pytestmark = pytest.mark.integration


def _codes(response):
    return [c.public_code for c in response.context["page"].object_list]


def test_list_shows_only_visible_complaints(client, af_complaint, pk_complaint):
    login(client, "af-liaison")
    response = client.get(reverse("web:complaint-list"))
    assert _codes(response) == [af_complaint.public_code]
    body = response.content.decode()
    assert pk_complaint.public_code not in body
    assert 'AF</bdi> <span class="dir-arrow">→</span> <bdi>PK' in body
    assert "Khost" in body


def test_list_shows_all_submitted_to_mediator(client, af_complaint, pk_complaint, tr_investigator):
    login(client, "tr-investigator")
    assert set(_codes(client.get(reverse("web:complaint-list")))) == {
        af_complaint.public_code,
        pk_complaint.public_code,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"category": "air_strike"}, {"af"}),
        ({"category": "militant_attack"}, {"pk"}),
        ({"complainant": "PK"}, {"pk"}),
        ({"respondent": "PK"}, {"af"}),
        ({"side": "AF"}, {"af"}),
        ({"province": "khost"}, {"af"}),
        ({"q": "islamabad"}, {"pk"}),
        ({"date_from": "2025-11-20"}, {"af"}),
        ({"date_to": "2025-11-20"}, {"pk"}),
        ({"state": "submitted"}, {"af", "pk"}),
        ({"state": "closed"}, set()),
        ({"date_from": "not-a-date"}, {"af", "pk"}),
    ],
)
def test_list_filters_match_query(client, af_complaint, pk_complaint, tr_investigator, query, expected):
    login(client, "tr-investigator")
    names = {af_complaint.public_code: "af", pk_complaint.public_code: "pk"}
    response = client.get(reverse("web:complaint-list"), query)
    assert response.status_code == 200
    assert {names[c] for c in _codes(response)} == expected


def test_list_paginates_by_25(client, file_af_complaints):
    file_af_complaints(30)
    login(client, "af-liaison")
    first = client.get(reverse("web:complaint-list"))
    second = client.get(reverse("web:complaint-list"), {"page": 2})
    assert len(_codes(first)) == 25
    assert len(_codes(second)) == 5
    assert not set(_codes(first)) & set(_codes(second))
    assert "Page 1 of 2" in first.content.decode()


def test_list_pagination_keeps_filters(client, file_af_complaints):
    file_af_complaints(26)
    login(client, "af-liaison")
    body = client.get(reverse("web:complaint-list"), {"category": "air_strike"}).content.decode()
    assert "category=air_strike&amp;page=2" in body


def test_list_htmx_request_returns_only_table(client, af_complaint):
    login(client, "af-liaison")
    response = client.get(reverse("web:complaint-list"), {"category": "air_strike"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="complaint-table"')
    assert "<html" not in body
    assert "complaint-filters" not in body
    assert af_complaint.public_code in body


def test_list_history_restore_returns_whole_page(client, af_complaint):
    login(client, "af-liaison")
    response = client.get(reverse("web:complaint-list"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()


def _list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("web:complaint-list"))
    assert response.status_code == 200
    return len(queries)


def test_list_query_count_same_for_1_and_50_complaints(client, file_af_complaints):
    file_af_complaints(1)
    login(client, "af-liaison")
    one = _list_queries(client)
    file_af_complaints(49)
    assert Complaint.objects.count() == 50
    assert _list_queries(client) == one


def test_list_filter_form_replaces_request_in_flight(client, af_complaint):
    login(client, "af-liaison")
    body = client.get(reverse("web:complaint-list")).content.decode()
    form = re.search(r'<form id="complaint-filters"[^>]*>', body).group()
    # htmx 4: a newer filter request aborts the one in flight, so the table always matches the form.
    assert 'hx-sync="this:replace"' in form and 'hx-push-url="true"' in form


def test_list_page_links_share_the_filter_forms_queue(client, file_af_complaints):
    file_af_complaints(26)
    login(client, "af-liaison")
    body = client.get(reverse("web:complaint-list")).content.decode()
    assert 'hx-sync="#complaint-filters:replace"' in body
