"""The workflow's routes and operations in the permission matrix, and the status each move must answer to each
persona on each record (every state, both ways), written out by hand from issue 3's rule:

    404 when the persona may not see the complaint (the respondent before notice, observers, no party),
    403 when it sees it but its role may not make the move,
    409 when it may, but not in this state (or not again: a second reply, signature, dissent),
    success (web 302 to the complaint, API 200) when the move is allowed.

perm_matrix.py turns WORKFLOW_WEB_ROUTES / WORKFLOW_API_OPERATIONS into its WebRoute / ApiOperation entries (this
module imports nothing of it, so either can be imported first). The POST cells are run by test_perm_wf_moves.py.
"""

from __future__ import annotations

from typing import Any

from perm_states import WORKFLOW_RECORDS
from perm_world import AF_DRAFT, AF_NOTIFIED, AF_SUBMITTED, PK_SUBMITTED, Persona

# The four base records, as workflow stages (AF_NOTIFIED was notified by a row update: no note, no reply yet).
BASE_STAGES = {
    AF_SUBMITTED: ("AF", "submitted"),
    PK_SUBMITTED: ("PK", "submitted"),
    AF_DRAFT: ("AF", "draft"),
    AF_NOTIFIED: ("AF", "notified"),
}


def stage_of(record: str) -> tuple[str, str]:
    """(complainant, stage) of a record of the world."""
    if record in BASE_STAGES:
        return BASE_STAGES[record]
    spec = WORKFLOW_RECORDS[record]
    return spec.complainant, spec.stage


LIAISON_OF = {"af_liaison": "AF", "pk_liaison": "PK"}
INVESTIGATOR_USER = {"tr_investigator": "tr-investigator", "qa_investigator": "qa-investigator"}
ADJUDICATORS = frozenset({"tr_adjudicator", "qa_adjudicator"})
SECRETARIAT = "secretariat"

# The investigators assigned to the current round, by stage: both in round 1 once the investigation opened; only
# the Qatari one in the round the appeal reopened (perm_workflow.py builds it so).
_ROUND1 = frozenset({"tr_investigator", "qa_investigator"})
ASSIGNED = {
    "under_investigation": _ROUND1,
    "withdrawn": _ROUND1,
    "findings_ready": _ROUND1,
    "determined": _ROUND1,
    "closed": _ROUND1,
    "appealed": _ROUND1,
    "reinvestigation": frozenset({"qa_investigator"}),
}
# Stages where the record has an investigation task (one still open).
HAS_TASK = frozenset(ASSIGNED)
INVESTIGATING = frozenset({"under_investigation", "reinvestigation"})
BEFORE_DETERMINATION = frozenset({"submitted", "notified", "under_investigation", "findings_ready", "reinvestigation"})
IN_EFFECT = frozenset({"determined", "closed", "appealed"})  # a determination in effect in the current round

ACTIONS = (
    "submit",
    "notify",
    "reject",
    "reply",
    "assign",
    "add_task",
    "complete_task",
    "grade",
    "corroborate",
    "note",
    "findings",
    "draft_determination",
    "sign",
    "dissent",
    "appeal",
    "withdraw",
    "close",
)


def _investigates(persona: Persona, stage: str) -> bool:
    return persona.key == SECRETARIAT or persona.key in ASSIGNED.get(stage, frozenset())


def permitted(action: str, persona: Persona, record: str) -> bool:
    """Whether the persona's role lets it make the move on this record at all, whatever the state."""
    complainant, stage = stage_of(record)
    party = LIAISON_OF.get(persona.key)
    if action in ("submit", "withdraw"):
        return party == complainant
    if action == "reply":
        return party is not None and party != complainant
    if action in ("dissent", "appeal"):
        return party is not None
    if action in ("notify", "reject", "assign", "close"):
        return persona.key == SECRETARIAT
    if action in ("add_task", "complete_task", "grade", "corroborate", "findings"):
        return _investigates(persona, stage)
    if action == "note":
        return _investigates(persona, stage) or persona.key in ADJUDICATORS
    if action == "draft_determination":
        return persona.key in ADJUDICATORS or persona.key == SECRETARIAT
    if action == "sign":
        return persona.key in ADJUDICATORS
    raise AssertionError(action)


OK, CONFLICT, INVALID = "ok", 409, 422


