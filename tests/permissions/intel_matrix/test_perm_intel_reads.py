"""What hangs off an intelligence item, read by every persona at the query level: requests for action due, who
opened what (receipts), the item's log entries, which entries are sealed, and the public log's tiles.

Expectations are written from issue 5 ("the originator sees who read what; a recipient its own receipt"; "intel
events are sealed entries unless the item is CLEAR or GREEN"), never computed by the code under test. Runs in
both database passes.
"""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.contrib import admin
from perm_intel_specs import PARTY_OF, originator_side
from perm_world import PERSONAS

from ceasefire.intel.models import IntelItem
from ceasefire.intel.queries import receipts_of, requests_due, visible_entries
from ceasefire.ledger.models import LogEntry
from ceasefire.ledger.tiles import Tile, parse_bundle, tiles_for_size

pytestmark = pytest.mark.integration

MEMBERS = [p for p in PERSONAS if p.is_member]
DRAFT_KINDS = {"intel.drafted", "intel.revised"}


def test_requests_due_are_exactly_the_open_requests_of_my_party_on_items_i_see(intel_world):
    world = intel_world
    for persona in PERSONAS:
        party = PARTY_OF.get(persona.key)
        want = {
            item.code
            for key, item in world.items.items()
            if item.spec.request in ("open", "answered", "overdue")
            and item.spec.state == "shared"
            and world.sees(persona, key)
            and party in (item.spec.request_to, item.spec.originator)
        }
        got = set(requests_due(world.member(persona)).values_list("item__public_code", flat=True))
        assert got == want, f"{persona.key}: leaked {got - want}, missing {want - got}"
    pk = next(p for p in PERSONAS if p.key == "pk_viewer")
    af = next(p for p in PERSONAS if p.key == "af_viewer")
    # Guards: the expired item's overdue request is the originator's to watch, no longer the addressee's task.
    assert world.items["AF_req_expired"].code in set(
        requests_due(world.member(af)).values_list("item__public_code", flat=True)
    )
    assert world.items["AF_req_expired"].code not in set(
        requests_due(world.member(pk)).values_list("item__public_code", flat=True)
    )


def test_receipts_show_the_originator_all_and_a_recipient_its_own(intel_world):
    """Every opening by a recipient is a receipt; the originator's side sees them all, a recipient its own. For
    RED the originator's side is the author alone: a colleague the item names is a recipient like any other."""
    world = intel_world
    wrong = []
    opened = 0
    for persona in MEMBERS:
        for key in sorted(world.visible(persona)):
            spec = world.items[key].spec
            keys = world.receipt_keys(key)
            want = keys if originator_side(persona.key, persona.username, spec) else keys & world.own_keys(persona)
            item = IntelItem.objects.get(pk=world.items[key].pk)
            got = set(receipts_of(world.member(persona), item).values_list("recipient_key", flat=True))
            opened += bool(got)
            if got != want:
                wrong.append(f"{persona.key} {key}: got {sorted(got)}, want {sorted(want)}")
    assert not wrong, "\n".join(wrong)
    assert opened > 100, "the world opened almost nothing: the receipt cells prove little"


def _entry_allowed(persona, spec, entry: LogEntry, own: set[str]) -> bool:
    """The reader's share of an item's log: the originator's side all of it; anyone else the shared versions and
    forwards, its own receipts, and the request's entries when its party is asked to act."""
    if originator_side(persona.key, persona.username, spec):
        return True
    if entry.kind in ("intel.shared", "intel.forwarded"):
        return True
    if entry.kind.startswith("intel_receipt."):
        return entry.record.get("recipient") in own
    if entry.kind.startswith("intel_request."):
        return PARTY_OF[persona.key] == spec.request_to
    return False


def test_item_log_entries_are_the_readers_share_for_every_persona(intel_world):
    world = intel_world
    wrong = []
    for persona in MEMBERS:
        member = world.member(persona)
        own = world.own_keys(persona)
        for key in sorted(world.visible(persona)):
            built = world.items[key]
            entries = list(LogEntry.objects.filter(subject_code=built.code).order_by("sequence"))
            want = [e.sequence for e in entries if _entry_allowed(persona, built.spec, e, own)]
            got = [e.sequence for e in visible_entries(member, IntelItem.objects.get(pk=built.pk))]
            if got != want:
                extra = sorted({e.kind for e in entries if e.sequence in set(got) - set(want)})
                wrong.append(f"{persona.key} {key}: got {got}, want {want}; extra kinds {extra}")
    assert not wrong, "\n".join(wrong)


def _open_entry(spec, kind: str) -> bool:
    """An entry is open (its leaf names kind, subject and party) only for a shared CLEAR or GREEN item."""
    return kind not in DRAFT_KINDS and spec.state == "shared" and spec.tlp in ("CLEAR", "GREEN")


def test_intel_entries_are_sealed_unless_the_item_is_shared_clear_or_green(intel_world):
    world = intel_world
    names = world.by_code()
    entries = LogEntry.objects.filter(subject_code__in=list(names))
    wrong = [
        f"{names[e.subject_code]} {e.kind}: sealed={e.sealed}"
        for e in entries
        if e.sealed == _open_entry(world.items[names[e.subject_code]].spec, e.kind)
    ]
    assert not wrong, "\n".join(wrong)
    assert {e.kind.split(".")[0] for e in entries} == {"intel", "intel_receipt", "intel_request"}


def _open_codes(world) -> set[str]:
    return {
        item.code
        for item in world.items.values()
        if item.spec.state == "shared" and item.spec.tlp in ("CLEAR", "GREEN")
    }


def test_public_tiles_name_no_restricted_item_for_anyone(intel_world):
    world = intel_world
    anonymous = PERSONAS[-1]
    level0 = [t for t in tiles_for_size(world.log_size) if t.level == 0]
    bodies = []
    for persona in PERSONAS:  # the tiles are public: the same bytes for everyone, signed in or not
        client = world.web(persona)
        leaves: list[bytes] = []
        for tile in level0:
            path = "/log/" + Tile(None, tile.index, tile.width).path
            response = client.get(path)
            assert response.status_code == 200, f"{path} as {persona.key}"
            leaves += parse_bundle(response.content, tile.width)
        checkpoint = client.get("/log/checkpoint")
        assert checkpoint.status_code == 200
        bodies.append(b"\n".join(leaves))
        allowed = _open_codes(world)
        leaked = [m for m in world.invisible_markers(anonymous) if m not in allowed and m.encode() in bodies[-1]]
        leaked += [m for m in world.invisible_markers(anonymous) if m.encode() in checkpoint.content]
        assert not leaked, f"tiles as {persona.key}: {leaked}"
        assert len(leaves) == world.log_size
    assert len(set(bodies)) == 1
    subjects = {json.loads(leaf).get("subject") for leaf in bodies[0].split(b"\n")}
    named = {c for c in subjects if c and c.startswith("INT-")}
    assert named == _open_codes(world), f"open leaves name {sorted(named - _open_codes(world))}"


def test_admin_registers_no_intel_model():
    registered = {m._meta.app_label for m in admin.site._registry}
    assert "intel" not in registered
    assert apps.get_app_config("intel").get_models()  # guard: the app and its models exist
