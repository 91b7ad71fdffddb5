"""The mechanism and the parties' witnesses over real HTTP: cosigning, quorum, recovery from a 409, and a
fork reported when a witness holds another tree."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from support import khost_strike_draft

from ceasefire.demo.mechanism import Mechanism
from ceasefire.incidents.services import file_complaint
from ceasefire.ledger.audit import audit_tiles
from ceasefire.ledger.checkpoints import checkpoint_now, latest_witnessed
from ceasefire.ledger.jobs import checkpoint_and_witness
from ceasefire.ledger.models import Cosignature, LogCheckpoint, Witness, WitnessAlarm
from ceasefire.ledger.services import register_witness
from ceasefire.ledger.witness.state import LogState

pytestmark = pytest.mark.integration

ORIGIN = "ceasefire.test/log"

Start = Callable[[str], Any]


def register(mechanism: Mechanism, start_witness: Start, code: str) -> Any:
    running = start_witness(f"{code.lower()}.witness.test")
    register_witness(None, party=mechanism.parties[code], url=running.url, vkey=running.vkey)
    return running


def test_checkpoint_is_witnessed_when_every_party_witness_cosigned(
    mechanism: Mechanism, start_witness: Start, log_vkey: str, client: Client, served: Callable[[str], bytes]
) -> None:
    af, pk = register(mechanism, start_witness, "AF"), register(mechanism, start_witness, "PK")

    outcomes = checkpoint_and_witness()

    assert {(o.witness, o.cosigned) for o in outcomes} == {(af.name, True), (pk.name, True)}
    witnessed = latest_witnessed()
    assert witnessed is not None and witnessed.witnessed_at is not None
    report = audit_tiles(served, [log_vkey], [af.vkey, pk.vkey])
    assert set(report.cosigners) == {af.name, pk.name}


def test_quorum_of_one_is_met_by_one_witness(mechanism: Mechanism, start_witness: Start, log_vkey: str) -> None:
    mechanism.agreement.__class__.objects.filter(pk=mechanism.agreement.pk).update(witness_quorum=1)
    register(mechanism, start_witness, "AF")
    Witness.objects.create(party=mechanism.parties["PK"], name="down", url="http://127.0.0.1:9", vkey="x")

    outcomes = checkpoint_and_witness()

    assert [o.status for o in outcomes if o.witness == "down"] == [None]  # unreachable, not an alarm
    assert latest_witnessed() is not None
    assert not WitnessAlarm.objects.exists()


def test_no_checkpoint_is_witnessed_without_a_quorum(mechanism: Mechanism, log_vkey: str) -> None:
    checkpoint_and_witness()
    assert LogCheckpoint.objects.exists() and latest_witnessed() is None


def test_witness_answering_409_is_sent_the_proof_from_its_size(
    mechanism: Mechanism, start_witness: Start, log_vkey: str, af_liaison: Any
) -> None:
    af = register(mechanism, start_witness, "AF")
    checkpoint_and_witness()
    Witness.objects.filter(name=af.name).update(size=0)  # the mechanism forgot what the witness has seen
    file_complaint(af_liaison, khost_strike_draft())

    outcomes = checkpoint_and_witness()

    assert [o.cosigned for o in outcomes] == [True]
    latest = LogCheckpoint.objects.order_by("-size").first()
    assert Cosignature.objects.filter(checkpoint=latest, witness__name=af.name).exists()
    assert Witness.objects.get(name=af.name).size == latest.size
    assert not WitnessAlarm.objects.exists()


def test_fork_is_refused_422_and_reported(
    mechanism: Mechanism, start_witness: Start, log_vkey: str, af_liaison: Any
) -> None:
    af = register(mechanism, start_witness, "AF")
    checkpoint_and_witness()
    first = latest_witnessed()
    assert first is not None
    # The witness was shown another tree of the same size for this origin: a split view.
    af.app.state.put(ORIGIN, LogState(first.size, b"\x07" * 32))
    file_complaint(af_liaison, khost_strike_draft())

    outcomes = checkpoint_and_witness()

    assert [o.status for o in outcomes] == [422]
    alarm = WitnessAlarm.objects.get()
    assert alarm.status == 422 and alarm.detail.startswith("FORK")
    assert latest_witnessed() == first  # the new checkpoint is not witnessed
    assert checkpoint_and_witness() == []  # reported once per checkpoint, not at every tick


def test_fork_at_the_same_size_is_refused_409_and_reported(
    mechanism: Mechanism, start_witness: Start, log_vkey: str
) -> None:
    af = register(mechanism, start_witness, "AF")
    checkpoint = checkpoint_now()
    assert checkpoint is not None
    af.app.state.put(ORIGIN, LogState(checkpoint.size, b"\x07" * 32))
    Witness.objects.filter(name=af.name).update(size=checkpoint.size)

    outcomes = checkpoint_and_witness()

    assert [o.status for o in outcomes] == [409]
    assert WitnessAlarm.objects.get().detail.startswith("FORK: the witness holds a different tree")


def test_witness_ahead_of_the_log_is_reported(mechanism: Mechanism, start_witness: Start, log_vkey: str) -> None:
    af = register(mechanism, start_witness, "AF")
    af.app.state.put(ORIGIN, LogState(10**6, b"\x07" * 32))

    outcomes = checkpoint_and_witness()

    assert [o.status for o in outcomes] == [409]
    assert "larger than this log" in WitnessAlarm.objects.get().detail
