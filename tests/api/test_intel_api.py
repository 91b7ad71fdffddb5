"""Intelligence items through the API: draft or share, read (the reading is the receipt), revise a draft, the
list with its filters; who may do each, every bad body named with nothing saved, and 404 for what one may not see."""

import datetime as dt
import json

import pytest
import time_machine
from api_helpers import ApiClient, as_member, assert_problem, signed_in
from django.utils import timezone
from intel_api_helpers import ITEMS, green_note, item_body, red_item, share_via_service

from ceasefire.intel.models import IntelItem, Receipt, RequestForAction
from ceasefire.ledger.models import LogEntry
from ceasefire.verification.models import Notification

pytestmark = pytest.mark.integration


def _nothing_saved():
    return (
        not IntelItem.objects.exists()
        and not RequestForAction.objects.exists()
        and not LogEntry.objects.filter(kind__startswith="intel").exists()
    )


def _codes(client, query=""):
    response = client.get(f"{ITEMS}?{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    return body["count"], {row["public_code"] for row in body["items"]}


# --- create -------------------------------------------------------------------------------------------------------


def test_create_shares_item_when_liaison_posts(pk_liaison, af_liaison):
    response = as_member(pk_liaison).post_json(ITEMS, item_body())
    assert response.status_code == 201, response.content
    body = response.json()
    item = IntelItem.objects.get()
    assert response["Location"] == f"{ITEMS}/{item.public_code}"
    assert (body["public_code"], body["state"], body["tlp"], body["originator"]) == (
        item.public_code,
        "shared",
        "AMBER",
        "PK",
    )
    assert body["recipients"] == [{"party": "AF", "forwarded_by": None}]
    assert body["actors"] == ["ttp"]
    assert body["places"][0]["name"] == "Barmal" and body["places"][0]["side"] == "AF"
    assert body["request"]["addressee"] == "AF" and body["request"]["against"] == ["ttp"]
    assert body["request"]["state"] == "open" and body["request"]["overdue"] is False
    assert body["receipts"] == [] and body["moves"] == ["rate"]
    assert "id" not in body
    assert LogEntry.objects.get(subject_code=item.public_code).kind == "intel.shared"
    assert Notification.objects.filter(recipient=af_liaison, intel_item=item).exists()


def test_create_keeps_draft_only_for_own_party_when_share_false(pk_liaison, pk_viewer, af_liaison):
    response = as_member(pk_liaison).post_json(ITEMS, item_body(share=False))
    assert response.status_code == 201, response.content
    code = response.json()["public_code"]
    assert response.json()["state"] == "draft" and response.json()["moves"] == ["revise"]
    assert as_member(pk_viewer).get(f"{ITEMS}/{code}").status_code == 200
    assert_problem(as_member(af_liaison).get(f"{ITEMS}/{code}"), 404)
    assert LogEntry.objects.get(subject_code=code).kind == "intel.drafted"


def test_create_green_note_when_mediator_secretariat_posts(secretariat):
    body = item_body(tlp="GREEN", recipients=[], request=None, title="Situation at Torkham")
    response = as_member(secretariat).post_json(ITEMS, body)
    assert response.status_code == 201, response.content
    assert response.json()["originator"] == "TR" and response.json()["recipients"] == []


@pytest.mark.parametrize("persona", ["pk_viewer", "analyst", "tr_investigator", "tr_adjudicator"])
def test_create_refused_when_role_does_not_share(request, persona):
    client = as_member(request.getfixturevalue(persona))
    assert_problem(client.post_json(ITEMS, item_body(tlp="GREEN", recipients=[], request=None)), 403)
    assert _nothing_saved()


@pytest.mark.parametrize("persona", ["outsider", "admin"])
def test_create_refused_when_acting_for_no_party(request, persona):
    client = signed_in(request.getfixturevalue(persona))
    assert_problem(client.post_json(ITEMS, item_body()), 403)
    assert _nothing_saved()


def test_create_refused_when_not_authenticated(mechanism):
    assert_problem(ApiClient().post_json(ITEMS, item_body()), 401)
    assert _nothing_saved()


def test_create_answers_400_when_body_is_malformed_json(pk_liaison):
    client = as_member(pk_liaison)
    response = client.post(ITEMS, data='{"title": "x", "tlp": ', content_type="application/json")
    assert_problem(response, 400, "body")
    assert _nothing_saved()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": 5}, "title"),
        ({"recipients": "AF"}, "recipients"),
        ({"places": [{"name": "Barmal", "latitude": "north", "longitude": 69.25}]}, "places.0.latitude"),
        ({"share": "yes"}, "share"),
        ({"forwarding_allowed": 1}, "forwarding_allowed"),
        ({"expires_at": "tomorrow"}, "expires_at"),
        ({"expires_at": "2030-01-01T10:00:00"}, "expires_at"),
        ({"request": {"addressee": "AF", "what": "Act.", "due_at": "soon"}}, "request.due_at"),
        ({"request": {"addressee": "AF", "due_at": "2030-01-01T10:00:00Z"}}, "request.what"),
        ({"colour": "amber"}, "colour"),
    ],
)
def test_create_names_field_when_type_is_wrong(pk_liaison, overrides, field):
    body = assert_problem(as_member(pk_liaison).post_json(ITEMS, item_body(**overrides)), 422, field)
    assert "nothing was saved" in body["detail"]
    assert _nothing_saved()


