"""The one write path: every public service function appends its transparency-log entry.

Every public function defined in a `ceasefire.<app>.services` module must either have a scenario here (which
calls it and checks the entries it appended) or be listed in NOT_STATE_CHANGES with the reason. A new service
without either fails test_every_service_function_has_a_scenario.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import inspect
import io
from collections.abc import Callable
from dataclasses import dataclass, is_dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from support import khost_strike_draft

from ceasefire.agreements.services import add_commitment, add_penalty_type, create_agreement
from ceasefire.core.errors import DomainError, ValidationFailed
from ceasefire.core.services import (
    create_administrator,
    create_party,
    create_person,
    grant_membership,
    record_configuration_change,
)
from ceasefire.demo.mechanism import Mechanism
from ceasefire.geo.services import add_place, load_crossings, load_gazetteer
from ceasefire.incidents.drafts import EvidenceUpload
from ceasefire.incidents.services import add_evidence, file_complaint, record_evidence_access, register_actor
from ceasefire.ledger.checkpoint import CosignatureSigner
from ceasefire.ledger.models import LogEntry, LogHead
from ceasefire.ledger.services import record_change, register_witness

pytestmark = pytest.mark.integration

# Public functions of services modules that change no domain state, each with the reason it needs no entry.
NOT_STATE_CHANGES: dict[str, str] = {
    "ceasefire.ledger.services.record_change": "the log writer itself: it is the entry",
    "ceasefire.ledger.services.canonical_bytes": "pure: serialises a record for hashing",
    "ceasefire.core.services.issue_token": "credentials are not domain records",
    "ceasefire.core.services.revoke_token": "credentials are not domain records",
    "ceasefire.core.services.authenticate_token": "credentials are not domain records (only last_used_at)",
}

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64)


@pytest.fixture(autouse=True)
def evidence_dir(settings: Any, tmp_path: Path) -> Path:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return tmp_path / "evidence"


def service_modules() -> list[ModuleType]:
    """`services` of every installed ceasefire app: a new app's services are covered without listing them."""
    modules = []
    for config in apps.get_app_configs():
        if config.name.startswith("ceasefire.") and importlib.util.find_spec(f"{config.name}.services"):
            modules.append(importlib.import_module(f"{config.name}.services"))
    return modules


def public_functions() -> dict[str, Callable[..., Any]]:
    found = {}
    for module in service_modules():
        for name, value in vars(module).items():
            if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(value):
                found[f"{module.__name__}.{name}"] = value
    return found


# --- scenarios: each calls one service and returns the (kind, subject_code) entries it must have appended ---

Expected = list[tuple[str, str]]


@dataclass
class World:
    mechanism: Mechanism
    tmp_path: Path
    setup_entries: int = 0  # entries appended by a scenario's own setup, before the change it measures

    def member(self, username: str) -> Any:
        return self.mechanism.members[username]


def run_create_party(w: World) -> Expected:
    create_party(w.member("tr-secretariat"), code="UN", name="United Nations", kind="observer")
    return [("party.created", "UN")]


def run_create_person(w: World) -> Expected:
    create_person(
        None,
        username="af-liaison-2",
        password="x",
        party=w.mechanism.parties["AF"],
        role="liaison",
        check_password=False,
    )
    return [("membership.granted", "AF")]


def run_create_administrator(w: World) -> Expected:
    create_administrator(None, username="admin-2", password="x")
    return [("administrator.created", "admin-2")]


def run_grant_membership(w: World) -> Expected:
    grant_membership(None, user=w.member("pk-viewer").user, party=w.mechanism.parties["PK"], role="analyst")
    return [("membership.granted", "PK")]


def run_create_agreement(w: World) -> Expected:
    create_agreement(
        None,
        code="torkham-2026",
        title="Torkham trade protocol",
        signed_on=dt.date(2026, 1, 5),
        parties=[w.mechanism.parties["AF"], w.mechanism.parties["PK"]],
    )
    return [("agreement.created", "torkham-2026")]


def run_add_commitment(w: World) -> Expected:
    add_commitment(
        None,
        w.mechanism.agreement,
        code="C11",
        text="Exchange prisoners.",
        category="people",
        bound_parties=[w.mechanism.parties["AF"], w.mechanism.parties["PK"]],
    )
    return [("commitment.added", w.mechanism.agreement.code)]


def run_add_penalty_type(w: World) -> Expected:
    add_penalty_type(None, w.mechanism.agreement, code="fine", name="Fine")
    return [("penalty_type.added", w.mechanism.agreement.code)]


