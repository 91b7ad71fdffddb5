"""The write path of the border layer: the crossing registry's edits, status declarations and the mediators'
resolution of conflicting ones, people flows (CSV or API batch, all or nothing), trade days, loss claims,
transit obstacles, and the links that let a complaint cite a closure or flow figures.

Every function checks its rule, validates all its input before writing, and appends its log entry in the same
transaction. Border data is seen by every member of the mechanism, so its entries are open; a link to a complaint
is sealed exactly when the complaint's own entries are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ceasefire.core.codes import new_public_code
from ceasefire.core.errors import Conflict, NotPermitted, NotVisible, ValidationFailed
from ceasefire.core.models import Membership, Party
from ceasefire.geo.enums import CoordStatus
from ceasefire.geo.models import Crossing
from ceasefire.incidents.enums import Category
from ceasefire.incidents.models import Complaint
from ceasefire.incidents.versions import is_sealed
from ceasefire.ledger.services import record_change

from . import rules
from .conf import border_settings
from .enums import (
    CrossingStatus,
    Direction,
    FigureSource,
    FlowCategory,
    ObstacleKind,
    ObstacleStatus,
    Restriction,
)
from .flowcsv import FlowFileErrors, FlowRow, parse_flow_csv, where
from .models import (
    ComplaintClosure,
    ConflictResolution,
    CrossingEdit,
    FlowBatch,
    FlowCitation,
    FlowCount,
    LossClaim,
    ObstacleUpdate,
    StatusDeclaration,
    TradeDay,
    TransitObstacle,
)
from .timeline import find_conflicts

REGISTRY_FIELDS = (
    "name",
    "latitude",
    "longitude",
    "afghan_province",
    "afghan_district",
    "pakistan_province",
    "pakistan_district",
    "source",
    "coord_kind",
    "coord_status",
    "notes",
)


def _code(prefix: str, model: Any) -> str:
    return new_public_code(prefix, timezone.now().year, lambda c: model.objects.filter(public_code=c).exists())


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotPermitted(message)


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


# --- the crossing registry ---------------------------------------------------------------------------------


def update_crossing(member: Membership, crossing: Crossing, *, changes: dict[str, Any], note: str = "") -> Crossing:
    """A secretariat edit of the registry; the before and after of each field become the crossing's history."""
    _require(rules.can_edit_registry(member), gettext("Only the secretariat edits the crossing registry."))
    errors: dict[str, str] = {}
    unknown = sorted(set(changes) - set(REGISTRY_FIELDS))
    if unknown:
        errors[unknown[0]] = gettext("'%(field)s' is not a field of the registry.") % {"field": unknown[0]}
    merged = {name: changes.get(name, getattr(crossing, name)) for name in REGISTRY_FIELDS}
    if not str(merged["name"] or "").strip():
        errors["name"] = gettext("A crossing needs a name.")
    lat, lon = merged["latitude"], merged["longitude"]
    if (lat is None) != (lon is None):
        errors["latitude" if lat is None else "longitude"] = gettext("Give both latitude and longitude, or neither.")
    elif lat is not None and lon is not None:
        if not isinstance(lat, int | float) or not math.isfinite(lat) or not -90 <= lat <= 90:
            errors["latitude"] = gettext("The latitude must lie between -90 and 90.")
        if not isinstance(lon, int | float) or not math.isfinite(lon) or not -180 <= lon <= 180:
            errors["longitude"] = gettext("The longitude must lie between -180 and 180.")
    if merged["coord_status"] not in CoordStatus.values:
        errors["coord_status"] = gettext("Unknown coordinate status '%(value)s'.") % {"value": merged["coord_status"]}
    elif lat is None and merged["coord_status"] != CoordStatus.MISSING:
        merged["coord_status"] = CoordStatus.MISSING  # a removed coordinate is a missing one, whatever was said
    if errors:
        raise ValidationFailed(gettext("The crossing has errors; nothing was saved."), errors=errors)
    diff = {
        name: [_json_value(getattr(crossing, name)), _json_value(merged[name])]
        for name in REGISTRY_FIELDS
        if getattr(crossing, name) != merged[name]
    }
    if not diff:
        raise ValidationFailed(gettext("Nothing to change: every field already has that value."))
    with transaction.atomic():
        for name in diff:
            setattr(crossing, name, merged[name])
        crossing.save(update_fields=list(diff))
        CrossingEdit.objects.create(crossing=crossing, edited_by=member, changes=diff, note=note.strip())
        record_change(
            member,
            kind="crossing.updated",
            subject_code=f"crossing-{crossing.slug}",
            record={"crossing": crossing.slug, "changes": diff, "note": note.strip()},
            sealed=False,
        )
    return crossing


