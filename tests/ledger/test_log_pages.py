"""The "Log" pages: witnessed checkpoint and cosigners, a complaint's entries and their receipts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from support import khost_strike_draft, login

from ceasefire.incidents.services import file_complaint
from ceasefire.ledger.jobs import checkpoint_and_witness
from ceasefire.ledger.models import LogEntry
from ceasefire.ledger.receipts import verify_receipt
from ceasefire.ledger.services import register_witness

pytestmark = pytest.mark.integration


def test_log_page_shows_the_witnessed_checkpoint_and_its_cosigners(
    client: Client, mechanism: Any, start_witness: Any
) -> None:
    af = start_witness("af.witness.test")
    register_witness(None, party=mechanism.parties["AF"], url=af.url, vkey=af.vkey)
    checkpoint_and_witness()
    login(client, "pk-viewer")

    page = client.get("/transparency/").content.decode()

    assert "Latest witnessed checkpoint" in page and "af.witness.test" in page
    assert str(LogEntry.objects.count()) in page


def test_complaint_log_page_links_receipts_that_verify(client: Client, af_liaison: Any, log_vkey: str) -> None:
    complaint = file_complaint(af_liaison, khost_strike_draft())
    checkpoint_and_witness()
    login(client, "af-liaison")

    page = client.get(f"/transparency/complaints/{complaint.public_code}/").content.decode()
    index = LogEntry.objects.get(subject_code=complaint.public_code).sequence
    link = f"/transparency/complaints/{complaint.public_code}/{index}.tlog-proof"
    assert link in page

    assert verify_receipt(client.get(link).content.decode(), [log_vkey]).index == index


def test_complaint_log_page_is_absent_for_those_who_may_not_see_it(
    client: Client, af_liaison: Any, log_vkey: str
) -> None:
    complaint = file_complaint(af_liaison, khost_strike_draft())
    checkpoint_and_witness()
    index = LogEntry.objects.get(subject_code=complaint.public_code).sequence
    login(client, "pk-liaison")  # the respondent, before notice
    assert client.get(f"/transparency/complaints/{complaint.public_code}/").status_code == 404
    assert client.get(f"/transparency/complaints/{complaint.public_code}/{index}.tlog-proof").status_code == 404


def test_log_page_needs_a_membership(client: Client, mechanism: Any) -> None:
    assert client.get("/transparency/").status_code == 302
    login(client, "admin")
    assert client.get("/transparency/").status_code == 403
