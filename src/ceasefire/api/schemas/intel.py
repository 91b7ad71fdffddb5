"""Schemas of intelligence sharing: the item a party drafts or shares, the moves on it (forward, action, rating),
the list filters, and the outputs.

What a caller may see was decided in intel/api.py through intel/queries.py (receipts, linked complaints, the
request's actions and rating); the functions here only shape the rows they are given.
"""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import AwareDatetime, ConfigDict, Field, StrictBool

from ceasefire.core.enums import TLP
from ceasefire.intel.drafts import IntelDraft, PlaceDraft, RequestDraft
from ceasefire.intel.enums import ItemState, Rating
from ceasefire.intel.models import (
    ActionTaken,
    IntelFile,
    IntelForward,
    IntelItem,
    IntelRecipient,
    Receipt,
    RequestForAction,
)

MAX_PAGE = 200


class _Body(Schema):
    # A misspelt field is refused rather than silently dropped.
    model_config = ConfigDict(extra="forbid")


# --- inputs -------------------------------------------------------------------------------------------------------


class PlaceIn(_Body):
    name: str = Field(examples=["Barmal"])
    latitude: float = Field(examples=[32.78])
    longitude: float = Field(examples=[69.25])


class RequestIn(_Body):
    addressee: str = Field(description="Party code of the party asked to act; it must be able to read the item")
    what: str = Field(examples=["Disperse the group and detain its commanders."])
    where: str = Field("", examples=["Barmal district, Paktika"])
    against: list[str] = Field(default_factory=list, description="Actor codes", examples=[["ttp"]])
    due_at: AwareDatetime = Field(description="With a time zone; in the future", examples=["2026-01-20T12:00:00Z"])


class IntelItemIn(_Body):
    """An item as its originator drafts or shares it. Unknown fields are refused, so a misspelt name is not lost.
    Files are attached through the web form."""

    title: str = Field(examples=["TTP commanders gathering near Barmal"])
    body: str = Field(description="Markdown", examples=["A TTP group of about 40 fighters was seen near Barmal."])
    tlp: str = Field(description=f"One of: {', '.join(TLP.values)}", examples=[TLP.AMBER.value])
    recipients: list[str] = Field(
        default_factory=list, description="Party codes (AMBER and AMBER+STRICT only)", examples=[["AF"]]
    )
    people: list[str] = Field(default_factory=list, description="User names (RED only)", examples=[[]])
    handling: str = Field("", description="Handling notes for the recipients")
    forwarding_allowed: StrictBool = Field(False, description="TLP:AMBER only: recipients may forward to a party")
    expires_at: AwareDatetime | None = Field(None, description="With a time zone; in the future")
    actors: list[str] = Field(default_factory=list, description="Actor codes the item is about", examples=[["ttp"]])
    places: list[PlaceIn] = Field(default_factory=list)
    complaints: list[str] = Field(default_factory=list, description="Public codes of related complaints")
    request: RequestIn | None = Field(None, description="A request for action, addressed to one recipient party")
    share: StrictBool = Field(False, description="true shares it now (final); false keeps a draft for your party")

    def to_draft(self) -> IntelDraft:
        request = self.request
        return IntelDraft(
            title=self.title,
            body=self.body,
            tlp=self.tlp,
            recipients=self.recipients,
            people=self.people,
            handling=self.handling,
            forwarding_allowed=self.forwarding_allowed,
            expires_at=self.expires_at,
            actors=self.actors,
            places=[PlaceDraft(name=p.name, latitude=p.latitude, longitude=p.longitude) for p in self.places],
            complaints=self.complaints,
            request=None
            if request is None
            else RequestDraft(
                addressee=request.addressee,
                what=request.what,
                where=request.where,
                against=request.against,
                due_at=request.due_at,
            ),
        )


class ForwardIn(_Body):
    to_party: str = Field(description="Party code", examples=["TR"])
    note: str = Field("", description="Why, for the party forwarded to (at most 500 characters)")


