"""Django's admin, left out of the matrix walk: staff only, and it holds no restricted record at all.

An administrator manages accounts and configuration; being one gives no read access to complaints, evidence
or the log's records (DESIGN.md), so those models are not registered in the admin.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from perm_world import PERSONAS, assert_no_leak, body_of

pytestmark = pytest.mark.integration

RESTRICTED = {
    ("incidents", "complaint"),
    ("incidents", "incident"),
    ("incidents", "evidence"),
    ("incidents", "storedfile"),
    ("incidents", "custodyevent"),
    ("incidents", "casualtyclaim"),
    ("ledger", "logentry"),
}


def test_admin_registers_no_restricted_model():
    registered = {(m._meta.app_label, m._meta.model_name) for m in admin.site._registry}
    assert not registered & RESTRICTED, sorted(registered & RESTRICTED)
    # Guard: the names above are real models, so the check cannot pass by misspelling.
    for app_label, model_name in RESTRICTED:
        assert apps.get_model(app_label, model_name)


# Staff: the superuser, and the secretariat, which configures the mechanism there (allow_configuration).
STAFF = {"admin", "secretariat"}


@pytest.mark.parametrize("path", ["/admin/", "/admin/core/membership/", "/admin/incidents/actor/"])
def test_admin_sends_non_staff_away_for_each_persona(world, path):
    for persona in PERSONAS:
        response = world.web(persona).get(path, follow=True)
        cell = f"GET {path} as {persona.key}"
        if persona.key in STAFF:
            assert (response.status_code, response.redirect_chain) == (200, []), cell
            assert_no_leak(world, persona, cell, body_of(response))
            continue
        assert response.redirect_chain, f"{cell}: not redirected"
        assert response.redirect_chain[0][0].startswith("/admin/login/"), cell
        # Signed in but not staff: home (the web's own sign-in would loop); anonymous: the web's sign-in.
        final = response.redirect_chain[-1][0]
        assert final.startswith("/login/?next=") if persona.kind == "anonymous" else final == "/", cell


@pytest.mark.parametrize("staff", sorted(STAFF))
def test_admin_pages_show_no_complaint_to_staff(world, staff):
    persona = next(p for p in PERSONAS if p.key == staff)
    client = world.web(persona)
    for path in ("/admin/", "/admin/incidents/actor/", "/admin/core/party/", "/admin/geo/place/?q=Khost"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_no_leak(world, persona, f"GET {path} as admin", body_of(response))
    for model in ("complaint", "evidence", "incident"):
        assert client.get(f"/admin/incidents/{model}/").status_code == 404, model
    assert client.get("/admin/ledger/logentry/").status_code == 404
