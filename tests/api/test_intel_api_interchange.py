"""STIX 2.1 and CSV through the API: an item's bundle, filtered exports holding exactly what the caller may see,
and a bundle imported as a draft (raw JSON body or multipart file), refused naming why with nothing saved."""

import csv
import io
import json

import pytest
from api_helpers import as_member, assert_problem, signed_in
from django.core.files.uploadedfile import SimpleUploadedFile
from intel_api_helpers import ITEMS, green_note, red_item, share_via_service

from ceasefire.intel import exports, stix
from ceasefire.intel.models import IntelItem, Receipt
from ceasefire.ledger.models import LogEntry

pytestmark = pytest.mark.integration

IMPORT = "/api/v1/intel/import/stix"


def _codes_in_bundle(bundle):
    """Public codes of the items (reports) in a bundle, from their external references."""
    return {
        ref["external_id"]
        for obj in bundle.get("objects", [])
        if obj["type"] == "report"
        for ref in obj.get("external_references", [])
        if ref.get("source_name") == "ceasefire"
    }


@pytest.fixture
def shelf(pk_liaison, af_liaison, secretariat):
    return {
        "pk_amber": share_via_service(pk_liaison),
        "af_strict": share_via_service(
            af_liaison, tlp="AMBER+STRICT", recipients=["PK"], request=None, title="NRF at Angoor Adda"
        ),
        "tr_green": green_note(secretariat),
        "pk_red": red_item(pk_liaison, ["af-liaison"]),
    }


# --- one item -----------------------------------------------------------------------------------------------------


def test_item_stix_is_a_bundle_marked_with_its_tlp_and_opens_the_item(shelf, af_viewer):
    item = shelf["pk_amber"]
    response = as_member(af_viewer).get(f"{ITEMS}/{item.public_code}/stix")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/stix+json")
    assert response["Content-Disposition"].endswith(f'{item.public_code}.stix.json"')
    bundle = json.loads(response.content)
    assert bundle["type"] == "bundle" and _codes_in_bundle(bundle) == {item.public_code}
    report = next(o for o in bundle["objects"] if o["type"] == "report")
    assert report["object_marking_refs"] == [stix.TLP2_IDS["AMBER"]]
    assert Receipt.objects.filter(item=item, party__code="AF").exists()


def test_item_stix_answers_404_when_caller_may_not_see_item(shelf, tr_investigator, pk_viewer):
    assert_problem(as_member(tr_investigator).get(f"{ITEMS}/{shelf['pk_amber'].public_code}/stix"), 404)
    assert_problem(as_member(pk_viewer).get(f"{ITEMS}/{shelf['pk_red'].public_code}/stix"), 404)


# --- exports ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("pk_liaison", {"pk_amber", "af_strict", "tr_green", "pk_red"}),
        ("pk_viewer", {"pk_amber", "af_strict", "tr_green"}),
        ("af_viewer", {"pk_amber", "af_strict", "tr_green"}),
        ("af_liaison", {"pk_amber", "af_strict", "tr_green", "pk_red"}),
        ("tr_investigator", {"tr_green"}),
    ],
)
def test_exports_hold_exactly_what_persona_may_see(request, shelf, persona, expected):
    client = as_member(request.getfixturevalue(persona))
    codes = {shelf[k].public_code for k in expected}
    stix_response = client.get("/api/v1/intel/export.stix")
    assert stix_response.status_code == 200, stix_response.content
    assert _codes_in_bundle(json.loads(stix_response.content)) == codes
    csv_response = client.get("/api/v1/intel/export.csv")
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8"))))
    assert rows[0] == exports.CSV_HEADER
    assert {row[0] for row in rows[1:]} == codes


def test_exports_apply_the_list_filters(shelf, pk_liaison):
    client = as_member(pk_liaison)
    bundle = json.loads(client.get("/api/v1/intel/export.stix?tlp=GREEN").content)
    assert _codes_in_bundle(bundle) == {shelf["tr_green"].public_code}
    rows = list(csv.reader(io.StringIO(client.get("/api/v1/intel/export.csv?received=true").content.decode())))
    assert {row[0] for row in rows[1:]} == {shelf["af_strict"].public_code, shelf["tr_green"].public_code}
    assert_problem(client.get("/api/v1/intel/export.csv?tlp=PURPLE"), 422, "tlp")


