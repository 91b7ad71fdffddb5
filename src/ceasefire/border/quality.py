"""Data-quality flags of a crossing's published coordinate, computed from the registry and the reference line.

Real data is like this (../data/crossings): seven crossings have no coordinate, and Ghulam Khan's lies about
11 km inside Afghanistan, in another province than the one its description names. A flag says what is wrong;
nothing is corrected behind the reader's back.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from ceasefire.geo.enums import CoordStatus
from ceasefire.geo.models import Crossing
from ceasefire.geo.reference import reference

from .conf import border_settings
from .enums import CrossingFlag


@dataclass(frozen=True)
class QualityFlag:
    code: str
    message: str


def crossing_flags(crossing: Crossing) -> list[QualityFlag]:
    if crossing.latitude is None or crossing.longitude is None:
        return [QualityFlag(CrossingFlag.MISSING, str(CrossingFlag.MISSING.label))]
    flags = []
    if crossing.coord_status == CoordStatus.SUSPECT:
        flags.append(QualityFlag(CrossingFlag.SUSPECT, str(CrossingFlag.SUSPECT.label)))
    elif crossing.coord_status == CoordStatus.APPROXIMATE:
        flags.append(QualityFlag(CrossingFlag.APPROXIMATE, str(CrossingFlag.APPROXIMATE.label)))
    ref = reference()
    lon, lat = crossing.longitude, crossing.latitude
    side = ref.side_of(lon, lat)
    km = ref.distance_to_line_km(lon, lat)
    limit = border_settings().max_km_from_line
    if km > limit:
        where = {"AF": gettext("inside Afghanistan"), "PK": gettext("inside Pakistan")}.get(
            side, gettext("outside both outlines")
        )
        flags.append(
            QualityFlag(
                CrossingFlag.OFF_LINE,
                gettext(
                    "The coordinate lies %(km).1f km %(where)s; a crossing should be within %(limit).0f km of the line."
                )
                % {"km": km, "where": where, "limit": limit},
            )
        )
    if side == "AF" and crossing.afghan_province:
        province = ref.afghan_province(lon, lat)
        if province and province.lower() != crossing.afghan_province.lower():
            flags.append(
                QualityFlag(
                    CrossingFlag.PROVINCE_MISMATCH,
                    gettext("The coordinate falls in %(found)s province; the description says %(said)s.")
                    % {"found": province, "said": crossing.afghan_province},
                )
            )
    return flags
