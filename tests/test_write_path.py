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
from django.utils import timezone
from support import khost_strike_draft

from ceasefire.agreements.services import add_commitment, add_penalty_type, create_agreement
from ceasefire.border import services as border
from ceasefire.border.flowcsv import FlowRow
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
from ceasefire.ingest import services as ingest
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
    "ceasefire.verification.services.required_signatures": "pure: reads the agreement's quorum",
    "ceasefire.verification.services.send_deadline_notice": (
        "tells members of a due time (notification rows, the readers' bookkeeping); changes no domain state"
    ),
    "ceasefire.ingest.services.upload_path": "pure: where an uploaded file waits for its import",
    "ceasefire.incidents.services.store_uploads": (
        "stores files by hash for the caller's change, inside its transaction; the caller's entry records them"
    ),
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


# --- border (border/services.py) ---
FLOWS_CSV = (
    "date,crossing,direction,category,total,documented,undocumented,source,source_note\n"
    "2025-11-02,torkham,to_af,deportation,120,,,party,\n"
)


def _crossing(slug: str) -> Any:
    from ceasefire.geo.models import Crossing

    return Crossing.objects.get(slug=slug)


def run_border_update_crossing(w: World) -> Expected:
    border.update_crossing(w.member("tr-secretariat"), _crossing("gursal"), changes={"notes": "Still unlocated."})
    return [("crossing.updated", "crossing-gursal")]


def run_border_declare_status(w: World) -> Expected:
    declaration = border.declare_status(
        w.member("pk-liaison"),
        crossing=_crossing("torkham"),
        status="closed",
        effective_at=dt.datetime(2025, 10, 12, tzinfo=dt.UTC),
        reason="Security",
    )
    return [("crossing.status_declared", declaration.public_code)]


def run_border_resolve_conflict(w: World) -> Expected:
    when = dt.datetime(2025, 11, 1, tzinfo=dt.UTC)
    a = border.declare_status(w.member("pk-liaison"), crossing=_crossing("torkham"), status="open", effective_at=when)
    b = border.declare_status(w.member("af-liaison"), crossing=_crossing("torkham"), status="closed", effective_at=when)
    w.setup_entries = 2
    resolution = border.resolve_conflict(
        w.member("tr-adjudicator"),
        crossing=_crossing("torkham"),
        codes=[a.public_code, b.public_code],
        accepted_code=b.public_code,
        note="Observed closed.",
    )
    return [("crossing.conflict_resolved", resolution.public_code)]


def run_border_import_flow_csv(w: World) -> Expected:
    batch = border.import_flow_csv(w.member("pk-liaison"), FLOWS_CSV.encode(), file_name="flows.csv")
    return [("flows.imported", batch.public_code)]


def run_border_record_flows(w: World) -> Expected:
    row = FlowRow(day=dt.date(2025, 11, 2), crossing="torkham", direction="to_af", category="return", total=5)
    batch = border.record_flows(w.member("af-liaison"), [row])
    return [("flows.imported", batch.public_code)]


def run_border_record_trade_day(w: World) -> Expected:
    border.record_trade_day(
        w.member("af-liaison"),
        crossing=_crossing("torkham"),
        day=dt.date(2025, 10, 15),
        source="party",
        trucks_waiting=4000,
    )
    return [("trade.recorded", "crossing-torkham")]


def run_border_claim_losses(w: World) -> Expected:
    claim = border.claim_losses(
        w.member("af-liaison"), period_start=dt.date(2025, 10, 12), period_end=dt.date(2025, 11, 11), amount_usd=1
    )
    return [("losses.claimed", claim.public_code)]


def run_border_report_obstacle(w: World) -> Expected:
    obstacle = border.report_obstacle(
        w.member("af-liaison"), kind="new_fee", description="A new fee per truck.", observed_from=dt.date(2025, 11, 1)
    )
    return [("obstacle.reported", obstacle.public_code)]


