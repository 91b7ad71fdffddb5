"""The write path of external event data: importing files, refreshing correlation candidates, investigators'
decisions on them, and grouping two complaints under one incident.

Each function checks its rule, writes, and appends its transparency-log entry in the same transaction. An import
commits batch by batch (one transaction and one `ingest.batch` entry each), then its `ingest.finished` entry.
"""

from __future__ import annotations

import getpass
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from ceasefire.core.codes import new_public_code, random_code
from ceasefire.core.errors import Conflict, NotPermitted, NotVisible, ValidationFailed
from ceasefire.core.models import Membership
from ceasefire.incidents.enums import ComplaintState
from ceasefire.incidents.models import Actor, Complaint
from ceasefire.incidents.versions import complaint_version, is_sealed
from ceasefire.ledger.services import record_change

from . import correlation, importer, parse_ahead, queries, rules, writer
from .enums import LinkStatus, RunStatus, Source
from .models import CorrelationLink, ExternalEvent, ImportRun
from .sources import FileRejected, Rejection, formats

Progress = Callable[[ImportRun], None]
OnReject = Callable[[Rejection], None]
KEPT_REJECTIONS = 1000  # stored on the run; the command line prints every one
CORRELATION_MARGIN_DAYS = 60


def _checked_source(source: str) -> str:
    if source not in Source.values:
        raise ValidationFailed(
            gettext("Unknown source '%(source)s'; one of: %(known)s.")
            % {"source": source, "known": ", ".join(Source.values)},
            field="source",
        )
    return source


def _new_run(member: Membership | None, *, source: str, filename: str, operator: str, size: int) -> ImportRun:
    now = timezone.now()
    return ImportRun.objects.create(
        public_code=new_public_code("IMP", now.year, lambda c: ImportRun.objects.filter(public_code=c).exists()),
        source=source,
        filename=filename[:255],
        size=size,
        membership=member,
        operator=(operator or (member.user.get_username() if member else gettext("operator")))[:150],
        created_at=now,
    )


def upload_path(run: ImportRun) -> Path:
    return Path(settings.DATA_DIR) / "ingest" / "uploads" / f"{run.public_code}.{run.source}"


def queue_import(member: Membership, *, source: str, upload: IO[bytes], filename: str) -> ImportRun:
    """Keep an uploaded file and queue its import as a background task (ingest/tasks.py)."""
    from .tasks import import_uploaded_file

    if not rules.can_import_events(member):
        raise NotPermitted(gettext("Only the mediators' secretariat, investigators and analysts import event data."))
    _checked_source(source)
    staging = Path(settings.DATA_DIR) / "ingest" / "uploads"
    staging.mkdir(parents=True, exist_ok=True)
    temporary = staging / f".upload-{random_code('TMP', 0, 12)}"
    with temporary.open("wb") as out:
        shutil.copyfileobj(upload, out, 1 << 20)
    size = temporary.stat().st_size
    try:
        if not size:
            raise ValidationFailed(gettext("The file is empty."), field="file")
        # The format is checked now (header, delimiter, source), so a wrong file is refused at once.
        table, _parse, _columns = formats()[source].open(temporary, filename)
        table.close()
    except FileRejected as exc:
        temporary.unlink(missing_ok=True)
        raise ValidationFailed(str(exc.rejection), field="file") from exc
    except ValidationFailed:
        temporary.unlink(missing_ok=True)
        raise
    with transaction.atomic():
        run = _new_run(member, source=source, filename=filename, operator="", size=size)
        temporary.rename(upload_path(run))
        record_change(
            member,
            kind="ingest.queued",
            subject_code=run.public_code,
            record={"run": run.public_code, "source": source, "filename": run.filename, "size": size},
            sealed=False,
        )
        import_uploaded_file.enqueue(run.public_code)
    return run


