"""Who may read early warnings and subscribe to them: small named predicates, the only place roles and party
kinds are compared for analytics' own records."""

from __future__ import annotations

from ceasefire.core import rules as core_rules
from ceasefire.core.models import Membership


def can_see_alerts(member: Membership | None) -> bool:
    """Members of a party or of a mediator (Alert.objects.visible_to then says which alerts)."""
    return core_rules.is_party_member(member) or core_rules.is_mediator(member)


def can_subscribe(member: Membership | None) -> bool:
    """Whoever may see alerts may ask to be told of them."""
    return can_see_alerts(member)


def can_raise_alerts(member: Membership | None) -> bool:
    """The worker raises alerts (member None); the mediators' secretariat may run the detection by hand."""
    return member is None or core_rules.can_manage_mechanism(member)
