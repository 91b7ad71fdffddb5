"""Helpers of the API tests. A module with its own name, not a conftest.py: other test folders import the root
conftest by the name `conftest`, which a second conftest.py would shadow."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from ceasefire.core.models import Membership
from ceasefire.core.services import issue_token

PROBLEM = "application/problem+json"


class ApiClient(Client):
    """A test client that sends JSON bodies by default and decodes JSON and problem+json answers."""

    def post_json(self, path: str, data: Any, **extra: Any) -> Any:
        return self.post(path, data=json.dumps(data), content_type="application/json", **extra)


def as_member(member: Membership) -> ApiClient:
    """A client acting as `member` with a fresh bearer token."""
    _token, secret = issue_token(member, name="tests")
    return ApiClient(headers={"Authorization": f"Bearer {secret}"})


def signed_in(user: Any, **kwargs: Any) -> ApiClient:
    """A browser-like client with a session for `user` (a User or a Membership's user)."""
    client = ApiClient(**kwargs)
    client.force_login(getattr(user, "user", user))
    return client


def assert_problem(response: Any, status: int, *fields: str) -> dict[str, Any]:
    """The response is RFC 9457 problem+json with `status` and names every field in `fields`."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = json.loads(response.content)
    assert body["status"] == status
    assert body["title"] and body["detail"]
    assert body["type"].startswith("https://ceasefire.example/problems/") or body["type"] == "about:blank"
    for field in fields:
        assert field in body["errors"], body
        assert body["errors"][field]
    return body


def filing_body(**overrides: Any) -> dict[str, Any]:
    """The contract's example filing: the Mughalgai strike in Khost, 24–25 Nov 2025."""
    body: dict[str, Any] = {
        "category": "air_strike",
        "starts_at": "2025-11-24T20:00:00Z",
        "ends_at": "2025-11-25T02:00:00Z",
        "time_precision": "hour",
        "latitude": 33.28,
        "longitude": 69.95,
        "respondent": "PK",
        "commitments": ["C2", "C3"],
        "actors": ["pk-forces"],
        "narrative": "A strike hit a house in Mughalgai, Gurbuz district, killing nine children and a woman.",
        "title": "",
        "tlp": "AMBER",
        "place_id": None,
        "place_description": "Mughalgai, Gurbuz district, Khost",
        "casualties": [{"kind": "killed", "status": "civilian", "best": 10, "low": None, "high": None}],
        "agreement": None,
        "submit": True,
    }
    body.update(overrides)
    return body


def file_via_service(member: Membership, count: int = 1, **overrides: Any) -> list[Any]:
    """`count` complaints filed by `member` through the service, from the API's own input conversion."""
    from ceasefire.api.schemas.complaints import ComplaintIn
    from ceasefire.incidents.services import file_complaint

    draft = ComplaintIn.model_validate(filing_body(**overrides)).to_draft()
    return [file_complaint(member, draft) for _ in range(count)]
