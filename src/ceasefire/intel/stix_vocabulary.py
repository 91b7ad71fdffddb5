"""The fixed identifiers the STIX export and import agree on: the TLP 2.0 marking definitions, the project's uuid5
namespace for STIX ids, and the source names and note labels our bundles use."""

from __future__ import annotations

import datetime as dt
import uuid

import stix2

from ceasefire.core.enums import TLP

MAX_BUNDLE_BYTES = 5 * 1024 * 1024

# TLP 2.0 for STIX 2.1 as published by the OASIS CTI TC (cti-stix-common-objects, extension-definition-specifications/
# tlp-2.0): five marking definitions with fixed ids, created 2022-10-01, carrying one property extension. stix2 ships
# only the TLP 1.0 definitions (TLP_WHITE, TLP_GREEN, TLP_AMBER, TLP_RED), which a bundle from us never uses.
TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED = "2022-10-01T00:00:00.000Z"
TLP2_IDS: dict[str, str] = {
    TLP.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    TLP.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    TLP.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    TLP.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    TLP.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
TLP2_LEVELS: dict[str, str] = {marking: level for level, marking in TLP2_IDS.items()}
# TLP 1.0 definitions (stix2's constants): recognised only to refuse them by name.
TLP1_NAMES: dict[str, str] = {
    stix2.v21.TLP_WHITE.id: "TLP:WHITE",
    stix2.v21.TLP_GREEN.id: "TLP:GREEN",
    stix2.v21.TLP_AMBER.id: "TLP:AMBER",
    stix2.v21.TLP_RED.id: "TLP:RED",
}

# The project's uuid5 namespace for STIX ids: fixed forever, or ids of the same party or actor would change.
STIX_NAMESPACE = uuid.UUID("4d46b3e5-2d21-40a7-89bc-90a6487dbea9")
# Parties and actors are configuration without a creation time; one fixed time (the Doha ceasefire of 19 October
# 2025) keeps their objects identical from one export to the next.
REGISTRY_CREATED = dt.datetime(2025, 10, 19, tzinfo=dt.UTC)

SOURCE = "ceasefire"  # external_references source_name of an item's public code
SOURCE_COMPLAINT = "ceasefire-complaint"
SOURCE_PARTY = "ceasefire-party"
SOURCE_ACTOR = "ceasefire-actor"
LABEL_HANDLING = "handling"
LABEL_REQUEST = "request-for-action"
LABEL_DISTRIBUTION = "distribution"


def stix_id(kind: str, key: str) -> str:
    """A deterministic STIX id: the same record gives the same id in every export."""
    return f"{kind}--{uuid.uuid5(STIX_NAMESPACE, key)}"


def tlp_marking(level: str) -> stix2.v21.MarkingDefinition:
    """The TLP 2.0 marking definition of a level, exactly as published."""
    return stix2.v21.MarkingDefinition(
        id=TLP2_IDS[level],
        created=TLP2_CREATED,
        name=f"TLP:{level}",
        extensions={TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": level.lower()}},
    )