def test_create_names_field_when_required_field_missing(pk_liaison):
    body = item_body()
    del body["title"], body["tlp"]
    assert_problem(as_member(pk_liaison).post_json(ITEMS, body), 422, "title", "tlp")
    assert _nothing_saved()


def _past():
    return (timezone.now() - dt.timedelta(hours=1)).isoformat()


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"tlp": "RED", "recipients": [], "request": None}, "people", "named people"),
        ({"recipients": ["XX"]}, "recipients", "XX"),
        ({"recipients": ["AF", "ZZ"]}, "recipients", "ZZ"),
        ({"recipients": ["PK"], "request": None}, "recipients", "originator"),
        ({"tlp": "AMBER", "recipients": []}, "recipients", "at least one"),
        ({"tlp": "AMBER+STRICT", "forwarding_allowed": True}, "forwarding_allowed", "AMBER+STRICT"),
        ({"tlp": "GREEN", "recipients": [], "request": None, "forwarding_allowed": True}, "forwarding_allowed", ""),
        ({"tlp": "PURPLE"}, "tlp", "CLEAR"),
        ({"tlp": "RED", "recipients": [], "people": ["nobody"], "request": None}, "people", "nobody"),
        ({"actors": ["ttp", "no-such-group"]}, "actors", "no-such-group"),
        ({"complaints": ["CMP-2025-XXXX"]}, "complaints", "CMP-2025-XXXX"),
        ({"places": [{"name": "Nowhere", "latitude": 95.0, "longitude": 69.0}]}, "places", "out of range"),
        ({"title": " "}, "title", ""),
        ({"title": "x" * 201}, "title", "200"),
    ],
)
def test_create_names_field_when_a_rule_is_broken(pk_liaison, overrides, field, words):
    body = assert_problem(as_member(pk_liaison).post_json(ITEMS, item_body(**overrides)), 422, field)
    assert words in body["errors"][field]
    assert _nothing_saved()


def test_create_refuses_expiry_in_the_past(pk_liaison):
    assert_problem(as_member(pk_liaison).post_json(ITEMS, item_body(expires_at=_past())), 422, "expires_at")
    assert _nothing_saved()


def test_create_names_request_fields_when_request_is_wrong(pk_liaison):
    request = {"addressee": "TR", "what": " ", "against": ["nobody"], "due_at": _past()}
    body = assert_problem(
        as_member(pk_liaison).post_json(ITEMS, item_body(request=request)),
        422,
        "request.addressee",
        "request.what",
        "request.due_at",
        "request.against",
    )
    assert "TR" in body["errors"]["request.addressee"]
    assert _nothing_saved()


# --- read ---------------------------------------------------------------------------------------------------------


