"""Party scorecards: per party and per commitment, the same definitions for every party (DEFINITIONS, shown on the
page and in docs/analytics.md).

A scorecard is computed from what the acting membership may see, never more: a party's member sees every party's
card built from its own view (the complaints it filed, those notified to it, the intelligence shared with it);
mediators see complaints once submitted, so their cards count every filed complaint. Each figure is one GROUP BY
over all parties at once, so the number of queries grows with the number of parties (a median each), not with the
records.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, FloatField, Func, OuterRef, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ceasefire.agreements.models import Commitment
from ceasefire.border.conf import border_settings
from ceasefire.border.queries import crossing_rows
from ceasefire.core.enums import PartyKind
from ceasefire.core.models import Membership, Party
from ceasefire.core.rules import is_mediator
from ceasefire.incidents.models import Complaint
from ceasefire.intel.enums import ItemState, RequestState
from ceasefire.intel.models import IntelItem, RequestForAction
from ceasefire.verification.enums import Outcome, ReplyKind
from ceasefire.verification.models import Determination, Reply

from .queries import Period, filed_complaints

# The definitions, in the order the page lists them: (key, term, definition), the same for every party.
DEFINITIONS: list[tuple[str, Any, Any]] = [
    ("filed", _("Complaints filed by the party"), _("Complaints it submitted; drafts are not counted.")),
    ("against", _("Complaints against the party"), _("Submitted complaints naming it as the respondent.")),
    ("outcomes_against", _("Determinations on complaints against it, by outcome"),
     _("The determination in effect of each complaint: the latest round signed by every required mediator.")),
    ("outcomes_filed", _("Determinations on complaints it filed, by outcome"),
     _("The same, for the complaints it filed.")),
    ("breaches", _("Breaches attributed to it"),
     _("Determinations in effect with the outcome 'breach confirmed' that name it as the responsible party.")),
    ("reply_rate", _("Reply rate"),
     _("Of the complaints notified to it whose reply is recorded (accepted, contested, or no reply within the time "
       "limit), the share it accepted or contested.")),
    ("median_reply", _("Median reply time"),
     _("The median of (reply time − time it was notified) over its accepted and contested replies, in hours.")),
    ("requests", _("Requests for action addressed to it"),
     _("Answered: an action was recorded (and possibly rated). Overdue: still open after the due date. Ratings "
       "are the requesting party's.")),
    ("closures", _("Closures without notice"),
     _("Closures of a crossing begun by the party's own status declaration with less advance notice than the "
       "mechanism's minimum (%(hours)d h), or none stated.")),
    ("commitments", _("Per commitment binding it"),
     _("Complaints against it alleging a breach of the commitment, and breaches confirmed against it that name "
       "the commitment.")),
]  # fmt: skip


class HoursBetween(Func):
    """(later − earlier) in hours as a float, computed by the database (Django's own duration arithmetic calls a
    Python function per row on SQLite)."""

    output_field = FloatField()

    def __init__(self, later: Any, earlier: Any) -> None:
        super().__init__(later, earlier)

    def as_sqlite(self, compiler: SQLCompiler, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        (later, p1), (earlier, p2) = (compiler.compile(e) for e in self.source_expressions)
        return f"((julianday({later}) - julianday({earlier})) * 24.0)", (*p1, *p2)

    def as_postgresql(self, compiler: SQLCompiler, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        (later, p1), (earlier, p2) = (compiler.compile(e) for e in self.source_expressions)
        return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 3600.0)", (*p1, *p2)


@dataclass(frozen=True)
class CommitmentLine:
    code: str
    text: str
    alleged: int
    breaches: int


@dataclass
class Scorecard:
    party: Party
    filed: int = 0
    against: int = 0
    outcomes_against: dict[str, int] = field(default_factory=dict)
    outcomes_filed: dict[str, int] = field(default_factory=dict)
    breaches: int = 0
    replies: dict[str, int] = field(default_factory=dict)
    median_reply_hours: float | None = None
    requests: int = 0
    requests_answered: int = 0
    requests_overdue: int = 0
    ratings: dict[str, int] = field(default_factory=dict)
    closures: int = 0
    closures_without_notice: int = 0
    commitments: list[CommitmentLine] = field(default_factory=list)

    @property
    def replied(self) -> int:
        return self.replies.get(ReplyKind.ACCEPTED, 0) + self.replies.get(ReplyKind.CONTESTED, 0)

    @property
    def reply_rate(self) -> float | None:
        """Share answered among notified complaints whose reply is recorded; None when there is none yet."""
        due = self.replied + self.replies.get(ReplyKind.NO_REPLY, 0)
        return round(self.replied / due, 3) if due else None


@dataclass
class Scorecards:
    cards: list[Scorecard]
    whole_view: bool  # True for mediators (every filed complaint); False: computed from the party's own view
    min_notice_hours: int
    period: Period | None


def standing(determinations: QuerySet[Determination]) -> QuerySet[Determination]:
    """Determinations in effect that no later round's determination in effect has replaced."""
    later = Determination.objects.filter(
        complaint=OuterRef("complaint"), round__gt=OuterRef("round"), effective_at__isnull=False
    )
    return determinations.filter(effective_at__isnull=False).exclude(Exists(later))


