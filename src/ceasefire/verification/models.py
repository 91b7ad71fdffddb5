"""The complaint workflow's records: the history of moves, the respondent's reply, the investigation (assignments,
tasks, notes, evidence grades, corroborating incidents, findings), determinations with their signatures and
dissents, appeals, and the notifications each move sends.

Every row belongs to one complaint, and is read through that complaint's visibility rule plus the stage rule of
its kind (queries.py): investigation material and draft determinations reach mediators only, ever.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ceasefire.agreements.models import Commitment, PenaltyType
from ceasefire.core.enums import PartyKind
from ceasefire.core.models import Membership, Party
from ceasefire.incidents.enums import ComplaintState
from ceasefire.incidents.models import Complaint, Evidence, Incident

from .enums import Credibility, EventKind, Outcome, Reliability, ReplyKind, TaskKind


def _mediator(member: Membership | None) -> bool:
    return member is not None and member.is_active and member.party.kind == PartyKind.MEDIATOR


class Transition(models.Model):
    """One move of a complaint: who (acting for which party), when, from, to, and the note given."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="transitions")
    round = models.PositiveSmallIntegerField(default=1)
    from_state = models.CharField(max_length=24, choices=ComplaintState.choices, blank=True)
    to_state = models.CharField(max_length=24, choices=ComplaintState.choices)
    by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["complaint", "at"]), models.Index(fields=["to_state", "at"])]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.from_state or '-'} → {self.to_state}"


class Reply(models.Model):
    """The respondent's answer (or its absence, recorded by the worker when the time limit passed)."""

    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="reply")
    kind = models.CharField(max_length=12, choices=ReplyKind.choices)
    account = models.TextField(_("the respondent's account"), blank=True)
    by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.kind}"


class Assignment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="assignments")
    round = models.PositiveSmallIntegerField(default=1)
    investigator = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="assignments")
    assigned_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "round", "investigator"], name="assignment_once_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} ← {self.investigator_id}"


class InvestigationTask(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="investigation_tasks")
    round = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices)
    description = models.TextField(_("description"))
    due_at = models.DateTimeField(_("due"))
    assigned_to = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    result = models.TextField(blank=True)

    class Meta:
        ordering = ["due_at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.kind} due {self.due_at:%Y-%m-%d}"


class InvestigationNote(models.Model):
    """Mediators' working notes: never shown to a party, before or after the determination."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="investigation_notes")
    round = models.PositiveSmallIntegerField(default=1)
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: note {self.pk}"


class EvidenceGrade(models.Model):
    """An investigator's Admiralty grade of one evidence item: the source's reliability and the item's credibility,
    separately. Grades are kept as a history; the latest is the current one. Mediators only."""

    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="grades")
    reliability = models.CharField(_("source reliability"), max_length=1, choices=Reliability.choices)
    credibility = models.CharField(_("item credibility"), max_length=1, choices=Credibility.choices)
    note = models.TextField(_("reason"), blank=True)
    graded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.evidence_id}: {self.reliability}{self.credibility}"


class Corroboration(models.Model):
    """A link from a complaint under investigation to another incident that corroborates (or contradicts) it."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="corroborations")
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("why it is related"))
    by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["complaint", "incident"], name="corroboration_once")]

    def __str__(self) -> str:
        return f"{self.complaint_id} ~ {self.incident_id}"


