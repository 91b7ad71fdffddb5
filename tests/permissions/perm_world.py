"""The world of the permission matrix: four complaints, thirteen personas and who may see or touch what.

The expectations here are written out by hand from the rule in DESIGN.md ("complainant sees its own; mediators
see every non-draft; the respondent sees it once notified; nobody else sees anything"), never computed by the
code under test, so a change of the rule in src/ shows up as a failing matrix cell.
"""

from __future__ import annotations

import base64
import json
import re
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from perm_states import WF_AF_SIDE, WF_MEDIATOR_SIDE, WF_PK_SIDE, WORKFLOW_RECORDS
from support import islamabad_attack_draft, khost_strike_draft, login

from ceasefire.core.models import Membership
from ceasefire.core.services import issue_token
from ceasefire.demo.mechanism import Mechanism
from ceasefire.incidents.drafts import EvidenceUpload
from ceasefire.incidents.models import Complaint, CustodyEvent, Evidence, Incident, StoredFile
from ceasefire.incidents.services import add_evidence, file_complaint
from ceasefire.ledger.models import LogEntry

# Record keys. Each record has a unique word in its title and narrative, so a leak is found by raw bytes.
AF_SUBMITTED, PK_SUBMITTED, AF_DRAFT, AF_NOTIFIED = "af_submitted", "pk_submitted", "af_draft", "af_notified"
RECORDS = (AF_SUBMITTED, PK_SUBMITTED, AF_DRAFT, AF_NOTIFIED)
_WORDS = {AF_SUBMITTED: "quokka", PK_SUBMITTED: "narwhal", AF_DRAFT: "axolotl", AF_NOTIFIED: "pangolin"}

# Who sees what: the four records above, and the workflow records (every state, both ways: perm_states.py),
# which exist only in the `full_world` (a set may name a record the world at hand does not hold).
AF_SIDE = frozenset({AF_SUBMITTED, AF_DRAFT, AF_NOTIFIED}) | WF_AF_SIDE
PK_SIDE = frozenset({PK_SUBMITTED, AF_NOTIFIED}) | WF_PK_SIDE  # AF_NOTIFIED: PK is its respondent, notified
MEDIATOR_SIDE = frozenset({AF_SUBMITTED, PK_SUBMITTED, AF_NOTIFIED}) | WF_MEDIATOR_SIDE  # every record but drafts
NOTHING: frozenset[str] = frozenset()

# Evidence may be added while the complaint is open: not once closed, withdrawn or rejected (incidents.services).
_SHUT = frozenset(k for k, r in WORKFLOW_RECORDS.items() if r.state in ("closed", "withdrawn", "rejected_inadmissible"))


@dataclass(frozen=True)
class Persona:
    key: str  # the conftest fixture name, or "anonymous"
    username: str | None
    kind: str  # "member", "noparty" (signed in, no membership) or "anonymous"
    sees: frozenset[str]
    files_complaints: bool = False
    # Records this persona may add evidence to (a subset of `sees`): the two sides' liaison officers (the
    # respondent's once notified) and the mediators' investigators, while the complaint is open; everyone else
    # who sees the record is refused with 403.
    adds_evidence_to: frozenset[str] = NOTHING
    mediator: bool = False  # may read the investigation and draft determinations (mediator-only material)

    @property
    def is_member(self) -> bool:
        return self.kind == "member"


_INVESTIGATOR_ADDS = MEDIATOR_SIDE - _SHUT
PERSONAS = (
    Persona("af_liaison", "af-liaison", "member", AF_SIDE, True, AF_SIDE - _SHUT),
    Persona("af_viewer", "af-viewer", "member", AF_SIDE),
    Persona("pk_liaison", "pk-liaison", "member", PK_SIDE, True, PK_SIDE - _SHUT),
    Persona("pk_viewer", "pk-viewer", "member", PK_SIDE),
    Persona("analyst", "pk-analyst", "member", PK_SIDE),
    Persona("tr_investigator", "tr-investigator", "member", MEDIATOR_SIDE, False, _INVESTIGATOR_ADDS, True),
    Persona("qa_investigator", "qa-investigator", "member", MEDIATOR_SIDE, False, _INVESTIGATOR_ADDS, True),
    Persona("tr_adjudicator", "tr-adjudicator", "member", MEDIATOR_SIDE, mediator=True),
    Persona("qa_adjudicator", "qa-adjudicator", "member", MEDIATOR_SIDE, mediator=True),
    Persona("secretariat", "tr-secretariat", "member", MEDIATOR_SIDE, mediator=True),
    Persona("admin", "admin", "noparty", NOTHING),
    Persona("outsider", "outsider", "noparty", NOTHING),
    Persona("anonymous", None, "anonymous", NOTHING),
)
PERSONA_KEYS = tuple(p.key for p in PERSONAS)
BY_KEY = {p.key: p for p in PERSONAS}


