"""API v1 of incidents: actors, complaints (list, read, file) and their evidence (add, list, download).

Thin over services.py (every write) and queries.py (every read, through visible_to). A complaint the caller
may not see answers 404 and is absent from lists and counts.
No `from __future__ import annotations` in router modules: ninja reads the handlers' annotations at import.
"""

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from pydantic import AwareDatetime

from ceasefire.api.auth import acting
from ceasefire.api.schemas.complaints import (
    ComplaintIn,
    ComplaintOut,
    ComplaintPage,
    ComplaintQuery,
    EvidenceOut,
    complaint_out,
    complaint_summary_out,
    evidence_out,
)
from ceasefire.api.schemas.reference import ActorOut, actor_out
from ceasefire.core.errors import NotPermitted, NotVisible, ValidationFailed
from ceasefire.core.models import Membership
from ceasefire.geo.enums import Side

from . import evidence_store
from .drafts import EvidenceUpload
from .enums import Category, ComplaintState, CustodyAction
from .listing import ComplaintResults
from .models import Actor, Complaint
from .queries import (
    ComplaintFilter,
    complaint_evidence,
    get_visible_complaint,
    get_visible_evidence,
)
from .services import add_evidence, file_complaint, record_evidence_access

router = Router(tags=["complaints"])

# Keys the services use that the API spells differently.
_FILING_FIELDS = {"place": "place_id"}


@router.get("/actors", response=list[ActorOut], tags=["actors"], summary="Armed actors")
def list_actors(request: HttpRequest) -> list[dict[str, object]]:
    """The registry of forces and armed groups that complaints name (by code)."""
    if acting(request) is None:
        return []
    return [actor_out(a) for a in Actor.objects.select_related("party")]


def _complaint_filter(params: ComplaintQuery) -> ComplaintFilter:
    errors: dict[str, str] = {}
    for name, allowed in (
        ("category", Category.values),
        ("state", ComplaintState.values),
        ("side", Side.values),
    ):
        value = getattr(params, name)
        if value and value not in allowed:
            errors[name] = _("Unknown %(field)s '%(value)s'; one of: %(allowed)s.") % {
                "field": name,
                "value": value,
                "allowed": ", ".join(allowed),
            }
    if params.date_from and params.date_to and params.date_to < params.date_from:
        errors["date_to"] = _("The end date is before the start date.")
    if errors:
        raise ValidationFailed(_("The filters have errors."), errors=errors)
    return ComplaintFilter(
        category=params.category,
        state=params.state,
        complainant=params.complainant,
        respondent=params.respondent,
        date_from=params.date_from,
        date_to=params.date_to,
        province=params.province,
        side=params.side,
        q=params.q,
    )


@router.get("/complaints", response=ComplaintPage, summary="List complaints")
def list_complaints(request: HttpRequest, params: Query[ComplaintQuery]) -> dict[str, object]:
    """Visible complaints matching every filter given, newest incident first; `count` counts all pages."""
    results = ComplaintResults(acting(request), _complaint_filter(params))
    page = results[params.offset : params.offset + params.limit]
    return {
        "count": results.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": [complaint_summary_out(c) for c in page],
    }


def _visible_complaint(member: Membership | None, public_code: str) -> Complaint:
    complaint = get_visible_complaint(member, public_code)
    if complaint is None:
        raise NotVisible(_("No such complaint."))
    return complaint


def _complaint_body(member: Membership | None, complaint: Complaint) -> dict[str, object]:
    return complaint_out(complaint, complaint_evidence(member, complaint).count())


@router.get("/complaints/{public_code}", response=ComplaintOut, summary="One complaint")
def get_complaint(request: HttpRequest, public_code: str) -> dict[str, object]:
    member = acting(request)
    return _complaint_body(member, _visible_complaint(member, public_code))


@router.post("/complaints", response={201: ComplaintOut}, summary="File a complaint")
def create_complaint(request: HttpRequest, payload: ComplaintIn, response: HttpResponse) -> Status[dict[str, object]]:
    """File a complaint for the caller's party. Every bad field is named, and then nothing is saved."""
    member = acting(request)
    if member is None:
        raise NotPermitted(_("You act for no party, so you cannot file a complaint."))
    try:
        complaint = file_complaint(member, payload.to_draft(), submit=payload.submit)
    except ValidationFailed as exc:
        exc.errors = {_FILING_FIELDS.get(k, k): v for k, v in exc.errors.items()}
        raise
    response["Location"] = reverse("api:get_complaint", kwargs={"public_code": complaint.public_code})
    return Status(201, _complaint_body(member, _visible_complaint(member, complaint.public_code)))


@router.post(
    "/complaints/{public_code}/evidence",
    response={201: list[EvidenceOut]},
    tags=["evidence"],
    summary="Add evidence",
)
def add_complaint_evidence(
    request: HttpRequest,
    public_code: str,
    files: File[list[UploadedFile]],
    description: Form[str] = "",
    source: Form[str] = "",
    captured_at: Form[AwareDatetime | None] = None,
) -> Status[list[dict[str, object]]]:
    """Add files (multipart field `files`, repeated) to a complaint. Types are decided from content; every
    file is checked before any is kept."""
    member = acting(request)
    complaint = _visible_complaint(member, public_code)
    assert member is not None  # a visible complaint implies a membership
    uploads = [
        EvidenceUpload(file=f, filename=f.name or "", description=description, source=source, captured_at=captured_at)
        for f in files
    ]
    try:
        added = add_evidence(member, complaint, uploads)
    except ValidationFailed as exc:
        # The service numbers files as evidence[i]; here they came in the `files` field.
        exc.errors = {k.replace("evidence[", "files[", 1): v for k, v in exc.errors.items()}
        raise
    rows = complaint_evidence(member, complaint).filter(pk__in=[e.pk for e in added])
    return Status(201, [evidence_out(e, complaint.public_code) for e in rows])


@router.get(
    "/complaints/{public_code}/evidence",
    response=list[EvidenceOut],
    tags=["evidence"],
    summary="List a complaint's evidence",
)
def list_complaint_evidence(request: HttpRequest, public_code: str) -> list[dict[str, object]]:
    member = acting(request)
    complaint = _visible_complaint(member, public_code)
    return [evidence_out(e, complaint.public_code) for e in complaint_evidence(member, complaint)]


@router.get(
    "/evidence/{evidence_code}/download",
    url_name="download_evidence",
    tags=["evidence"],
    summary="Download an evidence original",
    # Integer key, as ninja's own: a string "200" would become a second, duplicate key in the JSON document.
    openapi_extra={
        "responses": {
            200: {
                "description": "The original file, byte for byte",
                "content": {"application/octet-stream": {}},
            }
        }
    },
)
def download_evidence(request: HttpRequest, evidence_code: str) -> FileResponse:
    """The original as stored, with its media type, as an attachment; noted in the custody chain."""
    member = acting(request)
    evidence = get_visible_evidence(member, evidence_code)
    if evidence is None or member is None:
        raise NotVisible(_("No such evidence."))
    blob = evidence_store.open_blob(evidence.stored_file.sha256)
    try:
        record_evidence_access(member, evidence, CustodyAction.DOWNLOADED)
    except BaseException:
        blob.close()  # type: ignore[attr-defined]
        raise
    return FileResponse(
        blob, as_attachment=True, filename=evidence.filename, content_type=evidence.stored_file.media_type
    )