def run_border_update_obstacle(w: World) -> Expected:
    obstacle = border.report_obstacle(
        w.member("af-liaison"), kind="new_fee", description="A new fee per truck.", observed_from=dt.date(2025, 11, 1)
    )
    w.setup_entries = 1
    border.update_obstacle(w.member("tr-investigator"), obstacle, status="confirmed", note="Seen at the gate.")
    return [("obstacle.updated", obstacle.public_code)]


def run_border_link_closure(w: World) -> Expected:
    complaint = file_complaint(w.member("af-liaison"), khost_strike_draft(category="crossing_closure"))
    declaration = border.declare_status(
        w.member("tr-investigator"),
        crossing=_crossing("torkham"),
        status="closed",
        effective_at=dt.datetime(2025, 10, 12, tzinfo=dt.UTC),
    )
    w.setup_entries = 2
    border.link_closure(w.member("af-liaison"), complaint=complaint, declaration=declaration)
    return [("border.closure_linked", complaint.public_code)]


def run_border_cite_flows(w: World) -> Expected:
    complaint = file_complaint(w.member("af-liaison"), khost_strike_draft(category="forced_expulsion"))
    w.setup_entries = 1
    border.cite_flows(
        w.member("af-liaison"),
        complaint=complaint,
        crossing=_crossing("torkham"),
        date_from=dt.date(2025, 11, 1),
        date_to=dt.date(2025, 11, 30),
    )
    return [("border.flows_cited", complaint.public_code)]


def _ged_file(w: World, name: str = "ged.csv") -> Path:
    """One UCDP GED row: a state-based clash at Mughalgai (Khost) on the day of the Khost strike complaint."""
    from ceasefire.ingest.sources.ucdp.layout import COLUMNS

    values = {"id": "1", "type_of_violence": "1", "latitude": "33.28", "longitude": "69.95", "where_prec": "1",
              "date_start": "2025-11-25", "date_end": "2025-11-25", "side_a": "Government of Pakistan"}  # fmt: skip
    path = w.tmp_path / name
    path.write_text(",".join(COLUMNS) + "\n" + ",".join(values.get(c, "") for c in COLUMNS) + "\n")
    return path


def run_ingest_import_events(w: World) -> Expected:
    run = ingest.import_events(None, source="ucdp", path=_ged_file(w))
    return [("ingest.batch", run.public_code), ("ingest.finished", run.public_code)]


def run_ingest_queue_import(w: World) -> Expected:
    with _ged_file(w).open("rb") as upload:
        run = ingest.queue_import(w.member("tr-secretariat"), source="ucdp", upload=upload, filename="ged.csv")
    return [("ingest.queued", run.public_code)]


def run_ingest_run_import(w: World) -> Expected:
    with _ged_file(w).open("rb") as upload:
        run = ingest.queue_import(w.member("tr-secretariat"), source="ucdp", upload=upload, filename="ged.csv")
    w.setup_entries = 1
    ingest.run_import(run, ingest.upload_path(run))
    return [("ingest.batch", run.public_code), ("ingest.finished", run.public_code)]


def run_ingest_refresh_correlations(w: World) -> Expected:
    file_complaint(w.member("af-liaison"), khost_strike_draft())
    w.setup_entries = 1
    ingest.refresh_correlations(w.member("tr-investigator"))
    return [("correlation.refreshed", "correlation")]


def run_ingest_decide_link(w: World) -> Expected:
    from ceasefire.ingest.models import CorrelationLink

    complaint = file_complaint(w.member("af-liaison"), khost_strike_draft())
    ingest.import_events(None, source="ucdp", path=_ged_file(w))
    ingest.refresh_correlations(None)
    w.setup_entries = 4
    ingest.decide_link(w.member("qa-investigator"), CorrelationLink.objects.get(), confirm=False)
    return [("correlation.rejected", complaint.public_code)]