def test_get_records_receipt_once_when_recipient_reads(pk_liaison, af_viewer, af_liaison):
    item = share_via_service(pk_liaison)
    first = as_member(af_viewer).get(f"{ITEMS}/{item.public_code}")
    assert first.status_code == 200, first.content
    body = first.json()
    assert body["body"].startswith("A TTP group") and body["handling"]
    assert [(r["party"], r["opened_by"], r["person"]) for r in body["receipts"]] == [("AF", "af-viewer", None)]
    assert body["moves"] == ["acknowledge"]
    again = as_member(af_liaison).get(f"{ITEMS}/{item.public_code}").json()
    assert again["moves"] == ["acknowledge", "record_action"]
    assert Receipt.objects.filter(item=item).count() == 1
    assert LogEntry.objects.filter(subject_code=item.public_code, kind="intel_receipt.opened").count() == 1


def test_get_records_no_receipt_when_originator_reads(pk_liaison, pk_viewer):
    item = share_via_service(pk_liaison)
    assert as_member(pk_viewer).get(f"{ITEMS}/{item.public_code}").status_code == 200
    assert not Receipt.objects.exists()


def test_get_answers_404_when_item_is_not_shared_with_caller(pk_liaison, tr_investigator, af_liaison):
    item = share_via_service(pk_liaison)
    assert_problem(as_member(tr_investigator).get(f"{ITEMS}/{item.public_code}"), 404)
    assert_problem(as_member(af_liaison).get(f"{ITEMS}/INT-2025-XXXX"), 404)
    assert not Receipt.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "admin"])
def test_get_answers_404_when_caller_acts_for_no_party(request, pk_liaison, persona):
    item = green_note(pk_liaison)
    assert_problem(signed_in(request.getfixturevalue(persona)).get(f"{ITEMS}/{item.public_code}"), 404)


def test_red_item_reaches_only_named_people_and_author(pk_liaison, pk_viewer, af_liaison, af_viewer, secretariat):
    item = red_item(pk_liaison, ["af-liaison", "tr-secretariat"])
    for member in (pk_liaison, af_liaison, secretariat):
        assert as_member(member).get(f"{ITEMS}/{item.public_code}").status_code == 200
    for member in (pk_viewer, af_viewer):
        assert_problem(as_member(member).get(f"{ITEMS}/{item.public_code}"), 404)
    # A RED receipt is per person, not per party.
    receipts = as_member(pk_liaison).get(f"{ITEMS}/{item.public_code}").json()["receipts"]
    assert {(r["party"], r["person"]) for r in receipts} == {("AF", "af-liaison"), ("TR", "tr-secretariat")}


def test_expired_item_leaves_recipients_and_stays_with_originator(pk_liaison, af_liaison, pk_viewer):
    item = share_via_service(pk_liaison, expires_at=(timezone.now() + dt.timedelta(days=1)).isoformat())
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        assert_problem(as_member(af_liaison).get(f"{ITEMS}/{item.public_code}"), 404)
        assert _codes(as_member(af_liaison)) == (0, set())
        body = as_member(pk_viewer).get(f"{ITEMS}/{item.public_code}").json()
        assert body["expired"] is True
        assert _codes(as_member(pk_viewer)) == (1, {item.public_code})


def test_linked_complaints_show_only_those_the_reader_may_see(pk_liaison, af_liaison, pk_complaint):
    item = share_via_service(pk_liaison, complaints=[pk_complaint.public_code])
    assert as_member(pk_liaison).get(f"{ITEMS}/{item.public_code}").json()["complaints"] == [pk_complaint.public_code]
    # Submitted, not yet notified: the respondent does not see the complaint, so the link does not show it.
    assert as_member(af_liaison).get(f"{ITEMS}/{item.public_code}").json()["complaints"] == []


# --- revise -------------------------------------------------------------------------------------------------------


def test_revise_rewrites_draft_then_shares_it(pk_liaison, af_liaison):
    item = share_via_service(pk_liaison, share=False)
    client = as_member(pk_liaison)
    url = f"{ITEMS}/{item.public_code}"
    revised = client.put(url, data=json.dumps(item_body(title="Revised", share=False)), content_type="application/json")
    assert revised.status_code == 200, revised.content
    assert (revised.json()["title"], revised.json()["state"]) == ("Revised", "draft")
    assert_problem(as_member(af_liaison).get(url), 404)
    shared = client.put(url, data=json.dumps(item_body(title="Revised")), content_type="application/json")
    assert shared.json()["state"] == "shared"
    assert as_member(af_liaison).get(url).json()["title"] == "Revised"
    kinds = list(LogEntry.objects.filter(subject_code=item.public_code).values_list("kind", flat=True))
    assert kinds[:3] == ["intel.drafted", "intel.revised", "intel.shared"]