class ActionIn(_Body):
    text: str = Field(examples=["Raided the compound on 14 January; three detained."])
    taken_on: dt.date = Field(description="The day of the action, not in the future", examples=["2026-01-14"])


class RatingIn(_Body):
    rating: str = Field(description=f"One of: {', '.join(Rating.values)}", examples=[Rating.PARTIAL.value])
    note: str = Field("", description="Why this rating")


class IntelFilters(Schema):
    q: str = Field("", description="Words of the title, body or places")
    tlp: str = Field("", description=f"One of: {', '.join(TLP.values)}")
    originator: str = Field("", description="Party code")
    state: str = Field("", description=f"One of: {', '.join(ItemState.values)}")
    actor: str = Field("", description="Actor code")
    received: bool = Field(False, description="Only items shared with your party, not its own")


class IntelQuery(IntelFilters):
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0)


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0)


class ReceiptQuery(Schema):
    party: str = Field("", description="Originator only: the recipient party's receipt (party code)")
    person: str = Field("", description="Originator only: a RED item's named person's receipt (user name)")


# --- outputs ------------------------------------------------------------------------------------------------------


class RequestSummaryOut(Schema):
    addressee: str
    due_at: dt.datetime
    state: str
    overdue: bool = Field(description="Past its due date with no action recorded")


class IntelSummaryOut(Schema):
    public_code: str
    title: str
    tlp: str
    state: str
    originator: str = Field(description="Code of the party that shares it")
    created_at: dt.datetime
    shared_at: dt.datetime | None
    expires_at: dt.datetime | None
    expired: bool
    updated_at: dt.datetime
    request: RequestSummaryOut | None


class IntelPage(Schema):
    count: int = Field(description="How many visible items match the filters (all pages)")
    limit: int
    offset: int
    items: list[IntelSummaryOut]


class PlaceOut(Schema):
    name: str
    latitude: float
    longitude: float
    side: str = Field(description="AF, PK or outside: which outline of the reference dataset holds the point")
    province: str


class RecipientOut(Schema):
    party: str
    forwarded_by: str | None = Field(description="The party that forwarded it, when not named by the originator")


class FileOut(Schema):
    filename: str
    media_type: str
    size: int
    sha256: str
    added_by: str = Field(description="Code of the party whose member added it")
    added_at: dt.datetime


class ActionOut(Schema):
    text: str
    taken_on: dt.date
    recorded_by: str = Field(description="Code of the party that recorded it")
    recorded_at: dt.datetime
    files: list[FileOut]


class RequestOut(Schema):
    addressee: str
    what: str
    where: str
    against: list[str]
    due_at: dt.datetime
    state: str
    overdue: bool
    actions: list[ActionOut] = Field(description="Actions taken: shown to the requesting and the addressed party")
    rating: str = Field(description="The requester's rating, empty until rated (the same two parties only)")
    rating_note: str
    rated_at: dt.datetime | None


class ForwardOut(Schema):
    from_party: str
    to_party: str
    note: str
    at: dt.datetime


class ReceiptOut(Schema):
    party: str
    person: str | None = Field(description="For a RED item: the named person the receipt is for")
    opened_by: str
    opened_at: dt.datetime
    acknowledged_by: str | None
    acknowledged_at: dt.datetime | None
    log_index: int = Field(description="The log entry of the opening: its receipt proves when the item arrived")


class IntelItemOut(IntelSummaryOut):
    body: str
    handling: str
    forwarding_allowed: bool
    source: str
    recipients: list[RecipientOut]
    people: list[str]
    actors: list[str]
    places: list[PlaceOut]
    complaints: list[str] = Field(description="Linked complaints you may see")
    files: list[FileOut]
    request: RequestOut | None  # type: ignore[assignment]
    forwards: list[ForwardOut]
    receipts: list[ReceiptOut] = Field(description="The originator's side: every receipt; a recipient: its own")
    moves: list[str] = Field(
        description="What you may do now: revise, forward, acknowledge, record_action, rate",
        examples=[["acknowledge", "record_action"]],
    )


