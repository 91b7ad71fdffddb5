"""Which domain records `ceasefire log verify --database` checks against the log, and how.

A registered record type names its model, the field holding its public code (the entries' subject_code), the
entry kinds that carry its full version (a prefix: `complaint.` — every service that changes a complaint logs
`complaint.<verb>` with `complaint_version(complaint)`), and *folds*: other kinds that change the version
without carrying all of it (`evidence.added` adds one file's SHA-256). Replaying a record's entries in order
must give exactly its current version; anything else was changed behind the application's back.

Imports of the domain apps are lazy: the ledger sits below them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet

from .canonical import canonicalize
from .models import LogEntry

Fold = Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class RecordType:
    name: str
    records: Callable[[], QuerySet[Any]]
    code: Callable[[Any], str]
    version: Callable[[Any], dict[str, Any]]
    kind_prefix: str
    folds: dict[str, Fold] = field(default_factory=dict)
    # Keys an entry may carry beside the version (what the change was: who moved it, from, to); not compared.
    annotations: frozenset[str] = frozenset()


def _add_evidence(version: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    return version | {"evidence": sorted([*version.get("evidence", []), record["sha256"]])}


def _complaints() -> QuerySet[Any]:
    from ceasefire.incidents.models import Complaint

    return Complaint.objects.select_related("incident", "complainant", "respondent", "agreement").prefetch_related(
        "commitments", "actors", "casualty_claims__claimant", "evidence__stored_file"
    )


def _complaint_version(complaint: Any) -> dict[str, Any]:
    from ceasefire.incidents.versions import complaint_version

    return complaint_version(complaint)


REGISTRY: list[RecordType] = [
    RecordType(
        name="complaint",
        records=_complaints,
        code=lambda complaint: str(complaint.public_code),
        version=_complaint_version,
        kind_prefix="complaint.",
        folds={"evidence.added": _add_evidence},
        annotations=frozenset({"workflow"}),
    )
]


def register(record_type: RecordType) -> None:
    """For apps whose records the database audit should check too."""
    REGISTRY.append(record_type)


def _chunks(queryset: QuerySet[Any], size: int = 500) -> Iterator[list[Model]]:
    last = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def domain_problems(limit: int = 50) -> tuple[int, list[str]]:
    """Check every registered record's current version against its entries: (records checked, problems)."""
    checked, problems = 0, list[str]()
    for record_type in REGISTRY:
        for chunk in _chunks(record_type.records()):
            codes = [record_type.code(obj) for obj in chunk]
            entries: dict[str, list[LogEntry]] = defaultdict(list)
            for entry in LogEntry.objects.filter(subject_code__in=codes).order_by("sequence"):
                entries[entry.subject_code].append(entry)
            for obj, code in zip(chunk, codes, strict=True):
                checked += 1
                problem = _check(record_type, code, record_type.version(obj), entries[code])
                if problem and len(problems) < limit:
                    problems.append(problem)
    return checked, problems


def _check(record_type: RecordType, code: str, current: dict[str, Any], entries: list[LogEntry]) -> str | None:
    logged: dict[str, Any] | None = None
    last: LogEntry | None = None
    for entry in entries:
        if entry.kind.startswith(record_type.kind_prefix):
            logged = {k: v for k, v in entry.record.items() if k not in record_type.annotations}
            last = entry
        elif entry.kind in record_type.folds and logged is not None:
            logged, last = record_type.folds[entry.kind](logged, entry.record), entry
    if logged is None or last is None:
        return f"{record_type.name} {code}: no log entry records it"
    if canonicalize(logged) != canonicalize(current):
        changed = sorted(key for key in current.keys() | logged.keys() if current.get(key) != logged.get(key))
        return (
            f"{record_type.name} {code}: the database differs from its latest log entry "
            f"(index {last.sequence}, {last.kind}) in {', '.join(changed)}"
        )
    return None
