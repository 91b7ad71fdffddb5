"""Publications (what the secretariat made public of a determined complaint) and the archive of generated reports.

Visibility:
- a publication in force is public by definition: anyone reads it, signed in or not; a withdrawn one stays on
  record for the mediators only;
- a public report is read by anyone; an internal report by the members of its party and by the mediators; nobody
  else (an observer, a person without membership) reads an internal report.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ceasefire.core.models import Membership, Party
from ceasefire.core.rules import is_mediator, is_party_member
from ceasefire.incidents.models import Complaint
from ceasefire.verification.models import Determination

from .enums import Audience, ReportKind


class PublicationQuerySet(models.QuerySet["Publication"]):
    def in_force(self) -> PublicationQuerySet:
        return self.filter(withdrawn_at__isnull=True)

    def visible_to(self, member: Membership | None) -> PublicationQuerySet:
        """Publications in force to anyone; withdrawn ones to the mediators, who decided them."""
        if is_mediator(member):
            return self.all()
        return self.in_force()


class Publication(models.Model):
    """The secretariat's decision to make one determined complaint public, with the summary the public reads.

    The public learns only what is here and the complaint's code, date, category, province and outcome: never the
    narrative, the evidence or the parties' exchanges."""

    public_code = models.CharField(max_length=20, unique=True)
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="publications")
    # The determination in effect when it was published: its outcome is what the public reads.
    determination = models.ForeignKey(Determination, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(_("public summary"))
    published_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    withdrawn_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            # At most one publication in force per complaint; a withdrawn one may be followed by a new one.
            models.UniqueConstraint(
                fields=["complaint"], condition=Q(withdrawn_at__isnull=True), name="publication_one_in_force"
            )
        ]

    def __str__(self) -> str:
        return self.public_code

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


class ReportQuerySet(models.QuerySet["Report"]):
    def visible_to(self, member: Membership | None) -> ReportQuerySet:
        """THE visibility rule of reports: public ones to anyone; internal ones to their party's members and to
        the mediators."""
        public = Q(audience=Audience.PUBLIC)
        if is_mediator(member):
            return self.all()
        if is_party_member(member):
            assert member is not None
            return self.filter(public | Q(audience=Audience.INTERNAL, party=member.party))
        return self.filter(public)


class Report(models.Model):
    """One generated report, archived: its period, audience, party and language, and the SHA-256 of the PDF and
    HTML stored under the data dir (reports/archive.py). Never changed once written: a regeneration is a new
    edition of the same slot."""

    public_code = models.CharField(max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=ReportKind.choices)
    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    audience = models.CharField(_("audience"), max_length=8, choices=Audience.choices)
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("party")
    )
    language = models.CharField(_("language"), max_length=8)
    # kind:first day:audience:party:language, so that "already generated?" is one unique lookup (a NULL party
    # would not be unique in SQL).
    slot = models.CharField(max_length=80)
    edition = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    pdf_sha256 = models.CharField(max_length=64)
    pdf_size = models.PositiveIntegerField()
    html_sha256 = models.CharField(max_length=64)
    html_size = models.PositiveIntegerField()

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "kind", "audience", "party__code", "language", "-edition"]
        constraints = [models.UniqueConstraint(fields=["slot", "edition"], name="report_edition_once")]

    def __str__(self) -> str:
        return self.public_code


def slot_of(kind: str, period_start: object, audience: str, party: Party | None, language: str) -> str:
    return f"{kind}:{period_start}:{audience}:{party.code if party else '-'}:{language}"