def import_events(
    member: Membership | None,
    *,
    source: str,
    path: Path,
    filename: str = "",
    operator: str = "",
    progress: Progress | None = None,
    on_reject: OnReject | None = None,
    batch_size: int = importer.BATCH_SIZE,
) -> ImportRun:
    """Import a file now (the command line, the demo): a new run, then run_import."""
    if member is not None and not rules.can_import_events(member):
        raise NotPermitted(gettext("Only the mediators' secretariat, investigators and analysts import event data."))
    _checked_source(source)
    if not path.is_file():
        raise ValidationFailed(gettext("No such file: %(path)s") % {"path": path}, field="file")
    operator = operator or (member.user.get_username() if member else f"cli:{getpass.getuser()}")
    run = _new_run(member, source=source, filename=filename or path.name, operator=operator, size=path.stat().st_size)
    return run_import(run, path, progress=progress, on_reject=on_reject, batch_size=batch_size)


def run_import(
    run: ImportRun,
    path: Path,
    *,
    progress: Progress | None = None,
    on_reject: OnReject | None = None,
    batch_size: int = importer.BATCH_SIZE,
) -> ImportRun:
    """Stream the file into external events, batch by batch; the run ends succeeded or failed with its counts.

    A batch is stored whole or not at all: one holding any rejected row (bad date, coordinate out of range,
    duplicate id, ...) is held back and its rows reported; the other batches are stored. A wrong format, delimiter
    or header stores nothing. Acts for the run's membership (None: an operator on the command line).
    """
    claimed = ImportRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        raise Conflict(gettext("Import %(run)s has already run.") % {"run": run.public_code})
    run.refresh_from_db()
    member = run.membership
    rejections: list[dict[str, object]] = []

    def reject(rejection: Rejection) -> None:
        run.rejected += 1
        if len(rejections) < KEPT_REJECTIONS:
            rejections.append(rejection.as_dict())
        if on_reject is not None:
            on_reject(rejection)

    # While the source had no events before this run, a batch is inserted without looking its ids up first;
    # an id already stored (an earlier batch repeating it, or another import of the source meanwhile) makes the
    # unique constraint refuse the batch, which is then rolled back and written again looking every id up.
    look_up = ExternalEvent.objects.filter(source=run.source).exists()
    try:
        stream = importer.stream_batches(formats()[run.source], path, run.filename, batch_size)
        with importer.without_cyclic_gc(), writer.page_cache(), parse_ahead.parsed_batches(stream) as batches:
            for batch in batches:
                run.rows_read += batch.rows_read
                run.skipped += batch.skipped
                run.bytes_read = batch.bytes_read
                for rejection in batch.rejections:
                    reject(rejection)
                if batch.rejections:
                    run.held_back += len(batch)
                elif len(batch):
                    look_up = _store_batch(member, run, batch, reject, look_up=look_up)
                ImportRun.objects.filter(pk=run.pk).update(
                    bytes_read=run.bytes_read, rows_read=run.rows_read, rejected=run.rejected, held_back=run.held_back,
                    skipped=run.skipped, rejections=rejections,
                )  # fmt: skip
                if progress is not None:
                    progress(run)
        run.sha256, run.size = stream.sha256, stream.size
    except FileRejected as exc:
        reject(exc.rejection)
        run.message = str(exc.rejection)
    except Exception as exc:  # a database failure mid-batch: that batch rolled back, the run is failed
        run.message = gettext("Import stopped: %(error)s") % {"error": exc}
        _finish(member, run, rejections)
        raise
    return _finish(member, run, rejections)


def _store_batch(
    member: Membership | None, run: ImportRun, batch: importer.Batch, reject: OnReject, *, look_up: bool
) -> bool:
    """Store the batch, inserting its rows unlooked-up unless `look_up`; whether the next batch must look up."""
    if not look_up:
        try:
            _write_batch(member, run, batch, reject, look_up=False)
            return False
        except IntegrityError:  # an id of the batch is stored already: the batch was rolled back whole
            pass
    _write_batch(member, run, batch, reject, look_up=True)
    return True


