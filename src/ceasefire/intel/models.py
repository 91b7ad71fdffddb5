"""Intelligence items shared under TLP 2.0, their distribution (recipient parties, named people, forwards),
receipts (each recipient's first opening), requests for action with the actions taken and their rating."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ceasefire.core.enums import TLP
from ceasefire.core.models import Membership, Party
from ceasefire.incidents.models import Actor, Complaint, StoredFile

from .enums import ItemState, Rating, RequestState


class IntelItemQuerySet(models.QuerySet["IntelItem"]):
    def visible_to(self, member: Membership | None, *, now: dt.datetime | None = None) -> IntelItemQuerySet:
        """THE visibility rule for intelligence; every read of an item (lists, counts, search, map, exports, API,
        feeds, log pages) goes through it.

        The originator party sees its own items, drafts and expired ones included — except RED, which only its
        author and the named people see. Anyone else sees a shared, unexpired item exactly per TLP 2.0: CLEAR and
        GREEN every member of the mechanism; AMBER and AMBER+STRICT the members of the recipient parties (named
        or forwarded to); RED the named people.
        """
        if member is None or not member.is_active:
            return self.none()
        now = now or timezone.now()
        own = Q(originator_id=member.party_id) & ~Q(tlp=TLP.RED)
        authored = Q(author__user_id=member.user_id, originator_id=member.party_id)
        recipient_party = Exists(IntelRecipient.objects.filter(item=OuterRef("pk"), party_id=member.party_id))
        named = Exists(IntelPerson.objects.filter(item=OuterRef("pk"), user_id=member.user_id))
        distributed = (
            Q(state=ItemState.SHARED)
            & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
            & (
                Q(tlp__in=[TLP.CLEAR, TLP.GREEN])
                | (Q(tlp__in=[TLP.AMBER, TLP.AMBER_STRICT]) & recipient_party)
                | (Q(tlp=TLP.RED) & named)
            )
        )
        return self.filter(own | authored | distributed)


class IntelItem(models.Model):
    public_code = models.CharField(max_length=20, unique=True)
    originator = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="intel_items")
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="intel_items")
    state = models.CharField(_("state"), max_length=8, choices=ItemState.choices, default=ItemState.DRAFT)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body (Markdown)"))
    tlp = models.CharField(_("TLP"), max_length=16, choices=TLP.choices)
    handling = models.TextField(_("handling notes"), blank=True)
    # TLP 2.0 lets an AMBER recipient share onward only as the source allows; STRICT and RED never.
    forwarding_allowed = models.BooleanField(_("recipients may forward to another party"), default=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True, db_index=True)
    actors = models.ManyToManyField(Actor, blank=True, related_name="intel_items")
    complaints = models.ManyToManyField(Complaint, blank=True, related_name="intel_items")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(_("source"), max_length=200, blank=True)  # e.g. "STIX bundle <id>" for imports
    search_text = models.TextField(blank=True)

    objects = IntelItemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["originator", "created_at"]), models.Index(fields=["tlp", "state"])]

    def __str__(self) -> str:
        return self.public_code

    @property
    def restricted(self) -> bool:
        """Its log entries are sealed: anything beyond CLEAR/GREEN, and every draft."""
        return self.state != ItemState.SHARED or self.tlp not in (TLP.CLEAR, TLP.GREEN)


class IntelPlace(models.Model):
    """A place the item is about, located like an incident (side of the reference line, province)."""

    item = models.ForeignKey(IntelItem, on_delete=models.CASCADE, related_name="places")
    name = models.CharField(_("place"), max_length=200)
    latitude = models.FloatField()
    longitude = models.FloatField()
    side = models.CharField(max_length=8, blank=True)
    province = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class IntelForward(models.Model):
    """An AMBER recipient passing the item to another party, as the originator allowed; recorded in the log."""

    item = models.ForeignKey(IntelItem, on_delete=models.CASCADE, related_name="forwards")
    from_party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    to_party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.from_party_id} → {self.to_party_id}"


class IntelRecipient(models.Model):
    """A recipient party of an AMBER or AMBER+STRICT item, named by the originator or reached by a forward."""

    item = models.ForeignKey(IntelItem, on_delete=models.CASCADE, related_name="recipients")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    forward = models.ForeignKey(IntelForward, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["party__code"]
        constraints = [models.UniqueConstraint(fields=["item", "party"], name="intel_recipient_unique")]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.party_id}"


class IntelPerson(models.Model):
    """A named person a RED item is for."""

    item = models.ForeignKey(IntelItem, on_delete=models.CASCADE, related_name="people")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="intel_person_unique")]

    def __str__(self) -> str:
        return f"{self.item_id} → user {self.user_id}"


class IntelFile(models.Model):
    """A file attached to an item or to an action taken; the bytes live once in the evidence store."""

    item = models.ForeignKey(IntelItem, on_delete=models.CASCADE, related_name="files")
    action = models.ForeignKey("ActionTaken", null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    added_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.filename


class Receipt(models.Model):
    """A recipient's first opening of an item (party-wide for CLEAR/GREEN/AMBER, per person for RED), and its
    explicit acknowledgement. The log entry of the opening is the non-repudiable "you were told on this date"."""

    item = models.ForeignKey(IntelItem, on_delete=models.CASCADE, related_name="receipts")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    # "party:AF" or "user:17": who counts as one recipient (a party, or a RED item's named person).
    recipient_key = models.CharField(max_length=40)
    opened_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    opened_sequence = models.BigIntegerField()  # the log entry of the opening, for the receipt download
    acknowledged_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["opened_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "recipient_key"], name="intel_receipt_unique")]

    def __str__(self) -> str:
        return f"{self.item_id} opened by {self.recipient_key}"


class RequestForAction(models.Model):
    """'Act against this group at this place by this date', addressed to one party that can see the item."""

    item = models.OneToOneField(IntelItem, on_delete=models.CASCADE, related_name="request")
    addressee = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="requests_for_action")
    what = models.TextField(_("action requested"))
    where = models.CharField(_("where"), max_length=300, blank=True)
    against = models.ManyToManyField(Actor, blank=True, related_name="+")
    due_at = models.DateTimeField(_("due by"), db_index=True)
    state = models.CharField(max_length=10, choices=RequestState.choices, default=RequestState.OPEN)
    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices, blank=True)
    rating_note = models.TextField(_("why this rating"), blank=True)
    rated_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField(null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]

    def __str__(self) -> str:
        return f"request on {self.item_id}"


class ActionTaken(models.Model):
    request = models.ForeignKey(RequestForAction, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField(_("action taken"))
    taken_on = models.DateField(_("date of the action"))
    recorded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["taken_on", "pk"]

    def __str__(self) -> str:
        return f"action on {self.request_id}"
