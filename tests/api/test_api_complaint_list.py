"""The complaint list: every filter, limit/offset paging, the visible count, and a query count that does not
grow with the page."""

import pytest
from api_helpers import as_member, assert_problem, file_via_service

pytestmark = pytest.mark.integration

URL = "/api/v1/complaints"


def _codes(client, query=""):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    return body["count"], {item["public_code"] for item in body["items"]}


@pytest.fixture
def mediator(af_complaint, pk_complaint, tr_investigator):
    return as_member(tr_investigator)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"af", "pk"}),
        ("category=air_strike", {"af"}),
        ("category=militant_attack", {"pk"}),
        ("state=submitted", {"af", "pk"}),
        ("state=draft", set()),
        ("complainant=PK", {"pk"}),
        ("complainant=af", {"af"}),
        ("respondent=PK", {"af"}),
        ("side=PK", {"pk"}),
        ("side=AF", {"af"}),
        ("province=khost", {"af"}),
        ("date_from=2025-11-20", {"af"}),
        ("date_to=2025-11-12", {"pk"}),
        ("date_from=2025-11-11&date_to=2025-11-11", {"pk"}),
        ("date_from=&date_to=", {"af", "pk"}),
        ("q=mughalgai", {"af"}),
        ("q=court+islamabad", {"pk"}),
        ("q=nothing-matches-this", set()),
        ("category=air_strike&complainant=PK", set()),
    ],
)
def test_list_applies_filter_when_given(mediator, af_complaint, pk_complaint, query, expected):
    names = {"af": af_complaint.public_code, "pk": pk_complaint.public_code}
    assert _codes(mediator, query) == (len(expected), {names[k] for k in expected})


def test_list_finds_complaint_when_q_is_public_code(mediator, pk_complaint):
    assert _codes(mediator, f"q={pk_complaint.public_code}") == (1, {pk_complaint.public_code})


def test_list_pages_with_count_of_all_when_limit_smaller(af_liaison, tr_investigator):
    file_via_service(af_liaison, 3)
    client = as_member(tr_investigator)
    first = client.get(f"{URL}?limit=2&offset=0").json()
    rest = client.get(f"{URL}?limit=2&offset=2").json()
    assert (first["count"], len(first["items"]), first["limit"], first["offset"]) == (3, 2, 2, 0)
    assert (rest["count"], len(rest["items"])) == (3, 1)
    all_codes = [i["public_code"] for i in first["items"] + rest["items"]]
    assert len(set(all_codes)) == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=201", "limit"),
        ("limit=0", "limit"),
        ("offset=-1", "offset"),
        ("limit=many", "limit"),
        ("category=picnic", "category"),
        ("state=lost", "state"),
        ("side=north", "side"),
        ("date_from=24/11/2025", "date_from"),
        ("date_from=2025-11-20&date_to=2025-11-01", "date_to"),
    ],
)
def test_list_names_parameter_when_invalid(mediator, query, field):
    assert_problem(mediator.get(f"{URL}?{query}"), 422, field)


def test_list_query_count_is_fixed_when_one_row(af_liaison, tr_investigator, django_assert_num_queries):
    file_via_service(af_liaison, 1)
    client = as_member(tr_investigator)
    client.get(URL)
    # token, count, the page's ids, then the page's rows with their incident, parties and crossing joined
    with django_assert_num_queries(4):
        assert len(client.get(f"{URL}?limit=50").json()["items"]) == 1


def test_list_query_count_is_fixed_when_fifty_rows(af_liaison, tr_investigator, django_assert_num_queries):
    file_via_service(af_liaison, 50)
    client = as_member(tr_investigator)
    client.get(URL)
    with django_assert_num_queries(4):
        assert len(client.get(f"{URL}?limit=50").json()["items"]) == 50
