"""Party scorecards on the constructed mechanism: exact figures per party and per commitment, the same definitions
for every party, each audience's own view, the page and GET /api/v1/analytics/scorecards."""

from __future__ import annotations

import pytest
from analytics_world import A1_REPLY_HOURS, MARK, P1_REPLY_HOURS, World, build_world
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from support import PASSWORD

from ceasefire.analytics.scorecards import DEFINITIONS, Scorecard, scorecards
from ceasefire.core.services import issue_token

pytestmark = pytest.mark.integration


@pytest.fixture
def world(mechanism) -> World:
    return build_world(mechanism)


def _cards(world: World, username: str) -> dict[str, Scorecard]:
    return {card.party.code: card for card in scorecards(world.member(username)).cards}


def test_mediators_scorecards_count_every_filed_complaint(world):
    cards = _cards(world, "tr-secretariat")
    assert set(cards) == {"AF", "PK"}  # parties only: mediators have no scorecard
    af, pk = cards["AF"], cards["PK"]
    assert (af.filed, af.against, pk.filed, pk.against) == (2, 2, 2, 2)
    assert pk.outcomes_against == {"breach_confirmed": 1} and pk.breaches == 1
    assert af.outcomes_filed == {"breach_confirmed": 1} and af.breaches == 0
    assert af.outcomes_against == {} and pk.outcomes_filed == {}


def test_reply_rate_and_median_reply_time(world):
    cards = _cards(world, "qa-investigator")
    assert cards["PK"].replies == {"contested": 1} and cards["PK"].reply_rate == 1.0
    assert cards["PK"].median_reply_hours == A1_REPLY_HOURS
    assert cards["AF"].replies == {"accepted": 1}
    assert cards["AF"].median_reply_hours == P1_REPLY_HOURS


def test_a_party_sees_scorecards_from_its_own_view(world):
    af_view = _cards(world, "af-viewer")
    assert af_view["PK"].filed == 1  # P1 only: P3 was never notified to AF
    assert af_view["PK"].against == 2  # AF's own A1 and A2
    assert af_view["AF"].against == 1  # P1: P3 against AF was never notified to it
    pk_view = _cards(world, "pk-liaison")
    assert pk_view["AF"].filed == 1  # A1 only: A2 was never notified to PK
    assert pk_view["PK"].filed == 2


def test_requests_for_action_answered_rated_and_overdue(world):
    af = _cards(world, "af-liaison")["AF"]
    assert (af.requests, af.requests_answered, af.requests_overdue) == (2, 1, 1)
    assert af.ratings == {"partial": 1}
    mediator = _cards(world, "tr-secretariat")["AF"]
    assert mediator.requests == 0  # AMBER items shared with AF alone: the mediators may not see them


def test_closures_without_notice_are_the_declaring_partys(world):
    cards = _cards(world, "tr-investigator")
    assert (cards["PK"].closures, cards["PK"].closures_without_notice) == (1, 1)
    assert (cards["AF"].closures, cards["AF"].closures_without_notice) == (1, 0)


def test_per_commitment_lines_count_allegations_and_breaches(world):
    lines = {line.code: line for line in _cards(world, "tr-secretariat")["PK"].commitments}
    assert lines["C2"].alleged == 1 and lines["C2"].breaches == 1
    assert lines["C3"].alleged == 1 and lines["C3"].breaches == 0
    assert lines["C1"].alleged == 1  # A2
    af_lines = {line.code: line for line in _cards(world, "tr-secretariat")["AF"].commitments}
    assert af_lines["C4"].alleged == 1 and af_lines["C8"].alleged == 1  # P1 and P3
    assert {code for code, line in af_lines.items() if line.breaches} == set()
    af_view = {line.code: line for line in _cards(world, "af-viewer")["AF"].commitments}
    assert af_view["C8"].alleged == 0  # P3 is not AF's to see


def test_every_party_gets_the_same_rows(world):
    from ceasefire.web.views.analytics import scorecard_rows

    cards = scorecards(world.member("tr-secretariat")).cards
    shapes = [[(section, [what for what, _ in rows]) for section, rows in scorecard_rows(card)] for card in cards]
    assert shapes[0] == shapes[1]


def test_scorecard_page_lists_the_definitions_and_the_scope(world):
    client = Client()
    assert client.login(username="af-viewer", password=PASSWORD)
    response = client.get("/scorecards/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Computed only from what your party may see" in html
    for _key, term, _text in DEFINITIONS:
        assert str(term).replace("'", "&#x27;") in html
    assert "less advance notice than the mechanism&#x27;s minimum (72 h)" in html
    assert MARK not in html


def test_scorecard_page_refuses_a_bad_date_by_field(world):
    client = Client()
    assert client.login(username="af-viewer", password=PASSWORD)
    response = client.get("/scorecards/?date_from=2025-12-01&date_to=2025-11-01")
    assert response.status_code == 422
    assert "The end date is before the start date." in response.content.decode()


def test_scorecards_api_matches_and_leaks_nothing(world):
    client = Client(headers={"Authorization": f"Bearer {issue_token(world.member('af-liaison'))[1]}"})
    body = client.get("/api/v1/analytics/scorecards").json()
    assert body["computed_from"] == "what your party may see"
    cards = {card["party"]: card for card in body["cards"]}
    assert cards["PK"]["filed"] == 1 and cards["PK"]["against"] == 2
    assert cards["AF"]["requests_for_action"] == {"received": 2, "answered": 1, "overdue": 1, "ratings": {"partial": 1}}
    assert set(body["definitions"]) == {key for key, _term, _text in DEFINITIONS}
    assert MARK not in str(body)
    november = client.get("/api/v1/analytics/scorecards?date_from=2025-11-20&date_to=2025-11-30").json()
    assert {c["party"]: c["against"] for c in november["cards"]} == {"AF": 0, "PK": 1}  # A1 only


def test_scorecard_queries_do_not_grow_with_complaints(world, af_liaison):
    from support import khost_strike_draft

    from ceasefire.incidents.services import file_complaint

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            scorecards(world.member("tr-secretariat"))
        return len(captured)

    before = count()
    for _ in range(5):
        file_complaint(af_liaison, khost_strike_draft())
    assert count() == before
