"""External events (UCDP GED, ACLED, GDELT rows normalised to one shape), the import runs that brought them in,
and correlation links between a complaint and an external event or another complaint."""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ceasefire.core.models import Membership
from ceasefire.geo.enums import Side
from ceasefire.incidents.enums import Category
from ceasefire.incidents.models import Complaint

from .enums import LICENCES, DatePrecision, Licence, LinkStatus, PlacePrecision, RunStatus, Source


def _active(member: Membership | None) -> bool:
    return member is not None and member.is_active


class ImportRunQuerySet(models.QuerySet["ImportRun"]):
    def visible_to(self, member: Membership | None) -> ImportRunQuerySet:
        """Runs are reference data like the events they brought in: every member may read them."""
        return self if _active(member) else self.none()


class ImportRun(models.Model):
    """One import of one file: who, when, the file's SHA-256, the counts and how it ended."""

    public_code = models.CharField(max_length=24, unique=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.BigIntegerField(default=0)
    membership = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT)
    operator = models.CharField(_("run by"), max_length=150)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    bytes_read = models.BigIntegerField(default=0)
    rows_read = models.IntegerField(default=0)
    inserted = models.IntegerField(default=0)
    updated = models.IntegerField(default=0)
    unchanged = models.IntegerField(default=0)
    rejected = models.IntegerField(default=0)
    # Well-formed rows outside what is kept (a GDELT event the source could not place).
    skipped = models.IntegerField(default=0)
    # Valid rows that shared a batch with a rejected one: a batch is stored whole or not at all.
    held_back = models.IntegerField(default=0)
    message = models.TextField(blank=True)
    # The first rejections as {"file", "line", "column", "reason"}; the command line prints all of them.
    rejections = models.JSONField(default=list, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.public_code

    @property
    def progress_percent(self) -> int:
        if self.status == RunStatus.SUCCEEDED or not self.size:
            return 100 if self.status in (RunStatus.SUCCEEDED, RunStatus.FAILED) else 0
        return min(100, int(100 * self.bytes_read / self.size))

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.SUCCEEDED, RunStatus.FAILED)


class ExternalEventQuerySet(models.QuerySet["ExternalEvent"]):
    def visible_to(self, member: Membership | None) -> ExternalEventQuerySet:
        """External events are reference data every member of the mechanism may read; the public may not."""
        return self if _active(member) else self.none()

    def exportable(self) -> ExternalEventQuerySet:
        """Rows whose licence lets them leave the instance (never ACLED's)."""
        return self.filter(source__in=[s for s, lic in LICENCES.items() if lic.exportable])


class ExternalEvent(models.Model):
    """An event as an independent source recorded it, normalised; the source's own words kept as given.

    Written only by the importer (ingest/importer.py, raw batched SQL for speed): keep its column list in step.
    """

    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    source_id = models.CharField(_("source's event id"), max_length=64)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    date_precision = models.CharField(max_length=8, choices=DatePrecision.choices)
    latitude = models.FloatField()
    longitude = models.FloatField()
    place_precision = models.CharField(max_length=10, choices=PlacePrecision.choices)
    location = models.CharField(_("place as given"), max_length=300, blank=True)
    admin1 = models.CharField(max_length=120, blank=True)
    admin2 = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=80, blank=True)
    side = models.CharField(_("side of the reference line"), max_length=8, choices=Side.choices)
    distance_km = models.FloatField(_("distance to the reference line (km)"))
    h3_cell = models.BigIntegerField(help_text="H3 cell at resolution 7, for aggregation on the map")
    category = models.CharField(_("category"), max_length=32, choices=Category.choices, blank=True)
    source_type = models.CharField(_("type in the source"), max_length=120, blank=True)
    actor1 = models.CharField(max_length=300, blank=True)
    actor2 = models.CharField(max_length=300, blank=True)
    fatalities_best = models.IntegerField(null=True, blank=True)
    fatalities_low = models.IntegerField(null=True, blank=True)
    fatalities_high = models.IntegerField(null=True, blank=True)
    source_text = models.TextField(_("source's text"), blank=True)
    content_hash = models.CharField(max_length=32)
    # The run that last wrote or saw the event. Only the importer writes it, with the id of the run it is carrying
    # out, and runs are never deleted (PROTECT). So the database checks nothing here: no index, and no foreign-key
    # constraint, whose check on every inserted row cost a sixth of a million-row import's writes on SQLite.
    last_run = models.ForeignKey(
        ImportRun, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ExternalEventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "source", "source_id"]
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="external_event_source_id")]
        indexes = [models.Index(fields=["starts_on"], name="external_event_starts_on")]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id}"

    @property
    def licence(self) -> Licence:
        return LICENCES[self.source]


class CorrelationLinkQuerySet(models.QuerySet["CorrelationLink"]):
    def visible_to(self, member: Membership | None) -> CorrelationLinkQuerySet:
        """Mediators see every link of a complaint they can see; anyone else only confirmed ones, and a link to
        another complaint only when they can see that complaint too (never a hint that it exists)."""
        complaints = Complaint.objects.visible_to(member)
        links = self.filter(Exists(complaints.filter(pk=OuterRef("complaint_id"))))
        if member is not None and member.is_mediator:
            return links
        other_visible = Exists(complaints.filter(pk=OuterRef("other_complaint_id")))
        return links.filter(status=LinkStatus.CONFIRMED).filter(Q(other_complaint__isnull=True) | other_visible)


class CorrelationLink(models.Model):
    """A complaint and an external event, or two complaints, that may describe the same event."""

    public_code = models.CharField(max_length=24, unique=True)
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="correlation_links")
    event = models.ForeignKey(
        ExternalEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="correlation_links"
    )
    other_complaint = models.ForeignKey(Complaint, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("reasons"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=LinkStatus.choices, default=LinkStatus.CANDIDATE)
    computed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = CorrelationLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "event"], condition=Q(event__isnull=False), name="correlation_complaint_event"
            ),
            models.UniqueConstraint(
                fields=["complaint", "other_complaint"],
                condition=Q(other_complaint__isnull=False),
                name="correlation_complaint_pair",
            ),
            models.CheckConstraint(
                condition=Q(event__isnull=True) ^ Q(other_complaint__isnull=True), name="correlation_one_target"
            ),
        ]

    def __str__(self) -> str:
        return self.public_code

    @property
    def is_pair(self) -> bool:
        return self.other_complaint_id is not None
