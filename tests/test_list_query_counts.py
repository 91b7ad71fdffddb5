"""Every list answers in the same number of queries for 1 row and for 50 (no query per row), web and API alike.

The complaint lists have their own tests in tests/web and tests/api; this module covers every other list: the map's
complaint layer, evidence lists, a complaint's log entries, place search, and the reference lists of the API.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from support import PASSWORD, khost_strike_draft

from ceasefire.core.models import Membership
from ceasefire.core.services import create_party, issue_token
from ceasefire.geo.services import CROSSING_COLUMNS, add_place, load_crossings
from ceasefire.incidents.drafts import EvidenceUpload
from ceasefire.incidents.enums import ActorKind
from ceasefire.incidents.services import add_evidence, file_complaint, register_actor

pytestmark = pytest.mark.integration


def queries(client: Client, url: str) -> tuple[int, int]:
    """The number of queries of one request, and the size of its answer."""
    client.get(url)  # warm: sessions, caches and the like are not the list's cost
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), len(response.content)


def api_client(member: Membership) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_token(member)[1]}"})


def web_client(member: Membership) -> Client:
    client = Client()
    assert client.login(username=member.user.get_username(), password=PASSWORD)
    return client


def same_for_1_and_50(client: Client, url: Callable[[], str], add: Callable[[int], None]) -> None:
    add(1)
    one, small = queries(client, url())
    add(49)
    fifty, large = queries(client, url())
    assert large > small, f"{url()}: the 49 added rows do not show, so the count proves nothing"
    assert fifty == one, url()


def evidence_files(count: int) -> list[EvidenceUpload]:
    return [EvidenceUpload(file=io.BytesIO(f"statement {i}\n".encode()), filename=f"s{i}.txt") for i in range(count)]


def test_map_complaint_layer_queries_do_not_grow_with_complaints(af_liaison, tr_investigator):
    def add(n: int) -> None:
        for _ in range(n):
            file_complaint(af_liaison, khost_strike_draft())

    same_for_1_and_50(web_client(tr_investigator), lambda: "/map/complaints.geojson", add)


@pytest.mark.parametrize("surface", ["api", "web"])
def test_evidence_list_queries_do_not_grow_with_evidence(af_liaison, tr_investigator, surface):
    complaint = file_complaint(af_liaison, khost_strike_draft())
    start = [0]

    def add(n: int) -> None:
        add_evidence(tr_investigator, complaint, evidence_files(start[0] + n)[start[0] :])
        start[0] += n

    if surface == "api":
        url = f"/api/v1/complaints/{complaint.public_code}/evidence"
        same_for_1_and_50(api_client(tr_investigator), lambda: url, add)
    else:
        same_for_1_and_50(web_client(tr_investigator), lambda: f"/complaints/{complaint.public_code}/", add)


@pytest.mark.parametrize("surface", ["api", "web"])
def test_complaint_log_queries_do_not_grow_with_entries(af_liaison, tr_investigator, surface, settings, tmp_path):
    settings.LOG_KEY_FILE = str(tmp_path / "log-key")
    complaint = file_complaint(af_liaison, khost_strike_draft())

    def add(n: int) -> None:  # each addition is one more log entry about the complaint
        for i in range(n):
            add_evidence(
                tr_investigator, complaint, [EvidenceUpload(file=io.BytesIO(f"x{i}{n}".encode()), filename="x")]
            )

    if surface == "api":
        url = f"/api/v1/complaints/{complaint.public_code}/log"
        same_for_1_and_50(api_client(tr_investigator), lambda: url, add)
    else:
        same_for_1_and_50(
            web_client(tr_investigator), lambda: f"/transparency/complaints/{complaint.public_code}/", add
        )


@pytest.mark.parametrize("url", ["/api/v1/places?q=Testplace", "/places/search/?q=Testplace"])
def test_place_search_queries_do_not_grow_with_matches(secretariat, tr_investigator, url):
    made = [0]

    def add(n: int) -> None:
        for _ in range(n):
            made[0] += 1
            add_place(secretariat, name=f"Testplace {made[0]}", latitude=34.0 + made[0] / 1000, longitude=70.0)

    client = api_client(tr_investigator) if url.startswith("/api/") else web_client(tr_investigator)
    same_for_1_and_50(client, lambda: url, add)


def test_actor_list_queries_do_not_grow_with_actors(mechanism, tr_investigator):
    made = [0]

    def add(n: int) -> None:
        for _ in range(n):
            made[0] += 1
            register_actor(
                None,
                code=f"group-{made[0]}",
                name=f"Group {made[0]}",
                kind=ActorKind.ARMED_GROUP,
                party=mechanism.parties["AF"],
            )

    same_for_1_and_50(api_client(tr_investigator), lambda: "/api/v1/actors", add)


def test_party_list_queries_do_not_grow_with_parties(tr_investigator):
    made = [0]

    def add(n: int) -> None:
        for _ in range(n):
            made[0] += 1
            create_party(None, code=f"OB{made[0]}", name=f"Observer {made[0]}", kind="observer")

    same_for_1_and_50(api_client(tr_investigator), lambda: "/api/v1/parties", add)


@pytest.mark.parametrize("url", ["/api/v1/crossings", "/map/crossings.geojson"])
def test_crossing_list_queries_do_not_grow_with_crossings(tr_investigator, url):
    made = [0]

    def add(n: int) -> None:
        out = io.StringIO()
        writer = csv.DictWriter(out, CROSSING_COLUMNS)
        writer.writeheader()
        for _ in range(n):
            made[0] += 1
            writer.writerow(
                {
                    **dict.fromkeys(CROSSING_COLUMNS, ""),
                    "name": f"Test gate {made[0]}",
                    "lat": "33.5",
                    "lon": f"{70 + made[0] / 1000}",
                    "coord_status": "ok",
                }
            )
        load_crossings(None, out.getvalue().encode(), source_name="test.csv")

    client = api_client(tr_investigator) if url.startswith("/api/") else web_client(tr_investigator)
    same_for_1_and_50(client, lambda: url, add)