# --- status declarations and conflicts ---------------------------------------------------------------------


def declare_status(
    member: Membership,
    *,
    crossing: Crossing,
    status: str,
    effective_at: dt.datetime,
    restriction: str = "",
    restriction_note: str = "",
    reason: str = "",
    notice_hours: int | None = None,
    expected_reopening: dt.datetime | None = None,
    source: str = "",
) -> StatusDeclaration:
    """A party's declaration (or a mediator's observation) that a crossing is open, restricted or closed from a
    time. Earlier declarations are never overwritten: the timeline is derived from all of them."""
    _require(
        rules.can_declare_status(member),
        gettext("Only a party's liaison officer or a mediator's investigator or secretariat declares status."),
    )
    errors: dict[str, str] = {}
    if status not in CrossingStatus.values:
        errors["status"] = gettext("Unknown status '%(value)s'; one of: %(allowed)s.") % {
            "value": status,
            "allowed": ", ".join(CrossingStatus.values),
        }
    if status == CrossingStatus.RESTRICTED:
        if restriction not in Restriction.values:
            errors["restriction"] = gettext("Say what a restricted crossing still lets through.")
        elif restriction == Restriction.OTHER and not restriction_note.strip():
            errors["restriction_note"] = gettext("Describe the restriction.")
    elif restriction:
        errors["restriction"] = gettext("Only a restricted crossing has a restriction.")
    if timezone.is_naive(effective_at):
        errors["effective_at"] = gettext("The effective time needs a time zone.")
    if notice_hours is not None and (isinstance(notice_hours, bool) or notice_hours < 0):
        errors["notice_hours"] = gettext("Advance notice is a number of hours, zero or more.")
    if expected_reopening is not None:
        if status == CrossingStatus.OPEN:
            errors["expected_reopening"] = gettext("An open crossing has no expected reopening.")
        elif timezone.is_aware(effective_at) and timezone.is_aware(expected_reopening):
            if expected_reopening <= effective_at:
                errors["expected_reopening"] = gettext("The expected reopening is before the closure's start.")
        else:
            errors["expected_reopening"] = gettext("The expected reopening needs a time zone.")
    if errors:
        raise ValidationFailed(gettext("The declaration has errors; nothing was saved."), errors=errors)
    with transaction.atomic():
        declaration = StatusDeclaration.objects.create(
            public_code=_code("CSD", StatusDeclaration),
            crossing=crossing,
            party=member.party,
            declared_by=member,
            status=status,
            restriction=restriction if status == CrossingStatus.RESTRICTED else "",
            restriction_note=restriction_note.strip(),
            effective_at=effective_at,
            reason=reason.strip(),
            notice_hours=notice_hours,
            expected_reopening=expected_reopening,
            source=source.strip(),
        )
        record_change(
            member,
            kind="crossing.status_declared",
            subject_code=declaration.public_code,
            record={
                "crossing": crossing.slug,
                "party": member.party.code,
                "status": status,
                "restriction": declaration.restriction,
                "effective_at": effective_at.isoformat(),
                "reason": declaration.reason,
                "notice_hours": notice_hours,
                "expected_reopening": expected_reopening.isoformat() if expected_reopening else None,
            },
            sealed=False,
        )
    return declaration


