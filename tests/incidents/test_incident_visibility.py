"""The one visibility rule over complaints, incidents and evidence, persona by persona (a leak is the worst).

Four complaints: AF's submitted complaint, PK's submitted complaint, an AF draft, and an AF complaint the
respondent (PK) was notified of. Each persona must see exactly the expected ones, in querysets, query helpers,
counts and aggregates alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import Count, Sum
from incident_samples import (
    SAMPLES,
    islamabad_attack_draft,
    khost_strike_draft,
    upload,
)

from ceasefire.core.models import Membership
from ceasefire.incidents.enums import ComplaintState
from ceasefire.incidents.models import Complaint, Evidence, Incident
from ceasefire.incidents.queries import (
    ComplaintFilter,
    complaint_evidence,
    filter_complaints,
    get_visible_complaint,
    get_visible_evidence,
)
from ceasefire.incidents.services import file_complaint
from ceasefire.verification.services import notify_respondent

pytestmark = pytest.mark.integration

AF_SUBMITTED, PK_SUBMITTED, AF_DRAFT, AF_NOTIFIED = "af_submitted", "pk_submitted", "af_draft", "af_notified"
ALL = {AF_SUBMITTED, PK_SUBMITTED, AF_DRAFT, AF_NOTIFIED}

AFGHAN = {AF_SUBMITTED, AF_DRAFT, AF_NOTIFIED}
PAKISTANI = {PK_SUBMITTED, AF_NOTIFIED}
MEDIATORS = {AF_SUBMITTED, PK_SUBMITTED, AF_NOTIFIED}

EXPECTED: dict[str, set[str]] = {
    "af_liaison": AFGHAN,
    "af_viewer": AFGHAN,
    "pk_liaison": PAKISTANI,
    "pk_viewer": PAKISTANI,
    "analyst": PAKISTANI,
    "tr_investigator": MEDIATORS,
    "qa_investigator": MEDIATORS,
    "tr_adjudicator": MEDIATORS,
    "qa_adjudicator": MEDIATORS,
    "secretariat": MEDIATORS,
    "admin": set(),
    "outsider": set(),
    "inactive_af_liaison": set(),
    "inactive_tr_investigator": set(),
}


@dataclass
class World:
    complaints: dict[str, Complaint]

    def name_of(self, complaint_pk: int) -> str:
        return next(name for name, c in self.complaints.items() if c.pk == complaint_pk)


@pytest.fixture
def world(af_liaison: Membership, pk_liaison: Membership) -> World:
    def evidence(name: str) -> list[Any]:
        # Distinct bytes per complaint, so every complaint has an Evidence row of its own file.
        return [
            upload(f"{name}.txt", f"Statement for {name}.\n".encode()),
            upload("photo.jpg", SAMPLES["photo.jpg"][0]),
        ]

    complaints = {
        AF_SUBMITTED: file_complaint(af_liaison, khost_strike_draft(evidence=evidence(AF_SUBMITTED))),
        PK_SUBMITTED: file_complaint(pk_liaison, islamabad_attack_draft(evidence=evidence(PK_SUBMITTED))),
        AF_DRAFT: file_complaint(af_liaison, khost_strike_draft(evidence=evidence(AF_DRAFT)), submit=False),
        AF_NOTIFIED: file_complaint(
            af_liaison, khost_strike_draft(latitude=33.35, longitude=69.90, evidence=evidence(AF_NOTIFIED))
        ),
    }
    notify_respondent(None, complaints[AF_NOTIFIED])
    return World(complaints)


def acting(persona: str, request: pytest.FixtureRequest) -> Membership | None:
    """The membership a persona acts as; users without one (admin, outsider) act as None."""
    if persona.startswith("inactive_"):
        member: Membership = request.getfixturevalue(persona.removeprefix("inactive_"))
        Membership.objects.filter(pk=member.pk).update(is_active=False)
        member.refresh_from_db()
        return member
    value = request.getfixturevalue(persona)
    if isinstance(value, Membership):
        return value
    return Membership.objects.filter(user=value, is_active=True).first()


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_visible_to_shows_exactly_expected_complaints(
    persona: str, world: World, request: pytest.FixtureRequest
) -> None:
    member = acting(persona, request)
    expected = EXPECTED[persona]
    expected_pks = {world.complaints[name].pk for name in expected}

    visible = Complaint.objects.visible_to(member)
    assert {world.name_of(pk) for pk in visible.values_list("pk", flat=True)} == expected
    assert visible.count() == len(expected)
    assert set(filter_complaints(member, ComplaintFilter()).values_list("pk", flat=True)) == expected_pks
    assert filter_complaints(member, ComplaintFilter()).count() == len(expected)
    for name, complaint in world.complaints.items():
        found = get_visible_complaint(member, complaint.public_code)
        assert (found is not None) == (name in expected), name


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_visible_to_aggregates_count_only_visible_complaints(
    persona: str, world: World, request: pytest.FixtureRequest
) -> None:
    member = acting(persona, request)
    expected = EXPECTED[persona]
    by_state: dict[str, int] = {}
    for name in expected:
        state = Complaint.objects.get(pk=world.complaints[name].pk).state
        by_state[state] = by_state.get(state, 0) + 1

    grouped = Complaint.objects.visible_to(member).values("state").annotate(n=Count("pk")).order_by("state")
    assert {row["state"]: row["n"] for row in grouped} == by_state
    totals = Complaint.objects.visible_to(member).aggregate(
        n=Count("pk", distinct=True), evidence=Count("evidence", distinct=True)
    )
    assert totals == {"n": len(expected), "evidence": 2 * len(expected)}
    killed = Complaint.objects.visible_to(member).aggregate(killed=Sum("casualty_claims__best"))["killed"]
    expected_killed = sum(c.best for name in expected for c in world.complaints[name].casualty_claims.all())
    assert (killed or 0) == expected_killed
    by_side = filter_complaints(member, ComplaintFilter()).values("incident__side").annotate(n=Count("pk"))
    assert sum(row["n"] for row in by_side) == len(expected)
    drafts = filter_complaints(member, ComplaintFilter(state=ComplaintState.DRAFT)).count()
    assert drafts == (1 if AF_DRAFT in expected else 0)


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_visible_to_shows_exactly_expected_incidents(
    persona: str, world: World, request: pytest.FixtureRequest
) -> None:
    member = acting(persona, request)
    expected = EXPECTED[persona]
    expected_incidents = {world.complaints[name].incident_id for name in expected}

    visible = Incident.objects.visible_to(member)
    assert set(visible.values_list("pk", flat=True)) == expected_incidents
    assert visible.count() == len(expected_incidents)
    grouped = visible.values("category").annotate(n=Count("pk"))
    assert sum(row["n"] for row in grouped) == len(expected_incidents)


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_visible_to_shows_exactly_expected_evidence(persona: str, world: World, request: pytest.FixtureRequest) -> None:
    member = acting(persona, request)
    expected = EXPECTED[persona]
    expected_evidence = set(
        Evidence.objects.filter(complaint__in=[world.complaints[n].pk for n in expected]).values_list("pk", flat=True)
    )

    visible = Evidence.objects.visible_to(member)
    assert set(visible.values_list("pk", flat=True)) == expected_evidence
    assert visible.count() == 2 * len(expected)
    assert sum(row["n"] for row in visible.values("stored_file__media_type").annotate(n=Count("pk"))) == 2 * len(
        expected
    )
    for name, complaint in world.complaints.items():
        listed = complaint_evidence(member, complaint)
        assert listed.count() == (2 if name in expected else 0), name
        for evidence in Evidence.objects.filter(complaint=complaint):
            assert (get_visible_evidence(member, evidence.public_code) is not None) == (name in expected), name


def test_visible_to_hides_everything_from_observer_party(world: World, mechanism: Any) -> None:
    from ceasefire.core.services import create_party, create_person

    observer = create_party(None, code="UN", name="United Nations", kind="observer")
    member = create_person(
        None, username="un-liaison", password="x", party=observer, role="liaison", check_password=False
    )

    assert not Complaint.objects.visible_to(member).exists()
    assert not Incident.objects.visible_to(member).exists()
    assert not Evidence.objects.visible_to(member).exists()


def test_visible_to_covers_every_complaint_of_world(world: World) -> None:
    # Guards the matrix itself: its four complaints are all there, in the states it assumes.
    states = {name: Complaint.objects.get(pk=c.pk).state for name, c in world.complaints.items()}
    assert set(states) == ALL
    assert states == {
        AF_SUBMITTED: ComplaintState.SUBMITTED,
        PK_SUBMITTED: ComplaintState.SUBMITTED,
        AF_DRAFT: ComplaintState.DRAFT,
        AF_NOTIFIED: ComplaintState.NOTIFIED,
    }