class Findings(models.Model):
    """The investigators' summary that closes one round of investigation: one record per round, however many
    investigators press "finish" at the same moment (the unique constraint decides)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="findings")
    round = models.PositiveSmallIntegerField(default=1)
    summary = models.TextField(_("findings"))
    by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round"]
        constraints = [models.UniqueConstraint(fields=["complaint", "round"], name="findings_once_per_round")]

    def __str__(self) -> str:
        return f"{self.complaint_id}: findings round {self.round}"


class DeterminationQuerySet(models.QuerySet["Determination"]):
    def visible_to(self, member: Membership | None) -> DeterminationQuerySet:
        """Mediators see drafts and determinations in effect; a party sees one only once in effect, and only on
        a complaint it may see."""
        complaints = Complaint.objects.visible_to(member)
        mine = self.filter(complaint__in=complaints)
        if _mediator(member):
            return mine
        return mine.filter(effective_at__isnull=False)


class Determination(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="determinations")
    round = models.PositiveSmallIntegerField(default=1)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    responsible_party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible party")
    )
    commitments = models.ManyToManyField(Commitment, blank=True, related_name="+", verbose_name=_("commitments"))
    measures = models.ManyToManyField(PenaltyType, blank=True, related_name="+", verbose_name=_("measures"))
    reasons = models.TextField(_("reasons"))
    drafted_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(default=timezone.now)
    effective_at = models.DateTimeField(null=True, blank=True)
    appeal_until = models.DateTimeField(null=True, blank=True)

    objects = DeterminationQuerySet.as_manager()

    class Meta:
        ordering = ["round"]
        constraints = [models.UniqueConstraint(fields=["complaint", "round"], name="determination_once_per_round")]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.outcome} (round {self.round})"

    @property
    def in_effect(self) -> bool:
        return self.effective_at is not None


class Signature(models.Model):
    """An adjudicator's signature, one per mediator party: the unique constraint is what refuses a second one."""

    determination = models.ForeignKey(Determination, on_delete=models.PROTECT, related_name="signatures")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["determination", "party"], name="signature_once_per_party")]

    def __str__(self) -> str:
        return f"{self.determination_id} signed for {self.party_id}"


class Dissent(models.Model):
    determination = models.ForeignKey(Determination, on_delete=models.PROTECT, related_name="dissents")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("dissenting statement"))
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["determination", "party"], name="dissent_once_per_party")]

    def __str__(self) -> str:
        return f"{self.determination_id}: dissent of {self.party_id}"


class Appeal(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="appeals")
    determination = models.ForeignKey(Determination, on_delete=models.PROTECT, related_name="appeals")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    grounds = models.TextField(_("grounds of appeal"))
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["complaint", "party"], name="appeal_once_per_party")]

    def __str__(self) -> str:
        return f"{self.complaint_id}: appeal by {self.party_id}"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, member: Membership | None) -> NotificationQuerySet:
        """A member's own notifications, re-checked against the complaint's visibility now: a notification
        never shows what its reader may no longer see."""
        if member is None or not member.is_active:
            return self.none()
        from ceasefire.analytics.models import Alert  # analytics sits above verification
        from ceasefire.intel.models import IntelItem  # intel sits above verification

        # Each subject is checked as a correlated EXISTS on its own row, not as IN (every visible complaint): the
        # database then looks at the few subjects of this member's notifications, where IN had it list all of
        # them first (100k complaints for a mediator, on every page's unread count).
        complaint = Exists(Complaint.objects.visible_to(member).filter(pk=OuterRef("complaint_id")))
        intel_item = Exists(IntelItem.objects.visible_to(member).filter(pk=OuterRef("intel_item_id")))
        alert = Exists(Alert.objects.visible_to(member).filter(pk=OuterRef("alert_id")))
        mine = self.filter(recipient=member).filter(
            Q(complaint__isnull=True) | complaint,
            Q(intel_item__isnull=True) | intel_item,
            Q(alert__isnull=True) | alert,
        )
        if not _mediator(member):
            mine = mine.filter(mediators_only=False)
        return mine


class Notification(models.Model):
    """One event told to one member. The message is composed when shown, in the reader's language, from `kind`
    and `params` (codes, states and times only, never investigation content)."""

    recipient = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="notifications")
    complaint = models.ForeignKey(Complaint, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    intel_item = models.ForeignKey("intel.IntelItem", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # An early-warning alert the member subscribed to (analytics/alerts_notify.py).
    alert = models.ForeignKey("analytics.Alert", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    params = models.JSONField(default=dict, blank=True)
    mediators_only = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Reminders are sent once per due time: the key makes a second sweep or a duplicated task a no-op.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.kind}"


def new_feed_key() -> str:
    return secrets.token_urlsafe(24)


class FeedKey(models.Model):
    """The secret in a member's private Atom feed address (feed readers cannot sign in); replaceable at will."""

    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="feed_key")
    key = models.CharField(max_length=64, unique=True, default=new_feed_key)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"feed of {self.membership_id}"