def run_ingest_group_complaints(w: World) -> Expected:
    from ceasefire.ingest.models import CorrelationLink

    first = file_complaint(w.member("af-liaison"), khost_strike_draft(category="cross_border_fire"))
    second = file_complaint(w.member("pk-liaison"), khost_strike_draft(category="cross_border_fire", respondent="AF"))
    ingest.refresh_correlations(None)
    w.setup_entries = 3
    ingest.group_complaints(w.member("tr-investigator"), CorrelationLink.objects.get())
    return [("correlation.confirmed", first.public_code), ("complaint.grouped", second.public_code)]


# --- the complaint workflow (verification/services.py) ---


def _wf_complaint(w: World, *steps: str, **draft: Any) -> Any:
    """A Pakistani complaint against Afghanistan with one evidence file, moved through `steps`; the entries this
    setup appended are not the scenario's."""
    from ceasefire.verification import services as wf

    start = LogEntry.objects.count()
    submit = draft.pop("submit", True)
    draft.setdefault("evidence", [EvidenceUpload(file=io.BytesIO(JPEG), filename="a.jpg")])
    complaint = file_complaint(w.member("pk-liaison"), khost_strike_draft(respondent="AF", **draft), submit=submit)
    agreement = w.mechanism.agreement
    for step in steps:
        if step == "notify":
            wf.notify_respondent(w.member("tr-secretariat"), complaint)
        elif step == "assign":
            wf.assign_investigators(w.member("tr-secretariat"), complaint, [w.member("tr-investigator")])
        elif step == "findings":
            wf.record_findings(w.member("tr-investigator"), complaint, summary="Found.")
        elif step == "draft":
            wf.draft_determination(
                w.member("tr-adjudicator"),
                complaint,
                outcome="breach_confirmed",
                reasons="Corroborated.",
                responsible_party=complaint.respondent,
                commitments=[agreement.commitments.get(code="C2")],
            )
        elif step == "sign":
            wf.sign_determination(w.member("tr-adjudicator"), complaint.determinations.get())
        elif step == "determine":
            wf.sign_determination(w.member("qa-adjudicator"), complaint.determinations.get())
        complaint.refresh_from_db()
    w.setup_entries = LogEntry.objects.count() - start
    return complaint


def run_wf_submit_complaint(w: World) -> Expected:
    from ceasefire.verification.services import submit_complaint

    complaint = _wf_complaint(w, submit=False)
    submit_complaint(w.member("pk-liaison"), complaint)
    return [("complaint.submitted", complaint.public_code)]


def run_wf_after_submission(w: World) -> Expected:
    from ceasefire.verification.services import after_submission

    complaint = _wf_complaint(w)
    w.mechanism.agreement.notify_automatically = True
    w.mechanism.agreement.save()
    complaint.refresh_from_db()
    with transaction.atomic():  # as file_complaint calls it: inside the filing's transaction
        after_submission(complaint)
    return [("complaint.notified", complaint.public_code)]


def run_wf_notify_respondent(w: World) -> Expected:
    from ceasefire.verification.services import notify_respondent

    complaint = _wf_complaint(w)
    notify_respondent(w.member("tr-secretariat"), complaint)
    return [("complaint.notified", complaint.public_code)]


def run_wf_reject_complaint(w: World) -> Expected:
    from ceasefire.verification.services import reject_complaint

    complaint = _wf_complaint(w)
    reject_complaint(w.member("tr-secretariat"), complaint, reason="Outside the mandate.")
    return [("complaint.rejected", complaint.public_code)]


def run_wf_withdraw_complaint(w: World) -> Expected:
    from ceasefire.verification.services import withdraw_complaint

    complaint = _wf_complaint(w, "notify")
    withdraw_complaint(w.member("pk-liaison"), complaint)
    return [("complaint.withdrawn", complaint.public_code)]


def run_wf_reply_to_complaint(w: World) -> Expected:
    from ceasefire.verification.services import reply_to_complaint

    complaint = _wf_complaint(w, "notify")
    reply_to_complaint(
        w.member("af-liaison"),
        complaint,
        kind="contested",
        account="Not us.",
        evidence=[EvidenceUpload(file=io.BytesIO(JPEG + b"2"), filename="b.jpg")],
    )
    return [("complaint.replied", complaint.public_code)]


