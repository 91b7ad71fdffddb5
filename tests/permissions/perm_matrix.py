"""The permission matrix: every URL route and API operation, found by walking the resolver and the NinjaAPI,
and the status each persona must get from each, declared by hand.

A route or operation with no declaration here fails test_perm_inventory.py: whoever adds a page decides, here,
who may see it. Django's admin and the i18n language switch are the only routes left out (see EXCLUDED).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from perm_analytics_matrix import ANALYTICS_API_OPERATIONS, ANALYTICS_WEB_ROUTES
from perm_intel_matrix import INTEL_API_OPERATIONS, INTEL_WEB_ROUTES
from perm_wf_matrix import WORKFLOW_API_OPERATIONS, WORKFLOW_WEB_ROUTES
from perm_world import Persona, World

from ceasefire.api.urls import api

# What the walk leaves out, with the reason; everything else must be declared below.
EXCLUDED = {
    "admin": "Django admin: staff only, no Complaint/Evidence/LogEntry registered; test_perm_admin.py checks it",
    "set_language": "i18n language switch: stores a language preference, reads no record",
}

# Under /api/v1/ the resolver also lists ninja's operations; those are covered by API_OPERATIONS instead.
API_NAMESPACE = "api"


def walk_routes() -> dict[str, str]:
    """Every URL route (namespaced name -> full pattern), recursing through includes."""
    found: dict[str, str] = {}

    def walk(patterns: list[URLPattern | URLResolver], prefix: str, namespace: tuple[str, ...]) -> None:
        for item in patterns:
            if isinstance(item, URLResolver):
                inner = (*namespace, item.namespace) if item.namespace else namespace
                walk(item.url_patterns, prefix + str(item.pattern), inner)
            else:
                # An unnamed route still counts: it is listed by its pattern, so it cannot slip through.
                name = ":".join((*namespace, item.name or f"<unnamed {prefix}{item.pattern}>"))
                found[name] = prefix + str(item.pattern)

    walk(get_resolver().url_patterns, "/", ())
    return found


def is_excluded(name: str) -> bool:
    return name.split(":", 1)[0] in EXCLUDED or name in EXCLUDED


def walk_operations() -> dict[tuple[str, str], str]:
    """Every API operation: (METHOD, OpenAPI path) -> the handler's name (also its URL name)."""
    found: dict[tuple[str, str], str] = {}
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    found[(method, "/api/v1" + path)] = operation.view_func.__name__
    return found


def openapi_operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return {(method.upper(), path) for path, item in schema["paths"].items() for method in item}


# --- expected statuses -------------------------------------------------------------------------------------

Expect = Callable[[Persona, "str | None"], int]


def gated(member_status: Callable[[Persona, str | None], int]) -> Expect:
    """A page behind sign-in and a membership: anonymous -> login, no party -> 403 notice, member -> given."""

    def expect(persona: Persona, record: str | None) -> int:
        if persona.kind == "anonymous":
            return 302
        if persona.kind == "noparty":
            return 403
        return member_status(persona, record)

    return expect


def _ok(persona: Persona, record: str | None) -> int:
    return 200


def _seen(persona: Persona, record: str | None) -> int:
    return 200 if record in persona.sees else 404


def _not_get(persona: Persona, record: str | None) -> int:
    return 405


def _filer_page(persona: Persona, record: str | None) -> int:
    return 200 if persona.files_complaints else 403


def _login_page(persona: Persona, record: str | None) -> int:
    return 200 if persona.kind == "anonymous" else 302  # a signed-in person is sent home


def _home(persona: Persona, record: str | None) -> int:
    return 302 if persona.kind == "anonymous" else 200  # a person without party gets the notice, with 200


def _signed_in_post_only(persona: Persona, record: str | None) -> int:
    return 302 if persona.kind == "anonymous" else 405