def run_load_crossings(w: World) -> Expected:
    header = (
        "name,lat,lon,afghan_province,pakistan_district,source,afghan_district,pakistan_province,"
        "coord_kind,coord_status,notes\n"
    )
    load_crossings(
        None,
        (header + "Nawa Pass,34.67,71.27,Kunar,Bajaur,,,,,approximate,\n").encode(),
        source_name="extra.csv",
    )
    return [("crossings.loaded", "crossings")]


def run_load_gazetteer(w: World) -> Expected:
    path = w.tmp_path / "places.csv"
    path.write_text(
        "country_code,city,state,latitude,longitude,population\nAF,Mughalgai,Khowst,33.28,69.95,0\n",
        encoding="utf-8",
    )
    load_gazetteer(None, path)
    return [("gazetteer.loaded", "gazetteer")]


def run_add_place(w: World) -> Expected:
    place = add_place(w.member("af-liaison"), name="Post 7", latitude=33.3, longitude=69.9)
    return [("place.added", f"place-{place.pk}")]


def run_file_complaint(w: World) -> Expected:
    complaint = file_complaint(
        w.member("af-liaison"),
        khost_strike_draft(evidence=[EvidenceUpload(file=io.BytesIO(JPEG), filename="a.jpg")]),
    )
    return [("complaint.submitted", complaint.public_code)]


def run_add_evidence(w: World) -> Expected:
    complaint = file_complaint(w.member("af-liaison"), khost_strike_draft())
    w.setup_entries = 1
    add_evidence(
        w.member("tr-investigator"),
        complaint,
        [
            EvidenceUpload(file=io.BytesIO(JPEG), filename="a.jpg"),
            EvidenceUpload(file=io.BytesIO(b"notes\n"), filename="b.txt"),
        ],
    )
    return [("evidence.added", complaint.public_code)] * 2


def run_record_evidence_access(w: World) -> Expected:
    complaint = file_complaint(
        w.member("af-liaison"),
        khost_strike_draft(evidence=[EvidenceUpload(file=io.BytesIO(JPEG), filename="a.jpg")]),
    )
    w.setup_entries = 1
    record_evidence_access(w.member("qa-investigator"), complaint.evidence.get(), "downloaded")
    return [("evidence.downloaded", complaint.public_code)]


def run_record_configuration_change(w: World) -> Expected:
    party = w.mechanism.parties["QA"]
    party.name = "State of Qatar"
    with transaction.atomic():  # as the admin does: its own save, then the entry, in one transaction
        party.save()
        record_configuration_change(w.member("tr-secretariat"), by="tr-secretariat", instance=party, action="changed")
    return [("config.changed", f"core.party:{party.pk}")]


def run_register_actor(w: World) -> Expected:
    register_actor(w.member("tr-secretariat"), code="lej", name="Lashkar-e-Jhangvi", kind="armed_group")
    return [("actor.registered", "lej")]


def run_register_witness(w: World) -> Expected:
    vkey = CosignatureSigner("af-witness", bytes(32)).verifier().vkey
    register_witness(
        w.member("tr-secretariat"), party=w.mechanism.parties["AF"], url="http://127.0.0.1:7380", vkey=vkey
    )
    return [("witness.registered", "AF")]


SCENARIOS: dict[str, Callable[[World], Expected]] = {
    "ceasefire.core.services.create_party": run_create_party,
    "ceasefire.core.services.create_person": run_create_person,
    "ceasefire.core.services.grant_membership": run_grant_membership,
    "ceasefire.core.services.create_administrator": run_create_administrator,
    "ceasefire.core.services.record_configuration_change": run_record_configuration_change,
    "ceasefire.agreements.services.create_agreement": run_create_agreement,
    "ceasefire.agreements.services.add_commitment": run_add_commitment,
    "ceasefire.agreements.services.add_penalty_type": run_add_penalty_type,
    "ceasefire.geo.services.load_crossings": run_load_crossings,
    "ceasefire.geo.services.load_gazetteer": run_load_gazetteer,
    "ceasefire.geo.services.add_place": run_add_place,
    "ceasefire.incidents.services.file_complaint": run_file_complaint,
    "ceasefire.incidents.services.add_evidence": run_add_evidence,
    "ceasefire.incidents.services.record_evidence_access": run_record_evidence_access,
    "ceasefire.incidents.services.register_actor": run_register_actor,
    "ceasefire.ledger.services.register_witness": run_register_witness,
}


