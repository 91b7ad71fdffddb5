"""Every state-changing route and operation against every persona (and record): who may, and that a refused
attempt changes nothing — no complaint, incident, evidence, stored file, custody event, log entry or blob.

Expectations: only a party's liaison officer files; evidence is added by the complainant's liaison officer or
a mediator's investigator; a visible record one may not act on answers 403, an invisible one 404.
"""

import json
from pathlib import Path

import pytest
from perm_matrix import API_OPERATIONS, WEB_ROUTES
from perm_world import PERSONAS, RECORDS, png_upload, state_counts

from ceasefire.core.models import Membership

pytestmark = pytest.mark.integration


def _state(evidence_dir: Path) -> dict[str, object]:
    blobs = sorted(str(p) for p in evidence_dir.rglob("*") if p.is_file()) if evidence_dir.exists() else []
    return {**state_counts(), "blobs": blobs}


def _web_filing_form(persona_key: str) -> dict[str, object]:
    """A valid filing, by the Pakistani side when the persona is Pakistani, times in the user's zone."""
    pakistani = persona_key in ("pk_liaison", "pk_viewer", "analyst")
    return {
        "category": "militant_attack" if pakistani else "air_strike",
        "tlp": "AMBER",
        "title": "",
        "starts_at": "2025-11-11T12:00" if pakistani else "2025-11-25T00:30",
        "ends_at": "2025-11-11T13:00" if pakistani else "2025-11-25T06:30",
        "time_precision": "hour",
        "latitude": "33.70" if pakistani else "33.28",
        "longitude": "73.05" if pakistani else "69.95",
        "place_id": "",
        "place_description": "",
        "respondent": "AF" if pakistani else "PK",
        "commitments": ["C4", "C5"] if pakistani else ["C2", "C3"],
        "actors": ["ttp"] if pakistani else ["pk-forces"],
        "narrative": "A filing attempted by the permission matrix, with a narrative long enough to pass.",
        "killed_civilian_best": "1",
    }


def _api_filing_body(persona_key: str) -> dict[str, object]:
    pakistani = persona_key in ("pk_liaison", "pk_viewer", "analyst")
    return {
        "category": "militant_attack" if pakistani else "air_strike",
        "starts_at": "2025-11-11T07:00:00Z" if pakistani else "2025-11-24T20:00:00Z",
        "ends_at": "2025-11-11T08:00:00Z" if pakistani else "2025-11-25T02:00:00Z",
        "time_precision": "hour",
        "latitude": 33.70 if pakistani else 33.28,
        "longitude": 73.05 if pakistani else 69.95,
        "respondent": "AF" if pakistani else "PK",
        "commitments": ["C4", "C5"] if pakistani else ["C2", "C3"],
        "actors": ["ttp"] if pakistani else ["pk-forces"],
        "narrative": "A filing attempted by the permission matrix, with a narrative long enough to pass.",
        "title": "",
        "tlp": "AMBER",
        "casualties": [{"kind": "killed", "status": "civilian", "best": 1}],
        "submit": True,
    }


def _check(wrong: list[str], cell: str, response, expected: int, allowed: bool, before: dict, evidence_dir: Path):
    """Status as expected; and when the attempt is refused, nothing at all changed."""
    if response.status_code != expected:
        wrong.append(f"{cell}: expected {expected}, got {response.status_code} {response.content[:300]!r}")
    elif not allowed:
        assert _state(evidence_dir) == before, f"{cell}: a refused attempt changed state"


def test_web_filing_only_by_liaison_officers(world, evidence_dir):
    assert WEB_ROUTES["web:complaint-new"].unsafe
    wrong: list[str] = []
    for persona in PERSONAS:
        before = _state(evidence_dir)
        response = world.web(persona).post("/complaints/new/", _web_filing_form(persona.key))
        expected = {"anonymous": 302, "noparty": 403}.get(persona.kind, 302 if persona.files_complaints else 403)
        cell = f"POST /complaints/new/ as {persona.key}"
        _check(wrong, cell, response, expected, persona.files_complaints, before, evidence_dir)
        if persona.files_complaints and response.status_code == 302:
            assert response["Location"].startswith("/complaints/CMP-"), cell
            assert state_counts()["complaints"] == before["complaints"] + 1, cell
    assert not wrong, "\n".join(wrong)


