"""The complaint workflow's actions from the complaint page: one POST route per action, each calling its service.

A member whose role does not allow the action gets 403; one who may not see the complaint 404; a refused input
comes back on the page, next to its field, with 422; a move the complaint's state no longer allows re-renders the
page with 409 and the message naming the state it is in now.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ceasefire.core.errors import Conflict, NotPermitted, NotVisible, ValidationFailed
from ceasefire.core.models import Membership
from ceasefire.incidents.models import Complaint, Incident
from ceasefire.verification import services
from ceasefire.verification.forms import ACTION_FORMS, may_take
from ceasefire.verification.models import Determination
from ceasefire.verification.queries import current_determination

from .common import member_required, require_member
from .detail import TEMPLATE, _visible_or_404, page_context

Run = Callable[[Membership, Complaint, Any], object]


def _determination(complaint: Complaint, action: str) -> Determination:
    found = current_determination(complaint)
    if found is None:
        raise Conflict(
            gettext("There is no determination to %(action)s in this round.") % {"action": action},
            extensions={"state": complaint.state},
        )
    return found


def _incident(member: Membership, code: str) -> Incident:
    found = Incident.objects.visible_to(member).filter(public_code=code.strip().upper()).first()
    if found is None:
        raise ValidationFailed(gettext("No incident with the code %(code)s.") % {"code": code}, field="incident")
    return found


def _reply(member: Membership, complaint: Complaint, form: Any) -> None:
    services.reply_to_complaint(
        member,
        complaint,
        kind=form.cleaned_data["kind"],
        account=form.cleaned_data["account"],
        casualties=form.figures(),
        evidence=form.uploads(),
    )


# What each action does with its valid form, and what the page says afterwards.
RUNS: dict[str, tuple[Run, Any]] = {
    "submit": (lambda m, c, f: services.submit_complaint(m, c), _("The complaint was submitted.")),
    "notify": (
        lambda m, c, f: services.notify_respondent(m, c, note=f.cleaned_data["note"]),
        _("The respondent was notified; the reply time limit runs."),
    ),
    "reject": (
        lambda m, c, f: services.reject_complaint(m, c, reason=f.cleaned_data["reason"]),
        _("The complaint was rejected as inadmissible."),
    ),
    "withdraw": (
        lambda m, c, f: services.withdraw_complaint(m, c, reason=f.cleaned_data["reason"]),
        _("The complaint was withdrawn."),
    ),
    "reply": (_reply, _("Your reply was recorded.")),
    "assign": (
        lambda m, c, f: services.assign_investigators(
            m, c, list(f.cleaned_data["investigators"]), note=f.cleaned_data["note"]
        ),
        _("Investigators assigned."),
    ),
    "add_task": (
        lambda m, c, f: services.add_investigation_task(
            m,
            c,
            kind=f.cleaned_data["kind"],
            description=f.cleaned_data["description"],
            due_at=f.cleaned_data["due_at"],
            assigned_to=f.cleaned_data["assigned_to"],
        ),
        _("Task added."),
    ),
    "complete_task": (
        lambda m, c, f: services.complete_investigation_task(
            m, f.cleaned_data["task"], result=f.cleaned_data["result"]
        ),
        _("Task completed."),
    ),
    "note": (lambda m, c, f: services.add_investigation_note(m, c, text=f.cleaned_data["text"]), _("Note added.")),
    "grade": (
        lambda m, c, f: services.grade_evidence(
            m,
            f.cleaned_data["evidence"],
            reliability=f.cleaned_data["reliability"],
            credibility=f.cleaned_data["credibility"],
            note=f.cleaned_data["note"],
        ),
        _("Grade recorded."),
    ),
    "corroborate": (
        lambda m, c, f: services.link_corroboration(
            m, c, _incident(m, f.cleaned_data["incident"]), note=f.cleaned_data["note"]
        ),
        _("Incident linked."),
    ),
    "findings": (
        lambda m, c, f: services.record_findings(m, c, summary=f.cleaned_data["summary"]),
        _("Findings recorded; the complaint awaits its determination."),
    ),
    "draft_determination": (
        lambda m, c, f: services.draft_determination(
            m,
            c,
            outcome=f.cleaned_data["outcome"],
            reasons=f.cleaned_data["reasons"],
            responsible_party=f.cleaned_data["responsible_party"],
            commitments=list(f.cleaned_data["commitments"]),
            measures=list(f.cleaned_data["measures"]),
        ),
        _("Draft determination saved; it awaits the adjudicators' signatures."),
    ),
    "sign": (
        lambda m, c, f: services.sign_determination(m, _determination(c, gettext("sign"))),
        _("Signed."),
    ),
    "dissent": (
        lambda m, c, f: services.add_dissent(
            m, _determination(c, gettext("dissent from")), text=f.cleaned_data["text"]
        ),
        _("Dissenting statement added."),
    ),
    "appeal": (
        lambda m, c, f: services.appeal_determination(m, c, grounds=f.cleaned_data["grounds"]),
        _("Appeal lodged."),
    ),
    "close": (lambda m, c, f: services.close_complaint(m, c, note=f.cleaned_data["note"]), _("Complaint closed.")),
}


@member_required
@require_POST
def act(request: HttpRequest, public_code: str, action: str) -> HttpResponse:
    member = require_member(request)
    complaint = _visible_or_404(member, public_code)
    if not may_take(action, member, complaint):
        return render(
            request, "web/forbidden.html", {"reason": _("You may not do this on this complaint.")}, status=403
        )
    form_class, _title = ACTION_FORMS[action]
    form = form_class(request.POST, request.FILES, member=member, complaint=complaint)
    form.action = action
    run, done = RUNS[action]
    if form.is_valid():
        try:
            run(member, complaint, form)
        except ValidationFailed as exc:
            form.add_service_errors(exc)
        except NotPermitted as exc:
            return render(request, "web/forbidden.html", {"reason": exc.message}, status=403)
        except NotVisible as exc:
            raise Http404 from exc
        except Conflict as exc:
            fresh = _visible_or_404(member, public_code)
            return render(request, TEMPLATE, page_context(member, fresh, conflict=exc.message), status=409)
        else:
            messages.success(request, str(done))
            return redirect("web:complaint-detail", public_code=complaint.public_code)
    return render(request, TEMPLATE, page_context(member, complaint, bound=form), status=422)


def _route(action: str) -> Any:
    slug = action.replace("_", "-")
    return path(f"{slug}/", act, {"action": action}, name=f"complaint-{slug}")


# Mounted under complaints/<public_code>/ by web/urls.py.
urlpatterns = [_route(action) for action in ACTION_FORMS]
