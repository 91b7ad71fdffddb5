"""Browser forms of intelligence sharing: the list's filters, the share form (with its places and its request for
action), and the small forms of an item's page (forward, record an action, rate the response, import STIX).

The forms check only the shape of the input (choices, numbers, dates, files); the rules of TLP 2.0 and of the
mechanism are checked by drafts.check_draft and the services, whose ValidationFailed errors `add_service_errors`
puts back next to the field they name.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ceasefire.core.enums import TLP, PartyKind, Role
from ceasefire.core.errors import ValidationFailed
from ceasefire.core.models import Membership, Party
from ceasefire.incidents.drafts import EvidenceUpload
from ceasefire.incidents.forms import MultipleFileField
from ceasefire.incidents.models import Actor

from .drafts import MAX_PLACES, IntelDraft, PlaceDraft, RequestDraft
from .enums import ItemState, Rating
from .models import IntelItem

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
CODE_SEPARATORS = re.compile(r"[\s,;]+")


def _blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


def _choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _parties() -> list[Party]:
    return list(Party.objects.filter(kind__in=[PartyKind.PARTY, PartyKind.MEDIATOR]).order_by("code"))


class ServiceErrors(forms.Form):
    """Puts a service's ValidationFailed back on the form: each field error next to its field, else above."""

    service_fields: dict[str, str | None] = {}
    # The forms of an item's page share it: each has ids of its own (field names stay plain).
    id_prefix = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)

    def add_service_errors(self, exc: ValidationFailed) -> None:
        problems: dict[str, str] = exc.errors or {"": exc.message}
        for key, message in problems.items():
            field: str | None = self.service_fields.get(key, key)
            if key.startswith("evidence["):
                field = self.service_fields.get("evidence[]")
            if field not in self.fields:
                field = None
            self.add_error(field, message)


