"""`ceasefire intel list|export|import-stix|overdue`: what a person may see, listed and exported; a bundle imported
as that person's draft; the overdue sweep, end to end through the real command."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
import time_machine
from api.intel_api_helpers import green_note, red_item, share_via_service
from cli_helpers import run
from django.core.management.base import CommandError
from django.utils import timezone

from ceasefire.intel import exports, stix
from ceasefire.intel.models import IntelItem, RequestForAction
from ceasefire.ledger.models import LogEntry
from ceasefire.verification.models import Notification

pytestmark = pytest.mark.integration


@pytest.fixture
def shelf(pk_liaison, af_liaison, secretariat):
    return {
        "pk_amber": share_via_service(pk_liaison).public_code,
        "pk_draft": share_via_service(pk_liaison, share=False, title="Unfinished").public_code,
        "af_strict": share_via_service(
            af_liaison, tlp="AMBER+STRICT", recipients=["PK"], request=None, title="NRF at Angoor Adda"
        ).public_code,
        "tr_green": green_note(secretariat).public_code,
        "pk_red": red_item(pk_liaison, ["af-liaison"], title="Source report").public_code,
    }


def _listed(username, *extra):
    document = json.loads(run("intel", "list", "--as", username, "--json", *extra))
    return {row["code"] for row in document["items"]}


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("pk-liaison", {"pk_amber", "pk_draft", "af_strict", "tr_green", "pk_red"}),
        ("pk-viewer", {"pk_amber", "pk_draft", "af_strict", "tr_green"}),
        ("af-liaison", {"pk_amber", "af_strict", "tr_green", "pk_red"}),
        ("af-viewer", {"pk_amber", "af_strict", "tr_green"}),
        ("qa-investigator", {"tr_green"}),
    ],
)
def test_list_shows_exactly_what_the_person_may_see(shelf, username, expected):
    assert _listed(username) == {shelf[k] for k in expected}


def test_list_applies_filters(shelf):
    assert _listed("pk-liaison", "--tlp", "AMBER+STRICT") == {shelf["af_strict"]}
    assert _listed("pk-liaison", "--state", "draft") == {shelf["pk_draft"]}
    assert _listed("pk-liaison", "--received") == {shelf["af_strict"], shelf["tr_green"]}
    assert _listed("pk-liaison", "--originator", "tr") == {shelf["tr_green"]}
    assert _listed("pk-liaison", "--q", "angoor") == {shelf["af_strict"]}


def test_list_table_names_code_tlp_and_title(shelf):
    out = run("intel", "list", "--as", "af-viewer")
    assert "af-viewer (AF): 3" in out
    assert shelf["pk_amber"] in out and "AMBER+STRICT" in out and "NRF at Angoor Adda" in out
    assert shelf["pk_red"] not in out and "Source report" not in out


def test_list_says_so_when_nothing_is_visible(mechanism):
    assert "No item." in run("intel", "list", "--as", "af-viewer")


def test_list_refuses_unknown_user_or_one_without_party(mechanism, admin):
    with pytest.raises(CommandError, match=r"Unknown user 'nobody' \(--as\)"):
        run("intel", "list", "--as", "nobody")
    with pytest.raises(CommandError, match="acts for no party"):
        run("intel", "list", "--as", "admin")
    with pytest.raises(CommandError, match=r"Unknown party 'XX' \(--party\)"):
        run("intel", "list", "--as", "af-liaison", "--party", "XX")


def _report_codes(bundle):
    return {
        ref["external_id"]
        for obj in bundle.get("objects", [])
        if obj["type"] == "report"
        for ref in obj.get("external_references", [])
        if ref.get("source_name") == "ceasefire"
    }


def test_export_writes_stix_bundle_of_visible_items(shelf, tmp_path):
    out = tmp_path / "af.stix.json"
    printed = run("intel", "export", "--as", "af-viewer", "--format", "stix", "--out", str(out))
    assert str(out) in printed
    bundle = json.loads(out.read_text())
    assert bundle["type"] == "bundle"
    assert _report_codes(bundle) == {shelf["pk_amber"], shelf["af_strict"], shelf["tr_green"]}


def test_export_writes_csv_with_filters(shelf, tmp_path):
    out = tmp_path / "pk.csv"
    run("intel", "export", "--as", "pk-liaison", "--format", "csv", "--out", str(out), "--tlp", "AMBER")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0] == exports.CSV_HEADER
    assert {row[0] for row in rows[1:]} == {shelf["pk_amber"], shelf["pk_draft"]}


def test_export_to_standard_output_with_dash(shelf):
    rows = list(
        csv.reader(io.StringIO(run("intel", "export", "--as", "qa-investigator", "--format", "csv", "--out", "-")))
    )
    assert [row[0] for row in rows[1:]] == [shelf["tr_green"]]


def test_export_refuses_unwritable_path(shelf, tmp_path):
    with pytest.raises(CommandError, match=r"\(--out\)"):
        run(
            "intel",
            "export",
            "--as",
            "af-viewer",
            "--format",
            "csv",
            "--out",
            str(tmp_path / "no" / "such" / "dir.csv"),
        )


def test_import_stix_makes_draft_of_the_persons_party(shelf, tmp_path):
    bundle = tmp_path / "green.stix.json"
    run("intel", "export", "--as", "pk-liaison", "--format", "stix", "--out", str(bundle), "--tlp", "GREEN")
    out = run("intel", "import-stix", str(bundle), "--as", "af-liaison")
    item = IntelItem.objects.get(originator__code="AF", state="draft")
    assert item.public_code in out and "green.stix.json" in out
    assert (item.tlp, item.title) == ("GREEN", "Situation at Torkham")
    assert LogEntry.objects.filter(subject_code=item.public_code, kind="intel.drafted").exists()


@pytest.mark.parametrize(
    ("content", "words"),
    [(b'{"type": "bundle", "objects": [', "not JSON"), (b'{"type": "indicator"}', "not a STIX bundle")],
)
def test_import_stix_refuses_bad_file_naming_why(af_liaison, tmp_path, content, words):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=words) as refused:
        run("intel", "import-stix", str(path), "--as", "af-liaison")
    assert "FILE" in str(refused.value) and "bad.json" in str(refused.value)
    assert not IntelItem.objects.exists()


def test_import_stix_refuses_oversized_file(af_liaison, tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b"{" + b" " * stix.MAX_BUNDLE_BYTES + b"}")
    with pytest.raises(CommandError, match="MiB"):
        run("intel", "import-stix", str(path), "--as", "af-liaison")
    assert not IntelItem.objects.exists()


def test_import_stix_refuses_missing_file_and_viewer(af_viewer, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("intel", "import-stix", str(tmp_path / "absent.json"), "--as", "af-liaison")
    path = tmp_path / "x.json"
    path.write_bytes(b"{}")
    with pytest.raises(CommandError, match="liaison officers"):
        run("intel", "import-stix", str(path), "--as", "af-viewer")


def test_overdue_flags_each_late_request_once(pk_liaison, af_liaison):
    share_via_service(pk_liaison)
    assert run("intel", "overdue").strip().endswith(": 0")
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        assert run("intel", "overdue").strip().endswith(": 1")
        assert run("intel", "overdue").strip().endswith(": 0")
    request = RequestForAction.objects.get()
    assert request.overdue_flagged_at is not None
    assert Notification.objects.filter(recipient=af_liaison, kind="request_overdue").exists()
