"""Border pages render what the declarations say; forms write through the services, refused by role."""

import pytest
from border_helpers import declare, flows_csv, utc
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from support import login

from ceasefire.border.models import CrossingEdit, FlowCount, LossClaim, StatusDeclaration, TradeDay, TransitObstacle
from ceasefire.border.services import report_obstacle

pytestmark = pytest.mark.integration


def _client(client, member):
    return login(client, member.user.username)


@pytest.fixture
def torkham_2025(tr_investigator, pk_liaison):
    declare(tr_investigator, "closed", utc(2025, 10, 12), reason="Clashes of 11–12 Oct")
    declare(pk_liaison, "restricted", utc(2025, 11, 1), restriction="returns_deportations_only")


def test_crossings_list_shows_status_flags_and_definition(client, af_viewer, torkham_2025):
    html = _client(client, af_viewer).get("/border/").content.decode()
    assert 'class="status bs-restricted">Restricted: returns and deportations only' in html
    assert "The coordinate lies 10.7 km inside Afghanistan" in html
    assert "No coordinate published" in html
    assert "less than 72 hours" in html
    assert "no advance notice stated" in html  # the 12 Oct closure is arbitrary under the definition


def test_crossing_page_shows_timeline_calendar_and_closures(client, analyst, torkham_2025):
    html = _client(client, analyst).get("/border/crossings/torkham/").content.decode()
    assert "Status timeline" in html and "20.0 days" in html
    assert html.count('class="cell bs-closed"') == 20  # 12–31 Oct
    assert 'data-spec-url="/border/charts/flows.json?crossing=torkham"' in html
    assert "Momand Dara" in html and "Khyber Pakhtunkhwa" in html
    assert "Declare a status change" not in html  # an analyst does not declare


def test_crossing_list_query_count_independent_of_declarations(client, af_viewer, tr_investigator):
    _client(client, af_viewer)
    declare(tr_investigator, "closed", utc(2025, 10, 12))
    with CaptureQueriesContext(connection) as one:
        client.get("/border/")
    for day in range(13, 31):
        declare(tr_investigator, "open" if day % 2 else "closed", utc(2025, 10, day), slug="angoor-adda")
    with CaptureQueriesContext(connection) as many:
        client.get("/border/")
    assert len(many) == len(one)


def test_declare_by_persona(client, af_liaison, af_viewer):
    form = {"status": "closed", "effective_at": "2025-10-12T08:00", "reason": "Security"}
    assert _client(client, af_viewer).post("/border/crossings/torkham/declare/", form).status_code == 403
    response = _client(client, af_liaison).post("/border/crossings/torkham/declare/", form)
    assert response.status_code == 302
    declaration = StatusDeclaration.objects.get()
    assert declaration.party.code == "AF"
    assert declaration.effective_at == utc(2025, 10, 12, 3, 30)  # 08:00 in Kabul
    bad = _client(client, af_liaison).post("/border/crossings/torkham/declare/", {**form, "status": "restricted"})
    assert bad.status_code == 422
    assert "Say what a restricted crossing still lets through." in bad.content.decode()


def test_resolve_by_persona(client, pk_liaison, af_liaison, tr_adjudicator):
    pk = declare(pk_liaison, "open", utc(2025, 11, 1))
    af = declare(af_liaison, "closed", utc(2025, 11, 1, 6))
    form = {"codes": f"{pk.public_code},{af.public_code}", "accepted": af.public_code, "note": "Observed"}
    assert _client(client, pk_liaison).post("/border/crossings/torkham/resolve/", form).status_code == 403
    page = client.get("/border/crossings/torkham/").content.decode()
    assert "declared different statuses for the same time" in page and "Resolve the conflict" not in page
    _client(client, tr_adjudicator)
    assert "Resolve the conflict" in client.get("/border/crossings/torkham/").content.decode()
    assert client.post("/border/crossings/torkham/resolve/", {**form, "note": ""}).status_code == 422
    assert client.post("/border/crossings/torkham/resolve/", form).status_code == 302
    assert StatusDeclaration.objects.get(pk=pk.pk).set_aside


