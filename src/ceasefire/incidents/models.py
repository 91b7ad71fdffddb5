"""Incidents (what happened), complaints (a party's allegation about one), casualty claims per claimant,
evidence files and their chain of custody, and the registry of armed actors."""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ceasefire.agreements.models import Agreement, Commitment
from ceasefire.core.enums import TLP, PartyKind
from ceasefire.core.models import Membership, Party
from ceasefire.geo.enums import PlacePrecision, Side
from ceasefire.geo.models import Crossing, Place

from .enums import (
    ActorKind,
    CasualtyKind,
    CasualtyStatus,
    Category,
    ComplaintState,
    CustodyAction,
    TimePrecision,
)


class Actor(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ActorKind.choices)
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="forces")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ComplaintQuerySet(models.QuerySet["Complaint"]):
    def visible_to(self, member: Membership | None) -> ComplaintQuerySet:
        """THE visibility rule for complaints; every read goes through it.

        The complainant party sees its own complaints (drafts included); mediators see every complaint once
        submitted; the respondent sees one only after it was notified; anyone else sees nothing.
        """
        if member is None or not member.is_active:
            return self.none()
        party = member.party
        if party.kind == PartyKind.MEDIATOR:
            return self.filter(Q(complainant=party) | ~Q(state=ComplaintState.DRAFT))
        if party.kind == PartyKind.PARTY:
            return self.filter(Q(complainant=party) | Q(respondent=party, notified_at__isnull=False))
        return self.none()


class IncidentQuerySet(models.QuerySet["Incident"]):
    def visible_to(self, member: Membership | None) -> IncidentQuerySet:
        """An incident is seen through a complaint one may see about it."""
        visible = Complaint.objects.visible_to(member).filter(incident=OuterRef("pk"))
        return self.filter(Exists(visible))


class Incident(models.Model):
    public_code = models.CharField(max_length=20, unique=True)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    time_precision = models.CharField(_("time precision"), max_length=8, choices=TimePrecision.choices)
    latitude = models.FloatField()
    longitude = models.FloatField()
    place_precision = models.CharField(max_length=10, choices=PlacePrecision.choices, default=PlacePrecision.EXACT)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents")
    place_description = models.CharField(_("place as described"), max_length=300, blank=True)
    # Computed by geo/ from the reference dataset named in reference_dataset, when the incident is saved.
    side = models.CharField(_("side of the reference line"), max_length=8, choices=Side.choices)
    distance_km = models.FloatField(_("distance to the reference line (km)"))
    province = models.CharField(_("province"), max_length=100, blank=True)
    nearest_crossing = models.ForeignKey(Crossing, null=True, blank=True, on_delete=models.SET_NULL)
    nearest_crossing_km = models.FloatField(null=True, blank=True)
    reference_dataset = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["category", "starts_at"]), models.Index(fields=["province"])]

    def __str__(self) -> str:
        return self.public_code


class Complaint(models.Model):
    public_code = models.CharField(max_length=20, unique=True)
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="complaints")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="complaints")
    complainant = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="complaints_filed")
    respondent = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="complaints_received")
    commitments = models.ManyToManyField(Commitment, related_name="complaints")
    actors = models.ManyToManyField(Actor, blank=True, related_name="complaints")
    title = models.CharField(_("title"), max_length=200)
    narrative = models.TextField(_("narrative"))
    tlp = models.CharField(_("TLP"), max_length=16, choices=TLP.choices, default=TLP.AMBER)
    state = models.CharField(_("state"), max_length=24, choices=ComplaintState.choices, db_index=True)
    filed_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="complaints_filed")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    # The workflow's clocks (verification/): set when a stage starts, cleared when it ends.
    reply_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    investigation_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Investigation rounds: 1, then one more for each appeal that reopened the investigation.
    round = models.PositiveSmallIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    # Denormalised for filtering long lists without a join per row.
    category = models.CharField(max_length=32, choices=Category.choices, db_index=True)
    occurred_at = models.DateTimeField(db_index=True)
    search_text = models.TextField(blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["complainant", "occurred_at"]),
            models.Index(fields=["respondent", "occurred_at"]),
            models.Index(fields=["state", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return self.public_code


class CasualtyClaim(models.Model):
    """One claimant's figure; the two sides' claims about the same incident are kept apart, never merged."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="casualty_claims")
    claimant = models.ForeignKey(Party, on_delete=models.PROTECT)
    kind = models.CharField(max_length=8, choices=CasualtyKind.choices)
    status = models.CharField(max_length=10, choices=CasualtyStatus.choices)
    low = models.PositiveIntegerField(null=True, blank=True)
    best = models.PositiveIntegerField()
    high = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "status"]

    def __str__(self) -> str:
        return f"{self.claimant.code}: {self.best} {self.status} {self.kind}"


class StoredFile(models.Model):
    """An immutable original, stored once under its SHA-256 however often it is uploaded."""

    sha256 = models.CharField(max_length=64, unique=True)
    size = models.BigIntegerField()
    media_type = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.sha256


class EvidenceQuerySet(models.QuerySet["Evidence"]):
    def visible_to(self, member: Membership | None) -> EvidenceQuerySet:
        return self.filter(complaint__in=Complaint.objects.visible_to(member))


class Evidence(models.Model):
    public_code = models.CharField(max_length=20, unique=True)
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="evidence")
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="evidence")
    filename = models.CharField(_("file name"), max_length=255)
    description = models.CharField(_("description"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    captured_at = models.DateTimeField(_("captured at"), null=True, blank=True)
    added_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="evidence_added")
    added_at = models.DateTimeField(default=timezone.now)
    # Investigators' Admiralty grades are verification.EvidenceGrade rows: mediators only, so not on this row.

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"{self.public_code} {self.filename}"


class CustodyEvent(models.Model):
    """The chain of custody: every addition, view, download and export of an evidence item."""

    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="custody")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT)
    action = models.CharField(max_length=12, choices=CustodyAction.choices)
    at = models.DateTimeField(default=timezone.now)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.evidence_id} {self.action} by {self.membership_id}"
