"""The figures of an internal report, read as one party's reader (queries.party_reader) through visible_to:
complaints that reached the party in the period against the period before (by category, by complainant), the
new complaints themselves, determinations that took effect, and casualties as each claimant claimed them.

A complaint counts in the period in which it reached the reader: when it was filed (submitted) for the complainant
and the mediators, when the respondent was notified of it for the respondent, which sees it only from then on.
Casualty figures are each claimant's own, summed per claimant only, never across claimants.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum

from ceasefire.core.models import Membership, Party
from ceasefire.core.rules import is_mediator
from ceasefire.incidents.enums import CasualtyKind, CasualtyStatus, Category
from ceasefire.incidents.models import CasualtyClaim, Complaint
from ceasefire.verification.enums import Outcome
from ceasefire.verification.models import Determination

from .periods import Period, trend_days

# The new-complaints table lists at most this many rows; the counts above it always cover all of them.
LIST_LIMIT = 200


@dataclass(frozen=True)
class Compared:
    """One count in this period and the period before."""

    key: str
    label: str
    current: int
    previous: int

    @property
    def change(self) -> int:
        return self.current - self.previous


def compare(
    current: Mapping[str, int], previous: Mapping[str, int], labels: Mapping[str, str], order: Sequence[str] = ()
) -> list[Compared]:
    """Counts for every key seen in either period, in `order` first (an enum's order), then by label."""
    keys = [k for k in order if k in current or k in previous]
    keys += sorted((k for k in {*current, *previous} if k not in keys), key=lambda k: labels.get(k, k))
    return [Compared(k, labels.get(k, k), current.get(k, 0), previous.get(k, 0)) for k in keys]


def total(counts: Iterable[Compared], label: str = "") -> Compared:
    rows = list(counts)
    return Compared("total", label, sum(r.current for r in rows), sum(r.previous for r in rows))


def _between(prefix: str, start: dt.datetime, end: dt.datetime) -> Q:
    return Q(**{f"{prefix}__gte": start, f"{prefix}__lt": end})


def arrived(reader: Membership, start: dt.datetime, end: dt.datetime) -> QuerySet[Complaint]:
    """Complaints that reached the reader between start and end (see the module's note)."""
    visible = Complaint.objects.visible_to(reader)
    if is_mediator(reader):
        return visible.filter(_between("submitted_at", start, end))
    party = reader.party
    return visible.filter(
        Q(complainant=party) & _between("submitted_at", start, end)
        | Q(respondent=party) & _between("notified_at", start, end)
    )


def _count_by(queryset: QuerySet[Complaint], field_name: str) -> dict[str, int]:
    rows = queryset.order_by().values(field_name).annotate(n=Count("pk")).values_list(field_name, "n")
    return {str(key): int(n) for key, n in rows}


@dataclass(frozen=True)
class ComplaintRow:
    code: str
    occurred: dt.date
    category: str
    province: str
    side: str
    complainant: str
    respondent: str
    state: str
    complainant_code: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class DeterminationRow:
    complaint: str
    effective: dt.date
    outcome: str
    responsible: str  # the party the breach is attributed to; empty when no attribution was made
    commitments: str


@dataclass(frozen=True)
class CasualtyLine:
    kind: str
    status: str
    current: int
    previous: int


@dataclass(frozen=True)
class ClaimantCasualties:
    claimant: Party
    lines: list[CasualtyLine]
    killed: Compared
    injured: Compared


@dataclass
class ComplaintFigures:
    filed: Compared
    by_category: list[Compared]
    by_complainant: list[Compared]
    new: list[ComplaintRow]
    new_total: int
    determined: Compared
    by_outcome: list[Compared]
    determinations: list[DeterminationRow]
    casualties: list[ClaimantCasualties]
    trend: list[dict[str, object]] = field(default_factory=list)  # day, party, count (the trend chart's rows)


def complaint_figures(reader: Membership, period: Period, parties: Sequence[Party]) -> ComplaintFigures:
    previous = period.previous
    current_qs = arrived(reader, period.start, period.end)
    previous_qs = arrived(reader, previous.start, previous.end)
    categories = {str(c.value): str(c.label) for c in Category}
    by_category = compare(
        _count_by(current_qs, "category"), _count_by(previous_qs, "category"), categories, list(categories)
    )
    names = {str(p.pk): p.display_name for p in parties}
    by_complainant = compare(
        _count_by(current_qs, "complainant"), _count_by(previous_qs, "complainant"), names, list(names)
    )
    rows = list(
        current_qs.select_related("incident", "complainant", "respondent").order_by("occurred_at", "pk")[:LIST_LIMIT]
    )
    new = [
        ComplaintRow(
            code=c.public_code,
            occurred=c.occurred_at.astimezone(dt.UTC).date(),
            category=c.get_category_display(),
            province=c.incident.province,
            side=c.incident.get_side_display(),
            complainant=c.complainant.display_name,
            respondent=c.respondent.display_name,
            state=c.get_state_display(),
            complainant_code=c.complainant.code,
            latitude=c.incident.latitude,
            longitude=c.incident.longitude,
        )
        for c in rows
    ]
    determined, by_outcome, determinations = _determinations(reader, period)
    return ComplaintFigures(
        filed=total(by_category),
        by_category=by_category,
        by_complainant=by_complainant,
        new=new,
        new_total=sum(c.current for c in by_category),
        determined=determined,
        by_outcome=by_outcome,
        determinations=determinations,
        casualties=_casualties(current_qs, previous_qs, parties),
        trend=_trend(reader, period, parties),
    )


def _in_effect(reader: Membership, period: Period) -> QuerySet[Determination]:
    return Determination.objects.visible_to(reader).filter(_between("effective_at", period.start, period.end))


def _determinations(reader: Membership, period: Period) -> tuple[Compared, list[Compared], list[DeterminationRow]]:
    outcomes = {str(o.value): str(o.label) for o in Outcome}

    def by_outcome(qs: QuerySet[Determination]) -> dict[str, int]:
        rows = qs.order_by().values("outcome").annotate(n=Count("pk")).values_list("outcome", "n")
        return {str(k): int(n) for k, n in rows}

    current = _in_effect(reader, period)
    counts = compare(by_outcome(current), by_outcome(_in_effect(reader, period.previous)), outcomes, list(outcomes))
    rows = [
        DeterminationRow(
            complaint=d.complaint.public_code,
            effective=d.effective_at.astimezone(dt.UTC).date() if d.effective_at else period.first_day,
            outcome=d.get_outcome_display(),
            responsible=d.responsible_party.display_name if d.responsible_party else "",
            commitments=", ".join(sorted(c.code for c in d.commitments.all())),
        )
        for d in current.select_related("complaint", "responsible_party")
        .prefetch_related("commitments")
        .order_by("effective_at", "pk")
    ]
    return total(counts), counts, rows


def _casualties(
    current: QuerySet[Complaint], previous: QuerySet[Complaint], parties: Sequence[Party]
) -> list[ClaimantCasualties]:
    """Each claimant's claimed casualties on the complaints counted in each period, apart."""

    def sums(complaints: QuerySet[Complaint]) -> dict[tuple[int, str, str], int]:
        rows = (
            CasualtyClaim.objects.filter(complaint__in=complaints.order_by().values("pk"))
            .order_by()
            .values("claimant", "kind", "status")
            .annotate(best=Sum("best"))
        )
        return {(r["claimant"], r["kind"], r["status"]): int(r["best"] or 0) for r in rows}

    now, before = sums(current), sums(previous)
    result = []
    for party in parties:
        lines = [
            CasualtyLine(str(kind.label), str(status.label), now.get(key, 0), before.get(key, 0))
            for kind in CasualtyKind
            for status in CasualtyStatus
            if (key := (party.pk, kind.value, status.value)) in now or key in before
        ]
        if not lines:
            continue

        def of(kind: str, figures: dict[tuple[int, str, str], int], party: Party = party) -> int:
            return sum(n for (claimant, k, _s), n in figures.items() if claimant == party.pk and k == kind)

        killed = Compared("killed", str(CasualtyKind.KILLED.label), of("killed", now), of("killed", before))
        injured = Compared("injured", str(CasualtyKind.INJURED.label), of("injured", now), of("injured", before))
        result.append(ClaimantCasualties(party, lines, killed, injured))
    return result


def _trend(reader: Membership, period: Period, parties: Sequence[Party]) -> list[dict[str, object]]:
    """Complaints per day and complainant over the trend window, by the day each reached the reader."""
    days = trend_days(period)
    start = dt.datetime.combine(days[0], dt.time.min, tzinfo=dt.UTC)
    rows = arrived(reader, start, period.end).values_list(
        "complainant_id", "respondent_id", "submitted_at", "notified_at"
    )
    codes = {p.pk: p.code for p in parties}
    counts: Counter[tuple[dt.date, str]] = Counter()
    for complainant, respondent, submitted, notified in rows:
        received = notified if respondent == reader.party_id and not is_mediator(reader) else submitted
        if received is not None:
            counts[(received.astimezone(dt.UTC).date(), codes.get(complainant, "?"))] += 1
    filed: dict[str, list[dict[str, object]]] = defaultdict(list)
    for (day, code), n in sorted(counts.items()):
        filed[code].append({"day": day.isoformat(), "party": code, "count": n})
    return [row for code in sorted(filed) for row in filed[code]]