def test_revise_answers_409_when_item_was_shared(pk_liaison):
    item = share_via_service(pk_liaison)
    response = as_member(pk_liaison).put(
        f"{ITEMS}/{item.public_code}", data=json.dumps(item_body(title="Changed")), content_type="application/json"
    )
    assert assert_problem(response, 409)["state"] == "shared"
    assert IntelItem.objects.get().title != "Changed"


def test_revise_answers_403_to_viewer_and_404_to_other_party(pk_liaison, pk_viewer, af_liaison):
    item = share_via_service(pk_liaison, share=False)
    url = f"{ITEMS}/{item.public_code}"
    body = json.dumps(item_body(title="Changed", share=False))
    assert_problem(as_member(pk_viewer).put(url, data=body, content_type="application/json"), 403)
    assert_problem(as_member(af_liaison).put(url, data=body, content_type="application/json"), 404)
    assert IntelItem.objects.get().title != "Changed"


def test_revise_names_field_and_keeps_draft_when_body_is_bad(pk_liaison):
    item = share_via_service(pk_liaison, share=False)
    body = json.dumps(item_body(title="Changed", tlp="RED", recipients=[], request=None))
    response = as_member(pk_liaison).put(f"{ITEMS}/{item.public_code}", data=body, content_type="application/json")
    assert_problem(response, 422, "people")
    item.refresh_from_db()
    assert (item.title, item.tlp, item.state) == ("TTP commanders gathering near Barmal", "AMBER", "draft")
    assert LogEntry.objects.filter(subject_code=item.public_code).count() == 1


# --- list ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def shelf(pk_liaison, af_liaison, secretariat):
    """PK's AMBER item for AF, PK's draft, AF's AMBER+STRICT item for PK, TR's GREEN note, PK's RED for af-liaison."""
    return {
        "pk_amber": share_via_service(pk_liaison).public_code,
        "pk_draft": share_via_service(pk_liaison, share=False, title="Unfinished").public_code,
        "af_strict": share_via_service(
            af_liaison,
            tlp="AMBER+STRICT",
            recipients=["PK"],
            actors=["nrf"],
            title="NRF fighters crossing at Angoor Adda",
            body="A group of NRF fighters was seen crossing at Angoor Adda.",
            places=[{"name": "Angoor Adda", "latitude": 32.62, "longitude": 69.33}],
            request=None,
        ).public_code,
        "tr_green": green_note(secretariat).public_code,
        "pk_red": red_item(pk_liaison, ["af-liaison"], title="Source report").public_code,
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("pk_liaison", {"pk_amber", "pk_draft", "af_strict", "tr_green", "pk_red"}),
        ("pk_viewer", {"pk_amber", "pk_draft", "af_strict", "tr_green"}),
        ("analyst", {"pk_amber", "pk_draft", "af_strict", "tr_green"}),
        ("af_liaison", {"pk_amber", "af_strict", "tr_green", "pk_red"}),
        ("af_viewer", {"pk_amber", "af_strict", "tr_green"}),
        ("tr_investigator", {"tr_green"}),
        ("qa_adjudicator", {"tr_green"}),
        ("secretariat", {"tr_green"}),
    ],
)
def test_list_shows_exactly_what_persona_may_see(request, shelf, persona, expected):
    client = as_member(request.getfixturevalue(persona))
    assert _codes(client) == (len(expected), {shelf[k] for k in expected})


