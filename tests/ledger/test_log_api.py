"""The log's API and receipts: who gets which entry, proofs that verify, and receipts checked offline by
`ceasefire log verify-receipt` with nothing but the keys."""

from __future__ import annotations

import base64
import io
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone
from support import khost_strike_draft, login

from ceasefire.incidents.models import Complaint
from ceasefire.incidents.services import file_complaint
from ceasefire.ledger import merkle
from ceasefire.ledger.checkpoints import checkpoint_now, latest_checkpoint
from ceasefire.ledger.jobs import checkpoint_and_witness
from ceasefire.ledger.models import LogEntry
from ceasefire.ledger.receipts import ReceiptError, verify_receipt
from ceasefire.ledger.services import record_change, register_witness

pytestmark = pytest.mark.integration


def _b(text: str) -> bytes:
    return base64.b64decode(text)


@pytest.fixture
def filed(af_liaison: Any, log_vkey: str) -> Complaint:
    complaint = file_complaint(af_liaison, khost_strike_draft())
    checkpoint_now()
    return complaint


def test_complainant_lists_entries_and_proves_inclusion(client: Client, filed: Complaint) -> None:
    login(client, "af-liaison")
    entries = client.get(f"/api/v1/complaints/{filed.public_code}/log").json()
    assert [(e["kind"], e["checkpointed"]) for e in entries] == [("complaint.submitted", True)]

    proof = client.get(f"/api/v1/complaints/{filed.public_code}/log/{entries[0]['index']}/inclusion").json()

    merkle.verify_inclusion(
        _b(proof["leaf_hash"]), proof["index"], proof["size"], [_b(p) for p in proof["proof"]], _b(proof["root"])
    )


def test_receipt_verifies_offline_with_the_log_key(
    client: Client, filed: Complaint, log_vkey: str, tmp_path: Path
) -> None:
    login(client, "tr-investigator")
    index = client.get(f"/api/v1/complaints/{filed.public_code}/log").json()[0]["index"]
    response = client.get(f"/api/v1/complaints/{filed.public_code}/log/{index}/receipt")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'{filed.public_code}-{index}.tlog-proof"')
    receipt = tmp_path / "r.tlog-proof"
    receipt.write_bytes(response.content)

    report = verify_receipt(receipt.read_text(), [log_vkey])
    assert report.record["narrative"] == filed.narrative
    assert report.leaf["sequence"] == index
    out = _call("log", "verify-receipt", str(receipt), "--vkey", log_vkey)
    assert f"OK: entry {index}" in out


def test_tampered_receipt_names_the_failed_check(client: Client, filed: Complaint, log_vkey: str) -> None:
    login(client, "af-liaison")
    index = client.get(f"/api/v1/complaints/{filed.public_code}/log").json()[0]["index"]
    text = client.get(f"/api/v1/complaints/{filed.public_code}/log/{index}/receipt").content.decode()
    lines = text.split("\n")
    extra = base64.b64decode(lines[1].removeprefix("extra ")).replace(b"Mughalgai", b"Mughalgay")
    forged = "\n".join([lines[0], "extra " + base64.b64encode(extra).decode(), *lines[2:]])

    with pytest.raises(ReceiptError, match="do not match the leaf's commitment"):
        verify_receipt(forged, [log_vkey])
    with pytest.raises(CommandError, match="does not verify"):
        _call_with_file(forged, log_vkey)


def test_receipt_needs_every_witness_asked_for(
    client: Client, filed: Complaint, log_vkey: str, mechanism: Any, start_witness: Any
) -> None:
    af = start_witness("af.witness.test")
    register_witness(None, party=mechanism.parties["AF"], url=af.url, vkey=af.vkey)
    checkpoint_and_witness()
    login(client, "af-liaison")
    index = client.get(f"/api/v1/complaints/{filed.public_code}/log").json()[0]["index"]
    text = client.get(f"/api/v1/complaints/{filed.public_code}/log/{index}/receipt").content.decode()

    assert set(verify_receipt(text, [log_vkey, af.vkey]).cosigners) == {af.name}
    other = start_witness("pk.witness.test")
    with pytest.raises(ReceiptError, match=r"not cosigned by: pk\.witness\.test"):
        verify_receipt(text, [log_vkey, other.vkey])