@dataclass(frozen=True)
class WebRoute:
    path: str  # {code} and {evidence} are filled from the record
    expect: Expect | None  # None: a public route, whose answer must be the same for every persona
    record: str | None = None  # "complaint" or "evidence": the route is asked once per record
    unsafe: str = ""  # the test in test_perm_unsafe.py covering its POST, for a route that changes state


WEB_ROUTES: dict[str, WebRoute] = {
    "web:login": WebRoute("/login/", _login_page, unsafe="authentication itself: tests/web/test_web_login.py"),
    "web:logout": WebRoute("/logout/", lambda p, r: 405, unsafe="test_logout_post_signs_out_for_every_persona"),
    "web:switch-membership": WebRoute(
        "/membership/", _signed_in_post_only, unsafe="test_switch_membership_to_another_persons_is_ignored"
    ),
    "web:home": WebRoute("/", _home),
    "web:complaint-list": WebRoute("/complaints/", gated(_ok)),
    "web:complaint-new": WebRoute(
        "/complaints/new/", gated(_filer_page), unsafe="test_web_filing_only_by_liaison_officers"
    ),
    "web:complaint-detail": WebRoute("/complaints/{code}/", gated(_seen), record="complaint"),
    "web:complaint-add-evidence": WebRoute(
        "/complaints/{code}/evidence/",
        gated(_not_get),
        record="complaint",
        unsafe="test_web_add_evidence_by_persona_and_record",
    ),
    "web:evidence-download": WebRoute("/evidence/{evidence}/download", gated(_seen), record="evidence"),
    "web:place-search": WebRoute("/places/search/?q=Khost", gated(_ok)),
    "web:map": WebRoute("/map/", gated(_ok)),
    "web:map-outlines": WebRoute("/map/outlines.geojson", gated(_ok)),
    "web:map-reference-line": WebRoute("/map/reference-line.geojson", gated(_ok)),
    "web:map-crossings": WebRoute("/map/crossings.geojson", gated(_ok)),
    "web:map-complaints": WebRoute("/map/complaints.geojson", gated(_ok)),
    # Border data is mechanism-internal: every member of a party or a mediator reads it (docs/border.md).
    "web:border-crossings": WebRoute("/border/", gated(_ok)),
    "web:border-map": WebRoute("/border/map.geojson", gated(_ok)),
    "web:border-crossing": WebRoute("/border/crossings/torkham/", gated(_ok)),
    "web:border-declare": WebRoute(
        "/border/crossings/torkham/declare/",
        gated(_not_get),
        unsafe="tests/border/test_border_web.py::test_declare_by_persona",
    ),
    "web:border-resolve": WebRoute(
        "/border/crossings/torkham/resolve/",
        gated(_not_get),
        unsafe="tests/border/test_border_web.py::test_resolve_by_persona",
    ),
    "web:border-registry": WebRoute(
        "/border/crossings/torkham/registry/",
        gated(lambda p, r: 200 if p.key == "secretariat" else 403),
        unsafe="tests/border/test_border_web.py::test_registry_edit_by_persona",
    ),
    "web:border-flows": WebRoute("/border/flows/", gated(_ok)),
    "web:border-flows-import": WebRoute(
        "/border/flows/import/", gated(_not_get), unsafe="tests/border/test_border_web.py::test_flow_import_by_persona"
    ),
    "web:border-trade": WebRoute("/border/trade/", gated(_ok)),
    "web:border-trade-record": WebRoute(
        "/border/trade/record/", gated(_not_get), unsafe="tests/border/test_border_web.py::test_trade_forms_by_persona"
    ),
    "web:border-loss-claim": WebRoute(
        "/border/losses/", gated(_not_get), unsafe="tests/border/test_border_web.py::test_trade_forms_by_persona"
    ),
    "web:border-obstacle-report": WebRoute(
        "/border/obstacles/", gated(_not_get), unsafe="tests/border/test_border_web.py::test_trade_forms_by_persona"
    ),
    "web:border-obstacle-update": WebRoute(
        "/border/obstacles/OBS-2025-ZZZZ/",
        gated(_not_get),
        unsafe="tests/border/test_border_web.py::test_obstacle_update_by_persona",
    ),
    "web:border-chart": WebRoute("/border/charts/flows.json", gated(_ok)),
    "web:border-chart-png": WebRoute("/border/charts/trade.png", gated(_ok)),
    # The log pages: the checkpoint page for any member; a complaint's entries and receipts as the complaint.
    "web:log": WebRoute("/transparency/", gated(_ok)),
    "web:log-complaint": WebRoute("/transparency/complaints/{code}/", gated(_seen), record="complaint"),
    "web:log-receipt": WebRoute("/transparency/complaints/{code}/{index}.tlog-proof", gated(_seen), record="complaint"),
    # The transparency log is public like any tiles log; its leaves hide restricted records (sealed entries).
    "log:checkpoint": WebRoute("/log/checkpoint", None),
    "log:tile": WebRoute("/log/tile/entries/000.p/{log_size}", None),
    # ninja's own routes under /api/v1/ besides the operations: documentation and the problem+json 404.
    "api:openapi-json": WebRoute("/api/v1/openapi.json", None),
    "api:openapi-view": WebRoute("/api/v1/docs", None),
    "api:api-root": WebRoute("/api/v1/", None),
    "api:no-such-route": WebRoute("/api/v1/no/such/route", None),
}


