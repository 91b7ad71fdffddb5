"""Permission predicates on memberships: small, named, and the only place a role is compared."""

from __future__ import annotations

from .enums import PartyKind, Role
from .models import Membership


def is_mediator(member: Membership | None) -> bool:
    return member is not None and member.is_active and member.party.kind == PartyKind.MEDIATOR


def is_party_member(member: Membership | None) -> bool:
    return member is not None and member.is_active and member.party.kind == PartyKind.PARTY


def has_role(member: Membership | None, *roles: Role) -> bool:
    return member is not None and member.is_active and member.role in roles


def can_file_complaint(member: Membership | None) -> bool:
    """Complaints come from the parties, through their liaison officers."""
    return is_party_member(member) and has_role(member, Role.LIAISON)


def can_add_evidence(member: Membership | None) -> bool:
    return has_role(member, Role.LIAISON, Role.INVESTIGATOR) and (is_party_member(member) or is_mediator(member))


def can_manage_mechanism(member: Membership | None) -> bool:
    return is_mediator(member) and has_role(member, Role.SECRETARIAT)