def _write_batch(
    member: Membership | None, run: ImportRun, batch: importer.Batch, reject: OnReject, *, look_up: bool
) -> None:
    """One transaction: the batch's rows a slice at a time, then its log entry; rolled back whole when a row's id
    was written by an earlier batch of this file (every such row is reported)."""
    with transaction.atomic():
        written = writer.Written()
        duplicates: list[Rejection] = []
        for rows in batch.slices():
            stored = writer.existing(run.source, rows.source_ids) if look_up else {}
            duplicates += writer.duplicates_of_earlier_batches(run.filename, run.pk, rows, stored)
            if not duplicates:
                writer.write_rows(run.source, run.pk, rows, stored, written)
        if duplicates:
            transaction.set_rollback(True)
            for rejection in duplicates:
                reject(rejection)
            run.held_back += len(batch) - len(duplicates)
            return
        run.inserted += written.inserted
        run.updated += written.updated
        run.unchanged += written.unchanged
        ImportRun.objects.filter(pk=run.pk).update(inserted=run.inserted, updated=run.updated, unchanged=run.unchanged)
        record_change(
            member,
            kind="ingest.batch",
            subject_code=run.public_code,
            record={
                "run": run.public_code,
                "source": run.source,
                "batch": batch.number,
                "lines": [batch.first_line, batch.last_line],
                "inserted": written.inserted,
                "updated": written.updated,
                "unchanged": written.unchanged,
                "rows_digest": written.digest,
            },
            sealed=False,
        )


def _finish(member: Membership | None, run: ImportRun, rejections: list[dict[str, object]]) -> ImportRun:
    failed = bool(run.rejected or run.message)
    run.status = RunStatus.FAILED if failed else RunStatus.SUCCEEDED
    run.finished_at = timezone.now()
    run.rejections = rejections
    if failed and not run.message:
        run.message = gettext("%(n)d row(s) rejected; their batches were not stored.") % {"n": run.rejected}
    with transaction.atomic():
        run.save()
        record_change(
            member,
            kind="ingest.finished",
            subject_code=run.public_code,
            record={
                "run": run.public_code,
                "source": run.source,
                "filename": run.filename,
                "sha256": run.sha256,
                "size": run.size,
                "by": run.operator,
                "status": run.status,
                "rows_read": run.rows_read,
                "inserted": run.inserted,
                "updated": run.updated,
                "unchanged": run.unchanged,
                "rejected": run.rejected,
                "held_back": run.held_back,
                "skipped": run.skipped,
            },
            sealed=False,
        )
    return run


# --- correlation ---


def _actor_names(complaints: Iterable[Complaint]) -> dict[int, list[tuple[str, list[str]]]]:
    """complaint id -> [(actor name, lower-case names and aliases)]."""
    through = Complaint.actors.through.objects.filter(complaint__in=[c.pk for c in complaints])
    by_actor = {a.pk: a for a in Actor.objects.all()}
    names: dict[int, list[tuple[str, list[str]]]] = defaultdict(list)
    for row in through:
        actor = by_actor[row.actor_id]
        spelled = [actor.name.lower(), *(str(a).lower() for a in actor.aliases)]
        names[row.complaint_id].append((actor.name, [s for s in spelled if len(s) >= 3]))
    return names


def _matched_actors(actors: list[tuple[str, list[str]]], text: str) -> list[str]:
    text = text.lower()
    return [name for name, spellings in actors if any(s in text for s in spellings)]


