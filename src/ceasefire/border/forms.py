"""Forms of the border pages. They only shape input: every rule is checked by the service they call, whose
field errors come back next to the fields (add_service_errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ceasefire.core.errors import DomainError
from ceasefire.core.models import Party
from ceasefire.geo.enums import CoordStatus
from ceasefire.geo.models import Crossing

from .enums import CrossingStatus, FigureSource, FlowCategory, ObstacleKind, ObstacleStatus, Restriction

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BLANK: list[tuple[str, Any]] = [("", "—")]


class ServiceErrorsMixin:
    def add_service_errors(self, exc: DomainError) -> None:
        """Each of the service's field errors next to its field; the rest above the form."""
        form: forms.Form = self  # type: ignore[assignment]
        if not exc.errors:
            form.add_error(None, exc.message)
            return
        for key, message in exc.errors.items():
            form.add_error(key if key in form.fields else None, message if key in form.fields else f"{key}: {message}")


class DeclarationForm(ServiceErrorsMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CrossingStatus.choices)
    restriction = forms.ChoiceField(label=_("Restricted to"), choices=BLANK + list(Restriction.choices), required=False)
    restriction_note = forms.CharField(label=_("Restriction note"), required=False, max_length=300)
    effective_at = forms.DateTimeField(label=_("Effective from"), widget=DATETIME)
    reason = forms.CharField(label=_("Stated reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    notice_hours = forms.IntegerField(
        label=_("Advance notice given (hours)"),
        required=False,
        min_value=0,
        help_text=_("Leave empty when no notice was stated; 0 for an immediate change."),
    )
    expected_reopening = forms.DateTimeField(label=_("Expected reopening"), required=False, widget=DATETIME)
    source = forms.CharField(label=_("How this is known"), required=False, max_length=300)

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["notice_hours"] = data.get("notice_hours")
        return data


class RegistryForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    latitude = forms.FloatField(label=_("Latitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    longitude = forms.FloatField(label=_("Longitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    coord_status = forms.ChoiceField(label=_("Coordinate status"), choices=CoordStatus.choices)
    coord_kind = forms.CharField(label=_("What the coordinate marks"), required=False, max_length=100)
    afghan_province = forms.CharField(label=_("Afghan province"), required=False, max_length=100)
    afghan_district = forms.CharField(label=_("Afghan district"), required=False, max_length=200)
    pakistan_province = forms.CharField(label=_("Pakistani province"), required=False, max_length=100)
    pakistan_district = forms.CharField(label=_("Pakistani district"), required=False, max_length=200)
    source = forms.CharField(label=_("Source"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Why this edit"), required=False, max_length=300)

    @classmethod
    def for_crossing(cls, crossing: Crossing) -> RegistryForm:
        return cls(initial={name: getattr(crossing, name) for name in cls.base_fields if name != "note"})

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "note"}


class ResolveForm(ServiceErrorsMixin, forms.Form):
    codes = forms.CharField(widget=forms.HiddenInput)
    accepted = forms.CharField(label=_("The timeline follows"))
    note = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))

    def code_list(self) -> list[str]:
        return [c for c in self.cleaned_data["codes"].split(",") if c]


class FlowImportForm(ServiceErrorsMixin, forms.Form):
    file = forms.FileField(label=_("Flows CSV"))


class TradeDayForm(ServiceErrorsMixin, forms.Form):
    crossing = forms.ModelChoiceField(label=_("Crossing"), queryset=Crossing.objects.all(), to_field_name="slug")
    day = forms.DateField(label=_("Day"), widget=DATE)
    trucks_waiting = forms.IntegerField(label=_("Trucks waiting"), required=False)
    trucks_waiting_high = forms.IntegerField(label=_("Trucks waiting (upper bound)"), required=False)
    trucks_crossed = forms.IntegerField(label=_("Trucks crossed"), required=False)
    goods_held = forms.CharField(label=_("Goods held"), required=False, max_length=300)
    source = forms.ChoiceField(label=_("Source"), choices=FigureSource.choices, initial=FigureSource.PARTY)
    source_note = forms.CharField(label=_("Source note"), required=False, max_length=300)


class LossClaimForm(ServiceErrorsMixin, forms.Form):
    period_start = forms.DateField(label=_("From"), widget=DATE)
    period_end = forms.DateField(label=_("To"), widget=DATE)
    amount_usd = forms.IntegerField(label=_("Estimated loss (USD)"))
    crossing = forms.ModelChoiceField(
        label=_("Crossing"), queryset=Crossing.objects.all(), to_field_name="slug", required=False
    )
    basis = forms.CharField(label=_("Basis of the estimate"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ObstacleForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ObstacleKind.choices)
    crossing = forms.ModelChoiceField(
        label=_("Crossing"), queryset=Crossing.objects.all(), to_field_name="slug", required=False
    )
    imposed_by = forms.ModelChoiceField(
        label=_("Imposed by"), queryset=Party.objects.filter(kind="party"), to_field_name="code", required=False
    )
    observed_from = forms.DateField(label=_("Observed from"), widget=DATE)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}))


class ObstacleUpdateForm(ServiceErrorsMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("New status"), choices=[c for c in ObstacleStatus.choices if c[0] != ObstacleStatus.REPORTED]
    )
    note = forms.CharField(label=_("What changed"), widget=forms.Textarea(attrs={"rows": 2}))


class FlowFilterForm(forms.Form):
    crossing = forms.ModelChoiceField(
        label=_("Crossing"), queryset=Crossing.objects.all(), to_field_name="slug", required=False
    )
    category = forms.ChoiceField(label=_("Category"), choices=BLANK + list(FlowCategory.choices), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)
