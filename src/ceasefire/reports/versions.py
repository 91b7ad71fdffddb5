"""The record versions that `publication.*` and `report.generated` log entries commit to, registered so that
`ceasefire log verify --database` replays them against the database like complaints and intelligence items."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ceasefire.ledger.versions import RecordType, register

from .models import Publication, Report


def _moment(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def publication_version(publication: Publication) -> dict[str, Any]:
    return {
        "public_code": publication.public_code,
        "complaint": publication.complaint.public_code,
        "round": publication.determination.round,
        "outcome": publication.determination.outcome,
        "summary": publication.summary,
        "published_at": _moment(publication.published_at),
        "withdrawn_at": _moment(publication.withdrawn_at),
        "withdrawal_reason": publication.withdrawal_reason,
    }


def report_version(report: Report) -> dict[str, Any]:
    return {
        "public_code": report.public_code,
        "kind": report.kind,
        "period_start": report.period_start.isoformat(),
        "period_end": report.period_end.isoformat(),
        "audience": report.audience,
        "party": report.party.code if report.party else None,
        "language": report.language,
        "edition": report.edition,
        "created_at": _moment(report.created_at),
        "pdf_sha256": report.pdf_sha256,
        "html_sha256": report.html_sha256,
    }


def _publications() -> QuerySet[Publication]:
    return Publication.objects.select_related("complaint", "determination")


def _reports() -> QuerySet[Report]:
    return Report.objects.select_related("party")


def register_report_versions() -> None:
    register(
        RecordType(
            name="publication",
            records=_publications,
            code=lambda publication: str(publication.public_code),
            version=publication_version,
            kind_prefix="publication.",
        )
    )
    register(
        RecordType(
            name="report",
            records=_reports,
            code=lambda report: str(report.public_code),
            version=report_version,
            kind_prefix="report.",
        )
    )
