"""Border API operations: reads for every member, writes by role, problem+json naming the field."""

import pytest
from border_helpers import as_member, assert_problem, declare, utc
from support import khost_strike_draft

from ceasefire.border.models import ComplaintClosure, FlowCitation, FlowCount, LossClaim, StatusDeclaration, TradeDay
from ceasefire.incidents.services import file_complaint

pytestmark = pytest.mark.integration

DECLARATION = {"status": "closed", "effective_at": "2025-10-12T00:00:00Z", "reason": "Clashes"}


def test_api_lists_crossings_with_derived_state(tr_investigator, af_viewer):
    declare(tr_investigator, "closed", utc(2025, 10, 12))
    body = as_member(af_viewer).get("/api/v1/border/crossings").json()
    torkham = next(c for c in body if c["slug"] == "torkham")
    assert torkham["state"] == "closed" and torkham["since"].startswith("2025-10-12")
    ghulam = next(c for c in body if c["slug"] == "ghulam-khan")
    assert [f["code"] for f in ghulam["flags"]] == ["suspect", "off_line", "province_mismatch"]
    detail = as_member(af_viewer).get("/api/v1/border/crossings/torkham").json()
    assert detail["closures"][0]["arbitrary"] == ["no advance notice stated", "no reason stated"]
    assert as_member(af_viewer).get("/api/v1/border/crossings/nowhere").status_code == 404


def test_api_declare_by_persona(af_liaison, af_viewer, tr_investigator):
    assert (
        as_member(af_liaison).post_json("/api/v1/border/crossings/torkham/declarations", DECLARATION).status_code == 201
    )
    assert (
        as_member(tr_investigator).post_json("/api/v1/border/crossings/torkham/declarations", DECLARATION).status_code
        == 201
    )
    assert_problem(as_member(af_viewer).post_json("/api/v1/border/crossings/torkham/declarations", DECLARATION), 403)
    bad = {**DECLARATION, "status": "restricted", "expected_reopening": "2025-10-01T00:00:00Z"}
    assert_problem(
        as_member(af_liaison).post_json("/api/v1/border/crossings/torkham/declarations", bad),
        422,
        "restriction",
        "expected_reopening",
    )
    assert StatusDeclaration.objects.count() == 2


def test_api_resolve_conflict(pk_liaison, af_liaison, qa_investigator):
    pk = declare(pk_liaison, "open", utc(2025, 11, 1))
    af = declare(af_liaison, "closed", utc(2025, 11, 1, 6))
    body = {"declarations": [pk.public_code, af.public_code], "accepted": pk.public_code, "note": "Seen open"}
    assert_problem(as_member(pk_liaison).post_json("/api/v1/border/crossings/torkham/conflicts/resolve", body), 403)
    response = as_member(qa_investigator).post_json("/api/v1/border/crossings/torkham/conflicts/resolve", body)
    assert response.status_code == 201
    assert response.json()["accepted"] == pk.public_code
    assert response.json()["declarations"] == sorted([pk.public_code, af.public_code])
    assert as_member(qa_investigator).get("/api/v1/border/crossings/torkham").json()["conflicts"] == []


def test_api_registry_edit_by_persona(secretariat, af_liaison):
    assert_problem(
        as_member(af_liaison).patch(
            "/api/v1/border/crossings/gursal", '{"notes": "x"}', content_type="application/json"
        ),
        403,
    )
    response = as_member(secretariat).patch(
        "/api/v1/border/crossings/gursal", '{"latitude": 95, "longitude": 70}', content_type="application/json"
    )
    assert_problem(response, 422, "latitude")
    response = as_member(secretariat).patch(
        "/api/v1/border/crossings/gursal", '{"notes": "Unlocated", "note": "why"}', content_type="application/json"
    )
    assert response.status_code == 200


def test_api_record_flows_by_persona(pk_liaison, pk_viewer):
    row = {"date": "2025-11-02", "crossing": "torkham", "direction": "to_af", "category": "return", "total": 12}
    assert_problem(as_member(pk_viewer).post_json("/api/v1/border/flows", {"rows": [row]}), 403)
    bad = [row, {**row, "category": "deportation", "total": -1, "crossing": "nowhere"}]
    assert_problem(
        as_member(pk_liaison).post_json("/api/v1/border/flows", {"rows": bad}), 422, "rows.1.total", "rows.1.crossing"
    )
    assert FlowCount.objects.count() == 0
    assert as_member(pk_liaison).post_json("/api/v1/border/flows", {"rows": [row]}).status_code == 201
    page = as_member(pk_viewer).get("/api/v1/border/flows?crossing=torkham").json()
    assert page["count"] == 1 and page["items"][0]["recorded_by"] == "PK"


