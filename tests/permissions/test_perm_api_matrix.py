"""Every API read operation against every persona and, for operations naming a record, every record.

Members call with their bearer token, the admin and the outsider with their session (they hold no membership,
so no token), anonymous with nothing. Wrong cells are reported together; every answer is searched for markers
of records the persona may not see, and an invisible record's 404 must read exactly like a made-up code's.
"""

import pytest
from perm_matrix import API_OPERATIONS, UNKNOWN, concrete, sent_code
from perm_world import PERSONAS, RECORDS, assert_no_leak, body_of, header_text

pytestmark = pytest.mark.integration

PROBLEM = "application/problem+json"


@pytest.mark.parametrize("operation", sorted(f"{m} {p}" for (m, p), op in API_OPERATIONS.items() if not op.unsafe))
def test_api_operation_answers_each_persona_as_declared(world, operation):
    method, path = operation.split(" ", 1)
    spec = API_OPERATIONS[(method, path)]
    records = [*RECORDS, UNKNOWN] if spec.record else [None]
    wrong: list[str] = []
    for persona in PERSONAS:
        client = world.api(persona)
        unknown_404 = None
        for record in reversed(records):  # the made-up code first: invisible records are compared with it
            url = concrete(spec.path, world, spec.record, record)
            code = sent_code(world, spec.record, record)
            response = client.get(url)
            body = body_of(response)
            expected = spec.expect(persona, record)
            cell = f"{operation} as {persona.key} ({record or '-'}) GET {url}"
            if response.status_code != expected:
                wrong.append(f"{cell}: expected {expected}, got {response.status_code} {body[:200]!r}")
                continue
            assert_no_leak(world, persona, cell, body, header_text(response), sent=code)
            if expected >= 400:
                assert response["Content-Type"] == PROBLEM, f"{cell}: error is not problem+json"
            if expected == 404 and record == UNKNOWN:
                unknown_404 = body.replace(code.encode(), b"<code>")
            elif expected == 404 and unknown_404 is not None and record not in persona.sees:
                # An invisible record reads as a made-up code; a visible one may say what is absent (an
                # investigation to a party).
                assert body.replace(code.encode(), b"<code>") == unknown_404, f"{cell}: 404 differs from made-up"
    assert not wrong, "\n".join(wrong)
