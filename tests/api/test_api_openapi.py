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