def _median(values: QuerySet[Any], count: int) -> float | None:
    """The median of an ordered one-column queryset, reading at most two values."""
    if count == 0:
        return None
    lo, hi = (count - 1) // 2, count // 2
    middle = [float(v) for v in values[lo : hi + 1]]
    return round(sum(middle) / len(middle), 1)


def scorecards(
    member: Membership | None, period: Period | None = None, *, now: dt.datetime | None = None
) -> Scorecards:
    now = now or timezone.now()
    parties = list(Party.objects.filter(kind=PartyKind.PARTY))
    cards = {p.pk: Scorecard(party=p) for p in parties}
    complaints = filed_complaints(member, period)
    _complaint_counts(complaints, cards)
    determinations = standing(Determination.objects.visible_to(member).filter(complaint__in=complaints.values("pk")))
    _outcomes(determinations, cards)
    _replies(complaints, cards)
    _requests(member, now, cards)
    min_notice = border_settings().arbitrary_min_notice_hours
    _closures(member, min_notice, cards)
    _commitments(complaints, determinations, cards)
    return Scorecards(
        cards=[cards[p.pk] for p in parties],
        whole_view=is_mediator(member),
        min_notice_hours=min_notice,
        period=period,
    )


def _complaint_counts(complaints: QuerySet[Complaint], cards: dict[int, Scorecard]) -> None:
    for party_id, n in (
        complaints.order_by().values("complainant_id").annotate(n=Count("pk")).values_list("complainant_id", "n")
    ):
        if party_id in cards:
            cards[party_id].filed = n
    for party_id, n in (
        complaints.order_by().values("respondent_id").annotate(n=Count("pk")).values_list("respondent_id", "n")
    ):
        if party_id in cards:
            cards[party_id].against = n


def _outcomes(determinations: QuerySet[Determination], cards: dict[int, Scorecard]) -> None:
    rows = (
        determinations.order_by()
        .values("complaint__respondent_id", "complaint__complainant_id", "outcome", "responsible_party_id")
        .annotate(n=Count("pk"))
        .values_list("complaint__respondent_id", "complaint__complainant_id", "outcome", "responsible_party_id", "n")
    )
    for respondent, complainant, outcome, responsible, n in rows:
        if respondent in cards:
            outcomes = cards[respondent].outcomes_against
            outcomes[outcome] = outcomes.get(outcome, 0) + n
        if complainant in cards:
            outcomes = cards[complainant].outcomes_filed
            outcomes[outcome] = outcomes.get(outcome, 0) + n
        if outcome == Outcome.BREACH_CONFIRMED and responsible in cards:
            cards[responsible].breaches += n


