"""The share form, a draft's edit page and the STIX import: who gets them, what a valid form makes, and a refused
form that shows each problem by its field and saves nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from intel_web_helpers import draft, local, share, share_form
from support import islamabad_attack_draft, login
from web_helpers import png_bytes

from ceasefire.incidents.services import file_complaint
from ceasefire.intel import services, stix
from ceasefire.intel.models import IntelFile, IntelItem, RequestForAction
from ceasefire.ledger.models import LogEntry

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def evidence_dir(settings: Any, tmp_path: Path) -> Path:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    return settings.EVIDENCE_DIR


def post_new(client: Any, **overrides: Any) -> Any:
    return client.post(reverse("web:intel-new"), share_form(**overrides))


@pytest.mark.parametrize(
    ("username", "status"),
    [("pk-liaison", 200), ("af-liaison", 200), ("tr-secretariat", 200), ("pk-analyst", 403), ("pk-viewer", 403),
     ("tr-investigator", 403), ("qa-adjudicator", 403)],
)  # fmt: skip
def test_the_share_form_is_for_those_who_share(client, mechanism, username, status):
    login(client, username)
    assert client.get(reverse("web:intel-new")).status_code == status
    assert client.get(reverse("web:intel-import")).status_code == status


def test_the_share_form_offers_the_other_parties_and_active_members(client, mechanism):
    login(client, "pk-liaison")
    form = client.get(reverse("web:intel-new")).context["form"]
    assert [code for code, _ in form.fields["recipients"].choices] == ["AF", "QA", "TR"]
    people = dict(form.fields["people"].choices)
    assert "af-liaison" in people and "pk-liaison" not in people and "admin" not in people
    assert people["af-liaison"] == "af-liaison (AF · Liaison officer)"


def test_sharing_makes_the_item_and_shows_it(client, pk_liaison, af_liaison):
    login(client, "pk-liaison")
    response = post_new(client)
    item = IntelItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:intel-detail", args=[item.public_code])
    assert item.state == "shared" and item.tlp == "AMBER"
    assert [r.party.code for r in item.recipients.all()] == ["AF"]
    assert [(p.name, p.latitude, p.longitude) for p in item.places.all()] == [("Barmal", 32.78, 69.25)]
    assert [a.code for a in item.actors.all()] == ["ttp"]
    request = RequestForAction.objects.get(item=item)
    assert request.addressee.code == "AF" and [a.code for a in request.against.all()] == ["ttp"]
    page = client.get(response["Location"]).content.decode()
    assert "<strong>40</strong>" in page and "<li>two pick-ups</li>" in page
    assert "Disperse the group" in page


def test_saving_a_draft_then_sharing_it_from_its_edit_page(client, pk_liaison, af_liaison):
    complaint = file_complaint(pk_liaison, islamabad_attack_draft())
    login(client, "pk-liaison")
    response = post_new(client, share=None, draft="1", request_addressee="", request_what="", request_where="",
                        request_against=[], request_due_at="")  # fmt: skip
    item = IntelItem.objects.get()
    assert item.state == "draft"
    assert response["Location"] == reverse("web:intel-edit", args=[item.public_code])
    form = client.get(response["Location"]).context["form"]
    assert form["title"].value() == "TTP fighters massing at Barmal"
    assert form.places.forms[0]["name"].value() == "Barmal"
    assert client.get(reverse("web:intel-detail", args=[item.public_code])).status_code == 200
    client.logout()
    login(client, "af-liaison")
    assert client.get(reverse("web:intel-detail", args=[item.public_code])).status_code == 404
    client.logout()
    login(client, "pk-liaison")
    # The first place row emptied (removed), a second one typed; the complaint linked by its code.
    data = share_form(**{"places-0-name": "", "places-0-latitude": "", "places-0-longitude": "",
                         "places-1-name": "Angoor Adda", "places-1-latitude": "32.6", "places-1-longitude": "69.7",
                         "places-INITIAL_FORMS": "1", "complaints": complaint.public_code.lower()})  # fmt: skip
    shared = client.post(reverse("web:intel-edit", args=[item.public_code]), data)
    assert shared.status_code == 302
    item.refresh_from_db()
    assert item.state == "shared"
    assert [p.name for p in item.places.all()] == ["Angoor Adda"]
    assert [c.public_code for c in item.complaints.all()] == [complaint.public_code]


def _nothing_saved(before_items: int, before_entries: int) -> None:
    assert IntelItem.objects.count() == before_items
    assert LogEntry.objects.count() == before_entries


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"tlp": "RED", "recipients": []}, "people", "TLP:RED is for named people only"),
        ({"tlp": "AMBER", "recipients": []}, "recipients", "needs at least one recipient party"),
        ({"tlp": "GREEN"}, "recipients", "Only AMBER and AMBER+STRICT items name recipient parties."),
        ({"tlp": "AMBER+STRICT", "forwarding_allowed": "on"}, "forwarding_allowed", "never is"),
        ({"expires_at": "2020-01-01T10:00"}, "expires_at", "The expiry must be in the future."),
        ({"complaints": "CMP-2025-NOPE"}, "complaints", "No such complaint: CMP-2025-NOPE."),
        ({"request_due_at": ""}, "request_due_at", "Give the date by which the action is requested."),
        ({"request_due_at": "2020-01-01T10:00"}, "request_due_at", "The due date must be in the future."),
        ({"request_what": ""}, "request_what", "Say what action is requested."),
        ({"request_addressee": "QA"}, "request_addressee", "QA is not among those the item is shared with."),
        ({"recipients": ["AF", "XX"]}, "recipients", "Select a valid choice."),
    ],
)
def test_a_refused_form_shows_each_problem_by_its_field_and_saves_nothing(
    client, pk_liaison, af_liaison, overrides, field, message
):
    before = IntelItem.objects.count(), LogEntry.objects.count()
    login(client, "pk-liaison")
    response = post_new(client, **overrides)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    page = response.content.decode()
    assert "nothing was saved" in page
    assert f'id="{field}-error"' in page
    _nothing_saved(*before)


def test_a_bad_place_row_is_shown_in_its_row(client, pk_liaison, af_liaison):
    before = IntelItem.objects.count(), LogEntry.objects.count()
    login(client, "pk-liaison")
    response = post_new(client, **{"places-0-latitude": "132.5", "places-1-name": "Nowhere"})
    assert response.status_code == 422
    rows = response.context["form"].places.forms
    assert "latitude" in rows[0].errors and "latitude" in rows[1].errors
    assert "less than or equal to 90" in response.content.decode()
    _nothing_saved(*before)


def test_a_file_of_a_refused_type_is_refused_by_the_files_field(client, pk_liaison, af_liaison):
    before = IntelItem.objects.count(), LogEntry.objects.count()
    login(client, "pk-liaison")
    data = share_form(files=[SimpleUploadedFile("run.exe", b"MZ\x90\x00" + b"\x00" * 200)])
    response = client.post(reverse("web:intel-new"), data)
    assert response.status_code == 422
    assert "run.exe" in " ".join(response.context["form"].errors["files"])
    assert "attach it again" in response.content.decode()
    _nothing_saved(*before)


def test_an_attached_file_downloads_for_readers_only(client, pk_liaison, af_liaison):
    login(client, "pk-liaison")
    photo = png_bytes(4, 4)
    response = client.post(reverse("web:intel-new"), share_form(files=[SimpleUploadedFile("compound.png", photo)]))
    assert response.status_code == 302
    attached = IntelFile.objects.select_related("item", "stored_file").get()
    url = reverse("web:intel-file", args=[attached.item.public_code, attached.stored_file.sha256])
    client.logout()
    login(client, "af-liaison")
    assert url in client.get(reverse("web:intel-detail", args=[attached.item.public_code])).content.decode()
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == photo
    assert 'filename="compound.png"' in download["Content-Disposition"]
    client.logout()
    login(client, "tr-investigator")
    assert client.get(url).status_code == 404


def test_the_edit_page_is_for_drafts_of_ones_own_party(client, pk_liaison, af_liaison):
    kept = services.save_item(pk_liaison, draft(), share=False)
    shared = share(pk_liaison)
    login(client, "pk-liaison")
    final = client.get(reverse("web:intel-edit", args=[shared.public_code]))
    assert final.status_code == 409 and "A shared item is final" in final.content.decode()
    client.logout()
    login(client, "pk-viewer")  # sees the draft, may not revise it
    assert client.get(reverse("web:intel-edit", args=[kept.public_code])).status_code == 403
    client.logout()
    login(client, "af-liaison")  # a recipient of the shared one; the draft is not theirs to see
    assert client.get(reverse("web:intel-edit", args=[shared.public_code])).status_code == 403
    assert client.get(reverse("web:intel-edit", args=[kept.public_code])).status_code == 404


def test_a_stix_bundle_imports_as_a_draft_to_edit(client, pk_liaison, af_liaison):
    source = share(pk_liaison, title="Imported sighting")
    bundle = json.dumps(stix.bundle_of([source], member=pk_liaison)).encode()
    login(client, "af-liaison")
    upload = SimpleUploadedFile("sighting.stix.json", bundle, content_type="application/json")
    response = client.post(reverse("web:intel-import"), {"bundle": upload})
    assert response.status_code == 302
    made = IntelItem.objects.exclude(pk=source.pk).get()
    assert made.state == "draft" and made.originator.code == "AF" and made.title == "Imported sighting"
    assert response["Location"] == reverse("web:intel-edit", args=[made.public_code])
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"{not json", "sighting.json"), (b'{"type": "identity"}', "sighting.json"), (b"", "empty")],
)
def test_a_bad_bundle_is_refused_with_its_reason_and_nothing_saved(client, af_liaison, content, message):
    before = IntelItem.objects.count(), LogEntry.objects.count()
    login(client, "af-liaison")
    upload = SimpleUploadedFile("sighting.json", content, content_type="application/json")
    response = client.post(reverse("web:intel-import"), {"bundle": upload})
    assert response.status_code == 422
    errors = " ".join(response.context["form"].errors["bundle"])
    assert message in errors
    assert "nothing was saved" in response.content.decode()
    _nothing_saved(*before)


def test_an_oversized_bundle_is_refused_without_reading_it_all(client, af_liaison):
    login(client, "af-liaison")
    big = io.BytesIO(b" " * (stix.MAX_BUNDLE_BYTES + 10))
    big.name = "huge.json"
    response = client.post(reverse("web:intel-import"), {"bundle": big})
    assert response.status_code == 422
    assert not IntelItem.objects.exists()


def test_an_expiry_is_read_in_the_members_time_zone(client, pk_liaison, af_liaison):
    login(client, "pk-liaison")
    moment = (timezone.now() + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    assert post_new(client, expires_at=local(moment)).status_code == 302
    # pk-liaison's zone is Asia/Karachi (UTC+5): the same wall-clock time is five hours earlier in UTC.
    assert IntelItem.objects.get().expires_at == moment - dt.timedelta(hours=5)