class IntelFilterForm(forms.Form):
    """The list's filters, read from the query string; a bad value is ignored, never an error page."""

    q = forms.CharField(label=_("Text"), required=False, max_length=200)
    tlp = forms.ChoiceField(label=_("TLP"), required=False, choices=_blank(TLP.choices))
    originator = forms.ChoiceField(label=_("Originator"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False, choices=_blank(ItemState.choices))
    actor = forms.ChoiceField(label=_("Actor"), required=False)
    received = forms.BooleanField(label=_("Shared with my party"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "originator", _blank([(p.code, p.display_name) for p in _parties()]))
        _choices(self, "actor", _blank([(a.code, a.name) for a in Actor.objects.all()]))

    def values(self) -> dict[str, Any]:
        """The valid filters (for queries.ItemFilters); an invalid one is left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "", False)}


class PlaceForm(forms.Form):
    """One place the item is about: a row of the share form, typed or chosen from the gazetteer."""

    name = forms.CharField(label=_("Place"), max_length=200)
    latitude = forms.FloatField(
        label=_("Latitude"), min_value=-90, max_value=90, widget=forms.NumberInput(attrs={"step": "any"})
    )
    longitude = forms.FloatField(
        label=_("Longitude"), min_value=-180, max_value=180, widget=forms.NumberInput(attrs={"step": "any"})
    )


class BasePlaceFormSet(forms.BaseFormSet[PlaceForm]):
    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        # A row its author emptied is a place removed, not a place missing its fields: every row may be empty.
        return {**super().get_form_kwargs(index), "empty_permitted": True}


PlaceFormSet = forms.formset_factory(
    PlaceForm, formset=BasePlaceFormSet, extra=1, max_num=MAX_PLACES, validate_max=True
)


class IntelItemForm(ServiceErrors):
    """Sharing an item (or saving it as a draft); `to_draft()` gives save_item its IntelDraft."""

    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("What you know"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown: **bold**, *italic*, lists, links, tables. HTML is shown as text."),
    )
    tlp = forms.ChoiceField(label=_("TLP"), choices=TLP.choices, initial=TLP.AMBER)
    recipients = forms.MultipleChoiceField(
        label=_("Recipient parties"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For TLP:AMBER and TLP:AMBER+STRICT: the parties and mediators the item is shared with."),
    )
    people = forms.MultipleChoiceField(
        label=_("Named people"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For TLP:RED only: the people who may read it, and no one else."),
    )
    handling = forms.CharField(
        label=_("Handling notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    forwarding_allowed = forms.BooleanField(
        label=_("Recipients may forward it to another party (TLP:AMBER only)"), required=False
    )
    expires_at = forms.DateTimeField(
        label=_("Expires"),
        required=False,
        widget=DATETIME,
        help_text=_("After this moment recipients no longer see it; your party still does."),
    )
    actors = forms.MultipleChoiceField(label=_("Actors"), required=False, widget=forms.CheckboxSelectMultiple)
    complaints = forms.CharField(
        label=_("Linked complaints"),
        required=False,
        max_length=2000,
        help_text=_("Public codes, separated by spaces or commas, e.g. CMP-2025-7K3Q."),
    )
    files = MultipleFileField(label=_("Files"), required=False)  # type: ignore[assignment]  # BaseForm.files
    request_addressee = forms.ChoiceField(label=_("Party asked to act"), required=False)
    request_what = forms.CharField(
        label=_("Action requested"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    request_where = forms.CharField(label=_("Where"), required=False, max_length=300)
    request_against = forms.MultipleChoiceField(label=_("Against"), required=False, widget=forms.CheckboxSelectMultiple)
    request_due_at = forms.DateTimeField(label=_("Due by"), required=False, widget=DATETIME)

    service_fields = {
        "request.addressee": "request_addressee",
        "request.what": "request_what",
        "request.where": "request_where",
        "request.against": "request_against",
        "request.due_at": "request_due_at",
        "evidence[]": "files",
        "source": None,
    }

    def __init__(self, *args: Any, member: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        others = [(p.code, p.display_name) for p in _parties() if p.pk != member.party_id]
        _choices(self, "recipients", others)
        _choices(self, "request_addressee", _blank(others))
        actors = [(a.code, a.name) for a in Actor.objects.all()]
        _choices(self, "actors", actors)
        _choices(self, "request_against", actors)
        _choices(self, "people", self._people())
        self.place_error = ""
        # A bound form reads its rows from the data alone: an emptied row then counts as unchanged, so it is skipped.
        initial = None if self.is_bound else (kwargs.get("initial") or {}).get("places")
        self.places = PlaceFormSet(self.data if self.is_bound else None, prefix="places", initial=initial)

    def _people(self) -> list[tuple[str, str]]:
        """Every active member of the mechanism but the author, once per person, with party and role."""
        seen: dict[str, str] = {}
        members = (
            Membership.objects.filter(is_active=True, user__is_active=True)
            .exclude(role=Role.ADMIN)
            .exclude(user_id=self.member.user_id)
            .select_related("user", "party")
            .order_by("party__code", "user__username")
        )
        for m in members:
            name = m.user.get_username()
            role = m.get_role_display()
            seen[name] = f"{seen[name]}, {role}" if name in seen else f"{name} ({m.party.code} · {role})"
        return list(seen.items())

    def is_valid(self) -> bool:
        places_ok = self.places.is_valid()
        return super().is_valid() and places_ok

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        asked = any(data.get(f) for f in ("request_addressee", "request_what", "request_where", "request_against"))
        if asked and data.get("request_due_at") is None and "request_due_at" not in self.errors:
            self.add_error("request_due_at", _("Give the date by which the action is requested."))
        return data

    @property
    def has_request(self) -> bool:
        data = self.cleaned_data
        return any(data.get(f) for f in ("request_addressee", "request_what", "request_where", "request_against"))

    def to_draft(self, *, keep_source: str = "") -> IntelDraft:
        data = self.cleaned_data
        places = [
            PlaceDraft(name=row["name"], latitude=row["latitude"], longitude=row["longitude"])
            for row in self.places.cleaned_data
            if row
        ]
        request = None
        if self.has_request:
            request = RequestDraft(
                addressee=data.get("request_addressee") or "",
                what=data.get("request_what") or "",
                where=data.get("request_where") or "",
                against=list(data.get("request_against") or []),
                due_at=data["request_due_at"],
            )
        codes = [c.upper() for c in CODE_SEPARATORS.split(data.get("complaints") or "") if c]
        return IntelDraft(
            title=data["title"],
            body=data["body"],
            tlp=data["tlp"],
            recipients=list(data.get("recipients") or []),
            people=list(data.get("people") or []),
            handling=data.get("handling") or "",
            forwarding_allowed=bool(data.get("forwarding_allowed")),
            expires_at=data.get("expires_at"),
            actors=list(data.get("actors") or []),
            places=places,
            complaints=codes,
            files=[EvidenceUpload(file=f, filename=f.name) for f in data.get("files") or []],
            request=request,
            source=keep_source,
        )

    def add_service_errors(self, exc: ValidationFailed) -> None:
        # Place problems name the whole list ("places"): they are shown above the place rows.
        if "places" in exc.errors:
            self.place_error = exc.errors["places"]
            exc = ValidationFailed(exc.message, errors={k: v for k, v in exc.errors.items() if k != "places"})
            if not exc.errors:
                return
        super().add_service_errors(exc)


def initial_of(item: IntelItem) -> dict[str, Any]:
    """A draft's values as the share form's initial data, for its edit page."""
    request = getattr(item, "request", None)
    initial: dict[str, Any] = {
        "title": item.title,
        "body": item.body,
        "tlp": item.tlp,
        "recipients": [r.party.code for r in item.recipients.all()],
        "people": [p.user.get_username() for p in item.people.all()],
        "handling": item.handling,
        "forwarding_allowed": item.forwarding_allowed,
        "expires_at": item.expires_at,
        "actors": [a.code for a in item.actors.all()],
        "complaints": " ".join(c.public_code for c in item.complaints.all()),
        "places": [{"name": p.name, "latitude": p.latitude, "longitude": p.longitude} for p in item.places.all()],
    }
    if request is not None:
        initial |= {
            "request_addressee": request.addressee.code,
            "request_what": request.what,
            "request_where": request.where,
            "request_against": [a.code for a in request.against.all()],
            "request_due_at": request.due_at,
        }
    return initial


class ForwardForm(ServiceErrors):
    id_prefix = "forward"
    to_party = forms.ChoiceField(label=_("Forward to"))
    note = forms.CharField(label=_("Note to the party"), required=False, max_length=500)

    def __init__(self, *args: Any, item: IntelItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        have = {r.party_id for r in item.recipients.all()} | {item.originator_id}
        _choices(self, "to_party", _blank([(p.code, p.display_name) for p in _parties() if p.pk not in have]))


class ActionForm(ServiceErrors):
    id_prefix = "action"
    text = forms.CharField(label=_("Action taken"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    taken_on = forms.DateField(label=_("Date of the action"), widget=forms.DateInput(attrs={"type": "date"}))
    files = MultipleFileField(label=_("Evidence of the action"), required=False)  # type: ignore[assignment]

    service_fields = {"evidence[]": "files"}

    def uploads(self) -> list[EvidenceUpload]:
        return [EvidenceUpload(file=f, filename=f.name) for f in self.cleaned_data.get("files") or []]


class RatingForm(ServiceErrors):
    id_prefix = "rating"
    rating = forms.ChoiceField(label=_("Rating"), choices=_blank(Rating.choices), required=False)
    note = forms.CharField(label=_("Why this rating"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(ServiceErrors):
    bundle = forms.FileField(label=_("STIX 2.1 bundle (JSON)"))

    def add_service_errors(self, exc: ValidationFailed) -> None:
        # Whatever part of the bundle is at fault, the file is the one field there is.
        for message in dict.fromkeys((exc.errors or {"": exc.message}).values()):
            self.add_error("bundle", message)
