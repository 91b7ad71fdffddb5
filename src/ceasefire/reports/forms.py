"""Forms of the reports pages. They only shape input: every rule is checked by the service they call, whose field
errors come back next to the fields (add_service_errors)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ceasefire.core.errors import DomainError
from ceasefire.core.models import Party

from .enums import Audience, ReportKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ANY: list[tuple[str, Any]] = [("", _("Any"))]


class ServiceErrorsMixin:
    def add_service_errors(self, exc: DomainError) -> None:
        """Each of the service's field errors next to its field; the rest above the form."""
        form: forms.Form = self  # type: ignore[assignment]
        if not exc.errors:
            form.add_error(None, exc.message)
            return
        for key, message in exc.errors.items():
            form.add_error(key if key in form.fields else None, message)


class ReportFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ANY + list(ReportKind.choices), required=False)
    audience = forms.ChoiceField(label=_("Audience"), choices=ANY + list(Audience.choices), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=ANY + list(settings.LANGUAGES), required=False)

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


class GenerateForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportKind.choices)
    day = forms.DateField(
        label=_("A day of the period"),
        widget=DATE,
        help_text=_("A weekly report covers the Monday-to-Sunday week that contains this day."),
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    party = forms.ChoiceField(label=_("For the party (internal reports)"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, parties: list[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parties = {p.code: p for p in parties}
        party_field = self.fields["party"]
        assert isinstance(party_field, forms.ChoiceField)
        party_field.choices = [("", "—"), *((p.code, p.display_name) for p in parties)]
        self.fields["day"].initial = dt.date.today() - dt.timedelta(days=1)

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["party"] = self.parties.get(data.get("party") or "")
        return data


class PublishForm(ServiceErrorsMixin, forms.Form):
    complaint = forms.CharField(widget=forms.HiddenInput)
    summary = forms.CharField(
        label=_("Public summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the public reads about this determination, beside its code, date, category, province "
                    "and outcome. Nothing else of the complaint is published."),
    )  # fmt: skip


class WithdrawForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Why it is withdrawn"), widget=forms.Textarea(attrs={"rows": 2}))