def test_api_filing_only_by_liaison_officers(world, evidence_dir):
    spec = API_OPERATIONS[("POST", "/api/v1/complaints")]
    wrong: list[str] = []
    for persona in PERSONAS:
        before = _state(evidence_dir)
        body = json.dumps(_api_filing_body(persona.key))
        response = world.api(persona).post("/api/v1/complaints", body, content_type="application/json")
        expected = spec.expect(persona, None)
        cell = f"POST /api/v1/complaints as {persona.key}"
        _check(wrong, cell, response, expected, expected == 201, before, evidence_dir)
        if expected == 201 and response.status_code == 201:
            assert state_counts()["complaints"] == before["complaints"] + 1
    assert not wrong, "\n".join(wrong)


def _web_add_evidence_expected(persona, record: str) -> int:
    if persona.kind == "anonymous":
        return 302
    if persona.kind == "noparty":
        return 403
    if record not in persona.sees:
        return 404
    return 302 if record in persona.adds_evidence_to else 403


def test_web_add_evidence_by_persona_and_record(world, evidence_dir):
    wrong: list[str] = []
    width = 40
    for persona in PERSONAS:
        client = world.web(persona)
        for record in RECORDS:
            width += 1  # a new file each time, so a success always adds a blob
            before = _state(evidence_dir)
            code = world.records[record].code
            response = client.post(f"/complaints/{code}/evidence/", {"files": png_upload("attempt.png", width)})
            expected = _web_add_evidence_expected(persona, record)
            cell = f"POST /complaints/{code}/evidence/ as {persona.key} ({record})"
            allowed = record in persona.adds_evidence_to
            _check(wrong, cell, response, expected, allowed, before, evidence_dir)
            if expected == 302 and persona.is_member and response.status_code == 302:
                assert state_counts()["evidence"] == before["evidence"] + 1, cell
    assert not wrong, "\n".join(wrong)


def test_api_add_evidence_by_persona_and_record(world, evidence_dir):
    spec = API_OPERATIONS[("POST", "/api/v1/complaints/{public_code}/evidence")]
    wrong: list[str] = []
    width = 80
    for persona in PERSONAS:
        client = world.api(persona)
        for record in RECORDS:
            width += 1
            before = _state(evidence_dir)
            url = f"/api/v1/complaints/{world.records[record].code}/evidence"
            response = client.post(url, {"files": png_upload("attempt.png", width)})
            expected = spec.expect(persona, record)
            cell = f"POST {url} as {persona.key} ({record})"
            _check(wrong, cell, response, expected, expected == 201, before, evidence_dir)
            if expected == 201 and response.status_code == 201:
                assert state_counts()["evidence"] == before["evidence"] + 1
    assert not wrong, "\n".join(wrong)


def test_switch_membership_to_another_persons_is_ignored(world, evidence_dir):
    af_liaison = world.mechanism.members["af-liaison"]
    pk_liaison = world.mechanism.members["pk-liaison"]
    for persona in PERSONAS:
        client = world.web(persona)
        target: Membership = pk_liaison if persona.key == "af_liaison" else af_liaison
        before = _state(evidence_dir)
        response = client.post("/membership/", {"membership": str(target.pk), "next": "/complaints/"})
        cell = f"POST /membership/ as {persona.key} choosing {target}"
        assert response.status_code == 302, cell
        if persona.kind == "anonymous":
            assert response["Location"].startswith("/login/?next="), cell
            continue
        assert _state(evidence_dir) == before, cell
        me = client.get("/api/v1/me").json()
        own_party = world.member(persona).party.code if persona.is_member else None
        assert (me.get("party") or {}).get("code") == own_party, (cell, me)
        listing = client.get("/complaints/")
        if persona.is_member:
            found = {c for c in world.codes(set(RECORDS)) if c.encode() in listing.content}
            assert found == world.codes(world.visible(persona)), cell
        else:
            assert listing.status_code == 403, f"{cell}: a person of no party got a party by switching"


def test_logout_post_signs_out_for_every_persona(world, evidence_dir):
    assert WEB_ROUTES["web:logout"].unsafe
    for persona in PERSONAS:
        client = world.web(persona)
        before = _state(evidence_dir)
        response = client.post("/logout/")
        assert (response.status_code, response["Location"]) == (302, "/login/"), persona.key
        assert client.get("/complaints/").status_code == 302, f"{persona.key} still signed in"
        assert _state(evidence_dir) == before, persona.key