def run_wf_record_no_reply(w: World) -> Expected:
    from ceasefire.verification.services import record_no_reply

    complaint = _wf_complaint(w, "notify")
    record_no_reply(complaint, now=complaint.reply_due_at + dt.timedelta(seconds=1))
    return [("complaint.no_reply", complaint.public_code)]


def run_wf_assign_investigators(w: World) -> Expected:
    from ceasefire.verification.services import assign_investigators

    complaint = _wf_complaint(w, "notify", "assign")
    assign_investigators(w.member("tr-secretariat"), complaint, [w.member("qa-investigator")])
    return [("complaint.assigned", complaint.public_code)]


def run_wf_add_investigation_task(w: World) -> Expected:
    from ceasefire.verification.services import add_investigation_task

    complaint = _wf_complaint(w, "notify", "assign")
    due = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    add_investigation_task(w.member("tr-investigator"), complaint, kind="site_visit", description="Go.", due_at=due)
    return [("investigation.task_added", complaint.public_code)]


def run_wf_complete_investigation_task(w: World) -> Expected:
    from ceasefire.verification.services import add_investigation_task, complete_investigation_task

    complaint = _wf_complaint(w, "notify", "assign")
    due = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    task = add_investigation_task(
        w.member("tr-investigator"), complaint, kind="interview", description="Ask.", due_at=due
    )
    w.setup_entries += 1
    complete_investigation_task(w.member("tr-investigator"), task, result="Told.")
    return [("investigation.task_done", complaint.public_code)]


def run_wf_add_investigation_note(w: World) -> Expected:
    from ceasefire.verification.services import add_investigation_note

    complaint = _wf_complaint(w, "notify", "assign")
    add_investigation_note(w.member("tr-investigator"), complaint, text="A note.")
    return [("investigation.note_added", complaint.public_code)]


def run_wf_grade_evidence(w: World) -> Expected:
    from ceasefire.verification.services import grade_evidence

    complaint = _wf_complaint(w, "notify", "assign")
    grade_evidence(w.member("tr-investigator"), complaint.evidence.get(), reliability="B", credibility="2")
    return [("investigation.graded", complaint.public_code)]


def run_wf_link_corroboration(w: World) -> Expected:
    from ceasefire.verification.services import link_corroboration

    other = _wf_complaint(w)
    setup = w.setup_entries
    complaint = _wf_complaint(w, "notify", "assign")
    w.setup_entries += setup
    link_corroboration(w.member("tr-investigator"), complaint, other.incident, note="Same strike.")
    return [("investigation.corroboration", complaint.public_code)]


def run_wf_record_findings(w: World) -> Expected:
    from ceasefire.verification.services import record_findings

    complaint = _wf_complaint(w, "notify", "assign")
    record_findings(w.member("tr-investigator"), complaint, summary="Found.")
    return [("complaint.findings_ready", complaint.public_code), ("investigation.findings", complaint.public_code)]


def run_wf_draft_determination(w: World) -> Expected:
    from ceasefire.verification.services import draft_determination

    complaint = _wf_complaint(w, "notify", "assign", "findings")

    draft_determination(w.member("qa-adjudicator"), complaint, outcome="inconclusive", reasons="Unclear.")
    return [("determination.drafted", complaint.public_code)]


def run_wf_sign_determination(w: World) -> Expected:
    from ceasefire.verification.services import sign_determination

    complaint = _wf_complaint(w, "notify", "assign", "findings", "draft", "sign")
    sign_determination(w.member("qa-adjudicator"), complaint.determinations.get())
    return [("complaint.determined", complaint.public_code)]


def run_wf_add_dissent(w: World) -> Expected:
    from ceasefire.verification.services import add_dissent

    complaint = _wf_complaint(w, "notify", "assign", "findings", "draft", "sign", "determine")
    add_dissent(w.member("af-liaison"), complaint.determinations.get(), text="We dissent.")
    return [("determination.dissent", complaint.public_code)]


