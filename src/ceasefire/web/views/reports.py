"""Reports pages: the archive of reports one may read (a party its own internal reports and the public ones, the
mediators all), the public list for anyone at /public/reports/, downloads (PDF, HTML), the fonts the HTML reports
load, generation on demand and publications for the secretariat. Every write goes through reports/services.py;
every read through Report.objects.visible_to (a report one may not read answers 404)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_POST

from ceasefire.core.errors import DomainError
from ceasefire.core.models import Membership
from ceasefire.incidents.models import Complaint
from ceasefire.reports import archive, rules
from ceasefire.reports.enums import Audience
from ceasefire.reports.fonts import FONT_NAMES, FONTS_DIR
from ceasefire.reports.forms import GenerateForm, PublishForm, ReportFilterForm, WithdrawForm
from ceasefire.reports.models import Publication, Report
from ceasefire.reports.queries import (
    get_report,
    publishable_complaints,
    report_parties,
    visible_publications,
    visible_reports,
)
from ceasefire.reports.services import generate_report, publish_complaint, withdraw_publication

from .common import acting_member, member_required, require_member

PAGE = 200
# An archived HTML report carries its own styles and its charts inline; it runs no script at all.
REPORT_CSP = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["data:"],
    "font-src": ["'self'", "data:"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
}


@member_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    form = ReportFilterForm(request.GET or None)
    reports = list(visible_reports(member).filter(**form.filters())[:PAGE])
    context = {
        "reports": reports,
        "filter_form": form,
        "generate_form": GenerateForm(parties=list(report_parties())) if rules.can_generate_report(member) else None,
    }
    return render(request, "web/reports/list.html", context)


@require_GET
def public_reports(request: HttpRequest) -> HttpResponse:
    """The public reports, for anyone (no sign-in): what the secretariat published and nothing else."""
    reports = list(visible_reports(None).filter(audience=Audience.PUBLIC)[:PAGE])
    return render(request, "web/reports/public_list.html", {"reports": reports})


@require_GET
def report_pdf(request: HttpRequest, public_code: str) -> HttpResponse:
    report = _readable(request, public_code)
    response = HttpResponse(_stored(report.pdf_sha256, "pdf"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_file_name(report)}.pdf"'
    return response


@require_GET
@csp_override(REPORT_CSP)
def report_html(request: HttpRequest, public_code: str) -> HttpResponse:
    report = _readable(request, public_code)
    response = HttpResponse(_stored(report.html_sha256, "html"), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{_file_name(report)}.html"'
    return response


def _readable(request: HttpRequest, public_code: str) -> Report:
    """The report if the caller may read it (anyone: a public one); otherwise 404, as for a report that does not
    exist."""
    member = acting_member(request) if request.user.is_authenticated else None
    try:
        return get_report(member, public_code)
    except DomainError as error:
        raise Http404(error.message) from error


def _stored(sha256: str, extension: str) -> bytes:
    try:
        return archive.load(sha256, extension)
    except archive.ArchiveDamaged as error:
        # Never serve a file that differs from what was generated and logged; the operator must look.
        raise Http404(_("This report's file is missing or damaged in the archive.")) from error


def _file_name(report: Report) -> str:
    who = report.party.code if report.party else "public"
    return f"{report.kind}-{report.period_start:%Y-%m-%d}-{who}-{report.language}-{report.public_code}"


@require_GET
@cache_control(public=True, max_age=7 * 24 * 3600)
def report_font(request: HttpRequest, name: str) -> FileResponse:
    if name not in FONT_NAMES:
        raise Http404
    return FileResponse((FONTS_DIR / name).open("rb"), content_type="font/ttf")


@member_required
@require_POST
def report_generate(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    if not rules.can_generate_report(member):
        return render(
            request, "web/forbidden.html", {"reason": _("Only the secretariat generates reports.")}, status=403
        )
    form = GenerateForm(request.POST, parties=list(report_parties()))
    if form.is_valid():
        try:
            report = generate_report(member, **form.service_kwargs())
        except DomainError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Report %(code)s generated.") % {"code": report.public_code})
            return redirect("web:report-list")
    context = {
        "reports": list(visible_reports(member)[:PAGE]),
        "filter_form": ReportFilterForm(),
        "generate_form": form,
    }
    return render(request, "web/reports/list.html", context, status=422)


@member_required
@require_GET
def publications(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    return render(request, "web/reports/publications.html", _publications_context(member))


def _publications_context(member: Membership, **forms: object) -> dict[str, object]:
    may_publish = rules.can_publish(member)
    candidates = list(publishable_complaints(member)[:PAGE]) if may_publish else []
    return {
        "publications": list(visible_publications(member)[:PAGE]),
        "candidates": candidates,
        "may_publish": may_publish,
        "publish_form": forms.get("publish_form") or PublishForm(),
        "publish_for": forms.get("publish_for", ""),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "withdraw_for": forms.get("withdraw_for", ""),
    }


@member_required
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    form = PublishForm(request.POST)
    code = request.POST.get("complaint", "")
    if form.is_valid():
        complaint = Complaint.objects.visible_to(member).filter(public_code=form.cleaned_data["complaint"]).first()
        if complaint is None:
            raise Http404
        try:
            publication = publish_complaint(member, complaint, summary=form.cleaned_data["summary"])
        except DomainError as exc:
            if exc.status == 403:
                return render(request, "web/forbidden.html", {"reason": exc.message}, status=403)
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("%(code)s is published as %(publication)s.")
                % {"code": complaint.public_code, "publication": publication.public_code},
            )
            return redirect(reverse("web:report-publications"))
    context = _publications_context(member, publish_form=form, publish_for=code)
    return render(request, "web/reports/publications.html", context, status=422)


@member_required
@require_POST
def withdraw(request: HttpRequest, public_code: str) -> HttpResponse:
    member = require_member(request)
    publication = Publication.objects.visible_to(member).filter(public_code=public_code).first()
    if publication is None:
        raise Http404
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            withdraw_publication(member, publication, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            if exc.status == 403:
                return render(request, "web/forbidden.html", {"reason": exc.message}, status=403)
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Publication %(code)s withdrawn.") % {"code": publication.public_code})
            return redirect(reverse("web:report-publications"))
    context = _publications_context(member, withdraw_form=form, withdraw_for=public_code)
    return render(request, "web/reports/publications.html", context, status=422)