class IntelEntryOut(Schema):
    index: int
    time: dt.datetime
    kind: str
    sealed: bool
    checkpointed: bool


class IntelRequestOut(Schema):
    item: str = Field(description="Public code of the item carrying the request")
    title: str
    originator: str
    addressee: str
    what: str
    where: str
    due_at: dt.datetime
    state: str
    overdue: bool
    yours_to_answer: bool = Field(description="true: your party is asked; false: your party awaits the answer")


class IntelRequestPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[IntelRequestOut]


# --- shaping ------------------------------------------------------------------------------------------------------


def request_overdue(request: RequestForAction, now: dt.datetime) -> bool:
    return request.overdue_flagged_at is not None or (request.state == "open" and request.due_at < now)


def intel_summary_out(item: IntelItem, now: dt.datetime) -> dict[str, object]:
    """Expects originator and request__addressee joined (queries.LIST_RELATED)."""
    request = getattr(item, "request", None)
    return {
        "public_code": item.public_code,
        "title": item.title,
        "tlp": item.tlp,
        "state": item.state,
        "originator": item.originator.code,
        "created_at": item.created_at,
        "shared_at": item.shared_at,
        "expires_at": item.expires_at,
        "expired": item.expires_at is not None and item.expires_at <= now,
        "updated_at": item.updated_at,
        "request": None
        if request is None
        else {
            "addressee": request.addressee.code,
            "due_at": request.due_at,
            "state": request.state,
            "overdue": request_overdue(request, now),
        },
    }


def file_out(row: IntelFile) -> dict[str, object]:
    """Expects stored_file and added_by__party joined."""
    stored = row.stored_file
    return {
        "filename": row.filename,
        "media_type": stored.media_type,
        "size": stored.size,
        "sha256": stored.sha256,
        "added_by": row.added_by.party.code,
        "added_at": row.added_at,
    }


def recipient_out(row: IntelRecipient) -> dict[str, object]:
    """Expects party and forward__from_party joined."""
    return {"party": row.party.code, "forwarded_by": row.forward.from_party.code if row.forward else None}


def forward_out(row: IntelForward) -> dict[str, object]:
    return {"from_party": row.from_party.code, "to_party": row.to_party.code, "note": row.note, "at": row.at}


def receipt_out(row: Receipt) -> dict[str, object]:
    """Expects party, opened_by__user and acknowledged_by__user joined (queries.receipts_of does)."""
    person = row.opened_by.user.get_username() if row.recipient_key.startswith("user:") else None
    return {
        "party": row.party.code,
        "person": person,
        "opened_by": row.opened_by.user.get_username(),
        "opened_at": row.opened_at,
        "acknowledged_by": row.acknowledged_by.user.get_username() if row.acknowledged_by else None,
        "acknowledged_at": row.acknowledged_at,
        "log_index": row.opened_sequence,
    }


def action_out(row: ActionTaken, files: list[IntelFile]) -> dict[str, object]:
    return {
        "text": row.text,
        "taken_on": row.taken_on,
        "recorded_by": row.recorded_by.party.code,
        "recorded_at": row.recorded_at,
        "files": [file_out(f) for f in files],
    }


def request_out(
    request: RequestForAction, now: dt.datetime, actions: list[dict[str, object]] | None
) -> dict[str, object]:
    """`actions` None: the caller is neither side of the request, so actions and rating stay out."""
    insider = actions is not None
    return {
        "addressee": request.addressee.code,
        "what": request.what,
        "where": request.where,
        "against": sorted(a.code for a in request.against.all()),
        "due_at": request.due_at,
        "state": request.state,
        "overdue": request_overdue(request, now),
        "actions": actions or [],
        "rating": request.rating if insider else "",
        "rating_note": request.rating_note if insider else "",
        "rated_at": request.rated_at if insider else None,
    }