def resolve_conflict(
    member: Membership, *, crossing: Crossing, codes: Sequence[str], accepted_code: str, note: str
) -> ConflictResolution:
    """The mediators decide which of conflicting declarations the timeline follows. The others are kept, set
    aside, and the resolution says why. `codes` are the conflict's declarations as the mediator saw them."""
    _require(rules.can_resolve_conflict(member), gettext("Only the mediators resolve conflicting declarations."))
    errors: dict[str, str] = {}
    if not note.strip():
        errors["note"] = gettext("Say why this declaration is accepted.")
    declarations = list(StatusDeclaration.objects.filter(crossing=crossing).select_related("party"))
    window = dt.timedelta(hours=border_settings().conflict_window_hours)
    conflicts = find_conflicts([d.as_claim() for d in declarations], window)
    group = next((c for c in conflicts if set(c.codes) == set(codes)), None)
    if group is None:
        errors["codes"] = gettext("These declarations are not an open conflict of this crossing.")
    elif accepted_code not in codes:
        errors["accepted"] = gettext("The accepted declaration must be one of the conflicting ones.")
    if errors:
        raise ValidationFailed(gettext("The conflict was not resolved."), errors=errors)
    accepted = next(d for d in declarations if d.public_code == accepted_code)
    with transaction.atomic():
        resolution = ConflictResolution.objects.create(
            public_code=_code("CFR", ConflictResolution),
            crossing=crossing,
            accepted=accepted,
            note=note.strip(),
            resolved_by=member,
        )
        # Compare-and-set: two mediators resolving at once cannot both succeed.
        claimed = StatusDeclaration.objects.filter(
            crossing=crossing, public_code__in=list(codes), resolution__isnull=True, set_aside=False
        ).update(resolution=resolution)
        if claimed != len(codes):
            raise Conflict(gettext("Another mediator resolved this conflict meanwhile."))
        StatusDeclaration.objects.filter(resolution=resolution).exclude(pk=accepted.pk).update(set_aside=True)
        record_change(
            member,
            kind="crossing.conflict_resolved",
            subject_code=resolution.public_code,
            record={
                "crossing": crossing.slug,
                "declarations": sorted(codes),
                "accepted": accepted_code,
                "note": resolution.note,
            },
            sealed=False,
        )
    return resolution


# --- people flows --------------------------------------------------------------------------------------------


def _crossing_lookup() -> dict[str, Crossing]:
    lookup: dict[str, Crossing] = {}
    for crossing in Crossing.objects.all():
        lookup[crossing.slug.lower()] = crossing
        lookup[crossing.name.lower()] = crossing
        lookup[crossing.name.split("(")[0].strip().lower()] = crossing
    return lookup