def test_api_trade_losses_obstacles(af_liaison, pk_liaison, tr_investigator, af_viewer):
    trade = {
        "crossing": "torkham",
        "day": "2025-10-15",
        "source": "press",
        "trucks_waiting": 4000,
        "trucks_waiting_high": 5000,
    }
    assert as_member(tr_investigator).post_json("/api/v1/border/trade", trade).status_code == 201
    assert_problem(as_member(af_viewer).post_json("/api/v1/border/trade", trade), 403)
    assert_problem(
        as_member(tr_investigator).post_json(
            "/api/v1/border/trade", {**trade, "trucks_waiting_high": 10, "day": "2025-10-16"}
        ),
        422,
        "trucks_waiting_high",
    )
    loss = {"period_start": "2025-10-12", "period_end": "2025-11-11", "amount_usd": 200000000}
    assert as_member(af_liaison).post_json("/api/v1/border/losses", loss).status_code == 201
    assert_problem(as_member(tr_investigator).post_json("/api/v1/border/losses", loss), 403)
    assert as_member(pk_liaison).get("/api/v1/border/losses").json() == [
        {
            "claimant": "AF",
            "claims": [
                {**loss, "code": LossClaim.objects.get().public_code, "claimant": "AF", "crossing": None, "basis": ""}
            ],
        }
    ]
    obstacle = as_member(af_liaison).post_json(
        "/api/v1/border/obstacles",
        {"kind": "route_closure", "description": "Trade suspended", "observed_from": "2025-10-12", "imposed_by": "PK"},
    )
    assert obstacle.status_code == 201
    code = obstacle.json()["code"]
    assert_problem(
        as_member(pk_liaison).post_json(
            f"/api/v1/border/obstacles/{code}/status", {"status": "confirmed", "note": "x"}
        ),
        403,
    )
    updated = as_member(tr_investigator).post_json(
        f"/api/v1/border/obstacles/{code}/status", {"status": "confirmed", "note": "Seen"}
    )
    assert [h["status"] for h in updated.json()["history"]] == ["reported", "confirmed"]
    assert as_member(af_viewer).get("/api/v1/border/obstacles/OBS-2025-ZZZZ/status").status_code == 405
    assert TradeDay.objects.count() == 1


def test_api_complaint_links(af_liaison, pk_liaison, tr_investigator):
    closure = declare(tr_investigator, "closed", utc(2025, 10, 12))
    complaint = file_complaint(af_liaison, khost_strike_draft(category="crossing_closure"))
    url = f"/api/v1/border/complaints/{complaint.public_code}"
    assert_problem(as_member(pk_liaison).post_json(url + "/closures", {"declaration": closure.public_code}), 404)
    assert_problem(
        as_member(af_liaison).post_json(url + "/closures", {"declaration": "CSD-2025-ZZZZ"}), 422, "declaration"
    )
    response = as_member(af_liaison).post_json(url + "/closures", {"declaration": closure.public_code})
    assert response.status_code == 201
    assert response.json()["closures"][0]["declaration"]["code"] == closure.public_code
    cited = as_member(af_liaison).post_json(
        url + "/flow-citations", {"crossing": "torkham", "date_from": "2025-11-01", "date_to": "2025-11-30"}
    )
    assert_problem(cited, 422, "complaint")  # a closure complaint does not cite flows
    assert as_member(tr_investigator).get(url + "/facts").status_code == 200
    assert as_member(pk_liaison).get(url + "/facts").status_code == 404
    assert ComplaintClosure.objects.count() == 1 and FlowCitation.objects.count() == 0


def test_api_chart_spec_is_vega_lite(af_viewer):
    spec = as_member(af_viewer).get("/api/v1/border/charts/trade").json()
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    assert as_member(af_viewer).get("/api/v1/border/charts/pie").status_code == 404
