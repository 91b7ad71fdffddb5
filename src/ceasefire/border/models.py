"""Border data on top of the crossing registry (geo.Crossing): status declarations and their resolutions,
registry edits, people flows, trade days, loss claims, transit obstacles, and links to complaints.

Visibility: crossing status, flows, trade figures and obstacles are mechanism-internal — every active member of a
party or a mediator sees them (BorderQuerySet.visible_to). Loss claims are seen by the same members but are always
attributed to their claimant and never summed across claimants. Links to complaints are seen through the
complaint (Complaint.objects.visible_to).
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ceasefire.core.enums import PartyKind
from ceasefire.core.models import Membership, Party
from ceasefire.geo.models import Crossing
from ceasefire.incidents.models import Complaint

from .enums import (
    CrossingStatus,
    Direction,
    FigureSource,
    FlowCategory,
    ObstacleKind,
    ObstacleStatus,
    Restriction,
)
from .timeline import Claim

_M = TypeVar("_M", bound=models.Model)


class BorderQuerySet(models.QuerySet[_M]):
    def visible_to(self, member: Membership | None) -> BorderQuerySet[_M]:
        """THE visibility rule of border data: every active member of a party or a mediator; nobody else."""
        if member is None or not member.is_active:
            return self.none()
        if member.party.kind not in (PartyKind.PARTY, PartyKind.MEDIATOR):
            return self.none()
        return self.all()


class ConflictResolution(models.Model):
    """The mediators' decision on conflicting declarations: which claim the timeline follows. The other claims
    stay on record, marked as set aside."""

    public_code = models.CharField(max_length=20, unique=True)
    crossing = models.ForeignKey(Crossing, on_delete=models.PROTECT, related_name="conflict_resolutions")
    accepted = models.ForeignKey("StatusDeclaration", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"))
    resolved_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(default=timezone.now)

    objects = BorderQuerySet["ConflictResolution"].as_manager()

    class Meta:
        ordering = ["-resolved_at"]

    def __str__(self) -> str:
        return self.public_code


class StatusDeclaration(models.Model):
    """One party's (or a mediator's observed) statement that a crossing's status changed at a time. Never edited
    or deleted: a correction is a new declaration, a conflict is resolved by the mediators."""

    public_code = models.CharField(max_length=20, unique=True)
    crossing = models.ForeignKey(Crossing, on_delete=models.PROTECT, related_name="status_declarations")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    declared_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=CrossingStatus.choices)
    restriction = models.CharField(_("restricted to"), max_length=32, choices=Restriction.choices, blank=True)
    restriction_note = models.CharField(_("restriction note"), max_length=300, blank=True)
    effective_at = models.DateTimeField(_("effective from"))
    reason = models.TextField(_("stated reason"), blank=True)
    # None: no notice was stated; 0: declared as immediate.
    notice_hours = models.PositiveIntegerField(_("advance notice (hours)"), null=True, blank=True)
    expected_reopening = models.DateTimeField(_("expected reopening"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    resolution = models.ForeignKey(
        ConflictResolution, null=True, blank=True, on_delete=models.PROTECT, related_name="declarations"
    )
    set_aside = models.BooleanField(default=False)

    objects = BorderQuerySet["StatusDeclaration"].as_manager()

    class Meta:
        ordering = ["effective_at", "recorded_at", "pk"]
        indexes = [models.Index(fields=["crossing", "effective_at"])]

    def __str__(self) -> str:
        return self.public_code

    def as_claim(self) -> Claim:
        """The timeline's view of this declaration (select_related("party") to avoid a query each)."""
        return Claim(
            code=self.public_code,
            party=self.party.code,
            effective_at=self.effective_at,
            status=self.status,
            restriction=self.restriction,
            reason=self.reason,
            notice_hours=self.notice_hours,
            set_aside=self.set_aside,
        )


class CrossingEdit(models.Model):
    """A secretariat edit of the crossing registry, field by field (before, after): the crossing's history."""

    crossing = models.ForeignKey(Crossing, on_delete=models.CASCADE, related_name="registry_edits")
    edited_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    edited_at = models.DateTimeField(default=timezone.now)
    changes = models.JSONField(default=dict)
    note = models.CharField(max_length=300, blank=True)

    objects = BorderQuerySet["CrossingEdit"].as_manager()

    class Meta:
        ordering = ["-edited_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.crossing_id} edited {self.edited_at:%Y-%m-%d}"


class FlowBatch(models.Model):
    """One import of flow figures (a CSV file or an API batch): all its rows or none."""

    public_code = models.CharField(max_length=20, unique=True)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    imported_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)

    objects = BorderQuerySet["FlowBatch"].as_manager()

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.public_code


