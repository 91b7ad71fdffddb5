"""Where external events lie, a whole batch at a time: side of the reference line, distance to it (shapely,
vectorised) and the H3 cell the map aggregates by. Same answers as geo/reference.py's per-point functions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import h3.api.basic_int as h3
import numpy as np
import numpy.typing as npt
import shapely

from ceasefire.geo.reference import EARTH_RADIUS_KM, ReferenceGeometry, reference

H3_RESOLUTION = 7  # ~5 km² cells; the map asks for coarser parents when zoomed out


GRID_DEGREES = 0.1  # cell size of the nearest-segment grid, in the scaled plane
_BUCKETS = (8, 16, 32, 64, 128, 256, 1024)


@dataclass(frozen=True)
class _LineIndex:
    """The reference line's segments, with a grid telling for each cell which segments can be nearest to a point
    in it: a segment farther from the cell's centre than (nearest distance + cell diagonal) never is. Points are
    then measured against a few candidates with numpy instead of searching a tree point by point."""

    k: float
    ax: npt.NDArray[np.float64]
    ay: npt.NDArray[np.float64]
    dx: npt.NDArray[np.float64]
    dy: npt.NDArray[np.float64]
    length2: npt.NDArray[np.float64]
    x0: float
    y0: float
    nx: int
    ny: int
    candidates: npt.NDArray[np.int32]  # (cells, width), padded with the first candidate
    counts: npt.NDArray[np.int32]
    segments: npt.NDArray[np.object_]
    tree: shapely.STRtree


def _segment_distance2(
    idx: _LineIndex, px: npt.NDArray[np.float64], py: npt.NDArray[np.float64], cand: npt.NDArray[np.int32]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Squared planar distance from each point to each of its candidate segments, and the nearest points."""
    ax, ay, dx, dy = idx.ax[cand], idx.ay[cand], idx.dx[cand], idx.dy[cand]
    t = np.clip(((px[:, None] - ax) * dx + (py[:, None] - ay) * dy) / idx.length2[cand], 0.0, 1.0)
    qx, qy = ax + t * dx, ay + t * dy
    return (px[:, None] - qx) ** 2 + (py[:, None] - qy) ** 2, qx, qy


@cache
def _index(ref: ReferenceGeometry) -> _LineIndex:
    k = ref._k
    parts = getattr(ref._line_scaled, "geoms", [ref._line_scaled])
    starts, ends = [], []
    for part in parts:
        coords = np.asarray(part.coords)[:, :2]
        starts.append(coords[:-1])
        ends.append(coords[1:])
    a, b = np.concatenate(starts), np.concatenate(ends)
    keep = np.any(a != b, axis=1)  # a zero-length segment has no direction to project on
    a, b = a[keep], b[keep]
    segments = shapely.linestrings(np.stack([a, b], axis=1))
    (minx, miny), (maxx, maxy) = a.min(axis=0), a.max(axis=0)
    margin = 6.0  # degrees around the line covered by the grid; farther points use the tree
    x0, y0 = minx - margin, miny - margin
    nx, ny = (
        int(np.ceil((maxx - minx + 2 * margin) / GRID_DEGREES)),
        int(np.ceil((maxy - miny + 2 * margin) / GRID_DEGREES)),
    )
    cx = x0 + (np.arange(nx) + 0.5) * GRID_DEGREES
    cy = y0 + (np.arange(ny) + 0.5) * GRID_DEGREES
    centres_x, centres_y = (m.ravel() for m in np.meshgrid(cx, cy, indexing="ij"))
    partial = _LineIndex(k, a[:, 0], a[:, 1], b[:, 0] - a[:, 0], b[:, 1] - a[:, 1],
                         ((b - a) ** 2).sum(axis=1), x0, y0, nx, ny, np.zeros((0, 0), np.int32),
                         np.zeros(0, np.int32), segments, shapely.STRtree(segments))  # fmt: skip
    everything = np.broadcast_to(np.arange(len(a), dtype=np.int32), (2000, len(a)))
    diagonal = GRID_DEGREES * np.sqrt(2.0)
    lists: list[npt.NDArray[np.int32]] = []
    for s in range(0, len(centres_x), 2000):
        px, py = centres_x[s : s + 2000], centres_y[s : s + 2000]
        d2, _, _ = _segment_distance2(partial, px, py, everything[: len(px)])
        d = np.sqrt(d2)
        near = d <= d.min(axis=1, keepdims=True) + diagonal
        lists.extend(np.flatnonzero(row).astype(np.int32) for row in near)
    counts = np.array([len(c) for c in lists], dtype=np.int32)
    table = np.empty((len(lists), int(counts.max())), dtype=np.int32)
    for i, c in enumerate(lists):
        table[i, : len(c)] = c
        table[i, len(c) :] = c[0]
    return _LineIndex(k, partial.ax, partial.ay, partial.dx, partial.dy,
                      partial.length2, x0, y0, nx, ny, table, counts, segments, partial.tree)  # fmt: skip


