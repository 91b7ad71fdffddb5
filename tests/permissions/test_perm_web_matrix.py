"""Every web route (GET) against every persona and, for routes naming a record, every record.

One test per route; inside it every persona × record cell is checked and all wrong cells are reported together
("route persona record: expected X, got Y"). Besides the status: an anonymous visitor is sent to sign-in, no
answer carries a marker of a record the persona may not see, and an invisible record's 404 is the same page
as a made-up code's.
"""

import re

import pytest
from perm_matrix import UNKNOWN, WEB_ROUTES, concrete, sent_code
from perm_world import PERSONAS, RECORDS, assert_no_leak, body_of, header_text, searchable

pytestmark = pytest.mark.integration

# Per-response randomness (CSP nonces, CSRF tokens) is not a difference between personas.
_VOLATILE = re.compile(rb'(nonce="|data-csrf-token="|csrfmiddlewaretoken" value=")[^"]*')


def _normalised(body: bytes, code: str = "") -> bytes:
    body = _VOLATILE.sub(rb"\1", body)
    return body.replace(code.encode(), b"<code>") if code else body


@pytest.mark.parametrize("name", sorted(n for n, r in WEB_ROUTES.items() if r.expect is not None))
def test_web_route_answers_each_persona_as_declared(world, name):
    route = WEB_ROUTES[name]
    records = [*RECORDS, UNKNOWN] if route.record else [None]
    wrong: list[str] = []
    for persona in PERSONAS:
        client = world.web(persona)
        unknown_404 = None
        for record in reversed(records):  # the made-up code first: invisible records are compared with it
            url = concrete(route.path, world, route.record, record)
            code = sent_code(world, route.record, record)
            response = client.get(url)
            body = body_of(response)
            expected = route.expect(persona, record)
            cell = f"{name} GET {url} as {persona.key} ({record or '-'})"
            if response.status_code != expected:
                wrong.append(f"{cell}: expected {expected}, got {response.status_code}")
                continue
            assert_no_leak(world, persona, cell, body, header_text(response), sent=code)
            if expected == 302 and persona.kind == "anonymous":
                assert response["Location"].startswith("/login/?next="), f"{cell}: {response['Location']}"
            if expected == 404 and record == UNKNOWN:
                unknown_404 = _normalised(body, code)
            elif expected == 404 and unknown_404 is not None:
                assert _normalised(body, code) == unknown_404, f"{cell}: 404 differs from a made-up code's"
            if expected == 200 and record not in (None, UNKNOWN) and route.record == "complaint":
                assert code.encode() in searchable(body), f"{cell}: the page does not show its own record"
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", sorted(n for n, r in WEB_ROUTES.items() if r.expect is None))
def test_public_route_answers_every_persona_alike(world, name):
    url = concrete(WEB_ROUTES[name].path, world, None, None)
    answers = {}
    for persona in PERSONAS:
        response = world.web(persona).get(url)
        body = body_of(response)
        # Nobody is more entitled than anonymous here, so no record may show (the log seals restricted ones).
        assert_no_leak(world, PERSONAS[-1], f"{name} GET {url} as {persona.key}", body)
        answers[persona.key] = (response.status_code, _normalised(body))
    statuses = {key: status for key, (status, _b) in answers.items()}
    assert len(set(answers.values())) == 1, f"{name} {url}: answers differ by persona: {statuses}"
    if name.startswith("log:"):
        assert statuses["anonymous"] == 200, f"{name}: the log after the filings must be served"
