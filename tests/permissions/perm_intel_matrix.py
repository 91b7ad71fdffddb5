"""The intelligence routes and operations in the permission matrix, and what each persona must get from each on
each item of the intelligence world, written out by hand from issue 5 and the intel brief:

    404 when the persona may not see the item (web and API alike: never 403, nothing that tells it exists),
    403 (web) when it sees it but may not make the move, or (API, no party) 404 as for any record,
    409 when it may, but not in this state (a shared item is final; acknowledged or rated already),
    success (web 302 to the item, API 200/201) when the move is allowed.

INTEL_WEB_ROUTES / INTEL_API_OPERATIONS go into perm_matrix.WEB_ROUTES / API_OPERATIONS: there the four-record
world holds no item, so a route naming one is asked with a made-up code (404 for every member). The cells on real
items (every TLP × originator × recipient set) are run by intel_matrix/test_perm_intel_*.py with these functions.
"""

from __future__ import annotations

from typing import Any

from perm_intel_specs import PARTIES, PARTY_OF, PARTY_OF_USER, ItemSpec, intel_sees, originator_side
from perm_world import Persona

MADE_UP = "INT-2025-ZZZZ"
NO_SHA = "0" * 64
SHARERS = frozenset({"af_liaison", "pk_liaison", "secretariat"})  # liaison officers and the secretariat
ACTS_WEB = "tests/permissions/intel_matrix/test_perm_intel_acts.py::test_web_acts_answer_each_persona_on_each_item"
ACTS_API = "tests/permissions/intel_matrix/test_perm_intel_acts.py::test_api_acts_answer_each_persona_on_each_item"
WRITE_WEB = "tests/permissions/intel_matrix/test_perm_intel_acts.py::test_web_writing_is_for_sharers_only"
WRITE_API = "tests/permissions/intel_matrix/test_perm_intel_acts.py::test_api_writing_is_for_sharers_only"


def _web(status: Any) -> Any:
    """Behind sign-in and a membership: anonymous -> sign-in, no party -> the 403 notice, member -> given."""

    def expect(persona: Persona, record: str | None) -> int:
        if persona.kind == "anonymous":
            return 302
        if persona.kind == "noparty":
            return 403
        return status(persona, record) if callable(status) else status

    return expect


def _api(status: Any, noparty: int = 404) -> Any:
    def expect(persona: Persona, record: str | None) -> int:
        if persona.kind == "anonymous":
            return 401
        if persona.kind == "noparty":
            return noparty
        return status(persona, record) if callable(status) else status

    return expect


def _sharer(persona: Persona, record: str | None) -> int:
    return 200 if persona.key in SHARERS else 403


_ITEM = f"/intel/{MADE_UP}/"
# Keyword arguments of perm_matrix.WebRoute, by route name.
INTEL_WEB_ROUTES: dict[str, dict[str, Any]] = {
    "web:intel-list": {"path": "/intel/", "expect": _web(200)},
    "web:intel-new": {"path": "/intel/new/", "expect": _web(_sharer), "unsafe": WRITE_WEB},
    "web:intel-export-csv": {"path": "/intel/export.csv", "expect": _web(200)},
    "web:intel-export-stix": {"path": "/intel/export.stix.json", "expect": _web(200)},
    "web:intel-import": {"path": "/intel/import/", "expect": _web(_sharer), "unsafe": WRITE_WEB},
    "web:intel-requests": {"path": "/intel/requests/", "expect": _web(200)},
    "web:intel-detail": {"path": _ITEM, "expect": _web(404)},
    "web:intel-edit": {"path": f"{_ITEM}edit/", "expect": _web(404), "unsafe": WRITE_WEB},
    "web:intel-acknowledge": {"path": f"{_ITEM}acknowledge/", "expect": _web(405), "unsafe": ACTS_WEB},
    "web:intel-forward": {"path": f"{_ITEM}forward/", "expect": _web(405), "unsafe": ACTS_WEB},
    "web:intel-action": {"path": f"{_ITEM}action/", "expect": _web(405), "unsafe": ACTS_WEB},
    "web:intel-rate": {"path": f"{_ITEM}rate/", "expect": _web(405), "unsafe": ACTS_WEB},
    "web:intel-receipt": {"path": f"{_ITEM}receipt.proof", "expect": _web(404)},
    "web:intel-stix": {"path": f"{_ITEM}stix.json", "expect": _web(404)},
    "web:intel-log": {"path": f"{_ITEM}log/", "expect": _web(404)},
    "web:intel-file": {"path": f"{_ITEM}files/{NO_SHA}", "expect": _web(404)},
    "web:intel-map-places": {"path": "/map/intel.geojson", "expect": _web(200)},
}