def legal(action: str, persona: Persona, record: str) -> str | int:
    """For a persona permitted to make the move: "ok", 409 (not in this state, or not again) or 422 (an input
    the world makes wrong, named below)."""
    complainant, stage = stage_of(record)
    party = LIAISON_OF.get(persona.key)
    allowed: bool
    if action == "submit":
        allowed = stage == "draft"
    elif action == "notify":
        allowed = stage == "submitted"
    elif action == "reject":
        allowed = stage in ("submitted", "notified")
    elif action == "withdraw":
        allowed = stage in BEFORE_DETERMINATION
    elif action == "reply":
        allowed = stage == "notified"  # replied already under investigation; no reply on any other state
    elif action == "assign":
        # The request assigns the Turkish investigator: already assigned in round 1 under investigation (an input
        # the service refuses by name, 422); new in the round an appeal reopens.
        if stage == "under_investigation":
            return INVALID
        allowed = stage in ("notified", "appealed", "reinvestigation")
    elif action in ("add_task", "complete_task", "grade", "corroborate", "findings"):
        allowed = stage in INVESTIGATING
    elif action == "note":
        allowed = stage not in ("draft", "submitted")
    elif action == "draft_determination":
        allowed = False  # findings_ready holds a draft signed once (no longer redrafted); no other state drafts
    elif action == "sign":
        allowed = stage == "findings_ready" and persona.key == "qa_adjudicator"  # the Turkish one signed it
    elif action == "dissent":
        allowed = stage in IN_EFFECT and party == complainant  # the respondent dissented already
    elif action == "appeal":
        allowed = stage == "determined"
    elif action == "close":
        allowed = False  # the appeal window of every determined record is still open
    else:
        raise AssertionError(action)
    return OK if allowed else CONFLICT


def expected_move(action: str, surface: str, persona: Persona, record: str) -> int:
    """The status of POSTing `action` on `record` as `persona`, on the "web" or the "api"."""
    if persona.kind == "anonymous":
        return 302 if surface == "web" else 401
    if persona.kind == "noparty":
        return 403 if surface == "web" else 404  # the web's no-membership notice; the API: nothing to see
    if record not in persona.sees:
        return 404
    _complainant, stage = stage_of(record)
    # API: tasks are the investigation's, so a task does not exist for a party; a record without one is asked
    # with a made-up task id, which does not exist for anyone.
    if action == "complete_task" and surface == "api" and (not persona.mediator or stage not in HAS_TASK):
        return 404
    if not permitted(action, persona, record):
        return 403
    if action == "complete_task" and surface == "web" and stage not in HAS_TASK:
        return INVALID  # the form offers no task to complete
    outcome = legal(action, persona, record)
    if outcome == OK:
        return 302 if surface == "web" else 200
    assert isinstance(outcome, int)
    return outcome


# --- the declarations merged into perm_matrix.WEB_ROUTES / API_OPERATIONS ----------------------------------------

# The tests of the POST side, as "<module in tests/permissions>::<test>" (test_perm_inventory.py checks they exist).
MOVE_TEST_WEB = MOVE_TEST_API = "test_perm_wf_moves.py::test_workflow_moves_by_persona_state_and_record"
_READ_TESTS = "test_perm_wf_moves.py"

# Web: one POST route per action under /complaints/<code>/ (GET answers 405 to a member).
WEB_ACTION_ROUTES = {f"web:complaint-{a.replace('_', '-')}": a for a in ACTIONS}

# API: one operation per move.
API_MOVE_PATHS: dict[str, str] = {
    "submit": "/api/v1/complaints/{public_code}/submit",
    "notify": "/api/v1/complaints/{public_code}/notify",
    "reject": "/api/v1/complaints/{public_code}/reject",
    "withdraw": "/api/v1/complaints/{public_code}/withdraw",
    "reply": "/api/v1/complaints/{public_code}/reply",
    "assign": "/api/v1/complaints/{public_code}/assign",
    "add_task": "/api/v1/complaints/{public_code}/tasks",
    "complete_task": "/api/v1/complaints/{public_code}/tasks/{task_id}/complete",
    "grade": "/api/v1/complaints/{public_code}/evidence/{evidence_code}/grade",
    "corroborate": "/api/v1/complaints/{public_code}/corroborations",
    "note": "/api/v1/complaints/{public_code}/notes",
    "findings": "/api/v1/complaints/{public_code}/findings",
    "draft_determination": "/api/v1/complaints/{public_code}/determination",
    "sign": "/api/v1/complaints/{public_code}/determination/sign",
    "dissent": "/api/v1/complaints/{public_code}/determination/dissent",
    "appeal": "/api/v1/complaints/{public_code}/appeal",
    "close": "/api/v1/complaints/{public_code}/close",
}
assert set(API_MOVE_PATHS) == set(ACTIONS)


