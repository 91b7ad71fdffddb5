"""The home page: counts of visible complaints by state, and the notice for people who act for no party."""

from __future__ import annotations

import pytest
from django.urls import reverse
from support import login

from ceasefire.core.middleware import SESSION_MEMBERSHIP
from ceasefire.core.services import grant_membership

pytestmark = pytest.mark.integration


def test_home_counts_only_visible_complaints(client, af_complaint, pk_complaint):
    login(client, "af-liaison")
    response = client.get(reverse("web:home"))
    assert response.context["total"] == 1
    counts = {value: n for value, _label, n in response.context["states"]}
    assert counts["submitted"] == 1


@pytest.mark.parametrize("username", ["outsider", "admin"])
def test_home_shows_no_party_notice_without_membership(client, request, af_complaint, username):
    client.force_login(request.getfixturevalue(username))
    response = client.get(reverse("web:home"))
    body = response.content.decode()
    assert "You act for no party" in body
    assert af_complaint.public_code not in body


@pytest.mark.parametrize("name", ["web:complaint-list", "web:map", "web:map-complaints", "web:complaint-new"])
def test_member_pages_refused_without_membership(client, af_complaint, outsider, name):
    client.force_login(outsider)
    response = client.get(reverse(name))
    assert response.status_code == 403
    assert af_complaint.public_code not in response.content.decode()


def test_membership_switcher_changes_acting_party(client, af_liaison, tr_investigator):
    grant_membership(None, user=af_liaison.user, party=tr_investigator.party, role="investigator")
    login(client, "af-liaison")
    page = client.get(reverse("web:home")).content.decode()
    assert 'name="membership"' in page
    other = af_liaison.user.memberships.get(party=tr_investigator.party)
    client.post(reverse("web:switch-membership"), {"membership": other.pk, "next": "/"})
    assert client.session[SESSION_MEMBERSHIP] == other.pk
    assert client.get(reverse("web:home")).context["membership"] == other


def test_membership_switcher_ignores_someone_elses_membership(client, af_liaison, pk_liaison):
    login(client, "af-liaison")
    client.post(reverse("web:switch-membership"), {"membership": pk_liaison.pk})
    assert client.get(reverse("web:home")).context["membership"] == af_liaison