def _check_flow_rows(member: Membership, rows: Sequence[FlowRow], *, from_file: bool) -> list[FlowCount]:
    """Every row checked against the registry, the calendar, the sources this member may speak for and the
    figures already stored; all problems collected, keyed by line and column (or row and field)."""
    crossings = _crossing_lookup()
    today = timezone.now().date()
    errors: dict[str, str] = {}
    seen: dict[tuple[Any, ...], int] = {}
    counts: list[FlowCount] = []

    def key(index: int, row: FlowRow, column: str) -> str:
        return where(row.line, column) if from_file else f"rows[{index}].{column}"

    for index, row in enumerate(rows):
        before = len(errors)
        crossing = crossings.get(row.crossing.strip().lower())
        if crossing is None:
            errors[key(index, row, "crossing")] = gettext("unknown crossing '%(value)s'.") % {"value": row.crossing}
        if row.day > today:
            errors[key(index, row, "date")] = gettext("%(day)s is in the future; only observed flows are recorded.") % {
                "day": row.day.isoformat()
            }
        for column, value, allowed in (
            ("direction", row.direction, Direction.values),
            ("category", row.category, FlowCategory.values),
            ("source", row.source, FigureSource.values),
        ):
            if value not in allowed:
                errors[key(index, row, column)] = gettext("unknown %(column)s '%(value)s'; one of: %(allowed)s.") % {
                    "column": column,
                    "value": value,
                    "allowed": ", ".join(allowed),
                }
        for column, number in (
            ("total", row.total),
            ("documented", row.documented),
            ("undocumented", row.undocumented),
        ):
            if number is not None and (isinstance(number, bool) or number < 0):
                errors[key(index, row, column)] = gettext("'%(value)s' is negative; counts are zero or more.") % {
                    "value": number
                }
        if row.source == FigureSource.PARTY and member.is_mediator:
            errors[key(index, row, "source")] = gettext("a mediator records a party's figure as 'press' or 'estimate'.")
        if row.source == FigureSource.MEDIATOR and not member.is_mediator:
            errors[key(index, row, "source")] = gettext("only a mediator reports a mediator's figure.")
        split = (row.documented, row.undocumented)
        if len(errors) == before and None not in split and sum(split) != row.total:  # type: ignore[arg-type]
            errors[key(index, row, "total")] = gettext(
                "documented (%(documented)d) and undocumented (%(undocumented)d) do not add up to %(total)d."
            ) % {"documented": row.documented, "undocumented": row.undocumented, "total": row.total}
        elif len(errors) == before and any(n is not None and n > row.total for n in split):
            errors[key(index, row, "total")] = gettext("a part of the split is larger than the total.")
        if len(errors) > before or crossing is None:
            continue
        identity = (crossing.pk, row.day, row.direction, row.category, row.source)
        if identity in seen:
            errors[key(index, row, "date")] = gettext("the same count as line %(line)d.") % {"line": seen[identity]}
            continue
        seen[identity] = row.line or index
        counts.append(
            FlowCount(
                crossing=crossing,
                day=row.day,
                direction=row.direction,
                category=row.category,
                total=row.total,
                documented=row.documented,
                undocumented=row.undocumented,
                source=row.source,
                source_note=row.source_note[:300],
                party=member.party,
            )
        )
    if not errors and counts:
        stored = set(
            FlowCount.objects.filter(
                party=member.party,
                day__range=(min(c.day for c in counts), max(c.day for c in counts)),
                crossing__in={c.crossing_id for c in counts},
            ).values_list("crossing_id", "day", "direction", "category", "source")
        )
        for index, (row, count) in enumerate(zip(rows, counts, strict=True)):
            if (count.crossing_id, count.day, count.direction, count.category, count.source) in stored:
                errors[key(index, row, "date")] = gettext(
                    "%(party)s already recorded this count (%(day)s, %(crossing)s, %(category)s)."
                ) % {
                    "party": member.party.code,
                    "day": count.day.isoformat(),
                    "crossing": count.crossing.name,
                    "category": count.category,
                }
    if errors:
        first = next(iter(errors.items()))
        raise ValidationFailed(
            gettext("%(count)d problems; nothing was imported. First: %(where)s: %(message)s")
            % {"count": len(errors), "where": first[0], "message": first[1]},
            errors=errors,
        )
    return counts


def _store_flows(member: Membership, counts: list[FlowCount], *, file_name: str, digest: str) -> FlowBatch:
    with transaction.atomic():
        batch = FlowBatch.objects.create(
            public_code=_code("FLW", FlowBatch),
            file_name=file_name,
            sha256=digest,
            rows=len(counts),
            party=member.party,
            imported_by=member,
        )
        for count in counts:
            count.batch = batch
        FlowCount.objects.bulk_create(counts, batch_size=500)
        record_change(
            member,
            kind="flows.imported",
            subject_code=batch.public_code,
            record={"file": file_name, "sha256": digest, "rows": len(counts), "party": member.party.code},
            sealed=False,
        )
    return batch


