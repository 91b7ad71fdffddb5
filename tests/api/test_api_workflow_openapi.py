"""Every workflow operation is in the OpenAPI document, with a summary, its body schema and the problem+json
default response."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.integration

C = "/api/v1/complaints/{public_code}"
WORKFLOW_OPERATIONS = {
    ("post", f"{C}/submit"): None,
    ("post", f"{C}/notify"): "NoteIn",
    ("post", f"{C}/reject"): "ReasonIn",
    ("post", f"{C}/withdraw"): "ReasonIn",
    ("post", f"{C}/reply"): "ReplyIn",
    ("post", f"{C}/assign"): "AssignIn",
    ("post", f"{C}/tasks"): "TaskIn",
    ("post", f"{C}/tasks/{{task_id}}/complete"): "TaskDoneIn",
    ("post", f"{C}/evidence/{{evidence_code}}/grade"): "GradeIn",
    ("post", f"{C}/corroborations"): "CorroborationIn",
    ("post", f"{C}/notes"): "InvestigationNoteIn",
    ("post", f"{C}/findings"): "FindingsIn",
    ("post", f"{C}/determination"): "DeterminationIn",
    ("post", f"{C}/determination/sign"): None,
    ("post", f"{C}/determination/dissent"): "DissentIn",
    ("post", f"{C}/appeal"): "AppealIn",
    ("post", f"{C}/close"): "NoteIn",
    ("get", f"{C}/workflow"): None,
    ("get", f"{C}/investigation"): None,
    ("get", "/api/v1/notifications"): None,
    ("post", "/api/v1/notifications/read"): "ReadIn",
    ("get", "/api/v1/deadlines"): None,
}


@pytest.fixture
def document(db):
    return json.loads(Client().get("/api/v1/openapi.json").content)


def test_every_workflow_operation_is_documented(document):
    for (method, path), body_schema in WORKFLOW_OPERATIONS.items():
        operation = document["paths"][path][method]
        assert operation["summary"], path
        assert "application/problem+json" in operation["responses"]["default"]["content"], path
        if body_schema is None:
            assert method == "get" or "requestBody" not in operation, path
            continue
        text = json.dumps(operation["requestBody"])
        assert f"#/components/schemas/{body_schema}" in text, (path, text)


def test_moves_answer_with_the_workflow_view(document):
    for (method, path), _body in WORKFLOW_OPERATIONS.items():
        if method == "post" and path.startswith(C):
            schema = document["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/WorkflowOut"}, path
    view = document["components"]["schemas"]["WorkflowOut"]["properties"]
    assert {"state", "round", "reply_due_at", "investigation_due_at", "actions"} <= set(view)
