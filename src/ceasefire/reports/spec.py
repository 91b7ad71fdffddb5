"""What a report is of: its period, audience, party and language, checked in full before anything is rendered
(all problems at once, as ValidationFailed naming each field). Services, the API and the CLI all build one here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext

from ceasefire.core.enums import PartyKind
from ceasefire.core.errors import ValidationFailed
from ceasefire.core.models import Party

from .enums import Audience, ReportKind
from .models import slot_of
from .periods import Period, period_containing

# Dari is "fa" in the mechanism's LANGUAGES; its ISO 639-3 code is accepted too.
LANGUAGE_ALIASES = {"prs": "fa"}


@dataclass(frozen=True)
class ReportSpec:
    period: Period
    audience: str
    party: Party | None
    language: str

    @property
    def kind(self) -> str:
        return self.period.kind

    @property
    def slot(self) -> str:
        return slot_of(self.kind, self.period.first_day, self.audience, self.party, self.language)


def report_spec(*, kind: str, day: dt.date, audience: str, party: Party | None, language: str) -> ReportSpec:
    errors: dict[str, str] = {}
    if kind not in ReportKind.values:
        errors["kind"] = gettext("Unknown report kind '%(value)s': daily or weekly.") % {"value": kind}
    if audience not in Audience.values:
        errors["audience"] = gettext("Unknown audience '%(value)s': public or internal.") % {"value": audience}
    elif audience == Audience.INTERNAL and party is None:
        errors["party"] = gettext("An internal report is made for one party: name it.")
    elif audience == Audience.INTERNAL and party is not None and party.kind == PartyKind.OBSERVER:
        errors["party"] = gettext("Internal reports are made for parties and mediators, not observers.")
    elif audience == Audience.PUBLIC and party is not None:
        errors["party"] = gettext("A public report is the same for everyone: name no party.")
    language = LANGUAGE_ALIASES.get(language, language)
    if language not in {code for code, _name in settings.LANGUAGES}:
        errors["language"] = gettext("Unknown language '%(value)s'.") % {"value": language}
    if errors:
        raise ValidationFailed(next(iter(errors.values())), errors=errors)
    return ReportSpec(period_containing(kind, day), audience, party, language)