def _replies(complaints: QuerySet[Complaint], cards: dict[int, Scorecard]) -> None:
    replies = Reply.objects.filter(complaint__in=complaints.filter(notified_at__isnull=False).values("pk"))
    for party_id, kind, n in (
        replies.order_by()
        .values("complaint__respondent_id", "kind")
        .annotate(n=Count("pk"))
        .values_list("complaint__respondent_id", "kind", "n")
    ):
        if party_id in cards:
            cards[party_id].replies[kind] = n
    answered = replies.filter(kind__in=(ReplyKind.ACCEPTED, ReplyKind.CONTESTED)).annotate(
        hours=HoursBetween(F("at"), F("complaint__notified_at"))
    )
    for party_id, card in cards.items():
        mine = answered.filter(complaint__respondent_id=party_id).order_by("hours").values_list("hours", flat=True)
        card.median_reply_hours = _median(mine, card.replied)


def _requests(member: Membership | None, now: dt.datetime, cards: dict[int, Scorecard]) -> None:
    """Requests for action on items the member may see (TLP decides, for mediators too)."""
    requests = RequestForAction.objects.filter(
        item__in=IntelItem.objects.visible_to(member, now=now).values("pk"), item__state=ItemState.SHARED
    )
    for party_id, state, rating, n in (
        requests.order_by()
        .values("addressee_id", "state", "rating")
        .annotate(n=Count("pk"))
        .values_list("addressee_id", "state", "rating", "n")
    ):
        if party_id not in cards:
            continue
        card = cards[party_id]
        card.requests += n
        if state in (RequestState.ANSWERED, RequestState.RATED):
            card.requests_answered += n
        if rating:
            card.ratings[rating] = card.ratings.get(rating, 0) + n
    overdue = requests.filter(state=RequestState.OPEN, due_at__lt=now).order_by().values("addressee_id")
    for party_id, n in overdue.annotate(n=Count("pk")).values_list("addressee_id", "n"):
        if party_id in cards:
            cards[party_id].requests_overdue = n


def _closures(member: Membership | None, min_notice_hours: int, cards: dict[int, Scorecard]) -> None:
    by_code = {card.party.code: card for card in cards.values()}
    for row in crossing_rows(member):
        for judged in row.timeline.closures:
            claim = judged.closure.claim
            card = by_code.get(claim.party)
            if card is None:
                continue  # begun by a mediator's observation: no party's closure
            card.closures += 1
            if claim.notice_hours is None or claim.notice_hours < min_notice_hours:
                card.closures_without_notice += 1


def _natural(code: str) -> tuple[str, int, str]:
    """C2 before C10: the letters, then the number, then the rest."""
    match = re.match(r"(\D*)(\d*)(.*)", code)
    assert match is not None
    letters, number, rest = match.groups()
    return letters, int(number or 0), rest


def _commitments(
    complaints: QuerySet[Complaint], determinations: QuerySet[Determination], cards: dict[int, Scorecard]
) -> None:
    alleged: dict[tuple[int, int], int] = defaultdict(int)
    through = Complaint.commitments.through
    for commitment_id, party_id, n in (
        through.objects.filter(complaint__in=complaints.values("pk"))
        .order_by()
        .values("commitment_id", "complaint__respondent_id")
        .annotate(n=Count("pk"))
        .values_list("commitment_id", "complaint__respondent_id", "n")  # type: ignore[misc]
    ):
        alleged[(commitment_id, party_id)] += n
    breaches: dict[tuple[int, int], int] = defaultdict(int)
    named = Determination.commitments.through
    confirmed = determinations.filter(outcome=Outcome.BREACH_CONFIRMED).values("pk")
    for commitment_id, party_id, n in (
        named.objects.filter(determination__in=confirmed)
        .order_by()
        .values("commitment_id", "determination__responsible_party_id")
        .annotate(n=Count("pk"))
        .values_list("commitment_id", "determination__responsible_party_id", "n")  # type: ignore[misc]
    ):
        breaches[(commitment_id, party_id)] += n
    commitments = Commitment.objects.filter(agreement__is_active=True).prefetch_related("bound_parties")
    for commitment in sorted(commitments, key=lambda c: (c.agreement_id, _natural(c.code))):
        for party in commitment.bound_parties.all():
            if party.pk in cards:
                cards[party.pk].commitments.append(
                    CommitmentLine(
                        commitment.code,
                        commitment.text,
                        alleged.get((commitment.pk, party.pk), 0),
                        breaches.get((commitment.pk, party.pk), 0),
                    )
                )
