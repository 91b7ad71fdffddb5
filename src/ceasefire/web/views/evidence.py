"""Evidence download: the stored original, byte for byte, with the download noted in its chain of custody."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase

from ceasefire.incidents import evidence_store
from ceasefire.incidents.enums import CustodyAction
from ceasefire.incidents.queries import get_visible_evidence
from ceasefire.incidents.services import record_evidence_access

from .common import member_required, require_member


@member_required
def download(request: HttpRequest, evidence_code: str) -> HttpResponseBase:
    member = require_member(request)
    evidence = get_visible_evidence(member, evidence_code)
    if evidence is None:
        raise Http404
    record_evidence_access(member, evidence, CustodyAction.DOWNLOADED)
    blob = evidence_store.open_blob(evidence.stored_file.sha256)
    response = FileResponse(
        blob, as_attachment=True, filename=evidence.filename, content_type=evidence.stored_file.media_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