def test_registry_edit_by_persona(client, secretariat, af_liaison):
    assert _client(client, af_liaison).get("/border/crossings/gursal/registry/").status_code == 403
    _client(client, secretariat)
    assert client.get("/border/crossings/gursal/registry/").status_code == 200
    form = {
        "name": "Gursal",
        "coord_status": "missing",
        "coord_kind": "none",
        "source": "not found",
        "notes": "Unlocated",
    }
    assert client.post("/border/crossings/gursal/registry/", {**form, "latitude": "33"}).status_code == 422
    assert client.post("/border/crossings/gursal/registry/", form).status_code == 302
    assert CrossingEdit.objects.get().changes == {"notes": ["No source found in the stored pages", "Unlocated"]}
    assert "Unlocated" in client.get("/border/crossings/gursal/").content.decode()


def test_flow_import_by_persona(client, pk_liaison, pk_viewer):
    def upload(data):
        return {"file": SimpleUploadedFile("flows.csv", data, content_type="text/csv")}

    good = flows_csv("2025-11-02,torkham,to_af,deportation,120,,,party,")
    assert _client(client, pk_viewer).post("/border/flows/import/", upload(good)).status_code == 403
    _client(client, pk_liaison)
    bad = client.post("/border/flows/import/", upload(flows_csv("2025-11-02,torkham,to_af,return,-3,,,party,")))
    assert bad.status_code == 422
    assert "line 2, column total" in bad.content.decode()
    assert FlowCount.objects.count() == 0
    assert client.post("/border/flows/import/", upload(good)).status_code == 302
    assert "2025-11" in client.get("/border/flows/").content.decode()


def test_trade_forms_by_persona(client, af_liaison, af_viewer, tr_investigator):
    trade = {"crossing": "torkham", "day": "2025-10-15", "source": "press", "trucks_waiting": "4000"}
    loss = {"period_start": "2025-10-12", "period_end": "2025-11-11", "amount_usd": "200000000"}
    obstacle = {"kind": "new_fee", "observed_from": "2025-11-01", "description": "Fee per truck"}
    _client(client, af_viewer)
    for url, form in (("/border/trade/record/", trade), ("/border/losses/", loss), ("/border/obstacles/", obstacle)):
        assert client.post(url, form).status_code == 403
    _client(client, tr_investigator)
    assert client.post("/border/losses/", loss).status_code == 403
    assert client.post("/border/trade/record/", trade).status_code == 302
    _client(client, af_liaison)
    assert client.post("/border/losses/", {**loss, "period_end": "2025-10-01"}).status_code == 422
    assert client.post("/border/losses/", loss).status_code == 302
    assert client.post("/border/obstacles/", obstacle).status_code == 302
    html = client.get("/border/trade/").content.decode()
    assert "200000000" in html and "Fee per truck" in html and "4000" in html
    assert (TradeDay.objects.count(), LossClaim.objects.count(), TransitObstacle.objects.count()) == (1, 1, 1)


def test_obstacle_update_by_persona(client, af_liaison, pk_liaison, tr_investigator):
    import datetime as dt

    obstacle = report_obstacle(af_liaison, kind="new_fee", description="Fee", observed_from=dt.date(2025, 11, 1))
    url = f"/border/obstacles/{obstacle.public_code}/"
    assert _client(client, pk_liaison).post(url, {"status": "confirmed", "note": "x"}).status_code == 403
    assert client.post(url, {"status": "disputed", "note": ""}).status_code == 422
    assert client.post("/border/obstacles/OBS-2025-ZZZZ/", {"status": "lifted", "note": "x"}).status_code == 404
    assert _client(client, tr_investigator).post(url, {"status": "confirmed", "note": "Seen"}).status_code == 302
    assert TransitObstacle.objects.get().status == "confirmed"


def test_charts_as_spec_and_png(client, af_viewer, torkham_2025):
    _client(client, af_viewer)
    spec = client.get("/border/charts/closures.json").json()
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    assert {row["crossing"] for row in spec["data"]["values"]} >= {"Torkham"}
    png = client.get("/border/charts/flows.png?crossing=torkham")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert client.get("/border/charts/pie.json").status_code == 404
    assert client.get("/border/charts/flows.json?crossing=nowhere").status_code == 404
