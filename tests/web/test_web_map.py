"""The map: bundled outlines and reference line, crossings, and markers only for visible complaints."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from support import login

from ceasefire.geo.models import Crossing
from ceasefire.verification.services import notify_respondent

pytestmark = pytest.mark.integration


def _geojson(client, name, query=None):
    response = client.get(reverse(name), query or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


def _codes(collection):
    return {f["properties"]["code"] for f in collection["features"]}


def test_map_page_names_reference_line_dataset(client, af_liaison):
    login(client, "af-liaison")
    body = client.get(reverse("web:map")).content.decode()
    assert "reference line (Natural Earth" in body
    assert 'id="overview-map"' in body
    assert "<script>" not in body and 'style="' not in body


def test_map_outlines_are_the_two_countries(client, af_liaison):
    login(client, "af-liaison")
    outlines = _geojson(client, "web:map-outlines")
    assert {f["properties"]["ISO_A2"] for f in outlines["features"]} == {"AF", "PK"}


def test_map_reference_line_carries_dataset_name(client, af_liaison):
    login(client, "af-liaison")
    line = _geojson(client, "web:map-reference-line")
    assert line["properties"]["name"] == "reference line"
    assert line["properties"]["dataset"].startswith("Natural Earth")


def test_map_crossings_have_coordinates_and_flag_suspects(client, af_liaison):
    login(client, "af-liaison")
    crossings = _geojson(client, "web:map-crossings")["features"]
    assert Crossing.objects.count() == 14
    assert len(crossings) == Crossing.objects.filter(latitude__isnull=False).count() > 0
    assert all(None not in f["geometry"]["coordinates"] for f in crossings)
    assert all(isinstance(f["properties"]["suspect"], bool) for f in crossings)


def test_map_complaints_show_only_visible(client, af_complaint, pk_complaint):
    login(client, "af-liaison")
    assert _codes(_geojson(client, "web:map-complaints")) == {af_complaint.public_code}


def test_map_complaints_show_respondent_after_notice(client, af_complaint, pk_complaint):
    notify_respondent(None, pk_complaint)
    login(client, "af-liaison")
    assert _codes(_geojson(client, "web:map-complaints")) == {
        af_complaint.public_code,
        pk_complaint.public_code,
    }


def test_map_complaints_apply_list_filters(client, af_complaint, pk_complaint, tr_investigator):
    login(client, "tr-investigator")
    assert _codes(_geojson(client, "web:map-complaints")) == {
        af_complaint.public_code,
        pk_complaint.public_code,
    }
    filtered = _geojson(client, "web:map-complaints", {"complainant": "PK"})
    assert _codes(filtered) == {pk_complaint.public_code}
    feature = filtered["features"][0]
    assert feature["geometry"]["coordinates"] == [73.05, 33.70]
    assert feature["properties"]["url"] == reverse("web:complaint-detail", args=[pk_complaint.public_code])


def test_map_complaints_empty_for_admin(client, af_complaint, admin):
    client.force_login(admin)
    assert client.get(reverse("web:map-complaints")).status_code == 403
