"""Receipt downloads (web and API) for every member on every kind of item: the originator's side downloads any
recipient's receipt, a recipient only its own, and nobody anything of an item it may not see (404, as for a
made-up code). The proof's record names only a recipient the reader may know of. Then Django's admin, which
holds no intelligence at all. Read-only: both database passes.
"""

from __future__ import annotations

import base64
import json

import pytest
from perm_intel_matrix import MADE_UP, SMALL_SAMPLE
from perm_intel_specs import originator_side
from perm_world import PERSONAS, body_of, header_text

pytestmark = pytest.mark.integration

MEMBERS = [p for p in PERSONAS if p.is_member]


def _recipient_in(proof: bytes) -> str:
    """The recipient key in a tlog-proof's record (its `extra` line)."""
    extra = proof.split(b"\n")[1].removeprefix(b"extra ")
    return json.loads(base64.b64decode(extra))["record"]["recipient"]


def _param(world, key: str) -> dict[str, str]:
    """The API names a recipient by party, or a RED item's by user name."""
    kind, value = key.split(":")
    if kind == "party":
        return {"party": value}
    return {"person": next(u for u, pk in world.user_ids.items() if str(pk) == value)}


@pytest.mark.parametrize("persona", MEMBERS, ids=lambda p: p.key)
def test_receipts_download_only_as_the_originator_or_ones_own(intel_world, persona):
    world = intel_world
    web, api = world.web(persona), world.api(persona)
    wrong: list[str] = []
    downloaded = 0

    def ask(client, url: str, params: dict, expected: int, allowed: set[str], code: str) -> None:
        nonlocal downloaded
        response = client.get(url, params)
        body = body_of(response)
        cell = f"GET {url} {params} as {persona.key}"
        if response.status_code != expected:
            wrong.append(f"{cell}: expected {expected}, got {response.status_code} {body[:120]!r}")
            return
        leaked = world.leaks(persona, body, header_text(response), sent=code)
        if leaked:
            wrong.append(f"{cell}: LEAKS {leaked}")
        if expected == 200:
            downloaded += 1
            if _recipient_in(body) not in allowed:
                wrong.append(f"{cell}: the proof is of {_recipient_in(body)}")

    for surface in ("web", "api"):
        url = f"/intel/{MADE_UP}/receipt.proof" if surface == "web" else f"/api/v1/intel/items/{MADE_UP}/receipt"
        ask(web if surface == "web" else api, url, {}, 404, set(), MADE_UP)
    for key in SMALL_SAMPLE:
        item = world.items[key]
        page, endpoint = f"/intel/{item.code}/receipt.proof", f"/api/v1/intel/items/{item.code}/receipt"
        if not world.sees(persona, key):
            ask(web, page, {}, 404, set(), item.code)
            ask(api, endpoint, {}, 404, set(), item.code)
            continue
        keys = world.receipt_keys(key)
        if originator_side(persona.key, persona.username, item.spec):
            ask(web, page, {}, 200 if keys else 404, keys, item.code)
            ask(api, endpoint, {}, 422, keys, item.code)  # the originator names the recipient
            for receipt in sorted(keys):
                ask(web, page, {"recipient": receipt}, 200, {receipt}, item.code)
                ask(api, endpoint, _param(world, receipt), 200, {receipt}, item.code)
            continue
        own = keys & world.own_keys(persona)
        ask(web, page, {}, 200 if own else 404, own, item.code)
        ask(api, endpoint, {}, 200 if own else 404, own, item.code)
        for other in sorted(keys - own):  # naming another recipient's receipt finds nothing
            ask(web, page, {"recipient": other}, 404, set(), item.code)
            ask(api, endpoint, _param(world, other), 404, set(), item.code)
    assert not wrong, f"{len(wrong)} wrong cells:\n" + "\n".join(wrong)
    assert downloaded, f"{persona.key} downloaded no receipt: the cells above prove little"


@pytest.mark.parametrize("staff", ["admin", "secretariat"])
def test_admin_pages_show_no_intelligence_to_staff(intel_world, staff):
    world = intel_world
    persona = next(p for p in PERSONAS if p.key == staff)
    client = world.web(persona)
    for path in ("/admin/", "/admin/core/party/", "/admin/verification/notification/", "/admin/geo/place/?q=ibis"):
        response = client.get(path)
        leaked = world.leaks(persona, body_of(response), header_text(response))
        assert not leaked, f"GET {path} as {staff}: LEAKS {leaked}"
    for model in ("intelitem", "receipt", "requestforaction", "intelforward", "intelfile"):
        assert client.get(f"/admin/intel/{model}/").status_code == 404, model
