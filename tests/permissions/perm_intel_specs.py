"""Hand-written facts of the intelligence world of the permission matrix, and who may see each item.

Imports nothing from the project: the items are specified here (every TLP × originator × recipient set, drafts,
expired items, forwards, requests for action) and `intel_sees` is written from the TLP 2.0 rule of issue 5 and
DESIGN.md — "the originator party sees its own items, drafts and expired ones included, RED only its author;
anyone else sees a shared, unexpired item: CLEAR and GREEN every member, AMBER and AMBER+STRICT the members of the
recipient parties (named or forwarded to), RED the named people; nobody without a membership sees anything" —
never computed by the code under test, so a change of the rule in src/ shows up as a failing cell.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

PARTIES = ("AF", "PK", "QA", "TR")
ORIGINATORS = ("AF", "PK", "TR")  # QA has no member who shares (investigator, adjudicator)
AUTHOR = {"AF": "af-liaison", "PK": "pk-liaison", "TR": "tr-secretariat"}  # who shares for each originator
TLPS = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")
AMBERS = ("AMBER", "AMBER+STRICT")
ACTORS = ("ttp", "nrf", "iskp")

# The party of each persona of perm_world.PERSONAS; the admin, the outsider and anonymous have none.
PARTY_OF = {
    "af_liaison": "AF",
    "af_viewer": "AF",
    "pk_liaison": "PK",
    "pk_viewer": "PK",
    "analyst": "PK",
    "tr_investigator": "TR",
    "tr_adjudicator": "TR",
    "secretariat": "TR",
    "qa_investigator": "QA",
    "qa_adjudicator": "QA",
}
PARTY_OF_USER = {
    "af-liaison": "AF",
    "af-viewer": "AF",
    "pk-liaison": "PK",
    "pk-viewer": "PK",
    "pk-analyst": "PK",
    "tr-investigator": "TR",
    "tr-adjudicator": "TR",
    "tr-secretariat": "TR",
    "qa-investigator": "QA",
    "qa-adjudicator": "QA",
}
# Who opens an item for a recipient party (a receipt), and who opens a CLEAR/GREEN item of each originator.
OPENER = {"AF": "af-viewer", "PK": "pk-viewer", "TR": "tr-investigator", "QA": "qa-adjudicator"}
GREEN_OPENER = {"AF": "pk-viewer", "PK": "af-viewer", "TR": "qa-investigator"}

# Named-people sets of RED items: one mediator alone, people of two parties, the viewers of both sides (the
# author's own colleague among them), and people the author's party would otherwise not reach.
RED_SETS = (
    frozenset({"qa-adjudicator"}),
    frozenset({"af-liaison", "tr-investigator"}),
    frozenset({"pk-viewer", "af-viewer"}),
    frozenset({"pk-analyst", "qa-investigator", "tr-secretariat"}),
)


@dataclass(frozen=True)
class ItemSpec:
    key: str
    originator: str
    tlp: str
    word: str  # unique, fixed length: in the title, body, place, handling and every other marker of the item
    recipients: frozenset[str] = frozenset()  # parties named by the originator (AMBER, AMBER+STRICT)
    people: frozenset[str] = frozenset()  # usernames (RED)
    state: str = "shared"  # or "draft"
    expired: bool = False  # shared with an expiry that has passed by the time the matrix reads
    expires: bool = False  # has an expiry in the future
    forwarding_allowed: bool = False
    forwards: tuple[tuple[str, str], ...] = ()  # (forwarding username, to party), in order
    request_to: str = ""  # the addressee party of a request for action
    request: str = ""  # "open", "answered", "rated", "overdue" (open, flagged) or "no_response" (rated so)
    acknowledgers: tuple[str, ...] = ()  # usernames acknowledging (which opens too)
    complaints: tuple[str, ...] = ()  # perm_world record keys linked
    file: bool = False  # carries an attached file
    revised_from: str = ""  # drafted first at this TLP (with other recipients), then revised to this spec
    actor: str = "ttp"
    openers: tuple[str, ...] = ()  # usernames whose opening made a receipt

    @property
    def author(self) -> str:
        return AUTHOR[self.originator]

    @property
    def forwarded_to(self) -> frozenset[str]:
        return frozenset(party for _by, party in self.forwards)

    @property
    def request_state(self) -> str:
        """The request's state as the model names it ("" without a request)."""
        states = {"": "", "open": "open", "overdue": "open", "answered": "answered"}
        return states.get(self.request, "rated")