def run_wf_appeal_determination(w: World) -> Expected:
    from ceasefire.verification.services import appeal_determination

    complaint = _wf_complaint(w, "notify", "assign", "findings", "draft", "sign", "determine")
    appeal_determination(w.member("af-liaison"), complaint, grounds="One source.")
    return [("complaint.appealed", complaint.public_code)]


def run_wf_close_complaint(w: World) -> Expected:
    import time_machine

    from ceasefire.verification.services import close_complaint

    complaint = _wf_complaint(w, "notify", "assign", "findings", "draft", "sign", "determine")
    appeal_until = complaint.determinations.get().appeal_until
    with time_machine.travel(appeal_until + dt.timedelta(minutes=1), tick=False):
        close_complaint(w.member("tr-secretariat"), complaint)
    return [("complaint.closed", complaint.public_code)]


# --- intel/ ---


def _intel_item(w: World, **overrides: Any) -> Any:
    """Pakistan's AMBER item to Afghanistan with a request for action, shared (its entry is setup)."""
    from ceasefire.intel.drafts import IntelDraft, RequestDraft
    from ceasefire.intel.services import save_item

    values: dict[str, Any] = {
        "title": "TTP group near Barmal",
        "body": "Seen at a compound near Barmal.",
        "tlp": "AMBER",
        "recipients": ["AF"],
        "request": RequestDraft(addressee="AF", what="Disperse it.", due_at=timezone.now() + dt.timedelta(days=7)),
    } | overrides
    item = save_item(w.member("pk-liaison"), IntelDraft(**values), share=True)
    w.setup_entries += 1
    return item


def run_intel_save_item(w: World) -> Expected:
    from ceasefire.intel.drafts import IntelDraft
    from ceasefire.intel.services import save_item

    draft = IntelDraft(title="Situation note", body="Torkham reopened.", tlp="GREEN")
    item = save_item(w.member("tr-secretariat"), draft, share=True)
    return [("intel.shared", item.public_code)]


def run_intel_forward_item(w: World) -> Expected:
    from ceasefire.intel.services import forward_item

    item = _intel_item(w, forwarding_allowed=True)
    forward_item(w.member("af-liaison"), item, to_party="TR")
    return [("intel.forwarded", item.public_code)]


def run_intel_open_item(w: World) -> Expected:
    from ceasefire.intel.services import open_item

    item = _intel_item(w)
    open_item(w.member("af-viewer"), item)
    return [("intel_receipt.opened", item.public_code)]


def run_intel_open_items(w: World) -> Expected:
    from ceasefire.intel.models import IntelItem
    from ceasefire.intel.services import open_items

    item = _intel_item(w)
    open_items(w.member("af-viewer"), IntelItem.objects.all())
    return [("intel_receipt.opened", item.public_code)]


def run_intel_acknowledge_item(w: World) -> Expected:
    from ceasefire.intel.services import acknowledge_item

    item = _intel_item(w)
    acknowledge_item(w.member("af-liaison"), item)
    return [("intel_receipt.opened", item.public_code), ("intel_receipt.acknowledged", item.public_code)]


def run_intel_record_action(w: World) -> Expected:
    from ceasefire.intel.services import open_item, record_action

    item = _intel_item(w)
    open_item(w.member("af-liaison"), item)
    w.setup_entries += 1
    record_action(w.member("af-liaison"), item, text="Searched the compound.", taken_on=timezone.now().date())
    return [("intel_request.action_recorded", item.public_code)]


def run_intel_rate_response(w: World) -> Expected:
    from ceasefire.intel.services import rate_response

    item = _intel_item(w)
    rate_response(w.member("pk-liaison"), item, rating="no_response")
    return [("intel_request.rated", item.public_code)]


