"""A complaint's page: the incident, the allegation, casualty claims per party, evidence and custody."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ceasefire.core import rules
from ceasefire.core.errors import DomainError, NotPermitted
from ceasefire.core.models import Membership
from ceasefire.incidents.forms import EvidenceForm
from ceasefire.incidents.models import Complaint, CustodyEvent
from ceasefire.incidents.queries import complaint_evidence, get_visible_complaint
from ceasefire.incidents.services import add_evidence

from .common import member_required, render_page, require_member


def _visible_or_404(member: Membership | None, public_code: str) -> Complaint:
    complaint = get_visible_complaint(member, public_code)
    if complaint is None:
        raise Http404
    return complaint


def _sees_custody(member: Membership, complaint: Complaint) -> bool:
    """The chain of custody is the complainant's and the mediators' business, not the respondent's."""
    return member.party_id == complaint.complainant_id or rules.is_mediator(member)


def _may_add_evidence(member: Membership, complaint: Complaint) -> bool:
    return rules.can_add_evidence(member) and (member.is_mediator or member.party_id == complaint.complainant_id)


def _context(member: Membership, complaint: Complaint, evidence_form: EvidenceForm | None) -> dict[str, Any]:
    evidence = list(complaint_evidence(member, complaint).select_related("added_by__user"))
    claims = sorted(complaint.casualty_claims.all(), key=lambda c: (c.claimant.code, c.kind, c.status))
    claims_by_party = [(party, list(rows)) for party, rows in groupby(claims, key=lambda c: c.claimant)]
    custody: list[CustodyEvent] = []
    if _sees_custody(member, complaint):
        custody = list(
            CustodyEvent.objects.filter(evidence__in=[e.pk for e in evidence]).select_related(
                "evidence", "membership__user", "membership__party"
            )
        )
    may_add = _may_add_evidence(member, complaint)
    return {
        "complaint": complaint,
        "incident": complaint.incident,
        "claims_by_party": claims_by_party,
        "evidence": evidence,
        "custody": custody,
        "evidence_form": (evidence_form or EvidenceForm()) if may_add else None,
    }


@member_required
def complaint_detail(request: HttpRequest, public_code: str) -> HttpResponse:
    member = require_member(request)
    complaint = _visible_or_404(member, public_code)
    return render_page(request, "web/complaints/detail.html", "evidence", _context(member, complaint, None))


@member_required
@require_POST
def add_evidence_view(request: HttpRequest, public_code: str) -> HttpResponse:
    member = require_member(request)
    complaint = _visible_or_404(member, public_code)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = add_evidence(member, complaint, form.uploads())
        except NotPermitted as exc:  # a visible complaint this member may not act on: 403, as the filing page does
            return render(request, "web/forbidden.html", {"reason": exc.message}, status=403)
        except DomainError as exc:
            form.add_error("files", exc.message if not exc.errors else "; ".join(exc.errors.values()))
        else:
            messages.success(
                request,
                ngettext("%(n)d file added.", "%(n)d files added.", len(added)) % {"n": len(added)},
            )
            return redirect("web:complaint-detail", public_code=complaint.public_code)
    context = _context(member, complaint, form)
    return render_page(request, "web/complaints/detail.html", "evidence", context, status=422)