def import_flow_csv(member: Membership, data: bytes, *, file_name: str) -> FlowBatch:
    """A flows CSV (flowcsv.FLOW_COLUMNS), stored whole or not at all; every error names its line and column."""
    _require(rules.can_report_figures(member), gettext("You may not report flow figures."))
    try:
        rows = parse_flow_csv(data)
    except FlowFileErrors as exc:
        first = next(iter(exc.errors.items()))
        raise ValidationFailed(
            gettext("%(file)s: %(count)d problems; nothing was imported. First: %(where)s: %(message)s")
            % {"file": file_name, "count": len(exc.errors), "where": first[0], "message": first[1]},
            errors=exc.errors,
        ) from exc
    counts = _check_flow_rows(member, rows, from_file=True)
    return _store_flows(member, counts, file_name=file_name, digest=hashlib.sha256(data).hexdigest())


def record_flows(member: Membership, rows: Sequence[FlowRow], *, source_name: str = "api") -> FlowBatch:
    """A batch of flow rows from the API: the same checks as a file, errors keyed rows[i].field."""
    _require(rules.can_report_figures(member), gettext("You may not report flow figures."))
    if not rows:
        raise ValidationFailed(gettext("The batch has no rows."), field="rows")
    counts = _check_flow_rows(member, rows, from_file=False)
    digest = hashlib.sha256(repr([(r.day, r.crossing, r.category, r.total) for r in rows]).encode()).hexdigest()
    return _store_flows(member, counts, file_name=source_name, digest=digest)


# --- trade and transit -----------------------------------------------------------------------------------------


def record_trade_day(
    member: Membership,
    *,
    crossing: Crossing,
    day: dt.date,
    source: str,
    trucks_waiting: int | None = None,
    trucks_waiting_high: int | None = None,
    trucks_crossed: int | None = None,
    goods_held: str = "",
    source_note: str = "",
) -> TradeDay:
    _require(rules.can_report_figures(member), gettext("You may not report trade figures."))
    errors: dict[str, str] = {}
    if day > timezone.now().date():
        errors["day"] = gettext("%(day)s is in the future; only observed days are recorded.") % {"day": day}
    if source not in FigureSource.values:
        errors["source"] = gettext("Unknown source '%(value)s'.") % {"value": source}
    figures = {
        "trucks_waiting": trucks_waiting,
        "trucks_waiting_high": trucks_waiting_high,
        "trucks_crossed": trucks_crossed,
    }
    for name, value in figures.items():
        if value is not None and (isinstance(value, bool) or value < 0):
            errors[name] = gettext("A count of trucks is zero or more.")
    if all(v is None for v in figures.values()) and not goods_held.strip():
        errors["trucks_waiting"] = gettext("Give at least one figure or the goods held.")
    if trucks_waiting_high is not None and (trucks_waiting is None or trucks_waiting_high < trucks_waiting):
        errors["trucks_waiting_high"] = gettext("The upper bound needs a lower bound no greater than it.")
    if not errors and TradeDay.objects.filter(crossing=crossing, day=day, source=source, party=member.party).exists():
        errors["day"] = gettext("%(party)s already recorded %(day)s at this crossing from this source.") % {
            "party": member.party.code,
            "day": day,
        }
    if errors:
        raise ValidationFailed(gettext("The trade figures have errors; nothing was saved."), errors=errors)
    with transaction.atomic():
        trade = TradeDay.objects.create(
            crossing=crossing,
            day=day,
            trucks_waiting=trucks_waiting,
            trucks_waiting_high=trucks_waiting_high,
            trucks_crossed=trucks_crossed,
            goods_held=goods_held.strip(),
            source=source,
            source_note=source_note.strip(),
            party=member.party,
            recorded_by=member,
        )
        record_change(
            member,
            kind="trade.recorded",
            subject_code=f"crossing-{crossing.slug}",
            record={
                "crossing": crossing.slug,
                "day": day.isoformat(),
                "party": member.party.code,
                **figures,
                "goods_held": trade.goods_held,
                "source": source,
            },
            sealed=False,
        )
    return trade