def run_intel_flag_overdue_requests(w: World) -> Expected:
    from ceasefire.intel.services import flag_overdue_requests

    item = _intel_item(w)
    flag_overdue_requests(now=timezone.now() + dt.timedelta(days=8))
    return [("intel_request.overdue", item.public_code)]


# --- reports/ ---


def run_reports_publish_complaint(w: World) -> Expected:
    from ceasefire.reports.services import publish_complaint

    complaint = _wf_complaint(w, "notify", "assign", "findings", "draft", "sign", "determine")
    publication = publish_complaint(w.member("tr-secretariat"), complaint, summary="Found planned across the line.")
    return [("publication.made", publication.public_code)]


def run_reports_withdraw_publication(w: World) -> Expected:
    from ceasefire.reports.services import publish_complaint, withdraw_publication

    complaint = _wf_complaint(w, "notify", "assign", "findings", "draft", "sign", "determine")
    publication = publish_complaint(w.member("tr-secretariat"), complaint, summary="Found.")
    w.setup_entries += 1
    withdraw_publication(w.member("tr-secretariat"), publication, reason="Wording.")
    return [("publication.withdrawn", publication.public_code)]


def run_reports_generate_report(w: World) -> Expected:
    from django.test import override_settings

    from ceasefire.reports.services import generate_report

    with override_settings(REPORTS_DIR=w.tmp_path / "reports"):
        report = generate_report(w.member("tr-secretariat"), kind="daily", day=dt.date(2025, 11, 25), audience="public")
    return [("report.generated", report.public_code)]


# --- analytics: early-warning alerts and subscriptions (analytics/services.py) ---


def run_analytics_raise_alerts(w: World) -> Expected:
    from ceasefire.analytics.alerts_detect import detect
    from ceasefire.analytics.services import raise_alerts

    # A border closure with no notice stated: one alert, for every member (audience "everyone").
    border.declare_status(
        w.member("tr-investigator"),
        crossing=_crossing("torkham"),
        status="closed",
        effective_at=dt.datetime(2025, 10, 12, tzinfo=dt.UTC),
    )
    w.setup_entries = 1
    candidates = detect(since=dt.date(2025, 10, 1), until=dt.date(2025, 10, 14))
    alerts = raise_alerts(None, candidates=candidates)
    assert len(alerts) == 1 and raise_alerts(None, candidates=candidates) == []  # idempotent: nothing more
    return [("alert.raised", alerts[0].public_code)]


def run_analytics_subscribe(w: World) -> Expected:
    from ceasefire.analytics.services import subscribe

    subscription = subscribe(w.member("af-viewer"), area="Khost", kind="complaint_rate", email=True)
    return [("alert.subscribed", subscription.public_code)]


def run_analytics_unsubscribe(w: World) -> Expected:
    from ceasefire.analytics.services import subscribe, unsubscribe

    subscription = subscribe(w.member("af-viewer"), area="all")
    w.setup_entries = 1
    unsubscribe(w.member("af-viewer"), code=subscription.public_code)
    return [("alert.unsubscribed", subscription.public_code)]


