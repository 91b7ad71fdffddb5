"""Read helpers over Complaint.objects.visible_to: the one filter used by the list page, the API and exports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from ceasefire.core.models import Membership

from .models import Complaint, Evidence

LIST_RELATED = ("incident", "complainant", "respondent", "incident__nearest_crossing")


@dataclass(frozen=True)
class ComplaintFilter:
    category: str = ""
    state: str = ""
    complainant: str = ""  # party code
    respondent: str = ""  # party code
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    province: str = ""
    side: str = ""
    q: str = ""


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_current_timezone())


def filter_complaints(member: Membership | None, f: ComplaintFilter) -> QuerySet[Complaint]:
    """Visible complaints matching every given filter, with what a list row shows joined in (no N+1)."""
    qs = Complaint.objects.visible_to(member)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.complainant:
        qs = qs.filter(complainant__code=f.complainant.upper())
    if f.respondent:
        qs = qs.filter(respondent__code=f.respondent.upper())
    # Bounds as datetimes in the active time zone, not `occurred_at__date`: a date cast per row defeats the index.
    if f.date_from:
        qs = qs.filter(occurred_at__gte=_start_of(f.date_from))
    if f.date_to:
        qs = qs.filter(occurred_at__lt=_start_of(f.date_to + dt.timedelta(days=1)))
    if f.province:
        qs = qs.filter(incident__province__iexact=f.province)
    if f.side:
        qs = qs.filter(incident__side=f.side)
    if f.q.strip():
        for word in f.q.lower().split()[:8]:
            qs = qs.filter(Q(search_text__contains=word) | Q(public_code__iexact=word))
    return qs.select_related(*LIST_RELATED)


def get_visible_complaint(member: Membership | None, public_code: str) -> Complaint | None:
    """One complaint by its public code, or None when it does not exist or the member may not see it."""
    return (
        Complaint.objects.visible_to(member)
        .select_related(*LIST_RELATED, "agreement", "filed_by__user", "incident__place")
        .prefetch_related("commitments", "actors", "casualty_claims__claimant")
        .filter(public_code=public_code)
        .first()
    )


def complaint_evidence(member: Membership | None, complaint: Complaint) -> QuerySet[Evidence]:
    visible = Evidence.objects.visible_to(member).filter(complaint=complaint)
    return visible.select_related("stored_file", "added_by__party")


def get_visible_evidence(member: Membership | None, public_code: str) -> Evidence | None:
    return (
        Evidence.objects.visible_to(member)
        .select_related("stored_file", "complaint", "added_by__party")
        .filter(public_code=public_code)
        .first()
    )