def _api_open(persona: Persona, record: str | None) -> int:
    return 200


def _api_authenticated(persona: Persona, record: str | None) -> int:
    return 401 if persona.kind == "anonymous" else 200


def _api_member(persona: Persona, record: str | None) -> int:
    return {"anonymous": 401, "noparty": 404}.get(persona.kind, 200)


def _api_none_witnessed(persona: Persona, record: str | None) -> int:
    return 401 if persona.kind == "anonymous" else 404


def _api_seen(persona: Persona, record: str | None) -> int:
    if persona.kind == "anonymous":
        return 401
    return 200 if record in persona.sees else 404


def _api_file(persona: Persona, record: str | None) -> int:
    if persona.kind == "anonymous":
        return 401
    return 201 if persona.files_complaints else 403


def _api_add_evidence(persona: Persona, record: str | None) -> int:
    if persona.kind == "anonymous":
        return 401
    if record not in persona.sees:
        return 404
    return 201 if record in persona.adds_evidence_to else 403


@dataclass(frozen=True)
class ApiOperation:
    path: str  # the concrete path to call; {code} and {evidence} are filled from the record
    expect: Expect
    record: str | None = None
    unsafe: str = ""


API_OPERATIONS: dict[tuple[str, str], ApiOperation] = {
    ("GET", "/api/v1/health"): ApiOperation("/api/v1/health", _api_open),
    ("GET", "/api/v1/me"): ApiOperation("/api/v1/me", _api_authenticated),
    ("GET", "/api/v1/parties"): ApiOperation("/api/v1/parties", _api_authenticated),
    ("GET", "/api/v1/agreements"): ApiOperation("/api/v1/agreements", _api_authenticated),
    ("GET", "/api/v1/agreements/{code}"): ApiOperation("/api/v1/agreements/doha-istanbul-2025", _api_member),
    ("GET", "/api/v1/places"): ApiOperation("/api/v1/places?q=Khost", _api_authenticated),
    ("GET", "/api/v1/crossings"): ApiOperation("/api/v1/crossings", _api_authenticated),
    ("GET", "/api/v1/actors"): ApiOperation("/api/v1/actors", _api_authenticated),
    ("GET", "/api/v1/complaints"): ApiOperation("/api/v1/complaints", _api_authenticated),
    ("POST", "/api/v1/complaints"): ApiOperation(
        "/api/v1/complaints", _api_file, unsafe="test_api_filing_only_by_liaison_officers"
    ),
    ("GET", "/api/v1/complaints/{public_code}"): ApiOperation(
        "/api/v1/complaints/{code}", _api_seen, record="complaint"
    ),
    ("GET", "/api/v1/complaints/{public_code}/evidence"): ApiOperation(
        "/api/v1/complaints/{code}/evidence", _api_seen, record="complaint"
    ),
    ("POST", "/api/v1/complaints/{public_code}/evidence"): ApiOperation(
        "/api/v1/complaints/{code}/evidence",
        _api_add_evidence,
        record="complaint",
        unsafe="test_api_add_evidence_by_persona_and_record",
    ),
    ("GET", "/api/v1/evidence/{evidence_code}/download"): ApiOperation(
        "/api/v1/evidence/{evidence}/download", _api_seen, record="evidence"
    ),
    # The test world has a signed checkpoint but no witnesses, so no checkpoint is witnessed: 404 for all.
    ("GET", "/api/v1/log/checkpoint"): ApiOperation("/api/v1/log/checkpoint", _api_none_witnessed),
    ("GET", "/api/v1/log/consistency"): ApiOperation(
        "/api/v1/log/consistency?old=1&new={log_size}", _api_authenticated
    ),
    # A complaint's log: its entries, and the proof and receipt of its filing entry (the first one).
    ("GET", "/api/v1/complaints/{public_code}/log"): ApiOperation(
        "/api/v1/complaints/{code}/log", _api_seen, record="complaint"
    ),
    ("GET", "/api/v1/complaints/{public_code}/log/{index}/inclusion"): ApiOperation(
        "/api/v1/complaints/{code}/log/{index}/inclusion?size={log_size}", _api_seen, record="complaint"
    ),
    ("GET", "/api/v1/complaints/{public_code}/log/{index}/receipt"): ApiOperation(
        "/api/v1/complaints/{code}/log/{index}/receipt", _api_seen, record="complaint"
    ),
    # Border: lists answer [] without membership; one crossing, a chart or a complaint's facts answer 404.
    ("GET", "/api/v1/border/crossings"): ApiOperation("/api/v1/border/crossings", _api_authenticated),
    ("GET", "/api/v1/border/crossings/{slug}"): ApiOperation("/api/v1/border/crossings/torkham", _api_member),
    ("PATCH", "/api/v1/border/crossings/{slug}"): ApiOperation(
        "/api/v1/border/crossings/torkham",
        _api_member,
        unsafe="tests/border/test_border_api.py::test_api_registry_edit_by_persona",
    ),
    ("POST", "/api/v1/border/crossings/{slug}/declarations"): ApiOperation(
        "/api/v1/border/crossings/torkham/declarations",
        _api_member,
        unsafe="tests/border/test_border_api.py::test_api_declare_by_persona",
    ),
    ("POST", "/api/v1/border/crossings/{slug}/conflicts/resolve"): ApiOperation(
        "/api/v1/border/crossings/torkham/conflicts/resolve",
        _api_member,
        unsafe="tests/border/test_border_api.py::test_api_resolve_conflict",
    ),
    ("GET", "/api/v1/border/closures"): ApiOperation("/api/v1/border/closures", _api_authenticated),
    ("GET", "/api/v1/border/flows"): ApiOperation("/api/v1/border/flows", _api_authenticated),
    ("POST", "/api/v1/border/flows"): ApiOperation(
        "/api/v1/border/flows", _api_member, unsafe="tests/border/test_border_api.py::test_api_record_flows_by_persona"
    ),
    ("GET", "/api/v1/border/trade"): ApiOperation("/api/v1/border/trade", _api_authenticated),
    ("POST", "/api/v1/border/trade"): ApiOperation(
        "/api/v1/border/trade", _api_member, unsafe="tests/border/test_border_api.py::test_api_trade_losses_obstacles"
    ),
    ("GET", "/api/v1/border/losses"): ApiOperation("/api/v1/border/losses", _api_authenticated),
    ("POST", "/api/v1/border/losses"): ApiOperation(
        "/api/v1/border/losses", _api_member, unsafe="tests/border/test_border_api.py::test_api_trade_losses_obstacles"
    ),
    ("GET", "/api/v1/border/obstacles"): ApiOperation("/api/v1/border/obstacles", _api_authenticated),
    ("POST", "/api/v1/border/obstacles"): ApiOperation(
        "/api/v1/border/obstacles",
        _api_member,
        unsafe="tests/border/test_border_api.py::test_api_trade_losses_obstacles",
    ),
    ("POST", "/api/v1/border/obstacles/{code}/status"): ApiOperation(
        "/api/v1/border/obstacles/OBS-2025-ZZZZ/status",
        _api_member,
        unsafe="tests/border/test_border_api.py::test_api_trade_losses_obstacles",
    ),
    ("GET", "/api/v1/border/charts/{name}"): ApiOperation("/api/v1/border/charts/flows", _api_member),
    ("GET", "/api/v1/border/complaints/{public_code}/facts"): ApiOperation(
        "/api/v1/border/complaints/{code}/facts", _api_seen, record="complaint"
    ),
    ("POST", "/api/v1/border/complaints/{public_code}/closures"): ApiOperation(
        "/api/v1/border/complaints/{code}/closures",
        _api_seen,
        record="complaint",
        unsafe="tests/border/test_border_api.py::test_api_complaint_links",
    ),
    ("POST", "/api/v1/border/complaints/{public_code}/flow-citations"): ApiOperation(
        "/api/v1/border/complaints/{code}/flow-citations",
        _api_seen,
        record="complaint",
        unsafe="tests/border/test_border_api.py::test_api_complaint_links",
    ),
}