def originator_side(persona_key: str, username: str | None, spec: ItemSpec) -> bool:
    """Whose item it is: its originator party's members, but for RED its author alone (a colleague it names
    is one of its recipients, like any named person)."""
    if spec.tlp == "RED":
        return username == spec.author
    return PARTY_OF.get(persona_key) == spec.originator


def intel_sees(persona_key: str, username: str | None, spec: ItemSpec) -> bool:
    """Whether this persona may see the item, now (expired items as expired)."""
    party = PARTY_OF.get(persona_key)
    if party is None:
        return False
    if spec.tlp == "RED":
        if username == spec.author:
            return True
    elif party == spec.originator:
        return True
    if spec.state != "shared" or spec.expired:
        return False
    if spec.tlp in ("CLEAR", "GREEN"):
        return True
    if spec.tlp in AMBERS:
        return party in spec.recipients | spec.forwarded_to
    return username in spec.people


def _word(i: int) -> str:
    return "ibis" + chr(ord("a") + i // 26) + chr(ord("a") + i % 26)


def _subsets(parties: list[str]) -> list[frozenset[str]]:
    return [frozenset(c) for n in range(1, len(parties) + 1) for c in itertools.combinations(parties, n)]


def _openers(originator: str, tlp: str, recipients: frozenset[str], people: frozenset[str]) -> tuple[str, ...]:
    if tlp in ("CLEAR", "GREEN"):
        return (GREEN_OPENER[originator],)
    if tlp in AMBERS:
        return tuple(OPENER[p] for p in sorted(recipients))
    return tuple(sorted(people - {AUTHOR[originator]}))


def intel_specs() -> list[ItemSpec]:
    specs: list[ItemSpec] = []

    def add(key: str, originator: str, tlp: str, **kw: Any) -> None:
        i = len(specs)
        kw.setdefault("actor", ACTORS[i % len(ACTORS)])
        shared = kw.get("state", "shared") == "shared"
        who = (kw.get("recipients", frozenset()), kw.get("people", frozenset()))
        forwarded = tuple(OPENER[party] for _by, party in kw.get("forwards", ()))
        kw.setdefault("openers", (*_openers(originator, tlp, *who), *forwarded) if shared else ())
        specs.append(ItemSpec(key, originator, tlp, _word(i), **kw))

    for o in ORIGINATORS:
        others = [p for p in PARTIES if p != o]
        add(f"{o}_clear", o, "CLEAR")
        add(f"{o}_green", o, "GREEN")
        for tlp, short in (("AMBER", "amber"), ("AMBER+STRICT", "strict")):
            for subset in _subsets(others):
                add(f"{o}_{short}_{'_'.join(sorted(subset))}", o, tlp, recipients=subset)
        for n, people in enumerate(RED_SETS):
            add(f"{o}_red_{n}", o, "RED", people=people)
        # Drafts name their recipients already; none of them may see a draft.
        add(f"{o}_draft_clear", o, "CLEAR", state="draft")
        add(f"{o}_draft_green", o, "GREEN", state="draft")
        add(f"{o}_draft_amber", o, "AMBER", state="draft", recipients=frozenset(others), file=True)
        add(f"{o}_draft_strict", o, "AMBER+STRICT", state="draft", recipients=frozenset(others))
        add(f"{o}_draft_red", o, "RED", state="draft", people=frozenset(PARTY_OF_USER) - {AUTHOR[o]})
    for o in ("AF", "PK"):
        others = frozenset(p for p in PARTIES if p != o)
        everyone = frozenset(PARTY_OF_USER) - {AUTHOR[o]}
        add(f"{o}_expired_clear", o, "CLEAR", expired=True)
        add(f"{o}_expired_green", o, "GREEN", expired=True)
        add(f"{o}_expired_amber", o, "AMBER", expired=True, recipients=others, file=True)
        add(f"{o}_expired_strict", o, "AMBER+STRICT", expired=True, recipients=others)
        add(f"{o}_expired_red", o, "RED", expired=True, people=everyone)
        add(f"{o}_expiring_amber", o, "AMBER", expires=True, recipients=frozenset({"TR"}))
    # Drafted, then revised: what the draft named must not leak to those the shared item does not reach.
    add("PK_revised_shared", "PK", "AMBER", recipients=frozenset({"AF"}), revised_from="AMBER:AF,TR,QA")
    add("AF_revised_red", "AF", "RED", people=frozenset({"pk-liaison"}), revised_from="GREEN:")
    add("TR_revised_draft", "TR", "AMBER+STRICT", state="draft", recipients=frozenset({"QA"}), revised_from="CLEAR:")
    # Forwards: allowed and used (also onward from a mediator's item), allowed and unused, used then expired.
    allowed = {"forwarding_allowed": True}
    add("PK_fwd_to_TR", "PK", "AMBER", recipients=frozenset({"AF"}), forwards=(("af-liaison", "TR"),), **allowed)
    add("TR_fwd_to_QA", "TR", "AMBER", recipients=frozenset({"PK"}), forwards=(("pk-liaison", "QA"),), **allowed)
    add("AF_fwd_unused", "AF", "AMBER", recipients=frozenset({"PK"}), forwarding_allowed=True)
    add(
        "PK_fwd_expired",
        "PK",
        "AMBER",
        recipients=frozenset({"AF"}),
        forwarding_allowed=True,
        forwards=(("af-liaison", "QA"),),
        expired=True,
    )
    # Requests for action in every state, and on RED and expired items.
    add("PK_req_open", "PK", "AMBER", recipients=frozenset({"AF", "QA"}), request_to="AF", request="open")
    add(
        "PK_req_answered",
        "PK",
        "AMBER",
        recipients=frozenset({"AF", "TR"}),
        request_to="AF",
        request="answered",
        acknowledgers=("af-liaison",),
        file=True,
    )
    add("AF_req_rated", "AF", "AMBER+STRICT", recipients=frozenset({"PK"}), request_to="PK", request="rated")
    add(
        "PK_req_red",
        "PK",
        "RED",
        people=frozenset({"af-liaison", "tr-investigator"}),
        request_to="AF",
        request="rated",
        file=True,
    )
    add("PK_req_overdue", "PK", "AMBER", recipients=frozenset({"AF"}), request_to="AF", request="overdue")
    add("TR_req_green", "TR", "GREEN", request_to="AF", request="open")
    add(
        "AF_req_expired",
        "AF",
        "AMBER",
        recipients=frozenset({"PK", "TR"}),
        request_to="PK",
        request="overdue",
        expired=True,
    )
    add("TR_req_no_response", "TR", "AMBER", recipients=frozenset({"PK"}), request_to="PK", request="no_response")
    add("PK_red_overdue", "PK", "RED", people=frozenset({"af-liaison"}), request_to="AF", request="overdue")
    add("PK_red_file", "PK", "RED", people=frozenset({"qa-investigator"}), file=True)
    # Links to complaints (perm_world records): a reader of the item sees only the complaints it may see.
    add("AF_green_links", "AF", "GREEN", complaints=("af_draft", "af_submitted", "af_notified"))
    add("PK_amber_links", "PK", "AMBER", recipients=frozenset({"AF"}), complaints=("pk_submitted", "af_notified"))
    return specs


INTEL_SPECS = {s.key: s for s in intel_specs()}
assert len(INTEL_SPECS) == len(intel_specs()), "item keys must be unique"

# Guards written out by name, so a wrong generator fails here rather than making the matrix vacuous.
_MATRIX_KEY = re.compile(r"(AF|PK|TR)_(amber|strict)_[A-Z_]+")
assert len([k for k in INTEL_SPECS if _MATRIX_KEY.fullmatch(k)]) == 3 * 2 * 7  # 7 non-empty subsets of 3 others
assert {"AF_amber_PK", "PK_strict_AF_QA_TR", "TR_amber_AF_PK_QA", "TR_red_3"} <= set(INTEL_SPECS)
assert not intel_sees("tr_investigator", "tr-investigator", INTEL_SPECS["PK_amber_AF"])
assert intel_sees("af_viewer", "af-viewer", INTEL_SPECS["PK_amber_AF"])
assert intel_sees("tr_investigator", "tr-investigator", INTEL_SPECS["PK_fwd_to_TR"])
assert not intel_sees("qa_adjudicator", "qa-adjudicator", INTEL_SPECS["PK_fwd_expired"])
assert not intel_sees("pk_viewer", "pk-viewer", INTEL_SPECS["PK_red_0"])  # RED: only the author of its party
assert intel_sees("pk_viewer", "pk-viewer", INTEL_SPECS["PK_red_2"])  # ... and the people it names
assert not intel_sees("af_viewer", "af-viewer", INTEL_SPECS["AF_draft_red"])
assert intel_sees("af_viewer", "af-viewer", INTEL_SPECS["AF_draft_amber"])
assert not intel_sees("admin", "admin", INTEL_SPECS["TR_clear"])