SCENARIOS: dict[str, Callable[[World], Expected]] = {
    "ceasefire.verification.services.submit_complaint": run_wf_submit_complaint,
    "ceasefire.verification.services.after_submission": run_wf_after_submission,
    "ceasefire.verification.services.notify_respondent": run_wf_notify_respondent,
    "ceasefire.verification.services.reject_complaint": run_wf_reject_complaint,
    "ceasefire.verification.services.withdraw_complaint": run_wf_withdraw_complaint,
    "ceasefire.verification.services.reply_to_complaint": run_wf_reply_to_complaint,
    "ceasefire.verification.services.record_no_reply": run_wf_record_no_reply,
    "ceasefire.verification.services.assign_investigators": run_wf_assign_investigators,
    "ceasefire.verification.services.add_investigation_task": run_wf_add_investigation_task,
    "ceasefire.verification.services.complete_investigation_task": run_wf_complete_investigation_task,
    "ceasefire.verification.services.add_investigation_note": run_wf_add_investigation_note,
    "ceasefire.verification.services.grade_evidence": run_wf_grade_evidence,
    "ceasefire.verification.services.link_corroboration": run_wf_link_corroboration,
    "ceasefire.verification.services.record_findings": run_wf_record_findings,
    "ceasefire.verification.services.draft_determination": run_wf_draft_determination,
    "ceasefire.verification.services.sign_determination": run_wf_sign_determination,
    "ceasefire.verification.services.add_dissent": run_wf_add_dissent,
    "ceasefire.verification.services.appeal_determination": run_wf_appeal_determination,
    "ceasefire.verification.services.close_complaint": run_wf_close_complaint,
    "ceasefire.border.services.update_crossing": run_border_update_crossing,
    "ceasefire.border.services.declare_status": run_border_declare_status,
    "ceasefire.border.services.resolve_conflict": run_border_resolve_conflict,
    "ceasefire.border.services.import_flow_csv": run_border_import_flow_csv,
    "ceasefire.border.services.record_flows": run_border_record_flows,
    "ceasefire.border.services.record_trade_day": run_border_record_trade_day,
    "ceasefire.border.services.claim_losses": run_border_claim_losses,
    "ceasefire.border.services.report_obstacle": run_border_report_obstacle,
    "ceasefire.border.services.update_obstacle": run_border_update_obstacle,
    "ceasefire.border.services.link_closure": run_border_link_closure,
    "ceasefire.border.services.cite_flows": run_border_cite_flows,
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
    "ceasefire.ingest.services.import_events": run_ingest_import_events,
    "ceasefire.ingest.services.queue_import": run_ingest_queue_import,
    "ceasefire.ingest.services.run_import": run_ingest_run_import,
    "ceasefire.ingest.services.refresh_correlations": run_ingest_refresh_correlations,
    "ceasefire.ingest.services.decide_link": run_ingest_decide_link,
    "ceasefire.ingest.services.group_complaints": run_ingest_group_complaints,
    "ceasefire.intel.services.save_item": run_intel_save_item,
    "ceasefire.intel.services.forward_item": run_intel_forward_item,
    "ceasefire.intel.services.open_item": run_intel_open_item,
    "ceasefire.intel.services.open_items": run_intel_open_items,
    "ceasefire.intel.services.acknowledge_item": run_intel_acknowledge_item,
    "ceasefire.intel.services.record_action": run_intel_record_action,
    "ceasefire.intel.services.rate_response": run_intel_rate_response,
    "ceasefire.intel.services.flag_overdue_requests": run_intel_flag_overdue_requests,
    "ceasefire.reports.services.publish_complaint": run_reports_publish_complaint,
    "ceasefire.reports.services.withdraw_publication": run_reports_withdraw_publication,
    "ceasefire.reports.services.generate_report": run_reports_generate_report,
    "ceasefire.analytics.services.raise_alerts": run_analytics_raise_alerts,
    "ceasefire.analytics.services.subscribe": run_analytics_subscribe,
    "ceasefire.analytics.services.unsubscribe": run_analytics_unsubscribe,
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


def fail_border_import_flow_csv(w: World) -> None:
    bad = FLOWS_CSV + "2025-11-03,torkham,to_af,return,-4,,,party,\n"
    border.import_flow_csv(w.member("pk-liaison"), bad.encode(), file_name="bad.csv")


def fail_border_declare_status(w: World) -> None:
    border.declare_status(
        w.member("pk-liaison"),
        crossing=_crossing("torkham"),
        status="closed",
        effective_at=dt.datetime(2025, 10, 12, tzinfo=dt.UTC),
        expected_reopening=dt.datetime(2025, 10, 1, tzinfo=dt.UTC),
    )


def fail_ingest_import_events(w: World) -> None:
    ingest.import_events(None, source="reuters", path=_ged_file(w))


FAILURES = [
    fail_ingest_import_events,
    fail_border_import_flow_csv,
    fail_border_declare_status,
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
