"""The intelligence world of the permission matrix: every item of perm_intel_specs.py made through
ceasefire.intel.services (drafted, revised, shared, forwarded, opened, acknowledged, answered, rated, flagged
overdue), beside the four complaints of perm_world.py, once for the intel_matrix/ package (its conftest.py).

Items are made three days in the past (time_machine), so the ones given a one-day expiry or due date are expired
or overdue when the matrix reads at the real time, on every surface, without passing a `now` anywhere. Each item
has a unique word in its title, body, handling note, place, file names, request, action, rating and forward note:
a leak is found by raw bytes (perm_world.searchable also decodes base64 runs).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from perm_intel_matrix import in_exchange
from perm_intel_specs import AUTHOR, INTEL_SPECS, PARTY_OF, PARTY_OF_USER, ItemSpec, intel_sees
from perm_world import PERSONAS, Persona, World, build_world, png_upload, searchable
from support import PASSWORD, login

from ceasefire.core.models import Membership
from ceasefire.core.services import issue_token
from ceasefire.demo.mechanism import build_mechanism
from ceasefire.incidents.drafts import EvidenceUpload
from ceasefire.intel import services
from ceasefire.intel.drafts import IntelDraft, PlaceDraft, RequestDraft
from ceasefire.intel.models import IntelFile, IntelItem
from ceasefire.ledger.checkpoints import checkpoint_now

# How far in the past the items are made; a one-day expiry or due date has passed when the matrix reads.
AGE = dt.timedelta(days=3)
SHORT = dt.timedelta(days=1)
LONG = dt.timedelta(days=30)
LIAISON = {"AF": "af-liaison", "PK": "pk-liaison"}  # who records the actions taken by an addressee


@dataclass
class BuiltItem:
    spec: ItemSpec
    code: str
    pk: int
    files: tuple[str, ...] = ()  # the item's own files: names and sha256
    action_files: tuple[str, ...] = ()  # the files of the actions taken on its request: names and sha256

    @property
    def word(self) -> str:
        return self.spec.word

    @property
    def markers(self) -> tuple[str, ...]:
        """Everything of the item that must never reach a party that may not see it."""
        w = self.spec.word
        found = [self.code, f"{w}title", f"{w}body", f"{w}handling", f"{w}place"]
        if self.spec.request:
            found += [f"{w}request", f"{w}where"]
        if self.spec.forwards:
            found.append(f"{w}forward")
        return (*found, *self.files, *self.exchange_markers)

    @property
    def exchange_markers(self) -> tuple[str, ...]:
        """The request's exchange: actions taken (text, files) and the rating's note, between the requesting
        party and the one asked to act only."""
        w = self.spec.word
        found = [f"{w}action"] if self.spec.request in ("answered", "rated") else []
        if self.spec.request in ("rated", "no_response"):
            found.append(f"{w}rating")
        return (*found, *self.action_files)


@dataclass
class IntelWorld:
    complaints: World  # the four complaints of perm_world and the mechanism with its personas
    items: dict[str, BuiltItem]
    evidence_dir: Path
    made_at: dt.datetime  # when the items were made (AGE before the matrix reads)
    log_size: int = 0
    user_ids: dict[str, int] = field(default_factory=dict)
    _web: dict[str, Client] = field(default_factory=dict)
    _api: dict[str, Client] = field(default_factory=dict)
    _hidden: dict[str, list[str]] = field(default_factory=dict)

    def member(self, persona: Persona) -> Membership | None:
        return self.complaints.mechanism.members[persona.username] if persona.is_member and persona.username else None

    def web(self, persona: Persona) -> Client:
        """One signed-in browser per persona, made with the world (its session lives as long as the world)."""
        return self._web[persona.key]

    def api(self, persona: Persona) -> Client:
        """Members call with a bearer token; the admin and the outsider have none, so they use the session."""
        return self._api[persona.key]

    def sees(self, persona: Persona, key: str) -> bool:
        return intel_sees(persona.key, persona.username, self.items[key].spec)

    def visible(self, persona: Persona) -> set[str]:
        return {key for key in self.items if self.sees(persona, key)}

    def codes(self, keys: set[str] | frozenset[str]) -> set[str]:
        return {self.items[k].code for k in keys}

    def by_code(self) -> dict[str, str]:
        return {item.code: key for key, item in self.items.items()}

    def in_exchange(self, persona: Persona, key: str) -> bool:
        return in_exchange(persona, self.items[key].spec)

    def receipt_keys(self, key: str) -> set[str]:
        """Who opened the item at its making, as receipts name them: the party, or a RED item's named person."""
        spec = self.items[key].spec
        opened = (*spec.openers, *spec.acknowledgers)
        if spec.tlp == "RED":
            return {f"user:{self.user_ids[u]}" for u in opened}
        return {f"party:{PARTY_OF_USER[u]}" for u in opened}

    def own_keys(self, persona: Persona) -> set[str]:
        """The receipt keys that are this persona's own: its party's, and its own as a named person."""
        party = PARTY_OF.get(persona.key)
        return {f"party:{party}", f"user:{self.user_ids[persona.username]}"} if party and persona.username else set()

    def invisible_markers(self, persona: Persona, sent: str = "") -> list[str]:
        """Markers of the items and complaints `persona` may not see, and of the request exchanges it is no
        party to, but for `sent` (a code the client itself put in the URL, which tells it nothing new)."""
        if persona.key not in self._hidden:  # the world does not change under the matrix: worked out once
            found = [m for key, item in self.items.items() if not self.sees(persona, key) for m in item.markers]
            found += [
                m
                for key, item in self.items.items()
                if self.sees(persona, key) and not self.in_exchange(persona, key)
                for m in item.exchange_markers
            ]
            found += self.complaints.invisible_markers(persona)
            self._hidden[persona.key] = found
        return [m for m in self._hidden[persona.key] if m != sent]

    def leaks(self, persona: Persona, body: bytes, headers: str = "", sent: str = "") -> list[str]:
        text = searchable(body) + headers.encode()
        return [m for m in self.invisible_markers(persona, sent) if m.encode() in text]


