"""Who may do what with intelligence: small named predicates, the only place a role is compared here.

Seeing an item is IntelItem.objects.visible_to; these decide the acts on an item one can already see."""

from __future__ import annotations

from ceasefire.core.enums import TLP, PartyKind, Role
from ceasefire.core.models import Membership

from .enums import ItemState
from .models import IntelItem, RequestForAction

# Parties share through their liaison officers; mediators through the secretariat and their analysts.
SHARING_ROLES: dict[str, tuple[str, ...]] = {
    PartyKind.PARTY: (Role.LIAISON,),
    PartyKind.MEDIATOR: (Role.SECRETARIAT, Role.ANALYST),
}


def _active(member: Membership | None) -> bool:
    return member is not None and member.is_active


def can_share(member: Membership | None) -> bool:
    return _active(member) and member is not None and member.role in SHARING_ROLES.get(member.party.kind, ())


def is_originator(member: Membership, item: IntelItem) -> bool:
    return member.party_id == item.originator_id


def can_revise(member: Membership | None, item: IntelItem) -> bool:
    """A draft is revised (and shared) by its originator's sharing members; a shared item is final."""
    return member is not None and can_share(member) and is_originator(member, item) and item.state == ItemState.DRAFT


def is_recipient(member: Membership, item: IntelItem) -> bool:
    """One of those the item was shared with (not its originator): the ones whose opening is a receipt. For RED,
    a named person is a recipient even in the originator's party (a secretariat member telling its adjudicator)."""
    if item.state != ItemState.SHARED:
        return False
    if item.tlp == TLP.RED:
        named = item.people.filter(user_id=member.user_id).exists()
        return named and member.user_id != item.author.user_id
    return not is_originator(member, item)


def can_forward(member: Membership | None, item: IntelItem) -> bool:
    return (
        member is not None
        and can_share(member)
        and is_recipient(member, item)
        and item.tlp == TLP.AMBER
        and item.forwarding_allowed
    )


def can_record_action(member: Membership | None, request: RequestForAction) -> bool:
    return member is not None and can_share(member) and member.party_id == request.addressee_id


def can_rate(member: Membership | None, request: RequestForAction) -> bool:
    return member is not None and can_share(member) and member.party_id == request.item.originator_id
