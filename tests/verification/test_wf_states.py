"""Every move from every state it may not leave: 409 naming the current state, and nothing changed.

A complaint is driven to each state through the services; then every move not allowed from that state is tried
by a member who would otherwise be allowed to make it. Where the member may not even see the complaint in that
state (the respondent before notice, mediators before submission) the answer is 404, as everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from wf_steps import ALL_STATES, Cast, conflict, drive, new_complaint, refused

from ceasefire.core.errors import NotVisible
from ceasefire.incidents.enums import ComplaintState
from ceasefire.incidents.models import Complaint, Incident
from ceasefire.verification import services
from ceasefire.verification.models import Determination

pytestmark = pytest.mark.integration
S = ComplaintState

Move = Callable[[Cast, Complaint, Incident], Any]


def _determination(c: Complaint) -> Determination:
    return Determination.objects.filter(complaint=c).order_by("-round").first()  # type: ignore[return-value]


def _later() -> dt.datetime:
    from django.utils import timezone

    return timezone.now() + dt.timedelta(days=2)


MOVES: dict[str, tuple[Move, set[str]]] = {
    "submit": (lambda m, c, i: services.submit_complaint(m.pk_liaison, c), {S.DRAFT}),
    "notify": (lambda m, c, i: services.notify_respondent(m.secretariat, c), {S.SUBMITTED}),
    "reject": (lambda m, c, i: services.reject_complaint(m.secretariat, c, reason="Late."), {S.SUBMITTED, S.NOTIFIED}),
    "withdraw": (
        lambda m, c, i: services.withdraw_complaint(m.pk_liaison, c),
        {S.SUBMITTED, S.NOTIFIED, S.UNDER_INVESTIGATION, S.FINDINGS_READY},
    ),
    "reply": (
        lambda m, c, i: services.reply_to_complaint(m.af_liaison, c, kind="accepted"),
        {S.NOTIFIED, S.UNDER_INVESTIGATION},
    ),
    "assign": (
        lambda m, c, i: services.assign_investigators(m.secretariat, c, [m.qa_investigator]),
        {S.NOTIFIED, S.UNDER_INVESTIGATION, S.APPEALED},
    ),
    "add_task": (
        lambda m, c, i: services.add_investigation_task(
            m.secretariat, c, kind="site_visit", description="Visit the court.", due_at=_later()
        ),
        {S.UNDER_INVESTIGATION},
    ),
    "grade": (
        lambda m, c, i: services.grade_evidence(m.secretariat, c.evidence.get(), reliability="B", credibility="2"),
        {S.UNDER_INVESTIGATION},
    ),
    "corroborate": (
        lambda m, c, i: services.link_corroboration(m.secretariat, c, i, note="Same network."),
        {S.UNDER_INVESTIGATION},
    ),
    "findings": (
        lambda m, c, i: services.record_findings(m.secretariat, c, summary="Done."),
        {S.UNDER_INVESTIGATION},
    ),
    "note": (
        lambda m, c, i: services.add_investigation_note(m.secretariat, c, text="A note."),
        set(ALL_STATES) - {S.DRAFT, S.SUBMITTED},
    ),
    "draft_determination": (
        lambda m, c, i: services.draft_determination(
            m.tr_adjudicator, c, outcome="inconclusive", reasons="Not enough."
        ),
        {S.FINDINGS_READY},
    ),
    "appeal": (
        lambda m, c, i: services.appeal_determination(m.pk_liaison, c, grounds="Wrong."),
        {S.DETERMINED},
    ),
    "close": (lambda m, c, i: services.close_complaint(m.secretariat, c), {S.DETERMINED}),
    "sign": (lambda m, c, i: services.sign_determination(m.tr_adjudicator, _determination(c)), {S.FINDINGS_READY}),
}

# Who cannot see the complaint in a state answers 404 there, before any state check.
UNSEEN: dict[str, set[str]] = {
    # mediators do not see another party's drafts
    S.DRAFT: {
        "notify",
        "reject",
        "assign",
        "add_task",
        "grade",
        "corroborate",
        "findings",
        "note",
        "draft_determination",
        "close",
    },
}
RESPONDENT_UNSEEN = {S.DRAFT, S.SUBMITTED, S.WITHDRAWN, S.REJECTED_INADMISSIBLE}  # driven there before notice

STATES = [*ALL_STATES, "under_investigation@2"]


@pytest.mark.parametrize("where", STATES)
def test_every_move_not_allowed_from_a_state_is_refused_naming_it(where: str, cast: Cast) -> None:
    state, _, round_ = where.partition("@")
    complaint = drive(cast, state, round=int(round_ or 1))
    other = new_complaint(cast).incident  # an incident the secretariat sees, for corroboration
    tried = 0
    for name, (move, allowed) in MOVES.items():
        if state in allowed:
            continue
        if name == "sign" and _determination(complaint) is None:
            continue  # nothing to sign: covered by the draft-state cases below
        call = lambda move=move: move(cast, complaint, other)  # noqa: E731
        if name in UNSEEN.get(state, set()) or (name == "reply" and state in RESPONDENT_UNSEEN):
            refused(NotVisible, call)
        else:
            try:
                conflict(call, state)
            except AssertionError as error:
                raise AssertionError(f"{name} from {where}: {error}") from error
        tried += 1
    assert tried >= 5


def test_a_signed_draft_of_a_withdrawn_complaint_takes_no_more_signatures(cast: Cast) -> None:
    complaint = drive(cast, S.FINDINGS_READY)
    draft = services.draft_determination(cast.tr_adjudicator, complaint, outcome="inconclusive", reasons="Unclear.")
    services.sign_determination(cast.tr_adjudicator, draft)
    services.withdraw_complaint(cast.pk_liaison, complaint, reason="Settled.")
    conflict(lambda: services.sign_determination(cast.qa_adjudicator, draft), S.WITHDRAWN)
    # to a party a draft is no determination at all: answered as when none was drafted
    conflict(lambda: services.add_dissent(cast.af_liaison, draft, text="No."), S.WITHDRAWN, "no determination")


def test_a_dissent_on_a_draft_is_refused_naming_the_state(cast: Cast) -> None:
    complaint = drive(cast, S.FINDINGS_READY)
    draft = services.draft_determination(cast.tr_adjudicator, complaint, outcome="inconclusive", reasons="Unclear.")
    # the parties cannot see a draft: to them there is no determination yet
    conflict(lambda: services.add_dissent(cast.pk_liaison, draft, text="No."), S.FINDINGS_READY, "no determination")
    draft.refresh_from_db()
    assert draft.effective_at is None
