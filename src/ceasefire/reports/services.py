"""The write path of the reports app: publishing a determined complaint for the public reports (and withdrawing
it), and generating a report into the archive.

Publication is the secretariat's act (TLP:CLEAR for what it names): the public reads the summary it wrote and the
complaint's code, date, category, province and outcome, nothing else. Its log entries are open, since what they
carry is public. A report's entry is sealed when the report is internal: its existence and figures are the
party's and the mediators', not every member's.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from ceasefire.core.codes import new_public_code
from ceasefire.core.errors import Conflict, NotPermitted, NotVisible, ValidationFailed
from ceasefire.core.models import Membership, Party
from ceasefire.incidents.models import Complaint
from ceasefire.ledger.services import record_change

from . import archive, rules
from .enums import Audience
from .models import Publication, Report
from .queries import PUBLISHABLE_STATES, effective_determination
from .spec import report_spec
from .versions import publication_version, report_version

SUMMARY_MAX = 2000


def publish_complaint(member: Membership | None, complaint: Complaint, *, summary: str) -> Publication:
    """Make a determined complaint public with the summary the public will read."""
    if not rules.can_publish(member):
        raise NotPermitted(gettext("Only the secretariat publishes complaints."))
    if not Complaint.objects.visible_to(member).filter(pk=complaint.pk).exists():
        raise NotVisible(gettext("No such complaint."))
    assert member is not None  # can_publish holds only for an active membership
    summary = (summary or "").strip()
    if not summary:
        raise ValidationFailed(gettext("Write the summary the public will read."), field="summary")
    if len(summary) > SUMMARY_MAX:
        raise ValidationFailed(
            gettext("The public summary is limited to %(max)d characters.") % {"max": SUMMARY_MAX}, field="summary"
        )
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        determination = effective_determination(locked)
        if locked.state not in PUBLISHABLE_STATES or determination is None:
            raise Conflict(
                gettext("Only a determined complaint can be published; %(code)s is not determined.")
                % {"code": locked.public_code},
                extensions={"state": locked.state},
            )
        current = Publication.objects.in_force().filter(complaint=locked).first()
        if current is not None:
            raise Conflict(
                gettext("%(code)s is already published as %(publication)s.")
                % {"code": locked.public_code, "publication": current.public_code},
                extensions={"publication": current.public_code},
            )
        now = timezone.now()
        code = new_public_code("PUB", now.year, lambda c: Publication.objects.filter(public_code=c).exists())
        try:
            with transaction.atomic():  # the partial unique constraint decides between two publishers at once
                publication = Publication.objects.create(
                    public_code=code,
                    complaint=locked,
                    determination=determination,
                    summary=summary,
                    published_by=member,
                    published_at=now,
                )
        except IntegrityError as error:
            raise Conflict(gettext("%(code)s is already published.") % {"code": locked.public_code}) from error
        record_change(
            member,
            kind="publication.made",
            subject_code=publication.public_code,
            record=publication_version(publication),
            sealed=False,
        )
    return publication


def withdraw_publication(member: Membership | None, publication: Publication, *, reason: str) -> Publication:
    """Take a publication out of the public reports from now on; it stays on record for the mediators."""
    if not rules.can_publish(member):
        raise NotPermitted(gettext("Only the secretariat withdraws publications."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(gettext("Say why the publication is withdrawn."), field="reason")
    with transaction.atomic():
        now = timezone.now()
        # Compare-and-set: of two withdrawals at once, one finds it already withdrawn.
        changed = Publication.objects.filter(pk=publication.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=now, withdrawn_by=member, withdrawal_reason=reason
        )
        if not changed:
            raise Conflict(
                gettext("%(code)s was already withdrawn.") % {"code": publication.public_code},
                extensions={"publication": publication.public_code},
            )
        publication.refresh_from_db()
        record_change(
            member,
            kind="publication.withdrawn",
            subject_code=publication.public_code,
            record=publication_version(publication),
            sealed=False,
        )
    return publication


def generate_report(
    member: Membership | None,
    *,
    kind: str,
    day: dt.date,
    audience: str,
    party: Party | None = None,
    language: str = "en",
    only_if_missing: bool = False,
) -> Report:
    """Render the report of the period containing `day` (PDF and HTML), archive both and record the entry.

    `member` None is the worker's schedule. A secretariat member may generate on demand: a slot (kind, period,
    audience, party, language) already generated gets a new edition. With `only_if_missing` (the schedule), an
    existing slot is returned as it is, so running the schedule twice generates nothing twice.
    """
    if member is not None and not rules.can_generate_report(member):
        raise NotPermitted(gettext("Only the secretariat generates reports on demand."))
    spec = report_spec(kind=kind, day=day, audience=audience, party=party, language=language)
    period, slot = spec.period, spec.slot
    if only_if_missing:
        existing = Report.objects.filter(slot=slot).order_by("edition").first()
        if existing is not None:
            return existing
    from .document import render_report  # WeasyPrint and vl-convert load only when a report is rendered

    rendered = render_report(spec)
    assert rendered.pdf is not None
    pdf_sha256 = archive.store(rendered.pdf, "pdf")
    html_sha256 = archive.store(rendered.html, "html")
    try:
        with transaction.atomic():
            edition = (Report.objects.filter(slot=slot).aggregate(last=Max("edition"))["last"] or 0) + 1
            if only_if_missing and edition > 1:
                raise IntegrityError("another worker generated this slot meanwhile")
            now = timezone.now()
            report = Report.objects.create(
                public_code=new_public_code("RPT", now.year, lambda c: Report.objects.filter(public_code=c).exists()),
                kind=kind,
                period_start=period.first_day,
                period_end=period.last_day,
                audience=spec.audience,
                party=spec.party,
                language=spec.language,
                slot=slot,
                edition=edition,
                created_at=now,
                created_by=member,
                pdf_sha256=pdf_sha256,
                pdf_size=len(rendered.pdf),
                html_sha256=html_sha256,
                html_size=len(rendered.html),
            )
            record_change(
                member,
                kind="report.generated",
                subject_code=report.public_code,
                record=report_version(report),
                sealed=audience == Audience.INTERNAL,
            )
    except IntegrityError as error:
        if not only_if_missing:
            raise Conflict(
                gettext("The report was generated by someone else at the same moment; try again.")
            ) from error
        return Report.objects.filter(slot=slot).order_by("edition").get()
    return report
