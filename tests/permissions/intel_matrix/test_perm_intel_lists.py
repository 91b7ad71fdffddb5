"""Every surface that lists intelligence, for every persona: the list page (each filter, every page), the API list
and its count, the CSV and STIX exports (web and API), the map's places, the requests for action, notifications
(page, API, Atom feed), and every other page a member reads. Each shows EXACTLY the items the oracle allows
(nothing leaked, nothing missing) and no marker of an item, complaint or request exchange the persona may not see.

Read-only; SQLite only (marker `matrix`), since every surface here is built on queries.visible_items and
requests_due, whose every filter is proven on both databases by test_perm_intel_queries.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest
from perm_intel_matrix import SAMPLE
from perm_intel_specs import ACTORS, ORIGINATORS, PARTY_OF, TLPS
from perm_world import PERSONAS, body_of, header_text

from ceasefire.verification.notify import feed_key_of

pytestmark = [pytest.mark.integration, pytest.mark.matrix]

CODE = re.compile(rb"INT-\d{4}-[0-9A-Z]{4,}")
SIGNED_IN = [p for p in PERSONAS if p.kind != "anonymous"]
MEMBERS = [p for p in PERSONAS if p.is_member]


class Reader:
    def __init__(self, world, persona) -> None:
        self.world, self.persona = world, persona
        self.wrong: list[str] = []

    def get(self, client, url: str, params: dict | None = None, sent: str = "", status: int = 200, **kw) -> bytes:
        response = client.get(url, params or {}, **kw)
        body = body_of(response)
        where = f"GET {url} {params or ''} as {self.persona.key}"
        if response.status_code != status:
            self.wrong.append(f"{where}: status {response.status_code}")
        leaked = self.world.leaks(self.persona, body, header_text(response), sent=sent)
        if leaked:
            self.wrong.append(f"{where}: LEAKS {leaked}")
        return body

    def same(self, where: str, got: set[str], want_keys: set[str]) -> None:
        want = self.world.codes(want_keys)
        if got != want:
            names = self.world.by_code()
            extra = sorted(names.get(c, c) for c in got - want)
            self.wrong.append(
                f"{where} as {self.persona.key}: leaked {extra}, missing {sorted(names[c] for c in want - got)}"
            )

    def done(self) -> None:
        assert not self.wrong, f"{len(self.wrong)} wrong cells:\n" + "\n".join(self.wrong)


def _codes(body: bytes) -> set[str]:
    return {m.decode() for m in CODE.findall(body)}


def _cases(world, persona) -> list[tuple[dict, set[str]]]:
    """Filters and the items each must list, from the oracle (the same filters as the list's form)."""
    visible = world.visible(persona)
    spec = {k: world.items[k].spec for k in visible}
    party = PARTY_OF.get(persona.key)
    cases: list[tuple[dict, set[str]]] = [({}, visible)]
    cases += [({"tlp": t}, {k for k in visible if spec[k].tlp == t}) for t in TLPS]
    cases += [({"originator": o}, {k for k in visible if spec[k].originator == o}) for o in ORIGINATORS]
    cases += [({"state": s}, {k for k in visible if spec[k].state == s}) for s in ("draft", "shared")]
    cases += [({"actor": a}, {k for k in visible if spec[k].actor == a}) for a in ACTORS]
    cases.append(({"received": "true"}, {k for k in visible if spec[k].originator != party}))
    for key in SAMPLE[::4]:
        cases.append(({"q": world.items[key].word}, {key} & visible))
    return cases


# The page shows what the API lists: the page is asked with these filters, the API with every one.
WEB_FILTERS = ({}, {"tlp": "AMBER"}, {"tlp": "RED"}, {"state": "draft"}, {"received": "true"}, {"originator": "TR"})


@pytest.mark.parametrize("persona", SIGNED_IN, ids=lambda p: p.key)
def test_list_page_and_api_list_show_exactly_the_allowed_items_for_every_filter(intel_world, persona):
    world = intel_world
    reader = Reader(world, persona)
    web, api = world.web(persona), world.api(persona)
    for filters, want in _cases(world, persona):
        sent = filters.get("q", "")
        page = json.loads(reader.get(api, "/api/v1/intel/items", {**filters, "limit": 200}, sent=sent))
        reader.same(f"API list {filters}", {i["public_code"] for i in page["items"]}, want)
        if page["count"] != len(want):
            reader.wrong.append(f"API count {filters} as {persona.key}: {page['count']} != {len(want)}")
        if not persona.is_member:
            if not filters:
                reader.get(web, "/intel/", status=403)
            continue
        if filters not in WEB_FILTERS and "q" not in filters:
            continue
        listed: set[str] = set()
        for number in range(1, len(want) // 25 + 2):
            listed |= _codes(reader.get(web, "/intel/", {**filters, "page": number}, sent=sent))
        reader.same(f"/intel/ {filters}", listed, want)
    if persona.is_member:  # the table alone, as HTMX swaps it when a filter changes
        partial = _codes(reader.get(web, "/intel/", {"tlp": "RED"}, headers={"HX-Request": "true"}))
        red = {k for k in world.visible(persona) if world.items[k].spec.tlp == "RED"}
        reader.same("/intel/ (HTMX partial) tlp=RED", partial, red)
    # `count` counts every page, so a one-row page still counts the same.
    one = api.get("/api/v1/intel/items", {"limit": 1}).json()
    if one["count"] != len(world.visible(persona)):
        reader.wrong.append(f"API count of a one-row page as {persona.key}")
    reader.done()


def _csv_codes(body: bytes) -> set[str]:
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    return {row[0] for row in rows[1:]}


def _stix_codes(body: bytes) -> set[str]:
    bundle = json.loads(body)
    reports = [o for o in bundle.get("objects", []) if o["type"] == "report"]
    return {
        r["external_id"]
        for o in reports
        for r in o.get("external_references", [])
        if r["external_id"].startswith("INT-")
    }


@pytest.mark.parametrize("persona", SIGNED_IN, ids=lambda p: p.key)
def test_exports_hold_exactly_the_allowed_items(intel_world, persona):
    world = intel_world
    reader = Reader(world, persona)
    web, api = world.web(persona), world.api(persona)
    wanted = ({}, {"tlp": "RED"}, {"received": "true"})
    cases = [c for c in _cases(world, persona) if c[0] in wanted]
    cases += [c for c in _cases(world, persona) if "q" in c[0]][:2]
    for filters, want in cases:
        sent = filters.get("q", "")
        csv_api = reader.get(api, "/api/v1/intel/export.csv", filters, sent=sent)
        reader.same(f"API CSV {filters}", _csv_codes(csv_api), want)
        stix_api = reader.get(api, "/api/v1/intel/export.stix", filters, sent=sent)
        reader.same(f"API STIX {filters}", _stix_codes(stix_api), want)
        reader.same(f"API STIX codes {filters}", _codes(stix_api), want)
        if persona.is_member:
            reader.same(
                f"web CSV {filters}", _csv_codes(reader.get(web, "/intel/export.csv", filters, sent=sent)), want
            )
            stix_web = reader.get(web, "/intel/export.stix.json", filters, sent=sent)
            reader.same(f"web STIX {filters}", _codes(stix_web), want)
    reader.done()


@pytest.mark.parametrize("persona", SIGNED_IN, ids=lambda p: p.key)
def test_map_places_are_exactly_the_allowed_items(intel_world, persona):
    world = intel_world
    reader = Reader(world, persona)
    web = world.web(persona)
    if not persona.is_member:
        reader.get(web, "/map/intel.geojson", status=403)
        reader.done()
        return
    features = json.loads(reader.get(web, "/map/intel.geojson"))["features"]
    reader.same("/map/intel.geojson", {f["properties"]["code"] for f in features}, world.visible(persona))
    for key in SAMPLE:  # one item's places, as its page asks: nothing for an item one may not see
        code = world.items[key].code
        one = json.loads(reader.get(web, "/map/intel.geojson", {"item": code}, sent=code))["features"]
        reader.same(
            f"/map/intel.geojson?item={key}", {f["properties"]["code"] for f in one}, {key} & world.visible(persona)
        )
    reader.done()


def _requests_due(world, persona) -> set[str]:
    party = PARTY_OF.get(persona.key)
    return {
        key
        for key, item in world.items.items()
        if item.spec.request in ("open", "answered", "overdue")
        and world.sees(persona, key)
        and party in (item.spec.request_to, item.spec.originator)
    }


@pytest.mark.parametrize("persona", SIGNED_IN, ids=lambda p: p.key)
def test_requests_for_action_are_exactly_the_allowed_ones(intel_world, persona):
    world = intel_world
    reader = Reader(world, persona)
    want = _requests_due(world, persona)
    page = reader.get(world.api(persona), "/api/v1/intel/requests", {"limit": 200})
    reader.same("API requests", {r["item"] for r in json.loads(page)["items"]}, want)
    if persona.is_member:
        reader.same("/intel/requests/", _codes(reader.get(world.web(persona), "/intel/requests/")), want)
    reader.done()


@pytest.mark.parametrize("persona", MEMBERS, ids=lambda p: p.key)
def test_notifications_and_feed_name_only_allowed_items(intel_world, persona):
    world = intel_world
    reader = Reader(world, persona)
    visible = world.codes(world.visible(persona))
    page = reader.get(world.api(persona), "/api/v1/notifications", {"limit": 200})
    named = _codes(page)
    named |= _codes(reader.get(world.web(persona), "/notifications/"))
    feed = reader.get(world.web(persona), f"/feeds/{feed_key_of(world.member(persona)).key}.atom")
    named |= _codes(feed)
    if not named <= visible:
        reader.wrong.append(
            f"notifications of {persona.key} name {sorted(world.by_code()[c] for c in named - visible)}"
        )
    if not _codes(feed):
        reader.wrong.append(f"the feed of {persona.key} names no item: the check above proves nothing")
    reader.done()


OTHER_PAGES = (
    "/",
    "/complaints/",
    "/map/",
    "/map/complaints.geojson",
    "/deadlines/",
    "/transparency/",
    "/notifications/",
    "/api/v1/complaints",
    "/api/v1/notifications",
    "/api/v1/me",
    "/dashboard/",
    "/scorecards/",
    "/api/v1/analytics/dashboard",
    "/api/v1/analytics/scorecards",
)


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.key)
def test_every_other_page_names_no_item_one_may_not_see(intel_world, persona):
    """Pages beyond intelligence (home, complaints and their logs, the map, deadlines, the transparency page)
    and the complaints an item is linked to: no marker of an item the persona may not see."""
    world = intel_world
    reader = Reader(world, persona)
    client = world.web(persona)
    for url in OTHER_PAGES:
        response = client.get(url)
        leaked = world.leaks(persona, body_of(response), header_text(response))
        if leaked:
            reader.wrong.append(f"GET {url} as {persona.key}: LEAKS {leaked}")
    for key in sorted(world.complaints.visible(persona)):
        code = world.complaints.records[key].code
        for url in (f"/complaints/{code}/", f"/transparency/complaints/{code}/", f"/api/v1/complaints/{code}"):
            reader.get(client, url, sent=code)
    reader.done()


def _unpacked(body: bytes) -> bytes:
    """An XLSX is a zip of XML parts: searched inflated, like every other answer."""
    if not body.startswith(b"PK\x03\x04"):
        return body
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return b"\n".join(archive.read(name) for name in archive.namelist())


@pytest.mark.parametrize("persona", SIGNED_IN, ids=lambda p: p.key)
def test_download_exports_of_intel_hold_exactly_the_allowed_items(intel_world, persona):
    """The downloads page's intelligence table (CSV, GeoJSON, XLSX; web and API) beside intel's own exports."""
    world = intel_world
    reader = Reader(world, persona)
    web, api = world.web(persona), world.api(persona)
    visible = world.visible(persona)
    red = {k for k in visible if world.items[k].spec.tlp == "RED"}
    for filters, want, formats in (({}, visible, ("csv", "geojson", "xlsx")), ({"tlp": "RED"}, red, ("csv",))):
        for fmt in formats:
            urls = [(api, f"/api/v1/exports/intel.{fmt}")]
            urls += [(web, f"/exports/intel.{fmt}")] if persona.is_member else []
            for client, url in urls:
                response = client.get(url, filters)
                body = _unpacked(body_of(response))
                where = f"GET {url} {filters} as {persona.key}"
                if response.status_code != 200:
                    reader.wrong.append(f"{where}: status {response.status_code}")
                    continue
                leaked = world.leaks(persona, body, header_text(response))
                if leaked:
                    reader.wrong.append(f"{where}: LEAKS {leaked}")
                reader.same(where, _codes(body), want)
    reader.done()
