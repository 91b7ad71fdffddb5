"""Reading a STIX 2.1 bundle into a draft intelligence item (exposed as stix.import_bundle).

A bundle comes from outside the mechanism, so all of it that matters is checked before anything is written: its
size, that it is UTF-8 JSON, a bundle, with something to import; the object imported and every object taken from it
are validated by stix2 with custom content refused; its TLP must be one of the five TLP 2.0 marking definitions.
Each refusal is one ValidationFailed on the `file` field naming the file and what is wrong, and saves nothing:
services.save_item runs last, in its own transaction. Objects the import does not read are not validated, so a
bundle from another platform with its own custom objects still imports.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath
from typing import Any

import stix2
from django.utils.translation import gettext

from ceasefire.core.enums import TLP
from ceasefire.core.errors import NotPermitted, ValidationFailed
from ceasefire.core.models import Membership
from ceasefire.incidents.models import Actor, Complaint

from . import rules, services
from .drafts import IntelDraft, PlaceDraft
from .models import IntelItem
from .stix_vocabulary import (
    LABEL_HANDLING,
    MAX_BUNDLE_BYTES,
    SOURCE_COMPLAINT,
    TLP1_NAMES,
    TLP2_EXTENSION,
    TLP2_LEVELS,
)

FIELD = "file"
SUBJECT_TYPES = ("report", "note", "indicator")  # what becomes the item, in order of preference
STIX_ID = re.compile(r"^[a-z0-9][a-z0-9-]*--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
MAX_TITLE = 200
MAX_PLACE_NAME = 200


def _clean(value: Any) -> str:
    """Text from outside: a string without NUL (PostgreSQL refuses it) or lone surrogates (no UTF-8 for them)."""
    if not isinstance(value, str):
        return ""
    return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8").strip()


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN and Infinity are not JSON (RFC 8259), though Python's parser takes them


def _load_json(raw: bytes, refusal: Callable[[str], ValidationFailed]) -> Any:
    if not raw.strip():
        raise refusal(gettext("the file is empty."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise refusal(gettext("not UTF-8 text (byte %(at)d).") % {"at": error.start}) from error
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise refusal(
            gettext("not JSON: %(problem)s at line %(line)d, column %(column)d.")
            % {"problem": error.msg, "line": error.lineno, "column": error.colno}
        ) from error
    except (ValueError, RecursionError) as error:  # NaN, nesting too deep, an integer of over 4300 digits
        problem = str(error)[:200]
        raise refusal(gettext("not JSON as RFC 8259 defines it: %(problem)s") % {"problem": problem}) from error


class _Bundle:
    """One uploaded bundle: its objects by id, and refusals that name the file."""

    def __init__(self, raw: bytes, filename: str) -> None:
        name = PurePosixPath(_clean(filename).replace("\\", "/")).name
        self.filename = "".join(c for c in name if unicodedata.category(c)[0] != "C")[:100] or "upload"
        if len(raw) > MAX_BUNDLE_BYTES:
            raise self.refusal(
                gettext("the file is larger than the %(mib)d MiB a STIX bundle may be.")
                % {"mib": MAX_BUNDLE_BYTES // 2**20}
            )
        data = _load_json(raw, self.refusal)
        if not isinstance(data, dict) or data.get("type") != "bundle":
            raise self.refusal(gettext('not a STIX bundle: the top level must be an object with "type": "bundle".'))
        if not isinstance(data.get("id"), str) or not STIX_ID.match(data["id"]) or not data["id"].startswith("bundle"):
            raise self.refusal(gettext("the bundle has no valid id (bundle--<UUID>)."))
        objects = data.get("objects")
        if not isinstance(objects, list) or not objects:
            raise self.refusal(gettext("the bundle holds no objects."))
        for n, obj in enumerate(objects, start=1):
            if not isinstance(obj, dict) or not isinstance(obj.get("type"), str) or not isinstance(obj.get("id"), str):
                raise self.refusal(gettext("object %(n)d of the bundle has no type or id.") % {"n": n})
        self.id: str = data["id"]
        self.objects: list[dict[str, Any]] = objects
        self.by_id: dict[str, dict[str, Any]] = {}
        for obj in objects:
            self.by_id.setdefault(obj["id"], obj)  # several versions of one object: the first one counts

    def refusal(self, message: str) -> ValidationFailed:
        return ValidationFailed(f"{self.filename}: {message}", field=FIELD)

    def strict(self, obj: dict[str, Any]) -> Any:
        """The object validated by stix2 as STIX 2.1, custom properties and types refused."""
        if obj.get("spec_version") != "2.1":
            raise self.refusal(gettext("%(id)s is not a STIX 2.1 object.") % {"id": _shorten(_clean(obj["id"]), 80)})
        try:
            return stix2.parse(obj, allow_custom=False, version="2.1")
        except Exception as error:  # stix2 raises its STIXError but also ValueError, KeyError... on odd input
            raise self.refusal(
                gettext("%(id)s is not valid STIX 2.1: %(problem)s")
                % {"id": _shorten(_clean(obj["id"]), 80), "problem": _shorten(_clean(str(error)), 300)}
            ) from error

    def subject(self) -> dict[str, Any]:
        for kind in SUBJECT_TYPES:
            for obj in self.objects:
                if obj["type"] == kind:
                    return obj
        raise self.refusal(gettext("nothing to import: the bundle holds no report, note or indicator."))

    def referenced(self, subject: Any, kind: str) -> Iterator[dict[str, Any]]:
        """Objects of a kind the subject refers to (an indicator refers to nothing: the bundle's, then)."""
        refs = subject.get("object_refs") if subject["type"] != "indicator" else [o["id"] for o in self.objects]
        seen = set()
        for ref in refs or []:
            obj = self.by_id.get(ref)
            if obj is not None and obj["type"] == kind and ref not in seen:
                seen.add(ref)
                yield obj


def _is_tlp2_definition(definition: dict[str, Any], level: str) -> bool:
    extensions = definition.get("extensions")
    extension = extensions.get(TLP2_EXTENSION) if isinstance(extensions, dict) else None
    return (
        definition.get("type") == "marking-definition"
        and definition.get("name") == f"TLP:{level}"
        and isinstance(extension, dict)
        and extension.get("tlp_2_0") == level.lower()
    )


def _claims_tlp(definition: dict[str, Any]) -> bool:
    extensions = definition.get("extensions")
    return (
        definition.get("definition_type") == "tlp"
        or (isinstance(extensions, dict) and TLP2_EXTENSION in extensions)
        or str(definition.get("name", "")).upper().startswith("TLP")
    )


def _tlp(bundle: _Bundle, subject: Any) -> tuple[str, list[str]]:
    """The subject's TLP 2.0 level (the most restrictive, granular markings included) and the texts of other
    markings (statements), which go into the handling notes."""
    refs = list(subject.get("object_marking_refs", []))
    refs += [g["marking_ref"] for g in subject.get("granular_markings", []) if g.get("marking_ref")]
    levels: list[str] = []
    statements: list[str] = []
    for ref in refs:
        definition = bundle.by_id.get(ref)
        level = TLP2_LEVELS.get(ref)
        if level is not None:
            if definition is not None and not _is_tlp2_definition(definition, level):
                raise bundle.refusal(
                    gettext("%(id)s does not match the published TLP 2.0 definition of TLP:%(tlp)s.")
                    % {"id": ref, "tlp": level}
                )
            levels.append(level)
        elif ref in TLP1_NAMES:
            raise bundle.refusal(
                gettext("%(id)s is marked %(name)s of TLP 1.0; only TLP 2.0 markings are accepted.")
                % {"id": subject["id"], "name": TLP1_NAMES[ref]}
            )
        elif definition is None or _claims_tlp(definition):
            raise bundle.refusal(
                gettext("unknown marking %(id)s: not one of the TLP 2.0 marking definitions.") % {"id": ref}
            )
        else:  # a statement or another protocol's marking defined in the bundle: kept as a handling note
            marking = bundle.strict(definition)
            text = _clean((marking.get("definition") or {}).get("statement")) or _clean(marking.get("name"))
            if text:
                statements.append(text)
    if not levels:
        raise bundle.refusal(gettext("%(id)s carries no TLP 2.0 marking.") % {"id": subject["id"]})
    return max(levels, key=TLP.values.index), statements


def _places(bundle: _Bundle, subject: Any) -> tuple[list[PlaceDraft], list[str]]:
    """Locations with coordinates become places; those without are named in the body instead."""
    places, without = [], []
    for obj in bundle.referenced(subject, "location"):
        lat, lon = obj.get("latitude"), obj.get("longitude")
        if lat is None and lon is None:
            location = bundle.strict(obj)
            name = next((_clean(location.get(k)) for k in ("name", "city", "region", "country") if location.get(k)), "")
            without.append(name or location["id"])
            continue
        latitude, longitude = _coordinate(lat, 90), _coordinate(lon, 180)
        if latitude is None or longitude is None:
            raise bundle.refusal(
                gettext("%(id)s: the coordinates (%(lat)s, %(lon)s) are out of range.")
                % {"id": obj["id"], "lat": _shorten(repr(lat), 40), "lon": _shorten(repr(lon), 40)}
            )
        location = bundle.strict(obj)
        name = _clean(location.get("name")) or f"{latitude:.5f}, {longitude:.5f}"
        places.append(PlaceDraft(name=_shorten(name, MAX_PLACE_NAME), latitude=latitude, longitude=longitude))
    return places, without


def _coordinate(value: Any, limit: int) -> float | None:
    # Compared before float(): a 400-digit integer would overflow it. NaN fails the comparison.
    if isinstance(value, int | float) and not isinstance(value, bool) and -limit <= value <= limit:
        return float(value)
    return None


def _actors(bundle: _Bundle, subject: Any) -> tuple[list[str], list[str]]:
    """Threat actors matched to our actor registry by name or alias, case-insensitively; the others are only
    named in the body (an import never adds to the registry)."""
    registry: dict[str, Actor] = {}
    for actor in Actor.objects.all():
        aliases = actor.aliases if isinstance(actor.aliases, list) else []
        for name in [actor.name, *aliases]:
            if isinstance(name, str) and name.strip():
                registry.setdefault(name.strip().casefold(), actor)
    codes, unmatched = [], []
    for obj in bundle.referenced(subject, "threat-actor"):
        threat_actor = bundle.strict(obj)
        names = [threat_actor["name"], *threat_actor.get("aliases", [])]
        match = next((registry[n.strip().casefold()] for n in names if n.strip().casefold() in registry), None)
        if match is None:
            unmatched.append(_clean(threat_actor["name"]))
        elif match.code not in codes:
            codes.append(match.code)
    return codes, unmatched


def _handling(bundle: _Bundle, subject: Any, statements: list[str]) -> str:
    """Notes labelled "handling" about the report, and the marking statements."""
    texts = []
    for obj in bundle.objects:
        labels, refs = obj.get("labels"), obj.get("object_refs")
        handling_note = obj["type"] == "note" and isinstance(labels, list) and LABEL_HANDLING in labels
        if handling_note and isinstance(refs, list) and subject["id"] in refs and obj["id"] != subject["id"]:
            texts.append(_clean(bundle.strict(obj)["content"]))
    return "\n\n".join(t for t in [*texts, *statements] if t)


def _title_and_body(bundle: _Bundle, subject: Any) -> tuple[str, str]:
    if subject["type"] == "report":
        title, body = _clean(subject["name"]), _clean(subject.get("description"))
    elif subject["type"] == "note":
        body = _clean(subject["content"])
        title = _clean(subject.get("abstract")) or (body.splitlines()[0] if body else "")
    else:
        title = _clean(subject.get("name")) or gettext("Indicator")
        pattern = _clean(subject["pattern"])
        body = _clean(subject.get("description"))
        body = f"{body}\n\n" if body else ""
        body += f"{gettext('Pattern')} ({_clean(subject['pattern_type'])}):\n\n```\n{pattern}\n```"
    if not body:
        raise bundle.refusal(gettext("%(id)s has no description to import.") % {"id": subject["id"]})
    return _shorten(title, MAX_TITLE), body


def import_bundle(member: Membership, raw: bytes, *, filename: str) -> IntelItem:
    """A draft item of the member's party from the first report (else note, else indicator) of a STIX 2.1 bundle.

    The draft takes the title, body, TLP 2.0 level, locations (places), threat actors found in our registry,
    handling notes and the linked complaints the member may see; it names no recipients — the importer chooses
    them when sharing — and carries no request for action (a request is the requesting party's own act)."""
    if not rules.can_share(member):
        raise NotPermitted(gettext("Only liaison officers, the secretariat and analysts share intelligence."))
    bundle = _Bundle(raw, filename)
    subject = bundle.strict(bundle.subject())
    level, statements = _tlp(bundle, subject)
    title, body = _title_and_body(bundle, subject)
    places, without_coordinates = _places(bundle, subject)
    actors, unmatched = _actors(bundle, subject)
    left_out = [gettext("Threat actor not in the actor registry: %(name)s") % {"name": n} for n in unmatched]
    left_out += [gettext("Location without coordinates: %(name)s") % {"name": n} for n in without_coordinates]
    if left_out:
        body += "\n\n" + gettext("Not imported from the STIX bundle:") + "\n" + "\n".join(f"- {t}" for t in left_out)
    codes = [
        ref["external_id"]
        for ref in subject.get("external_references", [])
        if ref.get("source_name") == SOURCE_COMPLAINT and isinstance(ref.get("external_id"), str)
    ]
    complaints = Complaint.objects.visible_to(member).filter(public_code__in=codes).order_by("public_code")
    draft = IntelDraft(
        title=title,
        body=body,
        tlp=level,
        handling=_handling(bundle, subject, statements),
        actors=actors,
        places=places,
        complaints=list(complaints.values_list("public_code", flat=True)),
        source=_shorten(f"STIX bundle {bundle.id} ({bundle.filename})", 200),
    )
    return services.save_item(member, draft, share=False)
