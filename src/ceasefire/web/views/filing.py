"""Filing a complaint (liaison officers of a party only) and the gazetteer search that helps place it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ceasefire.agreements.models import Agreement
from ceasefire.core import rules
from ceasefire.core.errors import NotPermitted, ValidationFailed
from ceasefire.geo.queries import search_places
from ceasefire.incidents.forms import ComplaintForm
from ceasefire.incidents.services import file_complaint

from .common import member_required, require_member

TEMPLATE = "web/complaints/new.html"


@member_required
def file_complaint_view(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    if not rules.can_file_complaint(member):
        return render(request, "web/forbidden.html", status=403)
    agreement = Agreement.objects.filter(is_active=True, parties=member.party).first()
    if request.method != "POST":
        form = ComplaintForm(member=member, agreement=agreement)
        return render(request, TEMPLATE, {"form": form})
    form = ComplaintForm(request.POST, request.FILES, member=member, agreement=agreement)
    if form.is_valid():
        try:
            complaint = file_complaint(member, form.to_draft())
        except ValidationFailed as exc:
            form.add_service_errors(exc)
        except NotPermitted:
            return render(request, "web/forbidden.html", status=403)
        else:
            return redirect("web:complaint-detail", public_code=complaint.public_code)
    # A browser cannot refill a file input, so a refused form must say the chosen files are to be attached again.
    chosen = [f for f in request.FILES.getlist("evidence") if f.name]
    return render(request, TEMPLATE, {"form": form, "files_to_attach_again": len(chosen)}, status=422)


@member_required
def place_search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("place_search", "") or request.GET.get("q", "")
    places = list(search_places(text, limit=12)) if len(text.strip()) >= 2 else []
    return render(request, "web/complaints/place_results.html", {"places": places, "text": text})
