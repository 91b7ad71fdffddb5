"""Who may move a complaint, and do what in its investigation: small named predicates over a membership and the
complaint. Services enforce them; pages and the API use them to offer only the actions a member may take."""

from __future__ import annotations

from ceasefire.core.enums import Role
from ceasefire.core.models import Membership
from ceasefire.core.rules import has_role, is_mediator, is_party_member
from ceasefire.incidents.models import Complaint


def is_secretariat(member: Membership | None) -> bool:
    return is_mediator(member) and has_role(member, Role.SECRETARIAT)


def is_investigator(member: Membership | None) -> bool:
    return is_mediator(member) and has_role(member, Role.INVESTIGATOR)


def is_adjudicator(member: Membership | None) -> bool:
    return is_mediator(member) and has_role(member, Role.ADJUDICATOR)


def is_liaison_of(member: Membership | None, party_id: int) -> bool:
    return (
        is_party_member(member)
        and has_role(member, Role.LIAISON)
        and member is not None
        and (member.party_id == party_id)
    )


def is_complainant_liaison(member: Membership | None, complaint: Complaint) -> bool:
    return is_liaison_of(member, complaint.complainant_id)


def is_respondent_liaison(member: Membership | None, complaint: Complaint) -> bool:
    return is_liaison_of(member, complaint.respondent_id)


def is_named_party_liaison(member: Membership | None, complaint: Complaint) -> bool:
    """The parties named in a determination are the complaint's two sides."""
    return is_complainant_liaison(member, complaint) or is_respondent_liaison(member, complaint)


def is_assigned_investigator(member: Membership | None, complaint: Complaint) -> bool:
    return (
        is_investigator(member)
        and member is not None
        and complaint.assignments.filter(investigator=member, round=complaint.round).exists()
    )


def can_investigate(member: Membership | None, complaint: Complaint) -> bool:
    """The investigators assigned to this round, and the secretariat that assigned them."""
    return is_secretariat(member) or is_assigned_investigator(member, complaint)


def can_draft_determination(member: Membership | None) -> bool:
    return is_adjudicator(member) or is_secretariat(member)
