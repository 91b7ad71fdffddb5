"""Writing intelligence: the share form (share now, or keep as a draft), a draft's edit page, and the STIX import
that makes a draft from another platform's bundle. Only those who share for their party (rules.can_share) get the
forms; everyone else gets the 403 notice the filing form gives.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from ceasefire.core.errors import Conflict, NotPermitted, ValidationFailed
from ceasefire.core.models import Membership
from ceasefire.intel import rules, services, stix
from ceasefire.intel.forms import ImportForm, IntelItemForm, initial_of
from ceasefire.intel.models import IntelItem

from .common import member_required, require_member
from .intel_detail import visible_or_404

TEMPLATE = "web/intel/form.html"


def _forbidden(request: HttpRequest, reason: str = "") -> HttpResponse:
    reason = reason or gettext("Only liaison officers, the secretariat and analysts share intelligence.")
    return render(request, "web/forbidden.html", {"reason": reason}, status=403)


def _save(request: HttpRequest, member: Membership, item: IntelItem | None) -> HttpResponse:
    """Validate and save the posted form; a refused one comes back with each message by its field, nothing saved."""
    form = IntelItemForm(request.POST, request.FILES, member=member)
    share = "share" in request.POST
    if form.is_valid():
        try:
            saved = services.save_item(
                member, form.to_draft(keep_source=item.source if item else ""), share=share, item=item
            )
        except ValidationFailed as exc:
            form.add_service_errors(exc)
        except NotPermitted as exc:
            return _forbidden(request, exc.message)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            if share:
                return redirect("web:intel-detail", public_code=saved.public_code)
            return redirect("web:intel-edit", public_code=saved.public_code)
    # A browser cannot refill a file input: say the chosen files must be attached again.
    chosen = [f for f in request.FILES.getlist("files") if f.name]
    context = {"form": form, "item": item, "files_to_attach_again": len(chosen)}
    return render(request, TEMPLATE, context, status=422)


@member_required
def intel_new(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    if not rules.can_share(member):
        return _forbidden(request)
    if request.method == "POST":
        return _save(request, member, None)
    return render(request, TEMPLATE, {"form": IntelItemForm(member=member), "item": None})


@member_required
def intel_edit(request: HttpRequest, public_code: str) -> HttpResponse:
    """A draft of the member's party, revised or shared; a shared item is final (a correction is a new item)."""
    member = require_member(request)
    item = visible_or_404(member, public_code)
    if not rules.can_revise(member, item):
        if rules.can_share(member) and rules.is_originator(member, item):
            message = gettext("A shared item is final; share a new item to correct it.")
            return render(request, "web/intel/final.html", {"item": item, "message": message}, status=409)
        return _forbidden(request, gettext("Only your party's sharing members revise its drafts."))
    if request.method == "POST":
        return _save(request, member, item)
    form = IntelItemForm(member=member, initial=initial_of(item))
    return render(request, TEMPLATE, {"form": form, "item": item})


@member_required
def intel_import(request: HttpRequest) -> HttpResponse:
    """A STIX 2.1 bundle becomes a draft of the member's party, to check and share from its edit page."""
    member = require_member(request)
    if not rules.can_share(member):
        return _forbidden(request)
    if request.method != "POST":
        return render(request, "web/intel/import.html", {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["bundle"]
        # Read one byte past the limit, so an oversized bundle is refused by the importer without reading it all.
        raw = upload.read(stix.MAX_BUNDLE_BYTES + 1)
        try:
            draft = stix.import_bundle(member, raw, filename=upload.name)
        except ValidationFailed as exc:
            form.add_service_errors(exc)
        except NotPermitted as exc:
            return _forbidden(request, exc.message)
        else:
            return redirect("web:intel-edit", public_code=draft.public_code)
    return render(request, "web/intel/import.html", {"form": form}, status=422)
