"""Determinations: drafting with reasons, the signatures of the mediator parties' adjudicators (the quorum), the
determination in effect, and the parties' dissents."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from wf_steps import (
    Cast,
    assert_log_consistent,
    assert_move,
    conflict,
    determine,
    draft,
    drive,
    expect,
    log_since,
    log_size,
    refuse_all_but,
    refused,
)

from ceasefire.agreements.services import add_commitment, add_penalty_type, create_agreement
from ceasefire.core.errors import NotPermitted, ValidationFailed
from ceasefire.core.services import create_party, create_person
from ceasefire.incidents.enums import ComplaintState
from ceasefire.verification import queries, services
from ceasefire.verification.models import Determination, Notification, Signature

pytestmark = pytest.mark.integration
S = ComplaintState
PARTIES = {"af_liaison", "af_viewer", "pk_liaison", "pk_viewer", "analyst"}


def _person(cast: Cast, username: str, party: str, role: str) -> Any:
    return create_person(
        None, username=username, password="x", party=cast.mechanism.parties[party], role=role, check_password=False
    )


def test_who_drafts_and_that_a_draft_reaches_mediators_only(cast: Cast) -> None:
    complaint = drive(cast, S.FINDINGS_READY)
    refuse_all_but(
        cast,
        lambda m: services.draft_determination(m, complaint, outcome="inconclusive", reasons="Unclear."),
        expect(ok={"tr_adjudicator", "qa_adjudicator", "secretariat"}),
    )
    before = log_size()
    first = services.draft_determination(cast.secretariat, complaint, outcome="inconclusive", reasons="Unclear.")
    redrafted = draft(cast, complaint)  # a redraft while unsigned replaces it
    assert redrafted.pk == first.pk and redrafted.outcome == "breach_confirmed"
    entries = log_since(before)
    assert [(e.kind, e.sealed) for e in entries] == [("determination.drafted", True)] * 2
    assert entries[1].record["commitments"] == ["C4"] and entries[1].record["responsible_party"] == "AF"
    assert entries[1].record["reasons"] == "Two independent sources confirm the planning."
    for name in PARTIES:
        assert queries.determinations_of(cast.persona(name), complaint) == []
        assert not Notification.objects.filter(recipient=cast.persona(name), kind="draft_determination").exists()
    assert queries.determinations_of(cast.qa_investigator, complaint) == [redrafted]
    told = Notification.objects.filter(kind="draft_determination")
    assert {n.recipient.user.username for n in told} >= {"tr-adjudicator", "qa-adjudicator"}
    assert all(n.mediators_only for n in told)
    services.sign_determination(cast.tr_adjudicator, redrafted)
    conflict(lambda: draft(cast, complaint, reasons="Changed my mind."), S.FINDINGS_READY, "signed already")
    assert_log_consistent()


def _other_agreement(cast: Cast) -> Any:
    parties = cast.mechanism.parties
    other = create_agreement(
        None,
        code="torkham-2026",
        title="Torkham",
        signed_on=dt.date(2026, 1, 5),
        parties=[parties["AF"], parties["PK"]],
    )
    commitment = add_commitment(
        None, other, code="T1", text="Keep Torkham open.", category="border", bound_parties=[parties["AF"]]
    )
    measure = add_penalty_type(None, other, code="toll", name="Toll")
    return commitment, measure


BAD_DRAFTS: list[tuple[str, dict[str, Any], str, str]] = [
    ("no reasons", {"reasons": "   "}, "reasons", "states its reasons"),
    ("unknown outcome", {"outcome": "guilty"}, "outcome", "Unknown outcome 'guilty'"),
    ("breach without party", {"responsible_party": None}, "responsible_party", "names the responsible party"),
    ("breach without commitments", {"commitments": []}, "commitments", "names the commitments breached"),
    ("party not a side", {"responsible_party": "QA"}, "responsible_party", "one of the complaint's two sides"),
    ("commitment elsewhere", {"commitments": "other"}, "commitments", "Commitment T1 is not in this complaint"),
    ("measure elsewhere", {"measures": "other"}, "measures", "Measure toll is not a penalty type of this agreement"),
    (
        "a non-breach naming a party",
        {"outcome": "not_substantiated", "responsible_party": "AF"},
        "outcome",
        "Only a confirmed breach",
    ),
]


@pytest.mark.parametrize(("changes", "field", "message"), [b[1:] for b in BAD_DRAFTS], ids=[b[0] for b in BAD_DRAFTS])
def test_bad_determinations_are_refused_with_a_specific_message(
    changes: dict[str, Any], field: str, message: str, cast: Cast
) -> None:
    complaint = drive(cast, S.FINDINGS_READY)
    agreement = cast.mechanism.agreement
    kwargs: dict[str, Any] = {
        "outcome": "breach_confirmed",
        "reasons": "Corroborated.",
        "responsible_party": complaint.respondent,
        "commitments": [agreement.commitments.get(code="C4")],
        "measures": [agreement.penalty_types.get(code="formal-warning")],
    }
    if changes.get("outcome") == "not_substantiated":
        kwargs.update(commitments=[], measures=[])
    kwargs.update(changes)
    if isinstance(kwargs["responsible_party"], str):
        kwargs["responsible_party"] = cast.mechanism.parties[kwargs["responsible_party"]]
    if "other" in (kwargs["commitments"], kwargs["measures"]):
        commitment, measure = _other_agreement(cast)
        if kwargs["commitments"] == "other":
            kwargs["commitments"] = [agreement.commitments.get(code="C4"), commitment]
        if kwargs["measures"] == "other":
            kwargs["measures"] = [measure]
    error = refused(ValidationFailed, lambda: services.draft_determination(cast.tr_adjudicator, complaint, **kwargs))
    assert field in error.errors, error.errors
    assert message in error.errors[field]
    assert not Determination.objects.filter(complaint=complaint).exists()


def test_two_mediator_signatures_put_it_in_effect(cast: Cast) -> None:
    complaint = drive(cast, S.FINDINGS_READY, tlp="GREEN")
    determination = draft(cast, complaint)
    refuse_all_but(
        cast, lambda m: services.sign_determination(m, determination), expect(ok={"tr_adjudicator", "qa_adjudicator"})
    )
    before = log_size()
    services.sign_determination(cast.tr_adjudicator, determination)
    (entry,) = log_since(before)
    assert (entry.kind, entry.sealed) == ("determination.signed", True)
    assert (entry.record["party"], entry.record["signatures"], entry.record["required"]) == ("TR", 1, 2)
    complaint.refresh_from_db()
    assert complaint.state == S.FINDINGS_READY
    signed_told = Notification.objects.filter(kind="signed")
    assert signed_told.exists() and all(n.mediators_only for n in signed_told)
    assert not signed_told.filter(recipient__party__kind="party").exists()
    conflict(lambda: services.sign_determination(cast.tr_adjudicator, determination), S.FINDINGS_READY, "TR has signed")
    second_tr = _person(cast, "tr-adjudicator-2", "TR", "adjudicator")
    conflict(lambda: services.sign_determination(second_tr, determination), S.FINDINGS_READY, "TR has signed")

    before = log_size()
    services.sign_determination(cast.qa_adjudicator, determination)
    entries = log_since(before)
    assert [e.kind for e in entries] == ["complaint.determined"]
    entry = assert_move(
        complaint,
        entries,
        verb="determined",
        by=cast.qa_adjudicator,
        from_state=S.FINDINGS_READY,
        to_state=S.DETERMINED,
    )
    assert not entry.sealed  # notified and GREEN: an open entry, since the determination is the parties' now
    determination.refresh_from_db()
    assert determination.effective_at is not None and determination.appeal_until is not None
    assert determination.appeal_until - determination.effective_at == dt.timedelta(days=14)
    workflow = entry.record["workflow"]
    assert workflow["outcome"] == "breach_confirmed" and workflow["responsible_party"] == "AF"
    assert [s["party"] for s in workflow["signatures"]] == ["TR", "QA"]
    assert workflow["appeal_until"] == determination.appeal_until.isoformat()
    assert complaint.investigation_due_at is None
    for name in ("af_liaison", "af_viewer", "pk_liaison", "pk_viewer", "analyst"):
        assert queries.determinations_of(cast.persona(name), complaint) == [determination]
    told = set(Notification.objects.filter(kind="determined").values_list("recipient__user__username", flat=True))
    assert {"af-liaison", "af-viewer", "pk-liaison", "pk-viewer", "pk-analyst", "tr-secretariat"} <= told
    assert "qa-adjudicator" not in told
    assert_log_consistent()


def test_a_third_signature_is_refused(cast: Cast) -> None:
    complaint = drive(cast, S.DETERMINED)
    determination = Determination.objects.get(complaint=complaint)
    second_tr = _person(cast, "tr-adjudicator-2", "TR", "adjudicator")
    error = conflict(lambda: services.sign_determination(second_tr, determination), S.DETERMINED)
    assert "no further signature" in error.message and "2 signatures" in error.message
    assert Signature.objects.filter(determination=determination).count() == 2


def test_an_adjudicator_of_a_non_mediator_party_cannot_sign(cast: Cast) -> None:
    complaint = drive(cast, S.FINDINGS_READY)
    determination = draft(cast, complaint)
    af_adjudicator = _person(cast, "af-adjudicator", "AF", "adjudicator")
    refused(
        NotPermitted,
        lambda: services.sign_determination(af_adjudicator, determination),
        "Only an adjudicator of a mediator party signs; AF is not a mediator.",
    )


def test_a_mediator_outside_the_agreement_cannot_sign(cast: Cast) -> None:
    complaint = drive(cast, S.FINDINGS_READY)
    determination = draft(cast, complaint)
    un = create_party(None, code="UN", name="United Nations", kind="mediator")
    un_adjudicator = create_person(
        None, username="un-adjudicator", password="x", party=un, role="adjudicator", check_password=False
    )
    refused(
        NotPermitted,
        lambda: services.sign_determination(un_adjudicator, determination),
        "UN is not a mediator of this complaint's agreement",
    )


def test_the_quorum_is_every_mediator_party_or_the_agreements_number(cast: Cast) -> None:
    agreement = cast.mechanism.agreement
    assert agreement.determination_quorum == 0
    assert services.required_signatures(agreement) == 2
    agreement.determination_quorum = 1
    agreement.save()
    assert services.required_signatures(agreement) == 1
    complaint = drive(cast, S.FINDINGS_READY)
    determination = draft(cast, complaint)
    before = log_size()
    services.sign_determination(cast.qa_adjudicator, determination)
    assert [e.kind for e in log_since(before)] == ["complaint.determined"]
    complaint.refresh_from_db()
    determination.refresh_from_db()
    assert complaint.state == S.DETERMINED and determination.in_effect
    assert determination.signatures.count() == 1
    conflict(lambda: services.sign_determination(cast.tr_adjudicator, determination), S.DETERMINED, "1 signatures")


def test_a_third_mediator_party_in_the_agreement_raises_the_default_quorum(cast: Cast) -> None:
    agreement = cast.mechanism.agreement
    agreement.parties.add(create_party(None, code="UN", name="United Nations", kind="mediator"))
    assert services.required_signatures(agreement) == 3
    complaint = drive(cast, S.FINDINGS_READY)
    determination = draft(cast, complaint)
    services.sign_determination(cast.tr_adjudicator, determination)
    services.sign_determination(cast.qa_adjudicator, determination)
    complaint.refresh_from_db()
    assert complaint.state == S.FINDINGS_READY
    un = create_person(
        None,
        username="un-adj",
        password="x",
        party=agreement.parties.get(code="UN"),
        role="adjudicator",
        check_password=False,
    )
    services.sign_determination(un, determination)
    complaint.refresh_from_db()
    assert complaint.state == S.DETERMINED


def test_each_side_dissents_once(cast: Cast) -> None:
    complaint = drive(cast, S.FINDINGS_READY)
    determination = determine(cast, complaint)
    refuse_all_but(
        cast,
        lambda m: services.add_dissent(m, determination, text="We disagree."),
        expect(ok={"af_liaison", "pk_liaison"}),
    )
    refused(ValidationFailed, lambda: services.add_dissent(cast.af_liaison, determination, text="  "))
    before = log_size()
    dissent = services.add_dissent(cast.af_liaison, determination, text="The sources are one.")
    (entry,) = log_since(before)
    assert (entry.kind, entry.sealed, entry.party_code) == ("determination.dissent", True, "AF")  # AMBER
    assert entry.record == {
        "complaint": complaint.public_code,
        "round": 1,
        "party": "AF",
        "text": "The sources are one.",
    }
    assert dissent.party.code == "AF"
    conflict(lambda: services.add_dissent(cast.af_liaison, determination, text="Again."), S.DETERMINED, "already")
    services.add_dissent(cast.pk_liaison, determination, text="Too mild.")
    told = Notification.objects.filter(kind="dissent", params__party="AF")
    assert {"pk-liaison", "tr-secretariat"} <= set(told.values_list("recipient__user__username", flat=True))
    assert sorted(
        queries.determinations_of(cast.af_viewer, complaint)[0].dissents.values_list("party__code", flat=True)
    ) == [
        "AF",
        "PK",
    ]
    assert_log_consistent()


def test_what_a_determination_logs_never_names_the_findings(cast: Cast) -> None:
    complaint = drive(cast, S.DETERMINED)
    for entry in log_since(0):
        if entry.subject_code == complaint.public_code and entry.kind.startswith("complaint."):
            assert "Kunar" not in json.dumps(entry.record), entry.kind


def test_a_party_cannot_see_or_sign_a_draft(cast: Cast) -> None:
    complaint = drive(cast, S.FINDINGS_READY)
    determination = draft(cast, complaint)
    conflict(
        lambda: services.add_dissent(cast.pk_liaison, determination, text="Early."),
        S.FINDINGS_READY,
        "There is no determination to dissent from in this round.",
    )
    refused(NotPermitted, lambda: services.sign_determination(cast.pk_liaison, determination))