@pytest.mark.parametrize("persona", ["outsider", "admin"])
def test_list_is_empty_when_caller_acts_for_no_party(request, shelf, persona):
    assert _codes(signed_in(request.getfixturevalue(persona))) == (0, set())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tlp=AMBER", {"pk_amber", "pk_draft"}),
        ("tlp=AMBER%2BSTRICT", {"af_strict"}),
        ("originator=af", {"af_strict"}),
        ("state=draft", {"pk_draft"}),
        ("state=shared", {"pk_amber", "af_strict", "tr_green", "pk_red"}),
        ("received=true", {"af_strict", "tr_green"}),
        ("actor=nrf", {"af_strict"}),
        ("q=barmal", {"pk_amber", "pk_draft", "pk_red"}),
        ("q=ANGOOR", {"af_strict"}),
        ("q=nothing-matches", set()),
    ],
)
def test_list_applies_filter_when_given(shelf, pk_liaison, query, expected):
    assert _codes(as_member(pk_liaison), query) == (len(expected), {shelf[k] for k in expected})


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("tlp=PURPLE", "tlp"),
        ("state=lost", "state"),
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("offset=-1", "offset"),
    ],
)
def test_list_names_parameter_when_invalid(pk_liaison, query, field):
    assert_problem(as_member(pk_liaison).get(f"{ITEMS}?{query}"), 422, field)


def test_list_pages_with_count_of_all(shelf, pk_liaison):
    client = as_member(pk_liaison)
    first = client.get(f"{ITEMS}?limit=2").json()
    rest = client.get(f"{ITEMS}?limit=2&offset=2").json()
    assert (first["count"], len(first["items"]), len(rest["items"])) == (5, 2, 2)
    assert not {r["public_code"] for r in first["items"]} & {r["public_code"] for r in rest["items"]}


def _list_queries(client, django_assert_num_queries, rows):
    client.get(ITEMS)
    # token, count, then the page with originator and request joined
    with django_assert_num_queries(3):
        assert len(client.get(f"{ITEMS}?limit=50").json()["items"]) == rows


def test_list_query_count_is_fixed_when_one_row(pk_liaison, af_liaison, django_assert_num_queries):
    share_via_service(pk_liaison)
    _list_queries(as_member(af_liaison), django_assert_num_queries, 1)


def test_list_query_count_is_fixed_when_fifty_rows(pk_liaison, af_liaison, django_assert_num_queries):
    for _ in range(50):
        share_via_service(pk_liaison)
    _list_queries(as_member(af_liaison), django_assert_num_queries, 50)


CONTRACT = {
    ("get", "/api/v1/intel/items"): "list_intel_items",
    ("post", "/api/v1/intel/items"): "create_intel_item",
    ("get", "/api/v1/intel/items/{code}"): "get_intel_item",
    ("put", "/api/v1/intel/items/{code}"): "revise_intel_item",
    ("post", "/api/v1/intel/items/{code}/forward"): "forward_intel_item",
    ("post", "/api/v1/intel/items/{code}/acknowledge"): "acknowledge_intel_item",
    ("post", "/api/v1/intel/items/{code}/actions"): "record_intel_action",
    ("post", "/api/v1/intel/items/{code}/rating"): "rate_intel_response",
    ("get", "/api/v1/intel/items/{code}/receipts"): "list_intel_receipts",
    ("get", "/api/v1/intel/items/{code}/receipt"): "get_intel_receipt",
    ("get", "/api/v1/intel/items/{code}/stix"): "get_intel_stix",
    ("get", "/api/v1/intel/items/{code}/log"): "list_intel_log_entries",
    ("get", "/api/v1/intel/export.stix"): "export_intel_stix",
    ("get", "/api/v1/intel/export.csv"): "export_intel_csv",
    ("post", "/api/v1/intel/import/stix"): "import_intel_stix",
    ("get", "/api/v1/intel/requests"): "list_intel_requests",
}


def test_openapi_names_each_intel_operation_as_the_contract_does(db):
    document = json.loads(ApiClient().get("/api/v1/openapi.json").content)
    found = {
        (method, path): operation["operationId"]
        for path, item in document["paths"].items()
        if path.startswith("/api/v1/intel/")
        for method, operation in item.items()
    }
    assert found == CONTRACT
    upload = document["paths"]["/api/v1/intel/import/stix"]["post"]["requestBody"]["content"]
    assert set(upload) == {"application/json", "multipart/form-data"}