def png_bytes(width: int) -> bytes:
    """A real PNG (grey pixels), built by hand; `width` makes each file's bytes, so its sha256, distinct."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(2))
    header = struct.pack(">IIBBBBB", width, 2, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def png_upload(name: str, width: int = 7) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(width), content_type="image/png")


@dataclass
class Record:
    key: str
    word: str
    code: str
    incident_code: str
    evidence_code: str
    filename: str
    title: str
    log_index: int  # the sequence of the complaint's first log entry (its filing)

    @property
    def markers(self) -> tuple[str, ...]:
        """Everything that must never reach a party that may not see the record."""
        return (self.code, self.incident_code, self.evidence_code, self.filename, self.title, f"{self.word}narrative")


@dataclass
class World:
    mechanism: Mechanism
    records: dict[str, Record]
    log_size: int = 0  # the size of the signed checkpoint made after the records were filed
    _secrets: dict[str, str] = field(default_factory=dict)
    # Mediator-only material of each workflow record: record key -> {kind: marker} (perm_workflow.SECRET_KINDS).
    secret_markers: dict[str, dict[str, str]] = field(default_factory=dict)
    workflow: dict[str, Any] = field(default_factory=dict)  # record key -> perm_workflow.Built

    def member(self, persona: Persona) -> Membership:
        assert persona.username is not None
        return self.mechanism.members[persona.username]

    def web(self, persona: Persona) -> Client:
        client = Client()
        return login(client, persona.username) if persona.username else client

    def api(self, persona: Persona) -> Client:
        """Members call with a bearer token; the admin and the outsider have none, so they use the session."""
        if persona.kind == "member":
            if persona.key not in self._secrets:
                self._secrets[persona.key] = issue_token(self.member(persona), name="permission-matrix")[1]
            return Client(headers={"Authorization": f"Bearer {self._secrets[persona.key]}"})
        return self.web(persona)

    def visible(self, persona: Persona) -> frozenset[str]:
        """The records of this world `persona` may see."""
        return frozenset(k for k in persona.sees if k in self.records)

    def codes(self, keys: frozenset[str] | set[str]) -> set[str]:
        return {self.records[k].code for k in keys if k in self.records}

    def invisible_markers(self, persona: Persona, sent: str = "") -> list[str]:
        """Markers of the records `persona` may not see, but for `sent`: a code the client itself put in the
        URL may come back (a page's own path in its language form), which tells the client nothing new. For
        anyone but a mediator, also every marker of mediator-only material (notes, grades, findings, drafts)."""
        found = [m for key, rec in self.records.items() if key not in persona.sees for m in rec.markers if m != sent]
        if not persona.mediator:
            found += [m for markers in self.secret_markers.values() for m in markers.values()]
        return found


def _file(member: Membership, builder: Any, key: str, *, submit: bool = True, respondent: str) -> Record:
    word = _WORDS[key]
    draft = builder(
        title=f"{word.capitalize()}title {key}",
        narrative=f"Permission matrix record {word}narrative: {builder().narrative}",
        respondent=respondent,
    )
    complaint = file_complaint(member, draft, submit=submit)
    filename = f"{word}-crater.png"
    evidence = add_evidence(
        member, complaint, [EvidenceUpload(file=png_upload(filename, 3 + RECORDS.index(key)), filename=filename)]
    )[0]
    first_entry = LogEntry.objects.filter(subject_code=complaint.public_code).order_by("sequence").first()
    assert first_entry is not None
    return Record(
        key,
        word,
        complaint.public_code,
        complaint.incident.public_code,
        evidence.public_code,
        filename,
        complaint.title,
        first_entry.sequence,
    )


def build_world(mechanism: Mechanism) -> World:
    af, pk = mechanism.members["af-liaison"], mechanism.members["pk-liaison"]
    records = {
        AF_SUBMITTED: _file(af, khost_strike_draft, AF_SUBMITTED, respondent="PK"),
        PK_SUBMITTED: _file(pk, islamabad_attack_draft, PK_SUBMITTED, respondent="AF"),
        AF_DRAFT: _file(af, khost_strike_draft, AF_DRAFT, submit=False, respondent="PK"),
        AF_NOTIFIED: _file(af, khost_strike_draft, AF_NOTIFIED, respondent="PK"),
    }
    # The notice workflow comes later; until then the row is set as that service will set it.
    Complaint.objects.filter(public_code=records[AF_NOTIFIED].code).update(state="notified", notified_at=timezone.now())
    return World(mechanism, records)


def state_counts() -> dict[str, int]:
    """What a refused attempt must leave unchanged."""
    return {
        "log entries": LogEntry.objects.count(),
        "complaints": Complaint.objects.count(),
        "incidents": Incident.objects.count(),
        "evidence": Evidence.objects.count(),
        "stored files": StoredFile.objects.count(),
        "custody events": CustodyEvent.objects.count(),
    }


def body_of(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


_BASE64 = re.compile(rb"[A-Za-z0-9+/]{24,}={0,2}")


def _decoded_base64(body: bytes) -> bytes:
    """Base64 runs decoded, so a record inside a receipt's `extra` line is searched too."""
    out = []
    for run in _BASE64.findall(body):
        try:
            out.append(base64.b64decode(run + b"=" * (-len(run) % 4)))
        except ValueError:
            continue
    return b"\n".join(out)


def searchable(body: bytes) -> bytes:
    """The body as sent, and what its base64 runs hold."""
    return body + b"\n" + _decoded_base64(body)


def leaks_in(world: World, persona: Persona, body: bytes, headers: str = "", sent: str = "") -> list[str]:
    """The markers `persona` may not read that appear in the body (raw, or inside base64) or headers."""
    text = searchable(body) + headers.encode()
    return [m for m in world.invisible_markers(persona, sent) if m.encode() in text]


def assert_no_leak(world: World, persona: Persona, where: str, body: bytes, headers: str = "", sent: str = "") -> None:
    """No marker of a record `persona` may not see appears in the body (raw, or inside base64) or headers."""
    leaked = leaks_in(world, persona, body, headers, sent)
    assert not leaked, f"{where}: leaks {leaked}"


def header_text(response: Any) -> str:
    return json.dumps(dict(response.items()))