def _draft(spec: ItemSpec, index: int, complaints: World, made_at: dt.datetime, tlp: str = "") -> IntelDraft:
    w = spec.word
    request = None
    if spec.request:
        due = made_at + (SHORT if spec.request in ("overdue", "no_response") else LONG)
        request = RequestDraft(
            addressee=spec.request_to, what=f"{w}request: act", due_at=due, where=f"{w}where", against=[spec.actor]
        )
    expires = made_at + SHORT if spec.expired else (made_at + LONG if spec.expires else None)
    files = [EvidenceUpload(file=png_upload(f"{w}-file.png", 300 + index), filename=f"{w}-file.png")]
    return IntelDraft(
        title=f"{w}title {spec.key}",
        body=f"Permission matrix item {w}body: TLP:{spec.tlp} from {spec.originator}.",
        tlp=tlp or spec.tlp,
        recipients=sorted(spec.recipients),
        people=sorted(spec.people),
        handling=f"{w}handling: within the recipients only",
        forwarding_allowed=spec.forwarding_allowed,
        expires_at=expires,
        actors=[spec.actor],
        places=[PlaceDraft(name=f"{w}place", latitude=32.0 + 0.02 * index, longitude=69.0 + 0.02 * index)],
        complaints=[complaints.records[k].code for k in spec.complaints],
        files=files if spec.file else [],
        request=request,
    )


def _make(spec: ItemSpec, index: int, complaints: World, made_at: dt.datetime) -> IntelItem:
    author = complaints.mechanism.members[spec.author]
    item = None
    if spec.revised_from:
        tlp, recipients = spec.revised_from.split(":")
        first = _draft(spec, index, complaints, made_at, tlp=tlp)
        first.recipients, first.people, first.forwarding_allowed = [r for r in recipients.split(",") if r], [], False
        first.request = None
        item = services.save_item(author, first, share=False)
    return services.save_item(author, _draft(spec, index, complaints, made_at), share=spec.state == "shared", item=item)


def _act(spec: ItemSpec, item: IntelItem, index: int, members: dict[str, Membership]) -> None:
    """What happens to a shared item after it is shared: forwards, openings, acknowledgements, the request."""
    w = spec.word
    for by, party in spec.forwards:
        services.forward_item(members[by], item, to_party=party, note=f"{w}forward: for the investigators")
    for who in spec.openers:
        services.open_item(members[who], item)
    for who in spec.acknowledgers:
        services.acknowledge_item(members[who], item)
    if spec.request in ("answered", "rated"):
        upload = EvidenceUpload(file=png_upload(f"{w}-action.png", 600 + index), filename=f"{w}-action.png")
        services.record_action(
            members[LIAISON[spec.request_to]],
            item,
            text=f"{w}action taken",
            taken_on=timezone.now().date(),
            files=[upload],
        )
    if spec.request == "rated":
        services.rate_response(members[spec.author], item, rating="partial", note=f"{w}rating: half done")


def _clients(world: IntelWorld) -> None:
    mechanism = world.complaints.mechanism
    for persona in PERSONAS:
        web = Client()
        world._web[persona.key] = login(web, persona.username) if persona.username else web
        if persona.is_member and persona.username:
            secret = issue_token(mechanism.members[persona.username], name="intel-matrix")[1]
            world._api[persona.key] = Client(headers={"Authorization": f"Bearer {secret}"})
        else:
            world._api[persona.key] = world._web[persona.key]


def build_intel_world(evidence_dir: Path) -> IntelWorld:
    """The mechanism, the personas (the outsider included), the four complaints and every item, then a signed
    checkpoint of the log. Runs with the database unblocked, inside the package's transaction."""
    mechanism = build_mechanism(password=PASSWORD)
    user_model: Any = get_user_model()
    user_model.objects.create_user(username="outsider", password=PASSWORD)
    complaints = build_world(mechanism)
    made_at = timezone.now() - AGE
    made: dict[str, IntelItem] = {}
    with time_machine.travel(made_at, tick=True):
        for index, spec in enumerate(INTEL_SPECS.values()):
            made[spec.key] = _make(spec, index, complaints, made_at)
        for index, spec in enumerate(INTEL_SPECS.values()):
            if spec.state == "shared":
                _act(spec, made[spec.key], index, mechanism.members)
    services.flag_overdue_requests()  # now: the requests due a day after they were made
    for spec in INTEL_SPECS.values():
        if spec.request == "no_response":
            note = f"{spec.word}rating: nothing was done"
            services.rate_response(
                mechanism.members[AUTHOR[spec.originator]], made[spec.key], rating="no_response", note=note
            )
    items = {}
    for key, item in made.items():
        files = list(IntelFile.objects.filter(item=item).select_related("stored_file"))
        own = tuple(m for f in files if f.action_id is None for m in (f.filename, f.stored_file.sha256))
        acted = tuple(m for f in files if f.action_id is not None for m in (f.filename, f.stored_file.sha256))
        items[key] = BuiltItem(INTEL_SPECS[key], item.public_code, item.pk, own, acted)
    world = IntelWorld(complaints, items, evidence_dir, made_at)
    world.user_ids = dict(user_model.objects.values_list("username", "pk"))
    checkpoint = checkpoint_now()
    assert checkpoint is not None
    world.log_size = complaints.log_size = checkpoint.size
    _clients(world)
    return world
