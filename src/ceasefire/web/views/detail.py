"""A complaint's page: the incident, the allegation, casualty claims per party, evidence and custody, and the
workflow around it: history, reply, deadlines, determinations, appeals, the investigation (mediators only) and
the actions the member may take now."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ceasefire.core import rules
from ceasefire.core.errors import DomainError, NotPermitted, NotVisible
from ceasefire.core.models import Membership
from ceasefire.incidents.enums import ComplaintState
from ceasefire.incidents.forms import EvidenceForm
from ceasefire.incidents.models import Complaint, CustodyEvent, Evidence
from ceasefire.incidents.queries import complaint_evidence, get_visible_complaint
from ceasefire.incidents.services import add_evidence
from ceasefire.verification import queries as workflow
from ceasefire.verification.forms import ACTION_FORMS, WorkflowForm

from .common import member_required, render_page, require_member

TEMPLATE = "web/complaints/detail.html"
AWAITING_REPLY = (ComplaintState.NOTIFIED, ComplaintState.UNDER_INVESTIGATION)


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


@dataclass
class ActionPanel:
    """One form of the Actions panel: the action's name (as queries.actions_for says it), title, form, URL."""

    name: str
    title: Any
    form: WorkflowForm
    url: str
    multipart: bool


def action_url(complaint: Complaint, action: str) -> str:
    return reverse(f"web:complaint-{action.replace('_', '-')}", args=[complaint.public_code])


def action_panels(member: Membership, complaint: Complaint, bound: WorkflowForm | None = None) -> list[ActionPanel]:
    """A form per action the member may take now; a refused form comes back bound, with its errors."""
    offered = workflow.actions_for(member, complaint)
    if "add_task" in offered and complaint.investigation_tasks.filter(done_at__isnull=True).exists():
        offered.insert(offered.index("add_task") + 1, "complete_task")
    bound_name = getattr(bound, "action", None)
    if bound_name and bound_name not in offered:
        offered.append(bound_name)
    panels = []
    for name, (form_class, title) in ACTION_FORMS.items():
        if name not in offered:
            continue
        form = bound if name == bound_name and bound is not None else form_class(member=member, complaint=complaint)
        multipart = any(getattr(f.widget, "needs_multipart_form", False) for f in form.fields.values())
        panels.append(ActionPanel(name, title, form, action_url(complaint, name), multipart))
    return panels


@dataclass
class GradedEvidence:
    evidence: Evidence
    grade: Any


def _investigation(member: Membership, complaint: Complaint, evidence: list[Evidence]) -> dict[str, Any] | None:
    """The investigation, for mediators only; None for anyone else (the query itself refuses them too)."""
    try:
        found = workflow.investigation_of(member, complaint)
    except NotVisible:
        return None
    return {
        "investigation": found,
        "graded_evidence": [GradedEvidence(e, found.grades.get(e.pk)) for e in evidence],
    }


def _other_apps(member: Membership, complaint: Complaint) -> dict[str, Any]:
    """Facts other apps show at the foot of the page, when those apps and their partials are installed."""
    found: dict[str, Any] = {}
    try:
        from ceasefire.border.queries import facts_for_complaint

        get_template("web/border/complaint_facts.html")
    except (ImportError, TemplateDoesNotExist):
        pass
    else:
        found["border_facts"] = facts_for_complaint(complaint, member)
        found["border_facts_template"] = "web/border/complaint_facts.html"
    try:
        from ceasefire.ingest.queries import corroboration_for_complaint

        get_template("web/ingest/complaint_corroboration.html")
    except (ImportError, TemplateDoesNotExist):
        pass
    else:
        found["ingest_corroboration"] = corroboration_for_complaint(complaint, member)
        found["ingest_corroboration_template"] = "web/ingest/complaint_corroboration.html"
    return found


def page_context(
    member: Membership,
    complaint: Complaint,
    *,
    evidence_form: EvidenceForm | None = None,
    bound: WorkflowForm | None = None,
    conflict: str = "",
) -> dict[str, Any]:
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
    reply = workflow.reply_of(complaint)
    return {
        "complaint": complaint,
        "incident": complaint.incident,
        "claims_by_party": claims_by_party,
        "evidence": evidence,
        "custody": custody,
        "evidence_form": (evidence_form or EvidenceForm()) if may_add else None,
        "now": timezone.now(),
        "timeline": [
            (e, ComplaintState(e.from_state).label if e.from_state else "", ComplaintState(e.to_state).label)
            for e in workflow.timeline(complaint, member)
        ],
        "reply": reply,
        "awaiting_reply": reply is None and complaint.state in AWAITING_REPLY and complaint.reply_due_at is not None,
        "is_mediator": rules.is_mediator(member),
        # The investigation's clock runs only while it is open (findings stop it; the due time is kept).
        "investigation_running": complaint.state == ComplaintState.UNDER_INVESTIGATION
        and complaint.investigation_due_at is not None,
        "determinations": workflow.determinations_of(member, complaint),
        "appeals": workflow.appeals_of(complaint),
        "actions": action_panels(member, complaint, bound),
        "conflict": conflict,
        **(_investigation(member, complaint, evidence) or {}),
        **_other_apps(member, complaint),
    }


@member_required
def complaint_detail(request: HttpRequest, public_code: str) -> HttpResponse:
    member = require_member(request)
    complaint = _visible_or_404(member, public_code)
    return render_page(request, TEMPLATE, "evidence", page_context(member, complaint))


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
    context = page_context(member, complaint, evidence_form=form)
    return render_page(request, TEMPLATE, "evidence", context, status=422)
