"""STIX 2.1 interchange on the real database: export under the TLP 2.0 markings, import as a draft, bad bundles."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
import stix2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support_intel import intel_draft

from ceasefire.core.errors import NotPermitted, ValidationFailed
from ceasefire.incidents.models import Actor
from ceasefire.intel import services, stix
from ceasefire.intel.drafts import PlaceDraft
from ceasefire.intel.enums import ItemState
from ceasefire.intel.models import IntelItem
from ceasefire.ledger.models import LogEntry

pytestmark = pytest.mark.integration

# The TLP 2.0 marking definitions as OASIS published them (cti-stix-common-objects, tlp-2.0), written out here
# rather than taken from the module, so a typo there fails here.
TLP2 = {
    "CLEAR": ("marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "clear"),
    "GREEN": ("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "green"),
    "AMBER": ("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "amber"),
    "AMBER+STRICT": ("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "amber+strict"),
    "RED": ("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "red"),
}
TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"


def _of_type(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [obj for obj in bundle["objects"] if obj["type"] == kind]


def _raw(bundle: dict[str, Any]) -> bytes:
    return json.dumps(bundle).encode()


def _draft_for(tlp: str) -> Any:
    """A valid draft of each level: recipients for AMBER, a named person for RED, nobody named otherwise."""
    if tlp in ("AMBER", "AMBER+STRICT"):
        return intel_draft(tlp=tlp)
    if tlp == "RED":
        return intel_draft(tlp=tlp, recipients=[], people=["af-liaison"])
    return intel_draft(tlp=tlp, recipients=[])


def test_round_trip_gives_draft_with_same_content(pk_liaison: Any, af_liaison: Any) -> None:
    places = [PlaceDraft("Barmal", 32.78, 69.25), PlaceDraft("Angoor Adda", 32.5, 69.3)]
    shared = services.save_item(
        pk_liaison, intel_draft(places=places, handling="Do not contact the source."), share=True
    )
    bundle = stix.bundle_of([shared], member=af_liaison)

    imported = stix.import_bundle(af_liaison, _raw(bundle), filename="barmal.stix.json")

    assert imported.state == ItemState.DRAFT and imported.originator.code == "AF"
    assert (imported.title, imported.body, imported.tlp) == (shared.title, shared.body, shared.tlp)
    assert imported.handling == "Do not contact the source."
    assert [(p.name, p.latitude, p.longitude) for p in imported.places.all()] == [
        ("Barmal", 32.78, 69.25),
        ("Angoor Adda", 32.5, 69.3),
    ]
    assert [a.code for a in imported.actors.all()] == ["ttp"]
    assert imported.source == f"STIX bundle {bundle['id']} (barmal.stix.json)"
    # Recipients are the importer's choice when sharing: an AMBER draft names none yet.
    assert not imported.recipients.exists() and not hasattr(imported, "request")
    assert LogEntry.objects.filter(subject_code=imported.public_code, kind="intel.drafted").count() == 1


@pytest.mark.parametrize("tlp", list(TLP2))
def test_each_tlp_level_is_marked_with_its_tlp2_definition(pk_liaison: Any, tlp: str) -> None:
    item = services.save_item(pk_liaison, _draft_for(tlp), share=True)
    bundle = stix.bundle_of([item], member=pk_liaison)
    marking_id, value = TLP2[tlp]

    (report,) = _of_type(bundle, "report")
    assert report["object_marking_refs"] == [marking_id]
    (definition,) = _of_type(bundle, "marking-definition")
    assert definition["id"] == marking_id and definition["name"] == f"TLP:{tlp}"
    assert definition["created"] == "2022-10-01T00:00:00.000Z"
    assert definition["extensions"] == {TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": value}}
    for obj in _of_type(bundle, "location") + _of_type(bundle, "note"):
        assert obj["object_marking_refs"] == [marking_id]


@pytest.mark.parametrize("tlp", list(TLP2))
def test_each_tlp_level_survives_import(pk_liaison: Any, tlp: str) -> None:
    item = services.save_item(pk_liaison, _draft_for(tlp), share=True)
    imported = stix.import_bundle(pk_liaison, _raw(stix.bundle_of([item], member=pk_liaison)), filename="b.json")
    assert imported.tlp == tlp


def test_ids_are_deterministic_across_exports(pk_liaison: Any, af_liaison: Any) -> None:
    first = services.save_item(pk_liaison, intel_draft(), share=True)
    second = services.save_item(pk_liaison, intel_draft(title="Another sighting"), share=True)
    by_originator = stix.bundle_of([first], member=pk_liaison)
    by_recipient = stix.bundle_of([first, second], member=af_liaison)

    def shared_objects(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {obj["id"]: obj for obj in bundle["objects"] if obj["type"] in ("identity", "threat-actor")}

    # Parties and actors are the same objects, ids and all, whoever exports which items.
    assert shared_objects(by_originator) == shared_objects(by_recipient)
    assert {o["name"] for o in _of_type(by_originator, "identity")} == {"Pakistan", "Afghanistan"}
    # The same item is the same report (and locations, notes) in both exports; only the bundle differs.
    assert {o["id"] for o in by_originator["objects"]} < {o["id"] for o in by_recipient["objects"]}
    assert by_originator["id"] != by_recipient["id"]


def test_bundle_of_items_validates_with_stix2(pk_liaison: Any, pk_complaint: Any) -> None:
    items = [
        services.save_item(pk_liaison, intel_draft(complaints=[pk_complaint.public_code]), share=True),
        services.save_item(pk_liaison, _draft_for("GREEN"), share=True),
        services.save_item(pk_liaison, _draft_for("RED"), share=False),
    ]
    bundle = stix.bundle_of(items, member=pk_liaison)

    parsed = stix2.parse(json.dumps(bundle), allow_custom=False, version="2.1")

    assert isinstance(parsed, stix2.v21.Bundle)
    reports = [o for o in parsed.objects if o.type == "report"]
    assert sorted(r.name for r in reports) == sorted(i.title for i in items)
    references = {ref.external_id for r in reports for ref in r.external_references}
    assert {i.public_code for i in items} | {pk_complaint.public_code} == references


def test_export_names_only_complaints_the_reader_may_see(pk_liaison: Any, af_liaison: Any, pk_complaint: Any) -> None:
    """AF has not been notified of Pakistan's complaint, so AF's export of the item must not reveal it."""
    item = services.save_item(pk_liaison, intel_draft(complaints=[pk_complaint.public_code]), share=True)

    def complaint_refs(member: Any) -> list[str]:
        (report,) = _of_type(stix.bundle_of([item], member=member), "report")
        return [r["external_id"] for r in report["external_references"] if r["source_name"] == "ceasefire-complaint"]

    assert complaint_refs(pk_liaison) == [pk_complaint.public_code]
    assert complaint_refs(af_liaison) == []


def test_unmatched_threat_actor_is_named_in_body_not_created(pk_liaison: Any, af_liaison: Any) -> None:
    item = services.save_item(pk_liaison, intel_draft(actors=[]), share=True)
    bundle = stix.bundle_of([item], member=pk_liaison)
    (report,) = _of_type(bundle, "report")
    known = stix2.v21.ThreatActor(name="Tehreek-i-Taliban", aliases=["PAKISTANI TALIBAN"])
    unknown = stix2.v21.ThreatActor(name="Lashkar-e-Example")
    bundle["objects"] += [json.loads(known.serialize()), json.loads(unknown.serialize())]
    report["object_refs"] += [known.id, unknown.id]
    actors_before = Actor.objects.count()

    imported = stix.import_bundle(af_liaison, _raw(bundle), filename="b.json")

    assert [a.code for a in imported.actors.all()] == ["ttp"]  # matched by alias, whatever the case
    assert "Lashkar-e-Example" in imported.body and imported.body.startswith(item.body)
    assert Actor.objects.count() == actors_before


def test_nul_and_lone_surrogates_are_cleaned_from_imported_text(pk_liaison: Any, af_liaison: Any) -> None:
    """PostgreSQL stores neither; the import drops NUL and replaces a lone surrogate rather than fail on save."""
    item = services.save_item(pk_liaison, intel_draft(), share=True)
    bundle = stix.bundle_of([item], member=pk_liaison)
    _report(bundle)["name"] = "Barmal\x00 sighting \ud800"
    _location(bundle)["name"] = "Bar\x00mal"

    imported = stix.import_bundle(af_liaison, _raw(bundle), filename="b\x00.json")

    assert imported.title == "Barmal sighting ?"
    assert [p.name for p in imported.places.all()] == ["Barmal"]
    assert imported.source.endswith("(b.json)")


def test_most_restrictive_marking_wins_and_statements_become_handling(pk_liaison: Any, af_liaison: Any) -> None:
    item = services.save_item(pk_liaison, _draft_for("GREEN"), share=True)
    bundle = stix.bundle_of([item], member=pk_liaison)
    statement = stix2.v21.MarkingDefinition(definition_type="statement", definition={"statement": "Source: PK MoI"})
    red = json.loads(stix.tlp_marking("RED").serialize())
    bundle["objects"] += [json.loads(statement.serialize()), red]
    _report(bundle)["object_marking_refs"].append(statement.id)
    _report(bundle)["granular_markings"] = [{"marking_ref": TLP2["RED"][0], "selectors": ["description"]}]

    imported = stix.import_bundle(af_liaison, _raw(bundle), filename="b.json")

    assert imported.tlp == "RED"  # a RED description makes the whole item RED here
    assert imported.handling == "Source: PK MoI"


def test_import_by_a_member_who_does_not_share_is_refused(pk_liaison: Any, af_viewer: Any) -> None:
    item = services.save_item(pk_liaison, intel_draft(), share=True)
    with pytest.raises(NotPermitted):
        stix.import_bundle(af_viewer, _raw(stix.bundle_of([item], member=pk_liaison)), filename="b.json")


def _report(bundle: dict[str, Any]) -> dict[str, Any]:
    return _of_type(bundle, "report")[0]


def _location(bundle: dict[str, Any]) -> dict[str, Any]:
    return _of_type(bundle, "location")[0]


def _set(target: Callable[[dict[str, Any]], dict[str, Any]], **values: Any) -> Callable[[dict[str, Any]], bytes]:
    def change(bundle: dict[str, Any]) -> bytes:
        target(bundle).update(values)
        return _raw(bundle)

    return change


def _drop(target: Callable[[dict[str, Any]], dict[str, Any]], key: str) -> Callable[[dict[str, Any]], bytes]:
    def change(bundle: dict[str, Any]) -> bytes:
        del target(bundle)[key]
        return _raw(bundle)

    return change


def _only(kind: str) -> Callable[[dict[str, Any]], bytes]:
    def change(bundle: dict[str, Any]) -> bytes:
        bundle["objects"] = _of_type(bundle, kind)
        return _raw(bundle)

    return change


def _tlp_definition_renamed(bundle: dict[str, Any]) -> bytes:
    _of_type(bundle, "marking-definition")[0]["name"] = "TLP:GREEN"
    return _raw(bundle)


BAD_BUNDLES: list[tuple[str, Callable[[dict[str, Any]], bytes], str]] = [
    ("not-json", lambda b: b'{"type": "bundle", ', "not JSON"),
    ("not-utf8", lambda b: b'{"type": "bundle", "id": "\xff\xfe"}', "not UTF-8"),
    ("nan", lambda b: b'{"type": "bundle", "x": NaN}', "RFC 8259"),
    ("empty", lambda b: b"  ", "empty"),
    ("array", lambda b: b"[]", "not a STIX bundle"),
    ("a-report-alone", lambda b: _raw(_report(b)), "not a STIX bundle"),
    ("too-big", lambda b: b" " * (stix.MAX_BUNDLE_BYTES + 1), "larger than the 5 MiB"),
    ("bad-bundle-id", _set(lambda b: b, id="bundle--1"), "no valid id"),
    ("no-objects", _set(lambda b: b, objects=[]), "holds no objects"),
    ("object-without-type", _set(lambda b: b, objects=[{"id": "x"}]), "has no type or id"),
    ("nothing-to-import", _only("identity"), "no report, note or indicator"),
    ("tlp1-marking", _set(_report, object_marking_refs=[stix2.v21.TLP_AMBER.id]), "TLP 1.0"),
    (
        "unknown-marking",
        _set(_report, object_marking_refs=["marking-definition--00000000-0000-4000-8000-000000000000"]),
        "unknown marking",
    ),
    ("no-marking", _drop(_report, "object_marking_refs"), "no TLP 2.0 marking"),
    ("tlp2-definition-altered", _tlp_definition_renamed, "does not match the published TLP 2.0"),
    (
        "tlp2-definition-without-extension",
        _set(lambda b: _of_type(b, "marking-definition")[0], extensions=[]),
        "does not match the published TLP 2.0",
    ),
    ("latitude-out-of-range", _set(_location, latitude=91.5), "out of range"),
    ("longitude-not-a-number", _set(_location, longitude="69.25"), "out of range"),
    ("invalid-report", _drop(_report, "published"), "not valid STIX 2.1"),
    ("custom-property", _set(_report, x_source_rating="high"), "not valid STIX 2.1"),
    ("stix-2.0", _drop(_report, "spec_version"), "not a STIX 2.1 object"),
    ("no-description", _drop(_report, "description"), "no description"),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in BAD_BUNDLES], ids=[c[0] for c in BAD_BUNDLES])
def test_bad_bundle_is_refused_specifically_and_saves_nothing(
    pk_liaison: Any, af_liaison: Any, change: Callable[[dict[str, Any]], bytes], expected: str
) -> None:
    item = services.save_item(pk_liaison, intel_draft(), share=True)
    raw = change(copy.deepcopy(stix.bundle_of([item], member=pk_liaison)))
    items, entries = IntelItem.objects.count(), LogEntry.objects.count()

    with pytest.raises(ValidationFailed) as refused:
        stix.import_bundle(af_liaison, raw, filename="../../etc/upload.json")

    assert expected in refused.value.message
    assert refused.value.message.startswith("upload.json: ")  # the file is named, without its path
    assert refused.value.errors == {"file": refused.value.message}
    assert (IntelItem.objects.count(), LogEntry.objects.count()) == (items, entries)


STIX_TYPES = ["report", "note", "indicator", "location", "threat-actor", "identity", "marking-definition", "bundle"]
json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
stix_keys = st.sampled_from(
    ["id", "spec_version", "name", "description", "published", "object_refs", "object_marking_refs", "latitude",
     "longitude", "aliases", "content", "pattern", "pattern_type", "valid_from", "created", "modified"]
)  # fmt: skip
stix_like = st.fixed_dictionaries(
    {
        "type": st.sampled_from(STIX_TYPES),
        "id": st.sampled_from([f"{t}--{'1' * 8}-1111-4111-8111-{'1' * 12}" for t in STIX_TYPES]),
    },
    optional={"spec_version": st.just("2.1")},
).flatmap(lambda base: st.dictionaries(stix_keys, json_values, max_size=6).map(lambda extra: {**extra, **base}))
bundle_like = st.lists(stix_like, max_size=5).map(
    lambda objects: {"type": "bundle", "id": "bundle--6f8f1a4e-2b1c-4d1e-9f0a-1b2c3d4e5f60", "objects": objects}
)


def _valid_foreign_bundle() -> dict[str, Any]:
    """A small valid bundle as another platform might send it, to be mutated one property at a time."""
    location = stix2.v21.Location(name="Barmal", latitude=32.78, longitude=69.25)
    actor = stix2.v21.ThreatActor(name="TTP", aliases=["Pakistani Taliban"])
    report = stix2.v21.Report(
        name="Sighting",
        description="A group was seen.",
        published="2025-11-01T00:00:00Z",
        object_refs=[location.id, actor.id],
        object_marking_refs=[TLP2["AMBER"][0]],
    )
    return json.loads(stix2.v21.Bundle(objects=[report, location, actor, stix.tlp_marking("AMBER")]).serialize())


def _mutated(change: tuple[int, str, Any]) -> bytes:
    bundle = _valid_foreign_bundle()
    index, key, value = change
    bundle["objects"][index % len(bundle["objects"])][key] = value
    return _raw(bundle)


mutations = st.tuples(st.integers(0, 3), stix_keys | st.text(max_size=8), json_values).map(_mutated)
uploads = st.one_of(
    st.binary(max_size=64),
    json_values.map(lambda v: json.dumps(v).encode()),
    bundle_like.map(lambda v: json.dumps(v).encode()),
    mutations,
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=uploads)
def test_import_raises_only_validation_failed_on_any_input(pk_liaison: Any, raw: bytes) -> None:
    try:
        imported = stix.import_bundle(pk_liaison, raw, filename="fuzz.json")
    except ValidationFailed as refused:
        assert refused.message.startswith("fuzz.json: ") or refused.errors  # from the reader, or check_draft
    else:
        assert imported.state == ItemState.DRAFT
