"""API v1 of agreements: the agreements the caller's party is bound by, with commitments and penalty types.

No `from __future__ import annotations` in router modules: ninja reads the handlers' annotations at import.
"""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from ceasefire.api.auth import acting
from ceasefire.api.schemas.reference import AgreementDetailOut, AgreementOut, agreement_out
from ceasefire.core.errors import NotVisible
from ceasefire.core.models import Membership

from .models import Agreement

router = Router(tags=["agreements"])


def _agreements_of(member: Membership | None) -> QuerySet[Agreement]:
    if member is None or not member.is_active:
        return Agreement.objects.none()
    return Agreement.objects.filter(parties=member.party).prefetch_related("parties")


@router.get("/agreements", response=list[AgreementOut], summary="Agreements")
def list_agreements(request: HttpRequest) -> list[dict[str, object]]:
    """Agreements the caller's party is a party to (mediators are parties to the agreements they mediate)."""
    return [agreement_out(a) for a in _agreements_of(acting(request))]


@router.get("/agreements/{code}", response=AgreementDetailOut, summary="One agreement")
def get_agreement(request: HttpRequest, code: str) -> dict[str, object]:
    """An agreement with its commitments (and whom each binds) and its penalty types."""
    agreement = (
        _agreements_of(acting(request))
        .prefetch_related("commitments__bound_parties", "penalty_types")
        .filter(code=code)
        .first()
    )
    if agreement is None:
        raise NotVisible(_("No such agreement."))
    return agreement_out(agreement, detail=True)