def refresh_correlations(member: Membership | None, *, complaints: Iterable[Complaint] | None = None) -> int:
    """Recompute the candidate links of the given complaints (every submitted one by default): external events
    and other complaints within their space-time window. Decided links are kept as decided; candidates no longer
    found are removed. Returns the number of candidate links now held for these complaints."""
    if member is not None and not rules.can_decide_links(member):
        raise NotPermitted(gettext("Only the mediators' investigators look for corroboration."))
    pool = Complaint.objects.exclude(state=ComplaintState.DRAFT).select_related("incident")
    if member is not None:
        pool = pool & Complaint.objects.visible_to(member)
    chosen = list(pool if complaints is None else pool.filter(pk__in=[c.pk for c in complaints]))
    if not chosen:
        return 0
    points = queries.complaint_points(chosen)
    first = int(points.first_day.min()) - CORRELATION_MARGIN_DAYS
    last = int(points.last_day.max()) + CORRELATION_MARGIN_DAYS
    events = queries.event_points(
        queries.EPOCH + _days(first), queries.EPOCH + _days(last), correlation.latitude_band(points)
    )
    raw = correlation.match_events(points, events)
    actors = _actor_names(chosen)
    texts = {
        pk: f"{actor1} {actor2}"
        for pk, actor1, actor2 in ExternalEvent.objects.filter(pk__in={c.target_id for c in raw}).values_list(
            "pk", "actor1", "actor2"
        )
    }
    by_complaint: dict[int, list[correlation.Candidate]] = defaultdict(list)
    for c in raw:
        matched = _matched_actors(actors[c.complaint_id], texts.get(c.target_id, ""))
        by_complaint[c.complaint_id].append(correlation.with_actors(c, matched))
    event_links = {k: correlation.rank(v)[: correlation.MAX_CANDIDATES] for k, v in by_complaint.items()}

    # Pairs: the chosen complaints against every submitted complaint in the same span, never two of one incident.
    span = pool.filter(
        occurred_at__date__gte=queries.EPOCH + _days(first), occurred_at__date__lte=queries.EPOCH + _days(last)
    )
    everyone = {c.pk: c for c in [*chosen, *span]}
    chosen_ids = {c.pk for c in chosen}
    pair_actors = _actor_names(everyone.values())
    pairs = []
    for c in correlation.match_complaints(queries.complaint_points(sorted(everyone.values(), key=lambda x: x.pk))):
        a, b = everyone[c.complaint_id], everyone[c.target_id]
        if a.incident_id == b.incident_id or not ({a.pk, b.pk} & chosen_ids):
            continue
        shared = sorted({n for n, _ in pair_actors[a.pk]} & {n for n, _ in pair_actors[b.pk]})
        pairs.append(correlation.with_actors(c, shared))
    return _store_candidates(member, chosen_ids, event_links, pairs)


def _days(n: int) -> Any:
    import datetime as dt

    return dt.timedelta(days=n)


def _store_candidates(
    member: Membership | None,
    chosen_ids: set[int],
    event_links: dict[int, list[correlation.Candidate]],
    pairs: list[correlation.Candidate],
) -> int:
    now = timezone.now()
    wanted: dict[tuple[int, int | None, int | None], correlation.Candidate] = {}
    for complaint_id, candidates in event_links.items():
        for c in candidates:
            wanted[(complaint_id, c.target_id, None)] = c
    for c in pairs:
        wanted[(c.complaint_id, None, c.target_id)] = c
    scope = Q(complaint_id__in=chosen_ids) | Q(other_complaint_id__in=chosen_ids)
    with transaction.atomic():
        current = {
            (link.complaint_id, link.event_id, link.other_complaint_id): link
            for link in CorrelationLink.objects.filter(scope).select_for_update()
        }
        stale = [
            link.pk
            for key, link in current.items()
            if key not in wanted and link.status == LinkStatus.CANDIDATE
            and (link.event_id is not None or link.complaint_id in chosen_ids or link.other_complaint_id in chosen_ids)
        ]  # fmt: skip
        CorrelationLink.objects.filter(pk__in=stale).delete()
        new, changed = [], []
        for key, c in wanted.items():
            link = current.get(key)
            if link is None:
                new.append(
                    CorrelationLink(
                        public_code=random_code("LNK", now.year, 8),
                        complaint_id=key[0],
                        event_id=key[1],
                        other_complaint_id=key[2],
                        score=round(c.score, 4),
                        reasons=c.reasons(),
                        computed_at=now,
                    )
                )
            elif link.status == LinkStatus.CANDIDATE:
                link.score, link.reasons, link.computed_at = round(c.score, 4), c.reasons(), now
                changed.append(link)
        CorrelationLink.objects.bulk_create(new, batch_size=2000)
        CorrelationLink.objects.bulk_update(changed, ["score", "reasons", "computed_at"], batch_size=2000)
        held = CorrelationLink.objects.filter(scope, status=LinkStatus.CANDIDATE).count()
        record_change(
            member,
            kind="correlation.refreshed",
            subject_code="correlation",
            record={
                "complaints": len(chosen_ids),
                "added": len(new),
                "rescored": len(changed),
                "removed": len(stale),
                "candidates": held,
                "at": now.isoformat(),
            },
            sealed=True,
        )
    return held


