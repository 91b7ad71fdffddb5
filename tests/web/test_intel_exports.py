"""Everything that shows intelligence outside its page keeps to TLP 2.0: the CSV and STIX exports, an item's STIX
bundle, the map's GeoJSON of places, the requests page, and the notifications (page and Atom feed) that link to
the item's page."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from intel_web_helpers import share
from support import login

from ceasefire.intel import exports
from ceasefire.intel.models import Receipt
from ceasefire.verification import notify

pytestmark = pytest.mark.integration

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def evidence_dir(settings: Any, tmp_path: Path) -> Path:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return settings.EVIDENCE_DIR


@pytest.fixture
def items(pk_liaison: Any, secretariat: Any, af_liaison: Any) -> dict[str, Any]:
    """An AMBER item PK → AF, a GREEN note from the mediators, and a RED item for af-liaison alone."""
    return {
        "amber": share(pk_liaison),
        "green": share(secretariat, title="Mediators' situation note", body="Calm.", tlp="GREEN", recipients=[],
                       places=[], request=None),
        "red": share(pk_liaison, title="Named source", tlp="RED", recipients=[], people=["af-liaison"],
                     request=None),
    }  # fmt: skip


def csv_codes(content: bytes) -> set[str]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    assert rows[0] == exports.CSV_HEADER
    return {row[0] for row in rows[1:]}


def stix_codes(bundle: dict[str, Any]) -> set[str]:
    found = set()
    for obj in bundle.get("objects", []):
        for ref in obj.get("external_references", []) if obj.get("type") == "report" else []:
            if ref.get("external_id", "").startswith("INT-"):
                found.add(ref["external_id"])
    return found


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("pk-liaison", {"amber", "green", "red"}),  # the author of the RED item
        ("pk-viewer", {"amber", "green"}),  # RED stays with its author and named people, not the whole party
        ("af-liaison", {"amber", "green", "red"}),
        ("af-viewer", {"amber", "green"}),
        ("tr-investigator", {"green"}),
    ],
)
def test_exports_hold_exactly_the_items_one_may_see(client, items, username, expected):
    names = {item.public_code: name for name, item in items.items()}
    login(client, username)
    response = client.get(reverse("web:intel-export-csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="intel-' in response["Content-Disposition"]
    assert {names[c] for c in csv_codes(response.content)} == expected
    bundle = client.get(reverse("web:intel-export-stix"))
    assert bundle.status_code == 200 and bundle["Content-Type"].startswith("application/stix+json")
    assert {names[c] for c in stix_codes(json.loads(bundle.content))} == expected


def test_exports_follow_the_lists_filters(client, items):
    login(client, "af-liaison")
    only_green = client.get(reverse("web:intel-export-csv"), {"tlp": "GREEN"})
    assert csv_codes(only_green.content) == {items["green"].public_code}
    bundle = json.loads(client.get(reverse("web:intel-export-stix"), {"originator": "PK"}).content)
    assert stix_codes(bundle) == {items["amber"].public_code, items["red"].public_code}


def test_an_items_stix_bundle_is_its_readers_and_opens_it(client, items):
    amber = items["amber"]
    login(client, "tr-investigator")
    assert client.get(reverse("web:intel-stix", args=[amber.public_code])).status_code == 404
    client.logout()
    login(client, "af-viewer")
    response = client.get(reverse("web:intel-stix", args=[amber.public_code]))
    assert response.status_code == 200
    assert f'filename="{amber.public_code}.stix.json"' in response["Content-Disposition"]
    assert stix_codes(json.loads(response.content)) == {amber.public_code}
    assert Receipt.objects.filter(item=amber, recipient_key="party:AF").exists()


def test_the_maps_intel_layer_shows_the_places_one_may_see(client, items):
    def places(username: str, **query: str) -> set[str]:
        client.logout()
        login(client, username)
        response = client.get(reverse("web:intel-map-places"), query)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/geo+json"
        return {(f["properties"]["code"], f["properties"]["place"]) for f in json.loads(response.content)["features"]}

    amber = items["amber"].public_code
    assert places("af-liaison") == {(amber, "Barmal"), (items["red"].public_code, "Barmal")}
    assert places("af-viewer") == {(amber, "Barmal")}
    assert places("tr-investigator") == set()
    assert places("af-liaison", item=amber) == {(amber, "Barmal")}
    assert places("tr-investigator", item=amber) == set()


def test_the_map_page_draws_the_intel_layer(client, items):
    login(client, "af-liaison")
    page = client.get(reverse("web:map")).content.decode()
    assert f'data-intel-url="{reverse("web:intel-map-places")}"' in page
    assert "places of intelligence you can see" in page


def test_requests_page_shows_each_side_its_requests(client, items, mechanism):
    amber = items["amber"]
    login(client, "af-liaison")
    response = client.get(reverse("web:intel-requests"))
    assert [r.item for r in response.context["to_answer"]] == [amber]
    assert response.context["awaited"] == []
    client.logout()
    login(client, "pk-viewer")
    response = client.get(reverse("web:intel-requests"))
    assert [r.item for r in response.context["awaited"]] == [amber]
    assert "Disperse the group" in response.content.decode()
    client.logout()
    login(client, "tr-investigator")
    response = client.get(reverse("web:intel-requests"))
    assert response.context["to_answer"] == [] and response.context["awaited"] == []
    assert amber.public_code not in response.content.decode()


def test_notifications_link_to_the_item_on_the_page_and_in_the_feed(client, items, af_liaison):
    amber = items["amber"]
    login(client, "af-liaison")
    page = client.get(reverse("web:notifications")).content.decode()
    link = reverse("web:intel-detail", args=[amber.public_code])
    assert f'<a href="{link}">PK shared intelligence {amber.public_code} with you.</a>' in page
    feed = client.get(reverse("web:notification-feed", args=[notify.feed_key_of(af_liaison).key]))
    root = ET.fromstring(feed.content)  # noqa: S314 -- our own response, in a test
    links = {e.find(f"{ATOM}link").get("href") for e in root.findall(f"{ATOM}entry")}
    assert "http://testserver" + link in links


def test_notifications_of_an_item_one_may_not_see_do_not_show(client, items, tr_investigator):
    login(client, "tr-investigator")
    page = client.get(reverse("web:notifications")).content.decode()
    assert items["amber"].public_code not in page and items["red"].public_code not in page
