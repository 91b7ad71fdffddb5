"""The vectorised side and distance of a batch agree with geo/reference.py's per-point answers."""

from __future__ import annotations

import numpy as np
import pytest

from ceasefire.geo.reference import reference
from ceasefire.ingest import geometry

pytestmark = pytest.mark.unit


def test_batch_side_and_distance_match_the_reference_point_by_point():
    rng = np.random.default_rng(7)
    lons = np.concatenate([rng.uniform(60, 78, 1500), rng.uniform(-120, 150, 100), [69.95, 71.09, 66.45]])
    lats = np.concatenate([rng.uniform(24, 38, 1500), rng.uniform(-50, 60, 100), [33.28, 34.11, 30.92]])
    ref = reference()

    sides, distances, cells = geometry.place_batch(lons.tolist(), lats.tolist())

    expected_sides = [ref.side_of(x, y) for x, y in zip(lons, lats, strict=True)]
    expected_km = [round(ref.distance_to_line_km(x, y), 2) for x, y in zip(lons, lats, strict=True)]
    assert sides == expected_sides
    assert np.allclose(distances, expected_km, atol=0.011)
    assert len(set(cells)) > 1000


def test_known_places_lie_on_their_side():
    # Mughalgai (Khost) is on the Afghan side; Peshawar on the Pakistani side.
    sides, distances, _ = geometry.place_batch([69.95, 71.58], [33.28, 34.01])

    assert sides == ["AF", "PK"]
    assert 5 < distances[0] < 40
