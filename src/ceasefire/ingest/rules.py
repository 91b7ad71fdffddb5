"""Who may do what with external event data and correlations."""

from __future__ import annotations

from ceasefire.core.enums import Role
from ceasefire.core.models import Membership
from ceasefire.core.rules import has_role, is_mediator


def can_import_events(member: Membership | None) -> bool:
    """Event data is shared reference data: the mediators' secretariat, investigators and analysts bring it in,
    never one party alone (it would shape what every party reads)."""
    return is_mediator(member) and has_role(member, Role.SECRETARIAT, Role.INVESTIGATOR, Role.ANALYST)


def can_see_candidate_links(member: Membership | None) -> bool:
    """Candidate and rejected links are the mediators' working material."""
    return is_mediator(member)


def can_decide_links(member: Membership | None) -> bool:
    """Investigators confirm or reject a corroboration."""
    return is_mediator(member) and has_role(member, Role.INVESTIGATOR)


def can_group_complaints(member: Membership | None) -> bool:
    """A mediator's investigator or secretariat confirms that two complaints describe one incident."""
    return is_mediator(member) and has_role(member, Role.INVESTIGATOR, Role.SECRETARIAT)
