"""Who may read and write border data. Crossing status, flows and trade figures are mechanism-internal: every
active member of a party or a mediator reads them; observers and people without a membership read nothing."""

from __future__ import annotations

from ceasefire.core.enums import Role
from ceasefire.core.models import Membership
from ceasefire.core.rules import can_manage_mechanism, has_role, is_mediator, is_party_member


def can_read_border(member: Membership | None) -> bool:
    return is_party_member(member) or is_mediator(member)


def can_declare_status(member: Membership | None) -> bool:
    """A party declares through its liaison officer; a mediator's investigator or secretariat records what the
    mediators observed."""
    if is_party_member(member):
        return has_role(member, Role.LIAISON)
    return is_mediator(member) and has_role(member, Role.INVESTIGATOR, Role.SECRETARIAT)


def can_report_figures(member: Membership | None) -> bool:
    """People flows, trade days and transit obstacles: the same people who declare status."""
    return can_declare_status(member)


def can_claim_losses(member: Membership | None) -> bool:
    """Estimated losses are a party's own claim; mediators do not claim losses."""
    return is_party_member(member) and has_role(member, Role.LIAISON)


def can_resolve_conflict(member: Membership | None) -> bool:
    """Conflicting declarations are the mediators' to resolve, never a party's."""
    return is_mediator(member) and has_role(member, Role.INVESTIGATOR, Role.ADJUDICATOR, Role.SECRETARIAT)


def can_confirm_obstacle(member: Membership | None) -> bool:
    return is_mediator(member) and has_role(member, Role.INVESTIGATOR, Role.SECRETARIAT)


def can_edit_registry(member: Membership | None) -> bool:
    return can_manage_mechanism(member)


def can_link_to_complaint(member: Membership | None, complainant_id: int) -> bool:
    """The complainant's liaison officer, or a mediator's investigator, links border facts to a complaint."""
    if is_party_member(member):
        assert member is not None
        return has_role(member, Role.LIAISON) and member.party_id == complainant_id
    return is_mediator(member) and has_role(member, Role.INVESTIGATOR)
