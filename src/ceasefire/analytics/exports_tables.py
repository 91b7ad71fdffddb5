"""The lists that can be downloaded, each read through the same filtered query as its page (so through visible_to):
complaints (incidents/queries.filter_complaints), external events (ingest/queries.filter_events, only sources whose
licence allows export: UCDP and GDELT, never ACLED), crossings with their state now (border/queries.crossing_rows),
and intelligence items (rows from intel/exports.py, whose CSV this reuses).

Rows are read in chunks with what they show prefetched per chunk, so the number of queries grows with the chunks,
never with the rows.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext

from ceasefire.border.queries import crossing_rows
from ceasefire.core.models import Membership
from ceasefire.incidents.models import Complaint
from ceasefire.incidents.queries import ComplaintFilter, filter_complaints
from ceasefire.ingest.enums import exportable_sources
from ceasefire.ingest.queries import EventFilter, filter_events, licences_of
from ceasefire.intel import exports as intel_exports
from ceasefire.intel.queries import ItemFilters, visible_items
from ceasefire.verification.models import Determination

from .exports import ExportTable, Row, point
from .scorecards import standing

CHUNK = 500

COMPLAINT_COLUMNS = [
    "public_code", "title", "category", "state", "complainant", "respondent", "occurred_at", "ends_at",
    "time_precision", "latitude", "longitude", "place_precision", "place", "province", "side", "distance_km",
    "nearest_crossing", "tlp", "commitments", "casualties_claimed", "narrative", "submitted_at", "notified_at",
    "determination", "determination_in_effect_at",
]  # fmt: skip


def _claims(complaint: Complaint) -> str:
    """Each claimant's figures apart: 'AF: killed civilian 10 (8–12); PK: ...'."""
    parts = []
    for claim in sorted(complaint.casualty_claims.all(), key=lambda c: (c.claimant.code, c.kind, c.status)):
        span = f" ({claim.low}–{claim.high})" if claim.low is not None or claim.high is not None else ""
        parts.append(f"{claim.claimant.code}: {claim.kind} {claim.status} {claim.best}{span}")
    return "; ".join(parts)


def complaints_table(member: Membership | None, criteria: ComplaintFilter) -> ExportTable:
    return ExportTable(
        name="complaints",
        title=gettext("Complaints"),
        columns=COMPLAINT_COLUMNS,
        rows=_complaint_rows(member, criteria),
    )


def _complaint_rows(member: Membership | None, criteria: ComplaintFilter) -> Iterator[Row]:
    matching = filter_complaints(member, criteria).order_by("-occurred_at", "-pk")
    for chunk in itertools.batched(matching.iterator(chunk_size=CHUNK), CHUNK):
        batch = list(chunk)
        prefetch_related_objects(batch, "commitments", "casualty_claims__claimant")
        # The determination a member may see (in effect, for a party): one query per chunk.
        decided = {
            d.complaint_id: d
            for d in standing(Determination.objects.visible_to(member).filter(complaint__in=[c.pk for c in batch]))
        }
        for c in batch:
            incident = c.incident
            determination = decided.get(c.pk)
            cells = [
                c.public_code, c.title, c.category, c.state, c.complainant.code, c.respondent.code, incident.starts_at,
                incident.ends_at, incident.time_precision, incident.latitude, incident.longitude,
                incident.place_precision, incident.place_description, incident.province, incident.side,
                round(incident.distance_km, 1),
                incident.nearest_crossing.name if incident.nearest_crossing else "", c.tlp,
                " ".join(sorted(m.code for m in c.commitments.all())), _claims(c), c.narrative, c.submitted_at,
                c.notified_at, determination.outcome if determination else "",
                determination.effective_at if determination else None,
            ]  # fmt: skip
            yield cells, point(incident.longitude, incident.latitude)


EVENT_COLUMNS = [
    "source", "source_id", "starts_on", "ends_on", "date_precision", "latitude", "longitude", "place_precision",
    "location", "admin1", "admin2", "country", "side", "distance_km", "category", "source_type", "actor1", "actor2",
    "fatalities_best", "fatalities_low", "fatalities_high",
]  # fmt: skip


def events_table(member: Membership | None, criteria: EventFilter) -> ExportTable:
    """External events whose licence allows export; the filter is forced to exportable sources whatever was asked."""
    exportable = EventFilter(**{**criteria.__dict__, "exportable_only": True})
    return ExportTable(
        name="external-events",
        title=gettext("External events (UCDP GED, GDELT)"),
        columns=EVENT_COLUMNS,
        rows=_event_rows(member, exportable),
        attribution=[f"{source}: {text}" for source, text in licences_of(exportable_sources())],
    )


def _event_rows(member: Membership | None, criteria: EventFilter) -> Iterator[Row]:
    events = filter_events(member, criteria).order_by("starts_on", "pk")
    at_lat, at_lon = EVENT_COLUMNS.index("latitude"), EVENT_COLUMNS.index("longitude")
    for values in events.values_list(*EVENT_COLUMNS).iterator(chunk_size=5000):
        cells = list(values)
        yield cells, point(cells[at_lon], cells[at_lat])


CROSSING_COLUMNS = [
    "slug", "name", "latitude", "longitude", "coord_status", "afghan_province", "afghan_district",
    "pakistan_province", "pakistan_district", "state_now", "since", "declared_by", "restriction",
    "days_closed", "closures", "arbitrary_closures", "data_flags",
]  # fmt: skip


def crossings_table(member: Membership | None) -> ExportTable:
    return ExportTable(
        name="crossings", title=gettext("Crossings"), columns=CROSSING_COLUMNS, rows=_crossing_rows(member)
    )


def _crossing_rows(member: Membership | None) -> Iterator[Row]:
    for row in crossing_rows(member):
        c, timeline = row.crossing, row.timeline
        current = timeline.current
        claim = current.claim if current else None
        cells = [
            c.slug, c.name, c.latitude, c.longitude, c.coord_status, c.afghan_province, c.afghan_district,
            c.pakistan_province, c.pakistan_district, timeline.state_now, current.start if current else None,
            claim.party if claim else "", current.restriction if current else "", timeline.closed_days,
            len(timeline.closures), len(timeline.arbitrary), "; ".join(flag.code for flag in row.flags),
        ]  # fmt: skip
        yield cells, point(c.longitude, c.latitude)


def intel_table(member: Membership | None, criteria: ItemFilters) -> ExportTable:
    return ExportTable(
        name="intel",
        title=gettext("Intelligence items"),
        columns=list(intel_exports.CSV_HEADER),
        rows=_intel_rows(member, criteria),
    )


def _intel_rows(member: Membership | None, criteria: ItemFilters) -> Iterator[Row]:
    """intel/exports.py's rows (already neutralised), with the item's places as the geometry."""
    items = visible_items(member, criteria)
    for chunk in itertools.batched(items.iterator(chunk_size=CHUNK), CHUNK):
        batch = list(chunk)
        prefetch_related_objects(batch, *intel_exports.RELATED)
        places: dict[int, list[list[float]]] = defaultdict(list)
        for item in batch:
            places[item.pk] = [[round(p.longitude, 6), round(p.latitude, 6)] for p in item.places.all()]
        for item, cells in zip(batch, intel_exports.csv_rows(batch, member=member), strict=True):
            where = places[item.pk]
            geometry = {"type": "MultiPoint", "coordinates": where} if where else None
            yield list(cells), geometry