class FlowCount(models.Model):
    """People crossing on one day at one crossing in one direction, as one source counted them."""

    batch = models.ForeignKey(FlowBatch, on_delete=models.PROTECT, related_name="counts")
    crossing = models.ForeignKey(Crossing, on_delete=models.PROTECT, related_name="flow_counts")
    day = models.DateField(_("day"))
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    category = models.CharField(_("category"), max_length=12, choices=FlowCategory.choices)
    total = models.PositiveIntegerField(_("people"))
    documented = models.PositiveIntegerField(_("documented"), null=True, blank=True)
    undocumented = models.PositiveIntegerField(_("undocumented"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=FigureSource.choices)
    source_note = models.CharField(_("source note"), max_length=300, blank=True)
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")  # who recorded it

    objects = BorderQuerySet["FlowCount"].as_manager()

    class Meta:
        ordering = ["day", "crossing__name", "direction", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["crossing", "day", "direction", "category", "source", "party"], name="flow_count_unique"
            )
        ]
        indexes = [models.Index(fields=["crossing", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.crossing_id} {self.category} {self.total}"


class TradeDay(models.Model):
    """Trucks waiting and crossed at one crossing on one day, and goods held, as one party recorded them."""

    crossing = models.ForeignKey(Crossing, on_delete=models.PROTECT, related_name="trade_days")
    day = models.DateField(_("day"))
    trucks_waiting = models.PositiveIntegerField(_("trucks waiting"), null=True, blank=True)
    # A reported range ("4,000–5,000 trucks") keeps its upper bound here; trucks_waiting is then the lower one.
    trucks_waiting_high = models.PositiveIntegerField(_("trucks waiting (upper bound)"), null=True, blank=True)
    trucks_crossed = models.PositiveIntegerField(_("trucks crossed"), null=True, blank=True)
    goods_held = models.CharField(_("goods held"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=FigureSource.choices)
    source_note = models.CharField(_("source note"), max_length=300, blank=True)
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = BorderQuerySet["TradeDay"].as_manager()

    class Meta:
        ordering = ["day", "crossing__name"]
        constraints = [models.UniqueConstraint(fields=["crossing", "day", "source", "party"], name="trade_day_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.crossing_id}"


class LossClaim(models.Model):
    """One party's estimate of its losses from closures and obstacles: attributed, never summed with another
    party's (the two sides' figures answer different questions and neither is verified)."""

    public_code = models.CharField(max_length=20, unique=True)
    claimant = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    crossing = models.ForeignKey(Crossing, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    amount_usd = models.PositiveBigIntegerField(_("estimated loss (USD)"))
    basis = models.TextField(_("basis of the estimate"), blank=True)
    recorded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = BorderQuerySet["LossClaim"].as_manager()

    class Meta:
        ordering = ["claimant__code", "period_start"]

    def __str__(self) -> str:
        return self.public_code


class TransitObstacle(models.Model):
    public_code = models.CharField(max_length=20, unique=True)
    crossing = models.ForeignKey(Crossing, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=ObstacleKind.choices)
    description = models.TextField(_("description"))
    imposed_by = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    observed_from = models.DateField(_("observed from"))
    status = models.CharField(_("status"), max_length=12, choices=ObstacleStatus.choices)
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")  # the reporting party
    reported_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = BorderQuerySet["TransitObstacle"].as_manager()

    class Meta:
        ordering = ["-observed_from", "public_code"]

    def __str__(self) -> str:
        return self.public_code


class ObstacleUpdate(models.Model):
    """The history of an obstacle: each status it was given, by whom, when, and why."""

    obstacle = models.ForeignKey(TransitObstacle, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=12, choices=ObstacleStatus.choices)
    note = models.TextField(blank=True)
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.obstacle_id} {self.status}"


class ComplaintLinkQuerySet(models.QuerySet[_M]):
    def visible_to(self, member: Membership | None) -> ComplaintLinkQuerySet[_M]:
        """A link is seen exactly when its complaint is."""
        return self.filter(complaint__in=Complaint.objects.visible_to(member))


class ComplaintClosure(models.Model):
    """A complaint about a closure names the declaration that began it; the closure's facts are derived."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    declaration = models.ForeignKey(StatusDeclaration, on_delete=models.PROTECT, related_name="+")
    linked_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(default=timezone.now)

    objects = ComplaintLinkQuerySet["ComplaintClosure"].as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["complaint", "declaration"], name="complaint_closure_unique")]

    def __str__(self) -> str:
        return f"{self.complaint_id} -> {self.declaration_id}"


class FlowCitation(models.Model):
    """A complaint cites the flow figures of one crossing over a period (all categories when blank)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    crossing = models.ForeignKey(Crossing, on_delete=models.PROTECT, related_name="+")
    date_from = models.DateField()
    date_to = models.DateField()
    category = models.CharField(max_length=12, choices=FlowCategory.choices, blank=True)
    linked_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(default=timezone.now)

    objects = ComplaintLinkQuerySet["FlowCitation"].as_manager()

    class Meta:
        ordering = ["linked_at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id} cites {self.crossing_id} {self.date_from}..{self.date_to}"
