"""Browser forms of external event data: the events' filters, an upload to import, a decision on a link."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ceasefire.geo.enums import Side
from ceasefire.incidents.enums import Category

from .enums import Source
from .queries import EventFilter


def _blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class EventFilterForm(forms.Form):
    """Filters read from the query string; a bad value is ignored, never an error page."""

    q = forms.CharField(label=_("Text"), required=False, max_length=200)
    source = forms.ChoiceField(label=_("Source"), required=False, choices=_blank(Source.choices))
    category = forms.ChoiceField(label=_("Category"), required=False, choices=_blank(Category.choices))
    side = forms.ChoiceField(label=_("Side"), required=False, choices=_blank(Side.choices))
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def to_filter(self, *, exportable_only: bool = False) -> EventFilter:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return EventFilter(
            source=data.get("source", ""),
            category=data.get("category", ""),
            side=data.get("side", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            q=data.get("q", ""),
            exportable_only=exportable_only,
        )


class ImportForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)
    file = forms.FileField(
        label=_("File"), help_text=_("UCDP GED or ACLED CSV with its header; GDELT 1.0/2.0 tab-separated export.")
    )


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