_API_ITEM = f"/api/v1/intel/items/{MADE_UP}"
# Keyword arguments of perm_matrix.ApiOperation, by (method, OpenAPI path). Lists answer a person of no party an
# empty page (200); one item answers it 404, as a made-up code does.
INTEL_API_OPERATIONS: dict[tuple[str, str], dict[str, Any]] = {
    ("GET", "/api/v1/intel/items"): {"path": "/api/v1/intel/items", "expect": _api(200, 200)},
    ("POST", "/api/v1/intel/items"): {"path": "/api/v1/intel/items", "expect": _api(403), "unsafe": WRITE_API},
    ("GET", "/api/v1/intel/items/{code}"): {"path": _API_ITEM, "expect": _api(404)},
    ("PUT", "/api/v1/intel/items/{code}"): {"path": _API_ITEM, "expect": _api(404), "unsafe": WRITE_API},
    ("POST", "/api/v1/intel/items/{code}/forward"): {
        "path": f"{_API_ITEM}/forward",
        "expect": _api(404),
        "unsafe": ACTS_API,
    },
    ("POST", "/api/v1/intel/items/{code}/acknowledge"): {
        "path": f"{_API_ITEM}/acknowledge",
        "expect": _api(404),
        "unsafe": ACTS_API,
    },
    ("POST", "/api/v1/intel/items/{code}/actions"): {
        "path": f"{_API_ITEM}/actions",
        "expect": _api(404),
        "unsafe": ACTS_API,
    },
    ("POST", "/api/v1/intel/items/{code}/rating"): {
        "path": f"{_API_ITEM}/rating",
        "expect": _api(404),
        "unsafe": ACTS_API,
    },
    ("GET", "/api/v1/intel/items/{code}/receipts"): {"path": f"{_API_ITEM}/receipts", "expect": _api(404)},
    ("GET", "/api/v1/intel/items/{code}/receipt"): {"path": f"{_API_ITEM}/receipt", "expect": _api(404)},
    ("GET", "/api/v1/intel/items/{code}/stix"): {"path": f"{_API_ITEM}/stix", "expect": _api(404)},
    ("GET", "/api/v1/intel/items/{code}/log"): {"path": f"{_API_ITEM}/log", "expect": _api(404)},
    ("GET", "/api/v1/intel/export.stix"): {"path": "/api/v1/intel/export.stix", "expect": _api(200, 200)},
    ("GET", "/api/v1/intel/export.csv"): {"path": "/api/v1/intel/export.csv", "expect": _api(200, 200)},
    ("POST", "/api/v1/intel/import/stix"): {
        "path": "/api/v1/intel/import/stix",
        "expect": _api(403),
        "unsafe": WRITE_API,
    },
    ("GET", "/api/v1/intel/requests"): {"path": "/api/v1/intel/requests", "expect": _api(200, 200)},
}


# --- the cells on the items of the intelligence world ------------------------------------------------------------

# Every case the matrix has, once: each TLP, drafts, expiry, forwards, RED with a colleague named, requests.
SAMPLE = (
    "AF_clear",
    "PK_green",
    "TR_amber_AF_QA",
    "PK_strict_TR",
    "AF_red_1",
    "PK_red_2",
    "TR_red_3",
    "AF_draft_amber",
    "PK_draft_red",
    "TR_draft_clear",
    "PK_expired_amber",
    "AF_expired_red",
    "PK_expiring_amber",
    "PK_revised_shared",
    "TR_revised_draft",
    "PK_fwd_to_TR",
    "TR_fwd_to_QA",
    "PK_fwd_expired",
    "PK_req_open",
    "PK_req_answered",
    "AF_req_rated",
    "PK_req_red",
    "AF_req_expired",
    "TR_req_no_response",
    "PK_red_file",
    "AF_green_links",
    "PK_amber_links",
)
# The item's other reads (bundle, log, entries, receipts, edit page) on fewer: each case once.
SMALL_SAMPLE = (
    "AF_clear",
    "TR_amber_AF_QA",
    "PK_red_2",
    "AF_draft_amber",
    "PK_expired_amber",
    "TR_revised_draft",
    "PK_fwd_to_TR",
    "PK_req_answered",
    "PK_req_red",
    "AF_req_expired",
    "AF_green_links",
    "TR_red_3",
)