def test_every_service_function_has_a_scenario() -> None:
    enumerated = set(public_functions())
    covered = set(SCENARIOS) | set(NOT_STATE_CHANGES)

    assert enumerated - covered == set(), "public service functions without a write-path scenario"
    assert covered - enumerated == set(), "scenarios for functions that no longer exist"
    assert {
        "ceasefire.core.services",
        "ceasefire.incidents.services",
        "ceasefire.geo.services",
        "ceasefire.agreements.services",
        "ceasefire.ledger.services",
    } <= {m.__name__ for m in service_modules()}


def test_services_modules_define_only_functions_and_input_dataclasses() -> None:
    # A public class in a services module would escape the enumeration above unless it is an input record.
    for module in service_modules():
        for name, value in vars(module).items():
            if inspect.isclass(value) and value.__module__ == module.__name__ and not name.startswith("_"):
                assert is_dataclass(value), f"{module.__name__}.{name}"


@pytest.mark.parametrize("qualname", list(SCENARIOS))
def test_service_appends_its_log_entries(qualname: str, mechanism: Mechanism, tmp_path: Path) -> None:
    world = World(mechanism, tmp_path)
    before = LogEntry.objects.count()

    expected = SCENARIOS[qualname](world)

    setup = world.setup_entries
    appended = list(LogEntry.objects.filter(sequence__gte=before + setup).order_by("sequence"))
    assert [(e.kind, e.subject_code) for e in appended] == expected
    assert LogEntry.objects.count() == before + setup + len(expected)
    assert LogHead.objects.get(pk=1).size == LogEntry.objects.count()


def test_record_change_refuses_to_run_outside_a_transaction() -> None:
    # No database here: the check must come before any query, so nothing can be written outside a transaction.
    with pytest.raises(RuntimeError, match="inside the change's transaction"):
        record_change(None, kind="party.created", subject_code="XX", record={}, sealed=False)


# --- failing services change nothing, the log included ---


def fail_file_complaint(w: World) -> None:
    file_complaint(w.member("af-liaison"), khost_strike_draft(respondent="AF"))


def fail_file_complaint_evidence(w: World) -> None:
    file_complaint(
        w.member("af-liaison"),
        khost_strike_draft(
            evidence=[
                EvidenceUpload(file=io.BytesIO(JPEG), filename="a.jpg"),
                EvidenceUpload(file=io.BytesIO(b"MZ\x90\x00"), filename="b.exe"),
            ]
        ),
    )


def fail_create_party(w: World) -> None:
    create_party(None, code="PK", name="Pakistan again", kind="party")


def fail_add_place(w: World) -> None:
    add_place(w.member("af-liaison"), name="Tehran", latitude=35.69, longitude=51.39)


def fail_add_commitment(w: World) -> None:
    add_commitment(None, w.mechanism.agreement, code="C1", text="Again.", category="hostile_acts", bound_parties=[])


def fail_register_actor(w: World) -> None:
    register_actor(None, code="ttp", name="TTP again", kind="armed_group")


def fail_load_crossings(w: World) -> None:
    load_crossings(None, b"name,lat\nX,1\n", source_name="bad.csv")


FAILURES = [
    fail_file_complaint,
    fail_file_complaint_evidence,
    fail_create_party,
    fail_add_place,
    fail_add_commitment,
    fail_register_actor,
    fail_load_crossings,
]


@pytest.mark.parametrize("fail", FAILURES, ids=[f.__name__ for f in FAILURES])
def test_failing_service_leaves_log_unchanged(
    fail: Callable[[World], None], mechanism: Mechanism, tmp_path: Path
) -> None:
    before = (LogEntry.objects.count(), LogHead.objects.get(pk=1).size)

    with pytest.raises(ValidationFailed):
        fail(World(mechanism, tmp_path))

    assert (LogEntry.objects.count(), LogHead.objects.get(pk=1).size) == before


def test_log_sequence_is_gapless_after_changes_and_failures(
    mechanism: Mechanism, af_liaison: Any, tmp_path: Path
) -> None:
    world = World(mechanism, tmp_path)
    file_complaint(af_liaison, khost_strike_draft())
    for fail in FAILURES:
        with pytest.raises(DomainError):
            fail(world)
    file_complaint(af_liaison, khost_strike_draft(), submit=False)
    run_register_actor(world)

    sequences = list(LogEntry.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(len(sequences)))
    assert LogHead.objects.get(pk=1).size == len(sequences)