def test_respondent_sees_no_entry_before_notice(client: Client, filed: Complaint) -> None:
    login(client, "pk-liaison")
    assert client.get(f"/api/v1/complaints/{filed.public_code}/log").status_code == 404
    index = LogEntry.objects.get(subject_code=filed.public_code).sequence
    assert client.get(f"/api/v1/complaints/{filed.public_code}/log/{index}/receipt").status_code == 404


def test_custody_entries_are_not_the_respondents(client: Client, filed: Complaint, tr_investigator: Any) -> None:
    with transaction.atomic():
        entry = record_change(
            tr_investigator, kind="evidence.viewed", subject_code=filed.public_code, record={"x": 1}, sealed=True
        )
    Complaint.objects.filter(pk=filed.pk).update(notified_at=timezone.now())
    checkpoint_now()
    login(client, "pk-liaison")
    kinds = [e["kind"] for e in client.get(f"/api/v1/complaints/{filed.public_code}/log").json()]
    assert kinds == ["complaint.submitted"]
    assert client.get(f"/api/v1/complaints/{filed.public_code}/log/{entry.sequence}/receipt").status_code == 404
    login(client, "af-liaison")
    assert client.get(f"/api/v1/complaints/{filed.public_code}/log/{entry.sequence}/receipt").status_code == 200


def test_drafts_entries_are_the_complainants_alone(client: Client, af_liaison: Any, log_vkey: str) -> None:
    draft = file_complaint(af_liaison, khost_strike_draft(), submit=False)
    checkpoint_now()
    login(client, "tr-investigator")
    assert client.get(f"/api/v1/complaints/{draft.public_code}/log").status_code == 404
    login(client, "af-liaison")
    assert [e["kind"] for e in client.get(f"/api/v1/complaints/{draft.public_code}/log").json()] == [
        "complaint.drafted"
    ]


def test_entry_not_yet_checkpointed_answers_409(client: Client, af_liaison: Any, log_vkey: str) -> None:
    complaint = file_complaint(af_liaison, khost_strike_draft())
    login(client, "af-liaison")
    entry = client.get(f"/api/v1/complaints/{complaint.public_code}/log").json()[0]
    assert entry["checkpointed"] is False
    response = client.get(f"/api/v1/complaints/{complaint.public_code}/log/{entry['index']}/receipt")
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")


def test_consistency_proof_between_two_sizes_verifies(client: Client, filed: Complaint, af_liaison: Any) -> None:
    login(client, "af-liaison")
    first = latest_checkpoint()
    assert first is not None
    old, old_root = first.size, bytes(first.root)
    file_complaint(af_liaison, khost_strike_draft())
    new = checkpoint_now()
    assert new is not None

    proof = client.get(f"/api/v1/log/consistency?old={old}&new={new.size}").json()

    merkle.verify_consistency(old, new.size, [_b(p) for p in proof["proof"]], old_root, bytes(new.root))
    bad = client.get(f"/api/v1/log/consistency?old=5&new={new.size + 1}")
    assert bad.status_code == 422 and "new" in bad.json()["errors"]


def test_witnessed_checkpoint_lists_its_cosigners(
    client: Client, filed: Complaint, mechanism: Any, start_witness: Any
) -> None:
    login(client, "pk-viewer")
    assert client.get("/api/v1/log/checkpoint").status_code == 404
    af = start_witness("af.witness.test")
    register_witness(None, party=mechanism.parties["AF"], url=af.url, vkey=af.vkey)
    checkpoint_and_witness()

    body = client.get("/api/v1/log/checkpoint").json()

    assert [(c["party"], c["witness"]) for c in body["cosignatures"]] == [("AF", af.name)]
    assert body["witnessed_at"] is not None and af.name in body["note"]


def _call(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _call_with_file(text: str, vkey: str) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".tlog-proof", delete=False) as handle:
        handle.write(text)
    return _call("log", "verify-receipt", handle.name, "--vkey", vkey)