def sees(persona: Persona, spec: ItemSpec) -> bool:
    return intel_sees(persona.key, persona.username, spec)


def in_exchange(persona: Persona, spec: ItemSpec) -> bool:
    """Whether the persona reads a request's exchange (actions, their files, the rating): the requesting side
    and the party asked to act, when it sees the item (the web and API detail, and the entries' rule)."""
    party = PARTY_OF.get(persona.key)
    return sees(persona, spec) and bool(spec.request) and party in (spec.originator, spec.request_to)


def read_status(persona: Persona, spec: ItemSpec, surface: str) -> int:
    """An item's page, bundle, log or entries: 200 exactly when the persona sees it, else 404."""
    if persona.kind == "anonymous":
        return 302 if surface == "web" else 401
    if persona.kind == "noparty":
        return 403 if surface == "web" else 404
    return 200 if sees(persona, spec) else 404


def edit_status(persona: Persona, spec: ItemSpec) -> int:
    """GET of a draft's edit page: the originator's sharing members; a shared item is final (409)."""
    first = read_status(persona, spec, "web")
    if first != 200:
        return first
    if persona.key in SHARERS and originator_side(persona.key, persona.username, spec):
        return 200 if spec.state == "draft" else 409
    return 403


def _is_recipient(persona: Persona, spec: ItemSpec) -> bool:
    """One the shared item reached (its opening is a receipt): anyone who sees it but its originator's side."""
    return spec.state == "shared" and sees(persona, spec) and not originator_side(persona.key, persona.username, spec)


def _acknowledged(persona: Persona, spec: ItemSpec) -> bool:
    """Acknowledged already by this recipient: its party, or for RED the named person itself."""
    if spec.tlp == "RED":
        return persona.username in spec.acknowledgers
    return any(PARTY_OF_USER[u] == PARTY_OF.get(persona.key) for u in spec.acknowledgers)


def forward_target(spec: ItemSpec | None) -> str:
    """A party that does not hold the item yet (the one a forward names), or "" when every party holds it."""
    if spec is None:
        return ""
    held = {spec.originator} | spec.recipients | spec.forwarded_to
    return next((p for p in PARTIES if p not in held), "")


def act_status(persona: Persona, spec: ItemSpec | None, act: str, surface: str) -> int:
    """POST of an act on an item: acknowledge, forward, action (record one), rate. `spec` None: a made-up code."""
    web = surface == "web"
    if persona.kind == "anonymous":
        return 302 if web else 401
    if persona.kind == "noparty":
        return 403 if web else 404
    if spec is None or not sees(persona, spec):
        return 404
    ok = 302 if web else (201 if act == "action" else 200)
    party = PARTY_OF[persona.key]
    if act == "acknowledge":
        if not _is_recipient(persona, spec):
            return 403
        return 409 if _acknowledged(persona, spec) else ok
    if act == "forward":
        if not (persona.key in SHARERS and _is_recipient(persona, spec) and spec.tlp == "AMBER"):
            return 403
        if not spec.forwarding_allowed:
            return 403
        return ok if forward_target(spec) else 422
    if not spec.request:
        return 404  # no request for action to act on: absent, as the service says
    if act == "action":
        if persona.key not in SHARERS or party != spec.request_to:
            return 403
        return 409 if spec.request_state == "rated" else ok
    if persona.key not in SHARERS or party != spec.originator:
        return 403
    if spec.request_state == "rated":
        return 409
    return 422 if spec.request == "open" else ok  # before the due date, only a recorded action can be rated


def write_status(persona: Persona, spec: ItemSpec | None, kind: str, surface: str) -> int:
    """POST a new item ("new"), PUT/POST a revision of an item ("edit", `spec` None: a made-up code) sharing it as
    GREEN, or import an empty STIX bundle ("import": refused as not a bundle, so 422 for a sharer)."""
    web = surface == "web"
    if persona.kind == "anonymous":
        return 302 if web else 401
    if persona.kind == "noparty":
        return 404 if (kind == "edit" and not web) else 403
    if kind == "new":
        return (302 if web else 201) if persona.key in SHARERS else 403
    if kind == "import":
        return 422 if persona.key in SHARERS else 403
    if spec is None or not sees(persona, spec):
        return 404
    if persona.key in SHARERS and originator_side(persona.key, persona.username, spec):
        return (302 if web else 200) if spec.state == "draft" else 409
    return 403