def claim_losses(
    member: Membership,
    *,
    period_start: dt.date,
    period_end: dt.date,
    amount_usd: int,
    crossing: Crossing | None = None,
    basis: str = "",
) -> LossClaim:
    """A party's own estimate of its losses, attributed to it and never added to the other party's."""
    _require(rules.can_claim_losses(member), gettext("Only a party's liaison officer claims its losses."))
    errors: dict[str, str] = {}
    if period_end < period_start:
        errors["period_end"] = gettext("The period ends before it starts.")
    if isinstance(amount_usd, bool) or amount_usd < 0:
        errors["amount_usd"] = gettext("The amount is zero or more US dollars.")
    if errors:
        raise ValidationFailed(gettext("The loss claim has errors; nothing was saved."), errors=errors)
    with transaction.atomic():
        claim = LossClaim.objects.create(
            public_code=_code("LOS", LossClaim),
            claimant=member.party,
            crossing=crossing,
            period_start=period_start,
            period_end=period_end,
            amount_usd=amount_usd,
            basis=basis.strip(),
            recorded_by=member,
        )
        record_change(
            member,
            kind="losses.claimed",
            subject_code=claim.public_code,
            record={
                "claimant": member.party.code,
                "crossing": crossing.slug if crossing else None,
                "period": [period_start.isoformat(), period_end.isoformat()],
                "amount_usd": amount_usd,
                "basis": claim.basis,
            },
            sealed=False,
        )
    return claim


def report_obstacle(
    member: Membership,
    *,
    kind: str,
    description: str,
    observed_from: dt.date,
    crossing: Crossing | None = None,
    imposed_by: Party | None = None,
) -> TransitObstacle:
    _require(rules.can_report_figures(member), gettext("You may not report transit obstacles."))
    errors: dict[str, str] = {}
    if kind not in ObstacleKind.values:
        errors["kind"] = gettext("Unknown kind of obstacle '%(value)s'.") % {"value": kind}
    if not description.strip():
        errors["description"] = gettext("Describe the obstacle.")
    if observed_from > timezone.now().date():
        errors["observed_from"] = gettext("An obstacle is reported once observed, not in advance.")
    if errors:
        raise ValidationFailed(gettext("The obstacle has errors; nothing was saved."), errors=errors)
    with transaction.atomic():
        obstacle = TransitObstacle.objects.create(
            public_code=_code("OBS", TransitObstacle),
            crossing=crossing,
            kind=kind,
            description=description.strip(),
            imposed_by=imposed_by,
            observed_from=observed_from,
            status=ObstacleStatus.REPORTED,
            party=member.party,
            reported_by=member,
        )
        ObstacleUpdate.objects.create(obstacle=obstacle, status=obstacle.status, party=member.party, by=member)
        record_change(
            member,
            kind="obstacle.reported",
            subject_code=obstacle.public_code,
            record={
                "kind": kind,
                "crossing": crossing.slug if crossing else None,
                "imposed_by": imposed_by.code if imposed_by else None,
                "observed_from": observed_from.isoformat(),
                "description": obstacle.description,
            },
            sealed=False,
        )
    return obstacle


