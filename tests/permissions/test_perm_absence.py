"""A record you may not see is absent from lists, counts, maps and searches, and filters are no oracle.

Each surface is read by every persona; the public codes it shows must be EXACTLY the persona's visible set
(nothing leaked, nothing missing), and no marker (code, title, narrative word, evidence code or file name) of
an invisible record may appear anywhere in the answer.
"""

import json
import re
from collections import Counter

import pytest
from perm_world import (
    AF_DRAFT,
    AF_NOTIFIED,
    AF_SUBMITTED,
    PERSONAS,
    PK_SUBMITTED,
    assert_no_leak,
    body_of,
)

pytestmark = pytest.mark.integration

COMPLAINT_CODE = re.compile(rb"CMP-\d{4}-[0-9A-Z]{4,}")
EVIDENCE_CODE = re.compile(rb"EVD-\d{4}-[0-9A-Z]{4,}")
STATE_OF = {AF_SUBMITTED: "submitted", PK_SUBMITTED: "submitted", AF_DRAFT: "draft", AF_NOTIFIED: "notified"}
COMPLAINANT_OF = {AF_SUBMITTED: "AF", PK_SUBMITTED: "PK", AF_DRAFT: "AF", AF_NOTIFIED: "AF"}
MEMBERS = [p for p in PERSONAS if p.is_member]
SIGNED_IN = [p for p in PERSONAS if p.kind != "anonymous"]


def _codes_in(body: bytes, pattern: re.Pattern[bytes] = COMPLAINT_CODE) -> set[str]:
    return {m.decode() for m in pattern.findall(body)}


def test_web_complaint_list_shows_exactly_visible_set_for_each_member(world):
    for persona in MEMBERS:
        body = body_of(world.web(persona).get("/complaints/"))
        assert_no_leak(world, persona, f"/complaints/ as {persona.key}", body)
        assert _codes_in(body) == world.codes(world.visible(persona)), f"/complaints/ as {persona.key}"


def test_api_complaint_list_and_count_are_exactly_visible_set_for_each_persona(world):
    for persona in SIGNED_IN:
        client = world.api(persona)
        response = client.get("/api/v1/complaints?limit=100")
        page = response.json()
        where = f"GET /api/v1/complaints as {persona.key}"
        assert_no_leak(world, persona, where, body_of(response))
        assert {item["public_code"] for item in page["items"]} == world.codes(world.visible(persona)), where
        assert page["count"] == len(world.visible(persona)), where
        # `count` counts every page, so a one-row page must still count the same: not one invisible row more.
        one = client.get("/api/v1/complaints?limit=1&offset=0").json()
        assert one["count"] == len(world.visible(persona)) and len(one["items"]) == min(
            1, len(world.visible(persona))
        ), where


def test_map_complaints_geojson_has_exactly_visible_set_for_each_member(world):
    for persona in MEMBERS:
        response = world.web(persona).get("/map/complaints.geojson")
        where = f"/map/complaints.geojson as {persona.key}"
        assert_no_leak(world, persona, where, body_of(response))
        codes = {f["properties"]["code"] for f in json.loads(body_of(response))["features"]}
        assert codes == world.codes(world.visible(persona)), where


def test_home_counts_by_state_are_exactly_visible_set_for_each_persona(world):
    for persona in SIGNED_IN:
        body = body_of(world.web(persona).get("/"))
        where = f"/ as {persona.key}"
        assert_no_leak(world, persona, where, body)
        shown = {
            state.decode(): int(n) for state, n in re.findall(rb'state=(\w+)"><span class="count-number">(\d+)<', body)
        }
        expected = Counter(STATE_OF[key] for key in world.visible(persona))
        if persona.is_member:
            assert {s: n for s, n in shown.items() if n} == dict(expected), where
        else:
            assert shown == {}, f"{where}: a person of no party is shown counts"


def test_evidence_lists_show_exactly_the_complaints_evidence_for_each_member(world):
    for persona in MEMBERS:
        client, web = world.api(persona), world.web(persona)
        for key in sorted(world.visible(persona)):
            record = world.records[key]
            response = client.get(f"/api/v1/complaints/{record.code}/evidence")
            where = f"evidence of {key} as {persona.key}"
            assert_no_leak(world, persona, where, body_of(response))
            assert {e["public_code"] for e in response.json()} == {record.evidence_code}, where
            page = body_of(web.get(f"/complaints/{record.code}/"))
            assert_no_leak(world, persona, f"page of {key} as {persona.key}", page)
            assert _codes_in(page, EVIDENCE_CODE) == {record.evidence_code}, f"page of {key} as {persona.key}"


def _search_words(record):
    return [f"{record.word}narrative", record.title.split()[0], record.code, record.word]


def test_search_filters_find_only_visible_records_for_each_persona(world):
    for persona in SIGNED_IN:
        client = world.api(persona)
        for key, record in world.records.items():
            want = 1 if key in persona.sees else 0
            for word in _search_words(record):
                response = client.get("/api/v1/complaints", {"q": word})
                where = f"q={word} as {persona.key}"
                assert response.json()["count"] == want, where
                assert_no_leak(world, persona, where, body_of(response))
                if persona.is_member:
                    for url in ("/complaints/", "/map/complaints.geojson"):
                        page = body_of(world.web(persona).get(url, {"q": word}))
                        # The form echoes the searched word back; that word came from the client.
                        assert_no_leak(world, persona, f"{url}?q={word} as {persona.key}", page, sent=word)
                        shown = _codes_in(page) - ({word} if not want else set())  # minus the echoed query
                        assert shown == ({record.code} if want else set()), f"{url} {where}"


@pytest.mark.parametrize("field", ["complainant", "respondent"])
def test_party_filters_count_only_visible_records_for_each_persona(world, field):
    respondent_of = {k: "PK" if c == "AF" else "AF" for k, c in COMPLAINANT_OF.items()}
    party_of = COMPLAINANT_OF if field == "complainant" else respondent_of
    for persona in SIGNED_IN:
        client = world.api(persona)
        for party in ("AF", "PK", "TR"):
            expected = {k for k in world.visible(persona) if party_of[k] == party}
            page = client.get("/api/v1/complaints", {field: party, "limit": 100}).json()
            where = f"{field}={party} as {persona.key}"
            assert page["count"] == len(expected), where
            assert {i["public_code"] for i in page["items"]} == world.codes(expected), where


def test_place_search_shows_no_complaint_for_each_persona(world):
    for persona in SIGNED_IN:
        words = ["Khost", "Islamabad"] + [w for r in world.records.values() for w in _search_words(r)]
        for word in words:
            response = world.api(persona).get("/api/v1/places", {"q": word})
            assert_no_leak(world, persona, f"/api/v1/places?q={word} as {persona.key}", body_of(response))
            if word not in ("Khost", "Islamabad"):
                assert response.json() == [], f"places matching a complaint's word {word} as {persona.key}"
            if persona.is_member:
                page = world.web(persona).get("/places/search/", {"q": word})
                assert_no_leak(world, persona, f"/places/search/?q={word} as {persona.key}", body_of(page), sent=word)


def test_complaint_log_lists_no_entry_of_another_complaint_for_each_member(world):
    for persona in MEMBERS:
        client = world.api(persona)
        for key in sorted(world.visible(persona)):
            response = client.get(f"/api/v1/complaints/{world.records[key].code}/log")
            assert response.status_code == 200
            assert_no_leak(world, persona, f"log of {key} as {persona.key}", body_of(response))
            assert response.json(), f"log of {key} as {persona.key} is empty"