def _gated_member(status: Any) -> Any:
    def expect(persona: Persona, record: str | None) -> int:
        if persona.kind == "anonymous":
            return 302
        if persona.kind == "noparty":
            return 403
        return status(persona, record) if callable(status) else status

    return expect


def _mediators_page(persona: Persona, record: str | None) -> int:
    return 200 if persona.mediator else 404


def _api_mediators(persona: Persona, record: str | None) -> int:
    if persona.kind == "anonymous":
        return 401
    return 200 if persona.mediator else 404


def _api_investigation(persona: Persona, record: str | None) -> int:
    if persona.kind == "anonymous":
        return 401
    return 200 if persona.mediator and record in persona.sees else 404


def _api_signed_in(persona: Persona, record: str | None) -> int:
    return 401 if persona.kind == "anonymous" else 200


def _api_seen(persona: Persona, record: str | None) -> int:
    if persona.kind == "anonymous":
        return 401
    return 200 if record in persona.sees else 404


# Keyword arguments of perm_matrix.WebRoute, by route name.
WORKFLOW_WEB_ROUTES: dict[str, dict[str, Any]] = {
    **{
        name: {
            "path": f"/complaints/{{code}}/{action.replace('_', '-')}/",
            "expect": _gated_member(405),  # POST only, answered before the record is looked up
            "record": "complaint",
            "unsafe": MOVE_TEST_WEB,
        }
        for name, action in WEB_ACTION_ROUTES.items()
    },
    # Notifications: the member's own list; marking read and renewing the feed address are POSTs of one's own.
    "web:notifications": {"path": "/notifications/", "expect": _gated_member(200)},
    "web:notifications-read": {
        "path": "/notifications/read/",
        "expect": _gated_member(405),
        "unsafe": f"{_READ_TESTS}::test_mark_read_touches_only_own_visible_notifications",
    },
    "web:notifications-feed-key": {
        "path": "/notifications/feed-key/",
        "expect": _gated_member(405),
        "unsafe": f"{_READ_TESTS}::test_renew_feed_key_changes_only_own_key",
    },
    # The private Atom feed is reached by its secret key, not a session: a made-up key answers 404 to anyone
    # (each member's own feed is read in test_perm_wf_leaks.py).
    "web:notification-feed": {"path": "/feeds/zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz.atom", "expect": None},
    # The deadline board: the mediators' (a party's member gets 404, as for anything it may not see).
    "web:deadlines": {"path": "/deadlines/", "expect": _gated_member(_mediators_page)},
}

# Keyword arguments of perm_matrix.ApiOperation, by (method, OpenAPI path).
WORKFLOW_API_OPERATIONS: dict[tuple[str, str], dict[str, Any]] = {
    **{
        ("POST", path): {
            "path": path.replace("{public_code}", "{code}"),
            "expect": _api_seen,  # not used for POST: test_perm_wf_moves.py holds the cells
            "record": "complaint",
            "unsafe": MOVE_TEST_API,
        }
        for path in API_MOVE_PATHS.values()
    },
    ("GET", "/api/v1/complaints/{public_code}/workflow"): {
        "path": "/api/v1/complaints/{code}/workflow",
        "expect": _api_seen,
        "record": "complaint",
    },
    ("GET", "/api/v1/complaints/{public_code}/investigation"): {
        "path": "/api/v1/complaints/{code}/investigation",
        "expect": _api_investigation,
        "record": "complaint",
    },
    ("GET", "/api/v1/notifications"): {"path": "/api/v1/notifications", "expect": _api_signed_in},
    ("POST", "/api/v1/notifications/read"): {
        "path": "/api/v1/notifications/read",
        "expect": _api_signed_in,
        "unsafe": f"{_READ_TESTS}::test_mark_read_touches_only_own_visible_notifications",
    },
    ("GET", "/api/v1/deadlines"): {"path": "/api/v1/deadlines", "expect": _api_mediators},
}