# The complaint workflow's routes and operations (issue 3), declared in perm_wf_matrix.py with their move cells.
WEB_ROUTES.update({name: WebRoute(**spec) for name, spec in WORKFLOW_WEB_ROUTES.items()})
API_OPERATIONS.update({key: ApiOperation(**spec) for key, spec in WORKFLOW_API_OPERATIONS.items()})


# External event data (issue 7): reference data every member reads; imports by mediators (tested in tests/ingest);
# a complaint's correlations as the complaint. The test world holds no event, run or link: their pages answer 404.
def _absent(persona: Persona, record: str | None) -> int:
    return 404


def _api_absent(persona: Persona, record: str | None) -> int:
    return 401 if persona.kind == "anonymous" else 404


WEB_ROUTES.update(
    {
        "web:ingest-events": WebRoute("/events/", gated(_ok)),
        "web:ingest-export": WebRoute("/events/export.csv", gated(_ok)),
        "web:ingest-imports": WebRoute(
            "/events/imports/", gated(_ok), unsafe="tests/ingest/test_ingest_web.py::test_party_members_cannot_upload"
        ),
        "web:ingest-run": WebRoute("/events/imports/IMP-2025-ZZZZ/", gated(_absent)),
        "web:ingest-event": WebRoute("/events/ucdp/0/", gated(_absent)),
        "web:ingest-map-points": WebRoute("/events/map/points.geojson", gated(_ok)),
        "web:ingest-map-hexagons": WebRoute("/events/map/hexagons.geojson?res=4", gated(_ok)),
        "web:ingest-map-timeline": WebRoute("/events/map/timeline.json", gated(_ok)),
        "web:complaint-correlations": WebRoute("/complaints/{code}/correlations/", gated(_seen), record="complaint"),
        "web:complaint-correlations-refresh": WebRoute(
            "/complaints/{code}/correlations/refresh/",
            gated(_not_get),
            record="complaint",
            unsafe="tests/ingest/test_ingest_web.py::test_refresh_button_is_for_investigators",
        ),
        "web:correlation-decide": WebRoute(
            "/correlations/LNK-2025-ZZZZZZZZ/decide/",
            gated(_not_get),
            unsafe="tests/ingest/test_ingest_web.py::test_correlation_page_shows_candidates_to_mediators_and_decides",
        ),
    }
)
API_OPERATIONS.update(
    {
        ("GET", "/api/v1/events"): ApiOperation("/api/v1/events", _api_authenticated),
        ("GET", "/api/v1/events/{source}/{source_id}"): ApiOperation("/api/v1/events/ucdp/0", _api_absent),
        ("GET", "/api/v1/imports"): ApiOperation("/api/v1/imports", _api_authenticated),
        ("GET", "/api/v1/imports/{code}"): ApiOperation("/api/v1/imports/IMP-2025-ZZZZ", _api_absent),
        ("POST", "/api/v1/imports"): ApiOperation(
            "/api/v1/imports",
            _api_file,
            unsafe="tests/ingest/test_ingest_api.py::test_upload_refused_for_parties_and_bad_files",
        ),
        ("GET", "/api/v1/complaints/{public_code}/correlations"): ApiOperation(
            "/api/v1/complaints/{code}/correlations", _api_seen, record="complaint"
        ),
        ("POST", "/api/v1/complaints/{public_code}/correlations/refresh"): ApiOperation(
            "/api/v1/complaints/{code}/correlations/refresh",
            _api_seen,
            record="complaint",
            unsafe="tests/ingest/test_ingest_api.py::test_correlations_decided_through_the_api",
        ),
        ("POST", "/api/v1/correlations/{code}/decision"): ApiOperation(
            "/api/v1/correlations/LNK-2025-ZZZZZZZZ/decision",
            _api_absent,
            unsafe="tests/ingest/test_ingest_api.py::test_correlations_decided_through_the_api",
        ),
        ("POST", "/api/v1/correlations/{code}/group"): ApiOperation(
            "/api/v1/correlations/LNK-2025-ZZZZZZZZ/group",
            _api_absent,
            unsafe="tests/ingest/test_ingest_correlation.py::test_two_complaints_are_suggested_and_grouped_by_a_mediator",
        ),
    }
)

