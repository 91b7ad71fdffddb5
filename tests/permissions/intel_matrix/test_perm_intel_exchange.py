"""A request's exchange (the actions taken, their files, the rating) is between the requesting side and the party
asked to act (queries.sees_request_exchange, and the entries' rule): every other reader of the item sees the
request, never the exchange — on the item's page and API (test_perm_intel_items.py checks their markers) and in
every export: CSV (intel's own and the downloads page's) and STIX.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from perm_world import PERSONAS, body_of

pytestmark = pytest.mark.integration

RATED = ("AF_req_rated", "PK_req_red", "TR_req_no_response")
MEMBERS = [p for p in PERSONAS if p.is_member]


def _csv_rating(body: bytes, code: str) -> str:
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    column = rows[0].index("rating")
    return next(row[column] for row in rows[1:] if row[0] == code)


def _stix_notes(body: bytes) -> str:
    """The text of the bundle's notes (distribution, handling, the request)."""
    return "\n".join(o.get("content", "") for o in json.loads(body)["objects"] if o["type"] == "note")


@pytest.mark.parametrize("persona", MEMBERS, ids=lambda p: p.key)
def test_exports_give_the_rating_only_to_the_two_sides_of_the_request(intel_world, persona):
    world = intel_world
    api = world.api(persona)
    wrong: list[str] = []
    checked = 0
    for key in RATED:
        item = world.items[key]
        if not world.sees(persona, key):
            continue
        checked += 1
        insider = world.in_exchange(persona, key)
        detail = api.get(f"/api/v1/intel/items/{item.code}").json()["request"]
        for where, rating in (
            ("API item", detail["rating"]),
            ("API CSV", _csv_rating(body_of(api.get("/api/v1/intel/export.csv", {"q": item.word})), item.code)),
            ("downloads CSV", _csv_rating(body_of(api.get("/api/v1/exports/intel.csv", {"q": item.word})), item.code)),
        ):
            if bool(rating) != insider:
                wrong.append(f"{where} of {key} as {persona.key}: rating {rating!r} (a side of the request: {insider})")
        note = _stix_notes(body_of(api.get(f"/api/v1/intel/items/{item.code}/stix")))
        if ("Rating:" in note) != insider:
            wrong.append(f"STIX of {key} as {persona.key}: request note {note!r} (a side of the request: {insider})")
    assert not wrong, "\n".join(wrong)
    if persona.key in ("tr_investigator", "af_liaison"):
        assert checked, f"{persona.key} sees no rated item: the cells prove nothing"
