"""The figures of a public report: only what the secretariat published (Publication in force), and of it only the
public summary, the complaint's code, date, category, province and the outcome; counts are over published
complaints alone. Nothing else of the mechanism is read here: no complaint that was not published, no party's
claims, no border data."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet

from ceasefire.incidents.enums import Category
from ceasefire.verification.enums import Outcome

from .figures import Compared, compare, total
from .models import Publication
from .periods import Period


@dataclass(frozen=True)
class PublishedRow:
    code: str
    occurred: dt.date
    category: str
    province: str
    outcome: str
    summary: str
    published: dt.date
    latitude: float
    longitude: float


@dataclass
class PublicFigures:
    published: Compared
    by_category: list[Compared]
    by_outcome: list[Compared]
    rows: list[PublishedRow]
    to_date: int  # published and in force up to the end of the period


def _published(start: dt.datetime, end: dt.datetime) -> QuerySet[Publication]:
    # Publications are public by definition (Publication.objects.visible_to gives them to anyone): the public
    # report reads those in force, as any anonymous reader would.
    return Publication.objects.visible_to(None).filter(published_at__gte=start, published_at__lt=end)


def public_figures(period: Period) -> PublicFigures:
    related = ("complaint__incident", "determination")
    current = list(_published(period.start, period.end).select_related(*related).order_by("published_at", "pk"))
    previous = list(_published(period.previous.start, period.previous.end).select_related(*related))
    categories = {str(c.value): str(c.label) for c in Category}
    outcomes = {str(o.value): str(o.label) for o in Outcome}
    by_category = compare(
        Counter(p.complaint.category for p in current),
        Counter(p.complaint.category for p in previous),
        categories,
        list(categories),
    )
    by_outcome = compare(
        Counter(p.determination.outcome for p in current),
        Counter(p.determination.outcome for p in previous),
        outcomes,
        list(outcomes),
    )
    rows = [
        PublishedRow(
            code=p.complaint.public_code,
            occurred=p.complaint.occurred_at.astimezone(dt.UTC).date(),
            category=p.complaint.get_category_display(),
            province=p.complaint.incident.province,
            outcome=p.determination.get_outcome_display(),
            summary=p.summary,
            published=p.published_at.astimezone(dt.UTC).date(),
            latitude=p.complaint.incident.latitude,
            longitude=p.complaint.incident.longitude,
        )
        for p in current
    ]
    to_date = Publication.objects.visible_to(None).filter(published_at__lt=period.end).count()
    return PublicFigures(total(by_category), by_category, by_outcome, rows, to_date)
