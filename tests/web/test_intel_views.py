"""The intelligence list and an item's page: only what TLP 2.0 lets the member see, the receipt made by a
recipient's first opening, who read what for the originator, acknowledgement, the receipt download, the log page,
and a list whose query count does not grow with its rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from intel_web_helpers import draft, share
from support import login

from ceasefire.intel import services
from ceasefire.intel.models import IntelItem, Receipt
from ceasefire.ledger.jobs import checkpoint_and_witness
from ceasefire.ledger.keys import ensure_log_key
from ceasefire.ledger.models import LogEntry
from ceasefire.ledger.receipts import verify_receipt

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def evidence_dir(settings: Any, tmp_path: Path) -> Path:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return settings.EVIDENCE_DIR


@pytest.fixture
def log_vkey(settings: Any, tmp_path: Path) -> str:
    settings.LOG_KEY_FILE = str(tmp_path / "log-key")
    settings.LOG_ORIGIN = "ceasefire.test/log"
    return ensure_log_key()


def detail(item: IntelItem) -> str:
    return reverse("web:intel-detail", args=[item.public_code])


def codes(response: Any) -> list[str]:
    return [item.public_code for item in response.context["page"].object_list]


def test_list_shows_an_amber_item_to_its_originator_and_recipients_only(client, pk_liaison, af_liaison, mechanism):
    item = share(pk_liaison)
    for username, sees in [("pk-liaison", True), ("pk-viewer", True), ("af-viewer", True), ("tr-investigator", False)]:
        client.logout()
        login(client, username)
        response = client.get(reverse("web:intel-list"))
        assert response.status_code == 200
        assert (item.public_code in codes(response)) is sees, username
        assert (item.title in response.content.decode()) is sees, username
        assert ("1 item" in response.content.decode()) is sees, username


def test_list_marks_items_a_recipient_has_not_opened_yet(client, pk_liaison, af_liaison):
    item = share(pk_liaison)
    login(client, "af-viewer")
    assert "not opened yet" in client.get(reverse("web:intel-list")).content.decode()
    client.get(detail(item))
    assert "not opened yet" not in client.get(reverse("web:intel-list")).content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"tlp": "GREEN"}, {"green", "own"}),
        ({"tlp": "AMBER"}, {"amber"}),
        ({"originator": "PK"}, {"amber"}),
        ({"originator": "TR"}, {"green"}),
        ({"received": "on"}, {"amber", "green"}),
        ({"q": "barmal"}, {"amber"}),
        ({"actor": "nrf"}, {"green"}),
        ({"state": "draft"}, set()),
        ({"tlp": "PURPLE"}, {"amber", "green", "own"}),
    ],
)
def test_list_filters_match_query(client, pk_liaison, secretariat, af_liaison, query, expected):
    names = {
        share(pk_liaison).public_code: "amber",
        share(secretariat, title="Situation note", body="Calm along the line.", tlp="GREEN", recipients=[],
              actors=["nrf"], places=[], request=None).public_code: "green",
        share(af_liaison, title="Own note", body="Ours.", tlp="GREEN", recipients=[], actors=[], places=[],
              request=None).public_code: "own",
    }  # fmt: skip
    login(client, "af-liaison")
    response = client.get(reverse("web:intel-list"), query)
    assert response.status_code == 200
    assert {names[c] for c in codes(response)} == expected


def test_list_answers_htmx_with_the_table_alone(client, pk_liaison, af_liaison):
    share(pk_liaison)
    login(client, "af-liaison")
    response = client.get(reverse("web:intel-list"), {"tlp": "AMBER"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="intel-table"')
    assert "<html" not in body
    assert "/intel/export.csv?tlp=AMBER" in body


def test_list_queries_do_not_grow_with_items(client, pk_liaison, af_liaison):
    login(client, "af-liaison")

    def count() -> tuple[int, int]:
        url = reverse("web:intel-list")
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        return len(captured), len(codes(response))

    share(pk_liaison)
    one, rows = count()
    assert rows == 1
    for i in range(29):
        share(pk_liaison, title=f"Report {i}", request=None if i % 2 else draft().request)
    thirty, rows = count()
    assert rows == 25  # a full page
    assert thirty == one


@pytest.mark.parametrize(
    "name", ["intel-map-places", "intel-requests", "intel-export-csv", "intel-export-stix"], ids=lambda n: n
)
def test_other_lists_answer_in_as_many_queries_for_1_and_30_items(client, pk_liaison, af_liaison, name):
    login(client, "af-liaison")
    url = reverse(f"web:{name}")

    def count() -> tuple[int, int]:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), len(response.content)

    share(pk_liaison)
    one, small = count()
    for i in range(29):
        share(pk_liaison, title=f"Report {i}")
    thirty, large = count()
    assert large > small, "the 29 added items do not show, so the count proves nothing"
    assert thirty == one


def test_opening_the_item_records_the_recipients_receipt_once(client, pk_liaison, af_liaison):
    item = share(pk_liaison)
    login(client, "af-viewer")
    assert client.get(detail(item)).status_code == 200
    receipt = Receipt.objects.get(item=item)
    assert receipt.recipient_key == "party:AF" and receipt.opened_by.user.username == "af-viewer"
    assert LogEntry.objects.get(sequence=receipt.opened_sequence).kind == "intel_receipt.opened"
    client.logout()
    login(client, "af-liaison")
    body = client.get(detail(item)).content.decode()
    assert Receipt.objects.filter(item=item).count() == 1
    assert "First opened for <bdi>AF</bdi>" in body and "<bdi>af-viewer</bdi>" in body


def test_the_originators_reads_make_no_receipt(client, pk_liaison):
    item = share(pk_liaison)
    login(client, "pk-viewer")
    assert client.get(detail(item)).status_code == 200
    assert not Receipt.objects.filter(item=item).exists()


def test_an_item_one_may_not_see_is_404_on_every_page(client, pk_liaison, af_liaison, mechanism):
    item = share(pk_liaison)
    login(client, "tr-investigator")
    code = item.public_code
    for url in [
        detail(item),
        reverse("web:intel-log", args=[code]),
        reverse("web:intel-receipt", args=[code]),
        reverse("web:intel-stix", args=[code]),
        reverse("web:intel-edit", args=[code]),
        reverse("web:intel-file", args=[code, "0" * 64]),
    ]:
        assert client.get(url).status_code == 404, url
    for name in ("intel-acknowledge", "intel-forward", "intel-action", "intel-rate"):
        assert client.post(reverse(f"web:{name}", args=[code])).status_code == 404, name
    assert client.get(reverse("web:intel-detail", args=["INT-2025-NONE"])).status_code == 404
    assert not Receipt.objects.filter(item=item).exists()


def test_a_draft_and_an_expired_item_are_404_for_recipients(client, pk_liaison, af_liaison):
    kept = services.save_item(pk_liaison, draft(), share=False)
    expired = share(pk_liaison, expires_at=timezone.now() + dt.timedelta(seconds=1))
    IntelItem.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    login(client, "af-liaison")
    assert client.get(detail(kept)).status_code == 404
    assert client.get(detail(expired)).status_code == 404
    client.logout()
    login(client, "pk-liaison")  # the originator keeps both
    assert client.get(detail(kept)).status_code == 200
    assert client.get(detail(expired)).status_code == 200


def test_a_red_item_is_for_its_named_people_only(client, pk_liaison, af_liaison):
    item = share(pk_liaison, tlp="RED", recipients=[], people=["af-liaison"], request=None)
    for username, status in [("af-liaison", 200), ("af-viewer", 404), ("pk-viewer", 404), ("pk-liaison", 200)]:
        client.logout()
        login(client, username)
        assert client.get(detail(item)).status_code == status, username
    assert Receipt.objects.get(item=item).recipient_key.startswith("user:")


def test_pages_need_a_membership(client, pk_liaison, outsider):
    item = share(pk_liaison)
    assert client.get(detail(item)).status_code == 302
    assert client.get(reverse("web:intel-list")).status_code == 302
    client.force_login(outsider)
    assert client.get(detail(item)).status_code == 403
    assert item.title not in client.get(reverse("web:intel-list")).content.decode()


def test_detail_shows_the_tlp_badge_and_its_handling(client, pk_liaison, af_liaison):
    item = share(pk_liaison, tlp="AMBER+STRICT", request=None)
    login(client, "af-liaison")
    body = client.get(detail(item)).content.decode()
    assert '<span class="tlp tlp-amberstrict" dir="ltr">TLP:AMBER+STRICT</span>' in body
    assert "recipients&#x27; organisation only, no further sharing" in body
    assert 'id="forward"' not in body


def test_detail_renders_the_markdown_body_without_its_html(client, pk_liaison, af_liaison):
    body = (
        "**Forty** fighters.\n\n<script>alert('x')</script>\n\n[map](javascript:alert(1)) <img src=x onerror=alert(2)>"
    )
    item = share(pk_liaison, body=body)
    login(client, "af-liaison")
    page = client.get(detail(item)).content.decode()
    assert "<strong>Forty</strong>" in page
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "javascript:" not in page
    assert "<img" not in page


def test_the_originator_sees_who_read_it_and_when_they_acknowledged(client, pk_liaison, af_liaison):
    item = share(pk_liaison, recipients=["AF", "QA"], request=None)
    services.open_item(af_liaison, item)
    services.acknowledge_item(af_liaison, item)
    login(client, "pk-liaison")
    response = client.get(detail(item))
    receipts = response.context["receipts"]
    assert [r.recipient_key for r in receipts] == ["party:AF"]
    page = response.content.decode()
    assert 'id="receipts"' in page and "Who read it" in page
    assert "?recipient=party%3AAF" in page
    assert page.count("<bdi>af-liaison</bdi>") >= 2  # opened by, acknowledged by


def test_a_recipient_acknowledges_once(client, pk_liaison, af_liaison):
    item = share(pk_liaison)
    login(client, "af-viewer")
    page = client.get(detail(item)).content.decode()
    assert reverse("web:intel-acknowledge", args=[item.public_code]) in page
    assert reverse("web:intel-receipt", args=[item.public_code]) in page
    response = client.post(reverse("web:intel-acknowledge", args=[item.public_code]))
    assert response.status_code == 302
    receipt = Receipt.objects.get(item=item)
    assert receipt.acknowledged_at is not None and receipt.acknowledged_by.user.username == "af-viewer"
    page = client.get(detail(item)).content.decode()
    assert "Acknowledged on" in page
    assert reverse("web:intel-acknowledge", args=[item.public_code]) not in page
    again = client.post(reverse("web:intel-acknowledge", args=[item.public_code]))
    assert again.status_code == 409
    assert "acknowledged already" in again.content.decode()


def test_the_originator_cannot_acknowledge(client, pk_liaison):
    item = share(pk_liaison)
    login(client, "pk-liaison")
    assert client.post(reverse("web:intel-acknowledge", args=[item.public_code])).status_code == 403


def test_receipt_download_is_a_tlog_proof_of_the_opening(client, pk_liaison, af_liaison, log_vkey):
    item = share(pk_liaison)
    services.open_item(af_liaison, item)
    login(client, "af-liaison")
    # Before a checkpoint covers the opening, the page says to try again.
    early = client.get(reverse("web:intel-receipt", args=[item.public_code]), follow=True)
    assert "not yet under a signed checkpoint" in early.content.decode()
    checkpoint_and_witness()
    response = client.get(reverse("web:intel-receipt", args=[item.public_code]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert f'filename="{item.public_code}-receipt-party-AF.tlog-proof"' in response["Content-Disposition"]
    opened = Receipt.objects.get(item=item).opened_sequence
    assert verify_receipt(response.content.decode(), [log_vkey]).index == opened
    client.logout()
    login(client, "pk-liaison")  # the originator names the recipient
    named = client.get(reverse("web:intel-receipt", args=[item.public_code]), {"recipient": "party:AF"})
    assert named.status_code == 200 and named.content == response.content
    assert (
        client.get(reverse("web:intel-receipt", args=[item.public_code]), {"recipient": "party:QA"}).status_code == 404
    )


def test_receipt_download_is_404_before_one_opened_it(client, pk_liaison, af_liaison, log_vkey):
    item = share(pk_liaison, recipients=["AF", "QA"], request=None)
    services.open_item(af_liaison, item)
    checkpoint_and_witness()
    login(client, "qa-investigator")  # a recipient, but QA's receipt is made only when the page is opened
    assert client.get(reverse("web:intel-receipt", args=[item.public_code])).status_code == 404


def test_log_page_lists_the_entries_the_member_may_hold(client, pk_liaison, af_liaison):
    item = share(pk_liaison)
    services.open_item(af_liaison, item)
    login(client, "pk-liaison")
    own = client.get(reverse("web:intel-log", args=[item.public_code])).context["entries"]
    assert [e.kind for e in own] == ["intel.shared", "intel_receipt.opened"]
    client.logout()
    login(client, "af-liaison")
    theirs = client.get(reverse("web:intel-log", args=[item.public_code]))
    assert [e.kind for e in theirs.context["entries"]] == ["intel.shared", "intel_receipt.opened"]
    assert "sealed (time and commitment only)" in theirs.content.decode()
