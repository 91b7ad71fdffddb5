"""Browser forms of incidents: the complaint list's filters, filing a complaint and adding evidence.

The forms check only the shape of the input (numbers, dates, choices); the rules of the mechanism are
checked by the services, whose ValidationFailed errors the view puts back next to the field they name.
"""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ceasefire.core.enums import TLP, PartyKind
from ceasefire.core.errors import ValidationFailed
from ceasefire.core.models import Membership, Party
from ceasefire.geo.enums import Side

from .drafts import CasualtyFigure, ComplaintDraft, EvidenceUpload
from .enums import CasualtyKind, CasualtyStatus, Category, ComplaintState, TimePrecision
from .models import Actor
from .queries import ComplaintFilter

# The casualty grid of the filing form: one row per (kind, status), in this order.
CASUALTY_CELLS = [(kind, status) for kind in CasualtyKind.values for status in CasualtyStatus.values]
ESTIMATES = ("best", "low", "high")


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # every field given choices here is one
    field.choices = choices


def _natural_key(code: str) -> list[Any]:
    """C2 before C10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code)]


def _blank(choices: list[tuple[str, Any]], label: Any = "—") -> list[tuple[str, Any]]:
    return [("", label), *choices]


class ComplaintFilterForm(forms.Form):
    """The list page's filters, read from the query string; a bad value is ignored, never an error page."""

    q = forms.CharField(label=_("Text"), required=False, max_length=200)
    category = forms.ChoiceField(label=_("Category"), required=False, choices=_blank(Category.choices))
    state = forms.ChoiceField(label=_("State"), required=False, choices=_blank(ComplaintState.choices))
    complainant = forms.ChoiceField(label=_("Complainant"), required=False)
    respondent = forms.ChoiceField(label=_("Respondent"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    province = forms.CharField(label=_("Province"), required=False, max_length=100)
    side = forms.ChoiceField(label=_("Side"), required=False, choices=_blank(Side.choices))

    def __init__(self, *args: Any, parties: list[Party] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        party_choices = _blank([(p.code, p.display_name) for p in parties or [] if p.kind == PartyKind.PARTY])
        _set_choices(self, "complainant", party_choices)
        _set_choices(self, "respondent", party_choices)

    def to_filter(self) -> ComplaintFilter:
        if not self.is_bound:
            return ComplaintFilter()
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        return ComplaintFilter(**data)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, as Django's documentation shows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class CasualtyGrid:
    """The casualty figures of one party as a grid of number fields (kind × status × best/low/high): the filing
    form and the respondent's reply both take a party's own figures this way."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_casualty_fields(self) -> None:
        for kind, status in CASUALTY_CELLS:
            for estimate in ESTIMATES:
                self.fields[self.casualty_field(kind, status, estimate)] = forms.IntegerField(
                    required=False,
                    min_value=0,
                    label=CasualtyStatus(status).label,
                    widget=forms.NumberInput(attrs={"min": 0, "class": "num"}),
                )

    @staticmethod
    def casualty_field(kind: str, status: str, estimate: str) -> str:
        return f"{kind}_{status}_{estimate}"

    def casualty_rows(self) -> list[dict[str, Any]]:
        """The grid as the template draws it: one row per kind and status, with its three bound fields."""
        form = cast(forms.Form, self)
        return [
            {
                "kind": CasualtyKind(kind).label,
                "status": CasualtyStatus(status).label,
                "fields": [form[self.casualty_field(kind, status, e)] for e in ESTIMATES],
            }
            for kind, status in CASUALTY_CELLS
        ]

    def check_casualties(self, data: dict[str, Any]) -> None:
        form = cast(forms.Form, self)
        for kind, status in CASUALTY_CELLS:
            best, low, high = (data.get(self.casualty_field(kind, status, e)) for e in ESTIMATES)
            field = self.casualty_field(kind, status, "best")
            if best is None and (low is not None or high is not None):
                form.add_error(field, _("Give a best estimate with the low or high one."))
            elif best is not None and low is not None and low > best:
                form.add_error(field, _("The low estimate is above the best estimate."))
            elif best is not None and high is not None and high < best:
                form.add_error(field, _("The high estimate is below the best estimate."))

    def casualty_figures(self) -> tuple[list[CasualtyFigure], list[str]]:
        """The figures given, and the field of each (where a service's `casualties[i]` error goes)."""
        figures, fields = [], []
        for kind, status in CASUALTY_CELLS:
            best, low, high = (self.cleaned_data.get(self.casualty_field(kind, status, e)) for e in ESTIMATES)
            if best is not None:
                figures.append(CasualtyFigure(kind=kind, status=status, best=best, low=low, high=high))
                fields.append(self.casualty_field(kind, status, "best"))
        return figures, fields


class ComplaintForm(CasualtyGrid, forms.Form):
    """Filing a complaint; `to_draft()` gives the service its ComplaintDraft."""

    category = forms.ChoiceField(label=_("Category"), choices=_blank(Category.choices))
    starts_at = forms.DateTimeField(
        label=_("Start"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("End"),
        required=False,
        help_text=_("Leave empty if the incident had no duration."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    time_precision = forms.ChoiceField(label=_("Time known"), choices=TimePrecision.choices, initial=TimePrecision.HOUR)
    place_search = forms.CharField(label=_("Search the gazetteer"), required=False, max_length=100)
    latitude = forms.FloatField(label=_("Latitude"), widget=forms.NumberInput(attrs={"step": "any"}))
    longitude = forms.FloatField(label=_("Longitude"), widget=forms.NumberInput(attrs={"step": "any"}))
    place_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    place_description = forms.CharField(label=_("Place as described"), required=False, max_length=300)
    respondent = forms.ChoiceField(label=_("Respondent"))
    commitments = forms.MultipleChoiceField(
        label=_("Commitments allegedly breached"), widget=forms.CheckboxSelectMultiple
    )
    actors = forms.MultipleChoiceField(label=_("Actors"), required=False, widget=forms.CheckboxSelectMultiple)
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Made from the category and place if empty."),
    )
    narrative = forms.CharField(label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 8}))
    tlp = forms.ChoiceField(label=_("TLP"), choices=TLP.choices, initial=TLP.AMBER)
    evidence = MultipleFileField(label=_("Evidence files"), required=False)

    def __init__(self, *args: Any, member: Membership, agreement: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        self.agreement = agreement
        others = Party.objects.filter(kind=PartyKind.PARTY).exclude(pk=member.party_id)
        if agreement is not None:
            others = others.filter(agreements=agreement)
        respondents = list(others)
        _set_choices(self, "respondent", _blank([(p.code, p.display_name) for p in respondents]))
        commitments = list(agreement.commitments.prefetch_related("bound_parties")) if agreement is not None else []
        if len(respondents) == 1:
            # With one possible respondent, offer only the commitments that bind it.
            self.fields["respondent"].initial = respondents[0].code
            commitments = [c for c in commitments if respondents[0] in c.bound_parties.all()]
        commitments.sort(key=lambda c: _natural_key(c.code))
        _set_choices(self, "commitments", [(c.code, f"{c.code} — {c.text}") for c in commitments])
        _set_choices(self, "actors", [(a.code, a.name) for a in Actor.objects.all()])
        self.add_casualty_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.check_casualties(data)
        return data

    def to_draft(self) -> ComplaintDraft:
        data = self.cleaned_data
        figures, self._figure_fields = self.casualty_figures()
        return ComplaintDraft(
            category=data["category"],
            starts_at=data["starts_at"],
            ends_at=data.get("ends_at") or data["starts_at"],
            time_precision=data["time_precision"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            respondent=data["respondent"],
            narrative=data["narrative"],
            commitments=data["commitments"],
            actors=data.get("actors") or [],
            title=data.get("title") or "",
            tlp=data["tlp"],
            place_id=data.get("place_id"),
            place_description=data.get("place_description") or "",
            casualties=figures,
            agreement_code=self.agreement.code if self.agreement is not None else None,
            evidence=[EvidenceUpload(file=f, filename=f.name) for f in data.get("evidence") or []],
        )

    def add_service_errors(self, exc: ValidationFailed) -> None:
        """Put each of the service's field errors next to the form field it names."""
        figure_fields = getattr(self, "_figure_fields", [])
        problems: dict[str | None, str] = {None: exc.message}
        if exc.errors:
            problems = {key: message for key, message in exc.errors.items()}
        for key, message in problems.items():
            field = _SERVICE_FIELDS.get(key or "", key)
            if key and key.startswith("casualties["):
                index = int(key[len("casualties[") : -1])
                field = figure_fields[index] if index < len(figure_fields) else None
            elif key and key.startswith("evidence["):
                field = "evidence"
            if field not in self.fields:
                field = None
            self.add_error(field, message)


# Service error keys that are not the form's own field names.
_SERVICE_FIELDS = {"place": "place_id", "agreement": None}


class EvidenceForm(forms.Form):
    files = MultipleFileField(label=_("Files"))  # type: ignore[assignment]  # a field named like BaseForm.files
    description = forms.CharField(label=_("Description"), required=False, max_length=500)
    source = forms.CharField(label=_("Source"), required=False, max_length=300)

    def uploads(self) -> list[EvidenceUpload]:
        description = self.cleaned_data.get("description") or ""
        source = self.cleaned_data.get("source") or ""
        return [
            EvidenceUpload(file=f, filename=f.name, description=description, source=source)
            for f in self.cleaned_data["files"]
        ]
