"""The OpenAPI document and the interactive docs, served from this host only and under the site's CSP."""

import json
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.integration

OPERATIONS = {
    ("get", "/api/v1/health"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/parties"),
    ("get", "/api/v1/agreements"),
    ("get", "/api/v1/agreements/{code}"),
    ("get", "/api/v1/actors"),
    ("get", "/api/v1/places"),
    ("get", "/api/v1/crossings"),
    ("get", "/api/v1/complaints"),
    ("post", "/api/v1/complaints"),
    ("get", "/api/v1/complaints/{public_code}"),
    ("post", "/api/v1/complaints/{public_code}/evidence"),
    ("get", "/api/v1/complaints/{public_code}/evidence"),
    ("get", "/api/v1/evidence/{evidence_code}/download"),
    # the transparency log (ledger/api.py)
    ("get", "/api/v1/log/checkpoint"),
    ("get", "/api/v1/log/consistency"),
    ("get", "/api/v1/complaints/{public_code}/log"),
    ("get", "/api/v1/complaints/{public_code}/log/{index}/inclusion"),
    ("get", "/api/v1/complaints/{public_code}/log/{index}/receipt"),
    # the complaint workflow (verification/api.py; test_api_workflow_openapi.py checks each in detail)
    *(
        ("post", f"/api/v1/complaints/{{public_code}}/{move}")
        for move in (
            "submit",
            "notify",
            "reject",
            "withdraw",
            "reply",
            "assign",
            "tasks",
            "tasks/{task_id}/complete",
            "evidence/{evidence_code}/grade",
            "corroborations",
            "notes",
            "findings",
            "determination",
            "determination/sign",
            "determination/dissent",
            "appeal",
            "close",
        )
    ),
    ("get", "/api/v1/complaints/{public_code}/workflow"),
    ("get", "/api/v1/complaints/{public_code}/investigation"),
    ("get", "/api/v1/notifications"),
    ("post", "/api/v1/notifications/read"),
    ("get", "/api/v1/deadlines"),
    # border crossings, flows, trade and transit (border/api.py)
    ("get", "/api/v1/border/charts/{name}"),
    ("get", "/api/v1/border/closures"),
    ("get", "/api/v1/border/complaints/{public_code}/facts"),
    ("get", "/api/v1/border/crossings"),
    ("get", "/api/v1/border/crossings/{slug}"),
    ("patch", "/api/v1/border/crossings/{slug}"),
    ("get", "/api/v1/border/flows"),
    ("post", "/api/v1/border/flows"),
    ("get", "/api/v1/border/losses"),
    ("post", "/api/v1/border/losses"),
    ("get", "/api/v1/border/obstacles"),
    ("post", "/api/v1/border/obstacles"),
    ("post", "/api/v1/border/obstacles/{code}/status"),
    ("get", "/api/v1/border/trade"),
    ("post", "/api/v1/border/trade"),
    ("post", "/api/v1/border/complaints/{public_code}/closures"),
    ("post", "/api/v1/border/complaints/{public_code}/flow-citations"),
    ("post", "/api/v1/border/crossings/{slug}/conflicts/resolve"),
    ("post", "/api/v1/border/crossings/{slug}/declarations"),
    # external event data and correlation (ingest/api.py)
    ("get", "/api/v1/events"),
    ("get", "/api/v1/events/{source}/{source_id}"),
    ("get", "/api/v1/imports"),
    ("post", "/api/v1/imports"),
    ("get", "/api/v1/imports/{code}"),
    ("get", "/api/v1/complaints/{public_code}/correlations"),
    ("post", "/api/v1/complaints/{public_code}/correlations/refresh"),
    ("post", "/api/v1/correlations/{code}/decision"),
    ("post", "/api/v1/correlations/{code}/group"),
    # intelligence sharing (intel/api.py)
    ("get", "/api/v1/intel/items"),
    ("post", "/api/v1/intel/items"),
    ("get", "/api/v1/intel/items/{code}"),
    ("put", "/api/v1/intel/items/{code}"),
    ("post", "/api/v1/intel/items/{code}/forward"),
    ("post", "/api/v1/intel/items/{code}/acknowledge"),
    ("post", "/api/v1/intel/items/{code}/actions"),
    ("post", "/api/v1/intel/items/{code}/rating"),
    ("get", "/api/v1/intel/items/{code}/receipts"),
    ("get", "/api/v1/intel/items/{code}/receipt"),
    ("get", "/api/v1/intel/items/{code}/stix"),
    ("get", "/api/v1/intel/items/{code}/log"),
    ("get", "/api/v1/intel/export.stix"),
    ("get", "/api/v1/intel/export.csv"),
    ("post", "/api/v1/intel/import/stix"),
    ("get", "/api/v1/intel/requests"),
    ("delete", "/api/v1/analytics/subscriptions/{code}"),
    ("get", "/api/v1/analytics/alerts"),
    ("get", "/api/v1/analytics/alerts/{code}"),
    ("get", "/api/v1/analytics/dashboard"),
    ("get", "/api/v1/analytics/scorecards"),
    ("get", "/api/v1/analytics/subscriptions"),
    ("get", "/api/v1/analytics/subscriptions/{code}"),
    ("post", "/api/v1/analytics/subscriptions"),
    ("get", "/api/v1/exports/complaints.{fmt}"),
    ("get", "/api/v1/exports/crossings.{fmt}"),
    ("get", "/api/v1/exports/determined-incidents.acled.csv"),
    ("get", "/api/v1/exports/events.{fmt}"),
    ("get", "/api/v1/exports/intel.{fmt}"),
    ("get", "/api/v1/publications"),
    ("post", "/api/v1/publications"),
    ("post", "/api/v1/publications/{code}/withdraw"),
    ("get", "/api/v1/reports"),
    ("post", "/api/v1/reports"),
    ("get", "/api/v1/reports/{code}"),
    ("get", "/api/v1/reports/{code}/html"),
    ("get", "/api/v1/reports/{code}/pdf"),
}


def test_openapi_document_lists_every_operation_when_fetched(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content, object_pairs_hook=_refuse_duplicates)  # Swagger UI refuses them
    assert document["openapi"].startswith("3.")
    found = {(method, path) for path, item in document["paths"].items() for method in item}
    assert found == OPERATIONS
    schemes = document["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    complaint = document["components"]["schemas"]["ComplaintOut"]["properties"]
    assert "id" not in complaint and "public_code" in complaint
    for item in document["paths"].values():
        for operation in item.values():
            assert "application/problem+json" in operation["responses"]["default"]["content"]


def _refuse_duplicates(pairs):
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), keys
    return dict(pairs)


def test_docs_page_loads_only_from_own_host_when_fetched(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert "cdn" not in html.lower()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "style-src 'self';" in policy and "unsafe" not in policy
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert html.count(f'nonce="{nonce}"') == 3


def test_docs_static_files_are_served_when_requested(db):
    for name in ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css"):
        response = Client().get(f"/static/ninja/{name}")
        assert response.status_code == 200, name