def _visible_link(member: Membership, link: CorrelationLink) -> CorrelationLink:
    if not rules.can_see_candidate_links(member) or not queries.get_visible_link(member, link.public_code):
        raise NotVisible(gettext("No such correlation."))
    return link


def decide_link(member: Membership, link: CorrelationLink, *, confirm: bool, note: str = "") -> CorrelationLink:
    """An investigator confirms (a corroboration) or rejects a candidate link. Two complaints are confirmed as one
    incident by group_complaints instead."""
    _visible_link(member, link)
    if not rules.can_decide_links(member):
        raise NotPermitted(gettext("Only the mediators' investigators confirm or reject corroboration."))
    if confirm and link.is_pair:
        raise ValidationFailed(gettext("Two complaints are confirmed by grouping them under one incident."))
    status = LinkStatus.CONFIRMED if confirm else LinkStatus.REJECTED
    now = timezone.now()
    with transaction.atomic():
        done = CorrelationLink.objects.filter(pk=link.pk, status=LinkStatus.CANDIDATE).update(
            status=status, decided_by=member, decided_at=now, note=note.strip()[:2000]
        )
        if not done:
            raise Conflict(gettext("This link was decided already."))
        link.refresh_from_db()
        record_change(
            member,
            kind=f"correlation.{status}",
            subject_code=link.complaint.public_code,
            record=_link_record(link),
            sealed=True,
        )
    return link


def _link_record(link: CorrelationLink) -> dict[str, object]:
    target = (
        f"{link.event.source}:{link.event.source_id}" if link.event else link.other_complaint.public_code  # type: ignore[union-attr]
    )
    return {
        "link": link.public_code,
        "complaint": link.complaint.public_code,
        "target": target,
        "status": link.status,
        "score": link.score,
        "by": link.decided_by.user.get_username() if link.decided_by else None,
        "note": link.note,
    }


def group_complaints(member: Membership, link: CorrelationLink, *, note: str = "") -> Complaint:
    """A mediator confirms that two complaints describe one event: the later-filed complaint joins the earlier
    one's incident. Returns the complaint that moved."""
    _visible_link(member, link)
    if not rules.can_group_complaints(member):
        raise NotPermitted(gettext("Only the mediators' investigators and secretariat group complaints."))
    if not link.is_pair:
        raise ValidationFailed(gettext("Only a suggestion of two complaints can be grouped."))
    first, second = link.complaint, link.other_complaint
    assert second is not None
    earlier, later = sorted((first, second), key=lambda c: (c.created_at, c.pk))
    if earlier.incident_id == later.incident_id:
        raise Conflict(gettext("The two complaints are about one incident already."))
    now = timezone.now()
    with transaction.atomic():
        done = CorrelationLink.objects.filter(pk=link.pk, status=LinkStatus.CANDIDATE).update(
            status=LinkStatus.CONFIRMED, decided_by=member, decided_at=now, note=note.strip()[:2000]
        )
        moved = Complaint.objects.filter(pk=later.pk, incident_id=later.incident_id).update(
            incident_id=earlier.incident_id, updated_at=now
        )
        if not done or not moved:
            raise Conflict(gettext("These complaints were grouped or decided already."))
        link.refresh_from_db()
        record_change(
            member,
            kind="correlation.confirmed",
            subject_code=link.complaint.public_code,
            record=_link_record(link),
            sealed=True,
        )
        complaint = Complaint.objects.select_related("incident", "complainant", "respondent", "agreement").get(
            pk=later.pk
        )
        record_change(
            member,
            kind="complaint.grouped",
            subject_code=complaint.public_code,
            record=complaint_version(complaint),
            sealed=is_sealed(complaint),
        )
    return complaint
