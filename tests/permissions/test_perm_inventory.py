"""The matrix cannot go stale: every route and API operation that exists has a declared expectation, and every
declaration names something that exists."""

import re
from pathlib import Path

import pytest
from perm_matrix import (
    API_NAMESPACE,
    API_OPERATIONS,
    EXCLUDED,
    WEB_ROUTES,
    is_excluded,
    openapi_operations,
    walk_operations,
    walk_routes,
)

pytestmark = pytest.mark.integration


def _route_names_needing_declaration() -> set[str]:
    operation_names = set(walk_operations().values())
    return {
        name
        for name in walk_routes()
        if not is_excluded(name)
        and not (name.startswith(API_NAMESPACE + ":") and name.split(":", 1)[1] in operation_names)
    }


def test_every_web_route_has_declared_expectation_when_walking_resolver():
    undeclared = sorted(_route_names_needing_declaration() - set(WEB_ROUTES))
    assert not undeclared, (
        f"routes with no permission expectation: {undeclared}; declare who may see each in "
        "tests/permissions/perm_matrix.py WEB_ROUTES"
    )


def test_every_declared_web_route_exists_when_walking_resolver():
    stale = sorted(set(WEB_ROUTES) - set(walk_routes()))
    assert not stale, f"declared routes that no longer exist: {stale}"


def test_every_api_operation_has_declared_expectation_when_walking_ninja():
    undeclared = sorted(set(walk_operations()) - set(API_OPERATIONS))
    assert not undeclared, (
        f"API operations with no permission expectation: {undeclared}; declare them in "
        "tests/permissions/perm_matrix.py API_OPERATIONS"
    )
    stale = sorted(set(API_OPERATIONS) - set(walk_operations()))
    assert not stale, f"declared API operations that no longer exist: {stale}"


def test_openapi_document_lists_exactly_walked_operations():
    # Two independent enumerations must agree, so neither can hide an operation from the matrix.
    assert openapi_operations() == set(walk_operations())


def test_walk_finds_known_routes_when_resolver_walked():
    # Guards the walker itself: a walk that found nothing would make the tests above pass vacuously.
    routes = walk_routes()
    assert routes["web:complaint-detail"] == "/complaints/<str:public_code>/"
    assert routes["api:list_complaints"] == "/api/v1/complaints"
    assert any(name.startswith("admin:") for name in routes)
    assert len(walk_operations()) >= 14


def test_exclusions_are_only_admin_and_language_switch():
    assert set(EXCLUDED) == {"admin", "set_language"}
    excluded = {name for name in walk_routes() if is_excluded(name)}
    assert {name.split(":")[0] for name in excluded} == {"admin", "set_language"}


def test_state_changing_routes_name_their_post_test():
    # A route that changes state must point at the test of its POST, and that test must exist.
    import importlib

    import test_perm_unsafe

    named = [spec.unsafe for spec in (*WEB_ROUTES.values(), *API_OPERATIONS.values()) if spec.unsafe]
    missing = [n for n in named if n.startswith("test_") and "::" not in n and not hasattr(test_perm_unsafe, n)]
    # "test_perm_<module>.py::<test>": a test of this directory in another module.
    for ref in {n for n in named if n.startswith("test_perm") and "::" in n}:
        module, test = ref.split("::", 1)
        if not hasattr(importlib.import_module(module.removesuffix(".py")), test):
            missing.append(ref)
    # "tests/<path>.py::<test>": a test elsewhere in the suite; the file must define it.
    root = Path(__file__).resolve().parents[2]
    for ref in {n for n in named if n.startswith("tests/")}:
        path, test = ref.split("::", 1)
        source = root / path
        if not source.is_file() or not re.search(rf"^def {re.escape(test)}\(", source.read_text(), re.MULTILINE):
            missing.append(ref)
    assert not missing, f"unsafe routes point at missing tests: {missing}"
    for (method, path), spec in API_OPERATIONS.items():
        assert (method == "GET") != bool(spec.unsafe), f"{method} {path}: only non-GET operations are unsafe"