# Intelligence sharing (issue 5), declared in perm_intel_matrix.py: here every route naming an item is asked with
# a made-up code (this world holds no item); intel_matrix/ runs the cells on every item of its own world.
WEB_ROUTES.update({name: WebRoute(**spec) for name, spec in INTEL_WEB_ROUTES.items()})
API_OPERATIONS.update({key: ApiOperation(**spec) for key, spec in INTEL_API_OPERATIONS.items()})

# Analytics, early warning and reports (issue 8), declared in perm_analytics_matrix.py.
WEB_ROUTES.update({name: WebRoute(**spec) for name, spec in ANALYTICS_WEB_ROUTES.items()})
API_OPERATIONS.update({key: ApiOperation(**spec) for key, spec in ANALYTICS_API_OPERATIONS.items()})

UNKNOWN = "unknown"  # a record key standing for a made-up code: answers exactly as an invisible record
UNKNOWN_CODES = {"complaint": "CMP-2025-ZZZZ", "evidence": "EVD-2025-ZZZZ"}


def sent_code(world: World, kind: str | None, record: str | None) -> str:
    """The public code a request for `record` puts in its URL (complaint or evidence code)."""
    if kind is None or record is None:
        return ""
    if record == UNKNOWN:
        return UNKNOWN_CODES[kind]
    rec = world.records[record]
    return rec.code if kind == "complaint" else rec.evidence_code


def concrete(path: str, world: World, kind: str | None, record: str | None) -> str:
    code = sent_code(world, kind, record)
    index = world.records[record].log_index if record in world.records else 0
    width = min(world.log_size, 256)
    tile = "000" if width == 256 else f"000.p/{width}"
    path = path.replace("000.p/{log_size}", tile)
    return path.format(code=code, evidence=code, index=index, log_size=world.log_size)
