"""The write path of agreements: the agreement, its commitments and penalty types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from ceasefire.core.errors import ValidationFailed
from ceasefire.core.models import Membership, Party
from ceasefire.ledger.services import record_change

from .enums import CommitmentCategory
from .models import Agreement, Commitment, PenaltyType


def _agreement_version(agreement: Agreement) -> dict[str, Any]:
    return {
        "code": agreement.code,
        "title": agreement.title,
        "signed_on": agreement.signed_on.isoformat(),
        "parties": sorted(p.code for p in agreement.parties.all()),
        "response_hours": agreement.response_hours,
        "investigation_days": agreement.investigation_days,
        "appeal_days": agreement.appeal_days,
        "determination_quorum": agreement.determination_quorum,
        "notify_automatically": agreement.notify_automatically,
        "text": agreement.text,
    }


def create_agreement(
    member: Membership | None,
    *,
    code: str,
    title: str,
    signed_on: dt.date,
    parties: Sequence[Party],
    text: str = "",
    place_signed: str = "",
    response_hours: int = 72,
    investigation_days: int = 14,
    notify_automatically: bool = False,
) -> Agreement:
    if Agreement.objects.filter(code=code).exists():
        raise ValidationFailed(gettext("Agreement %(code)s exists already.") % {"code": code}, field="code")
    if len(parties) < 2:
        raise ValidationFailed(gettext("An agreement binds at least two parties."), field="parties")
    with transaction.atomic():
        agreement = Agreement.objects.create(
            code=code,
            title=title,
            signed_on=signed_on,
            text=text,
            place_signed=place_signed,
            response_hours=response_hours,
            investigation_days=investigation_days,
            notify_automatically=notify_automatically,
        )
        agreement.parties.set(parties)
        record_change(
            member, kind="agreement.created", subject_code=code, record=_agreement_version(agreement), sealed=False
        )
    return agreement


def add_commitment(
    member: Membership | None,
    agreement: Agreement,
    *,
    code: str,
    text: str,
    category: str,
    bound_parties: Sequence[Party],
) -> Commitment:
    if category not in CommitmentCategory.values:
        raise ValidationFailed(
            gettext("Unknown commitment category '%(category)s'.") % {"category": category}, field="category"
        )
    if agreement.commitments.filter(code=code).exists():
        raise ValidationFailed(
            gettext("Commitment %(code)s exists already in %(agreement)s.")
            % {"code": code, "agreement": agreement.code},
            field="code",
        )
    with transaction.atomic():
        commitment = Commitment.objects.create(agreement=agreement, code=code, text=text, category=category)
        commitment.bound_parties.set(bound_parties)
        record_change(
            member,
            kind="commitment.added",
            subject_code=agreement.code,
            record={
                "agreement": agreement.code,
                "code": code,
                "text": text,
                "category": category,
                "bound_parties": sorted(p.code for p in bound_parties),
            },
            sealed=False,
        )
    return commitment


def add_penalty_type(
    member: Membership | None, agreement: Agreement, *, code: str, name: str, description: str = ""
) -> PenaltyType:
    if agreement.penalty_types.filter(code=code).exists():
        raise ValidationFailed(
            gettext("Penalty type %(code)s exists already in %(agreement)s.")
            % {"code": code, "agreement": agreement.code},
            field="code",
        )
    with transaction.atomic():
        penalty = PenaltyType.objects.create(agreement=agreement, code=code, name=name, description=description)
        record_change(
            member,
            kind="penalty_type.added",
            subject_code=agreement.code,
            record={"agreement": agreement.code, "code": code, "name": name, "description": description},
            sealed=False,
        )
    return penalty
