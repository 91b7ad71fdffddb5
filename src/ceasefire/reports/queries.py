"""Read helpers of the reports app, all through visible_to: the reader a party's internal report is built for,
the archived reports one may read, publications, and the determined complaints the secretariat may publish."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from ceasefire.core.enums import PartyKind, Role
from ceasefire.core.errors import NotVisible
from ceasefire.core.models import Membership, Party
from ceasefire.incidents.enums import ComplaintState
from ceasefire.incidents.models import Complaint
from ceasefire.verification.models import Determination

from .models import Publication, Report

# A complaint can be published once its determination is in effect (and after it is closed).
PUBLISHABLE_STATES = (ComplaintState.DETERMINED, ComplaintState.CLOSED)


def party_reader(party: Party) -> Membership:
    """A membership of `party` that is never saved: what every member of the party may see, and no more.

    The visibility rules (complaints, determinations, border data) depend on the party and its kind, never on a
    member's role or person, so a viewer of the party reads exactly what each of its members reads. Internal
    reports are built as this reader, so a report never shows a party anything one of its members could not open.
    """
    return Membership(party=party, role=Role.VIEWER, is_active=True)


def report_parties() -> QuerySet[Party]:
    """The parties an internal report can be made for: the parties and the mediators (not observers)."""
    return Party.objects.filter(kind__in=(PartyKind.PARTY, PartyKind.MEDIATOR)).order_by("code")


def visible_reports(member: Membership | None) -> QuerySet[Report]:
    return Report.objects.visible_to(member).select_related("party", "created_by__user")


def get_report(member: Membership | None, public_code: str) -> Report:
    report = visible_reports(member).filter(public_code=public_code).first()
    if report is None:
        raise NotVisible("No such report.")
    return report


def visible_publications(member: Membership | None) -> QuerySet[Publication]:
    return Publication.objects.visible_to(member).select_related(
        "complaint__incident", "determination", "published_by__user", "withdrawn_by__user"
    )


def effective_determination(complaint: Complaint) -> Determination | None:
    """The determination in effect for the complaint's current round, if any."""
    return (
        Determination.objects.filter(complaint=complaint, round=complaint.round, effective_at__isnull=False)
        .select_related("responsible_party")
        .first()
    )


def publishable_complaints(member: Membership | None) -> QuerySet[Complaint]:
    """Determined complaints the member sees that have no publication in force: the secretariat's to publish."""
    in_force = Publication.objects.in_force().filter(complaint=OuterRef("pk"))
    effective = Determination.objects.filter(
        complaint=OuterRef("pk"), round=OuterRef("round"), effective_at__isnull=False
    )
    return (
        Complaint.objects.visible_to(member)
        .filter(state__in=PUBLISHABLE_STATES)
        .filter(Exists(effective))
        .exclude(Exists(in_force))
        .select_related("incident", "complainant", "respondent")
        .order_by("-occurred_at", "-pk")
    )
