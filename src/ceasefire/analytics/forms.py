"""Forms of the early-warning pages: the alert list's filters and a new subscription. They only shape input;
the rules are the services' and queries' (their field errors come back next to the fields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ceasefire.core.errors import DomainError

from .early_warning_areas import known_areas
from .enums import ALL_AREAS, ALL_KINDS, AlertKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
UNKNOWN_AREA = _("Unknown province '%(value)s': choose a province or 'all'.")
UNKNOWN_KIND = _("Unknown kind of alert '%(value)s'.")


def area_choices(blank: str | None) -> list[tuple[str, str]]:
    choices = [(ALL_AREAS, str(_("The whole frontier")))] + [(a, a) for a in known_areas() if a != ALL_AREAS]
    return [("", blank), *choices] if blank is not None else choices


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class ServiceErrors:
    def add_service_errors(self, exc: DomainError) -> None:
        """Each of the service's field errors next to its field; the rest above the form."""
        form: forms.Form = self  # type: ignore[assignment]
        if not exc.errors:
            form.add_error(None, exc.message)
            return
        for key, message in exc.errors.items():
            form.add_error(key if key in form.fields else None, message)


class AlertFilterForm(ServiceErrors, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, error_messages={"invalid_choice": UNKNOWN_KIND})
    area = forms.ChoiceField(label=_("Area"), required=False, error_messages={"invalid_choice": UNKNOWN_AREA})
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "kind").choices = [("", str(_("Every kind"))), *AlertKind.choices]
        _choice(self, "area").choices = area_choices(str(_("Every area")))


class SubscriptionForm(ServiceErrors, forms.Form):
    area = forms.ChoiceField(label=_("Area"), error_messages={"invalid_choice": UNKNOWN_AREA})
    kind = forms.ChoiceField(label=_("Kind"), error_messages={"invalid_choice": UNKNOWN_KIND})
    in_app = forms.BooleanField(label=_("In the app"), required=False, initial=True)
    email = forms.BooleanField(label=_("By e-mail"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "area").choices = area_choices(None)
        _choice(self, "kind").choices = [(ALL_KINDS, str(_("Every kind"))), *AlertKind.choices]