@pytest.mark.parametrize("persona", ["outsider", "admin"])
def test_exports_are_empty_when_caller_acts_for_no_party(request, shelf, persona):
    client = signed_in(request.getfixturevalue(persona))
    assert _codes_in_bundle(json.loads(client.get("/api/v1/intel/export.stix").content)) == set()
    assert client.get("/api/v1/intel/export.csv").content.decode().strip().count("\n") == 0


# --- import -------------------------------------------------------------------------------------------------------


def _nothing_imported(before):
    return IntelItem.objects.count() == before and not IntelItem.objects.filter(source__startswith="STIX").exists()


def test_import_makes_draft_of_raw_bundle(pk_liaison, af_liaison, pk_viewer):
    item = share_via_service(pk_liaison, tlp="GREEN", recipients=[], request=None)
    raw = as_member(pk_liaison).get(f"{ITEMS}/{item.public_code}/stix").content
    response = as_member(af_liaison).post(IMPORT, data=raw, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["originator"], body["tlp"], body["title"]) == ("draft", "AF", "GREEN", item.title)
    assert response["Location"] == f"{ITEMS}/{body['public_code']}"
    assert body["actors"] == ["ttp"] and body["places"][0]["name"] == "Barmal"
    assert_problem(as_member(pk_viewer).get(f"{ITEMS}/{body['public_code']}"), 404)
    assert LogEntry.objects.filter(subject_code=body["public_code"], kind="intel.drafted").exists()


def test_import_takes_multipart_file(pk_liaison, af_liaison):
    item = share_via_service(pk_liaison, tlp="GREEN", recipients=[], request=None)
    raw = as_member(pk_liaison).get(f"{ITEMS}/{item.public_code}/stix").content
    upload = SimpleUploadedFile("barmal.stix.json", raw, content_type="application/json")
    response = as_member(af_liaison).post(IMPORT, data={"file": upload})
    assert response.status_code == 201, response.content
    assert IntelItem.objects.get(public_code=response.json()["public_code"]).source.endswith("(barmal.stix.json)")


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b'{"type": "bundle", "objects": [', "not JSON"),
        (b"", "empty"),
        (b'{"type": "report"}', "not a STIX bundle"),
        (b"[1, 2]", "not a STIX bundle"),
    ],
)
def test_import_refuses_bad_bundle_naming_why(pk_liaison, af_liaison, raw, words):
    before = IntelItem.objects.count()
    body = assert_problem(as_member(af_liaison).post(IMPORT, data=raw, content_type="application/json"), 422, "file")
    assert words in body["errors"]["file"]
    assert _nothing_imported(before)


def test_import_refuses_oversized_bundle(af_liaison):
    raw = b'{"type": "bundle", "pad": "' + b"x" * stix.MAX_BUNDLE_BYTES + b'"}'
    body = assert_problem(as_member(af_liaison).post(IMPORT, data=raw, content_type="application/json"), 422, "file")
    assert "MiB" in body["errors"]["file"]
    upload = SimpleUploadedFile("big.json", raw, content_type="application/json")
    assert_problem(as_member(af_liaison).post(IMPORT, data={"file": upload}), 422, "file")
    assert not IntelItem.objects.exists()


def test_import_names_file_field_when_multipart_lacks_it(af_liaison):
    assert_problem(as_member(af_liaison).post(IMPORT, data={"bundle": "x"}), 422, "file")


@pytest.mark.parametrize("persona", ["af_viewer", "tr_investigator"])
def test_import_answers_403_when_role_does_not_share(request, pk_liaison, persona):
    item = share_via_service(pk_liaison, tlp="GREEN", recipients=[], request=None)
    raw = as_member(pk_liaison).get(f"{ITEMS}/{item.public_code}/stix").content
    client = as_member(request.getfixturevalue(persona))
    assert_problem(client.post(IMPORT, data=raw, content_type="application/json"), 403)
    assert IntelItem.objects.count() == 1


def test_import_answers_403_when_caller_acts_for_no_party(outsider):
    assert_problem(signed_in(outsider).post(IMPORT, data=b"{}", content_type="application/json"), 403)