def update_obstacle(member: Membership, obstacle: TransitObstacle, *, status: str, note: str) -> TransitObstacle:
    """A new status in the obstacle's history: confirmed only by a mediator; disputed or lifted by anyone who
    reports obstacles."""
    _require(rules.can_report_figures(member), gettext("You may not update transit obstacles."))
    errors: dict[str, str] = {}
    if status not in ObstacleStatus.values or status == ObstacleStatus.REPORTED:
        errors["status"] = gettext("Choose confirmed, disputed or lifted.")
    elif status == ObstacleStatus.CONFIRMED and not rules.can_confirm_obstacle(member):
        raise NotPermitted(gettext("Only a mediator confirms an obstacle."))
    elif status == obstacle.status:
        errors["status"] = gettext("The obstacle already has this status.")
    if not note.strip():
        errors["note"] = gettext("Say what changed.")
    if errors:
        raise ValidationFailed(gettext("The obstacle was not updated."), errors=errors)
    now = timezone.now()
    with transaction.atomic():
        changed = TransitObstacle.objects.filter(pk=obstacle.pk, status=obstacle.status).update(
            status=status, updated_at=now
        )
        if changed != 1:
            raise Conflict(gettext("Someone else updated this obstacle meanwhile; reload it."))
        ObstacleUpdate.objects.create(
            obstacle=obstacle, status=status, note=note.strip(), party=member.party, by=member
        )
        record_change(
            member,
            kind="obstacle.updated",
            subject_code=obstacle.public_code,
            record={"from": obstacle.status, "to": status, "note": note.strip()},
            sealed=False,
        )
        obstacle.status, obstacle.updated_at = status, now
    return obstacle


# --- links to complaints -----------------------------------------------------------------------------------------


def _linkable(member: Membership, complaint: Complaint, category: str) -> Complaint:
    visible = Complaint.objects.visible_to(member).filter(pk=complaint.pk).first()
    if visible is None:
        raise NotVisible(gettext("No such complaint."))
    _require(
        rules.can_link_to_complaint(member, visible.complainant_id),
        gettext("Only the complainant's liaison officer or a mediator's investigator links border facts."),
    )
    if visible.category != category:
        raise ValidationFailed(
            gettext("Only a complaint of category '%(category)s' can cite these facts.")
            % {"category": Category(category).label},
            field="complaint",
        )
    return visible


def link_closure(member: Membership, *, complaint: Complaint, declaration: StatusDeclaration) -> ComplaintClosure:
    """Make a closure (named by the declaration that began it) the subject of a crossing-closure complaint."""
    complaint = _linkable(member, complaint, Category.CROSSING_CLOSURE)
    if declaration.status == CrossingStatus.OPEN:
        raise ValidationFailed(gettext("That declaration opened the crossing; cite a closure."), field="declaration")
    if ComplaintClosure.objects.filter(complaint=complaint, declaration=declaration).exists():
        raise ValidationFailed(gettext("The complaint cites this closure already."), field="declaration")
    with transaction.atomic():
        link = ComplaintClosure.objects.create(complaint=complaint, declaration=declaration, linked_by=member)
        record_change(
            member,
            kind="border.closure_linked",
            subject_code=complaint.public_code,
            record={"complaint": complaint.public_code, "declaration": declaration.public_code},
            sealed=is_sealed(complaint),
        )
    return link


def cite_flows(
    member: Membership,
    *,
    complaint: Complaint,
    crossing: Crossing,
    date_from: dt.date,
    date_to: dt.date,
    category: str = "",
) -> FlowCitation:
    """A forced-expulsion complaint cites the flow figures of a crossing over a period."""
    complaint = _linkable(member, complaint, Category.FORCED_EXPULSION)
    errors: dict[str, str] = {}
    if date_to < date_from:
        errors["date_to"] = gettext("The period ends before it starts.")
    if category and category not in FlowCategory.values:
        errors["category"] = gettext("Unknown category '%(value)s'.") % {"value": category}
    if errors:
        raise ValidationFailed(gettext("The citation has errors; nothing was saved."), errors=errors)
    with transaction.atomic():
        citation = FlowCitation.objects.create(
            complaint=complaint,
            crossing=crossing,
            date_from=date_from,
            date_to=date_to,
            category=category,
            linked_by=member,
        )
        record_change(
            member,
            kind="border.flows_cited",
            subject_code=complaint.public_code,
            record={
                "complaint": complaint.public_code,
                "crossing": crossing.slug,
                "period": [date_from.isoformat(), date_to.isoformat()],
                "category": category,
            },
            sealed=is_sealed(complaint),
        )
    return citation