def prepare() -> None:
    """Build the reference line's index now (once per process): a forked parsing process inherits it built."""
    _index(reference())


def haversine_km(
    lon1: npt.NDArray[np.float64], lat1: npt.NDArray[np.float64], lon2: npt.NDArray[np.float64],
    lat2: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:  # fmt: skip
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def sides(lons: npt.NDArray[np.float64], lats: npt.NDArray[np.float64]) -> list[str]:
    ref = reference()
    in_af = shapely.contains_xy(ref.outlines["AF"], lons, lats)
    in_pk = shapely.contains_xy(ref.outlines["PK"], lons, lats) & ~in_af
    return np.where(in_af, "AF", np.where(in_pk, "PK", "outside")).tolist()  # type: ignore[no-any-return]


def distances_km(lons: npt.NDArray[np.float64], lats: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    idx = _index(reference())
    px, py = lons * idx.k, lats
    ix = np.floor((px - idx.x0) / GRID_DEGREES).astype(np.int64)
    iy = np.floor((py - idx.y0) / GRID_DEGREES).astype(np.int64)
    inside = (ix >= 0) & (ix < idx.nx) & (iy >= 0) & (iy < idx.ny)
    cells = np.where(inside, ix * idx.ny + iy, 0)
    width = np.where(inside, idx.counts[cells], 0)
    nearest_x, nearest_y = np.empty(len(px)), np.empty(len(px))
    lower = 0
    for bound in _BUCKETS:
        chosen = np.flatnonzero(inside & (width > lower) & (width <= bound))
        lower = bound
        if not len(chosen):
            continue
        cand = idx.candidates[cells[chosen], : min(bound, idx.candidates.shape[1])]
        d2, qx, qy = _segment_distance2(idx, px[chosen], py[chosen], cand)
        best = d2.argmin(axis=1)
        rows = np.arange(len(chosen))
        nearest_x[chosen], nearest_y[chosen] = qx[rows, best], qy[rows, best]
    far = np.flatnonzero(~inside)
    if len(far):  # far from the line (another continent in a global GDELT file): the tree, point by point
        points = shapely.points(px[far], py[far])
        found = idx.tree.query_nearest(points, all_matches=False)
        segments = np.empty(len(far), dtype=object)
        segments[found[0]] = idx.segments[found[1]]
        nearest = shapely.line_interpolate_point(segments, shapely.line_locate_point(segments, points))
        nearest_x[far], nearest_y[far] = shapely.get_x(nearest), shapely.get_y(nearest)
    return haversine_km(lons, lats, nearest_x / idx.k, nearest_y)


def h3_cells(lons: npt.NDArray[np.float64], lats: npt.NDArray[np.float64]) -> list[int]:
    cell = h3.latlng_to_cell
    return [cell(lat, lon, H3_RESOLUTION) for lat, lon in zip(lats.tolist(), lons.tolist(), strict=True)]


def place_batch(lons: list[float], lats: list[float]) -> tuple[list[str], list[float], list[int]]:
    """Side, distance (km, 2 decimals) and H3 cell of every point of a batch."""
    x = np.asarray(lons, dtype=np.float64)
    y = np.asarray(lats, dtype=np.float64)
    return sides(x, y), np.round(distances_km(x, y), 2).tolist(), h3_cells(x, y)
