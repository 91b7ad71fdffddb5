"""Helpers of the border tests (a module with its own name, not a conftest.py)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client

from ceasefire.border.services import declare_status
from ceasefire.core.services import issue_token
from ceasefire.geo.models import Crossing

FLOW_HEADER = "date,crossing,direction,category,total,documented,undocumented,source,source_note\n"


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def crossing(slug: str = "torkham") -> Crossing:
    return Crossing.objects.get(slug=slug)


def declare(member: Any, status: str, when: dt.datetime, slug: str = "torkham", **fields: Any) -> Any:
    return declare_status(member, crossing=crossing(slug), status=status, effective_at=when, **fields)


def flows_csv(*rows: str) -> bytes:
    return (FLOW_HEADER + "".join(r + "\n" for r in rows)).encode()


class ApiClient(Client):
    def post_json(self, path: str, data: Any) -> Any:
        return self.post(path, data=json.dumps(data), content_type="application/json")


def as_member(member: Any) -> ApiClient:
    """A client acting as `member` with a fresh bearer token."""
    _token, secret = issue_token(member, name="border-tests")
    return ApiClient(headers={"Authorization": f"Bearer {secret}"})


def assert_problem(response: Any, status: int, *fields: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    for field in fields:
        assert body["errors"].get(field), body
    return body
