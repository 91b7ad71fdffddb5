"""Reports pages: the list within visibility, the public list and downloads for anyone, 404 for a report one may
not read (or that does not exist, or whose file was damaged), the fonts, generation and publications for the
secretariat, and the pages in Pashto."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from support import login
from verification.wf_steps import drive

from ceasefire.core.models import Party
from ceasefire.incidents.enums import ComplaintState
from ceasefire.reports import archive
from ceasefire.reports.models import Publication, Report
from ceasefire.reports.services import generate_report, publish_complaint

pytestmark = pytest.mark.integration

DAY = dt.date(2025, 11, 25)


@pytest.fixture
def reports(mechanism):
    made = {"public": generate_report(None, kind="daily", day=DAY, audience="public")}
    for code in ("AF", "PK"):
        made[code] = generate_report(
            None, kind="daily", day=DAY, audience="internal", party=Party.objects.get(code=code)
        )
    return made


def pdf_url(report: Report) -> str:
    return reverse("web:report-pdf", args=[report.public_code])


def html_url(report: Report) -> str:
    return reverse("web:report-html", args=[report.public_code])


def test_reports_page_lists_a_partys_own_internal_reports_and_the_public_ones(client, reports, af_viewer):
    login(client, "af-viewer")

    body = client.get(reverse("web:report-list")).content.decode()

    assert reports["public"].public_code in body and reports["AF"].public_code in body
    assert reports["PK"].public_code not in body
    assert 'href="/reports/"' in body  # the navigation leads here


def test_mediators_list_every_report(client, reports, tr_investigator):
    login(client, "tr-investigator")

    body = client.get(reverse("web:report-list") + "?audience=internal").content.decode()

    assert reports["AF"].public_code in body and reports["PK"].public_code in body
    assert reports["public"].public_code not in body


def test_reports_page_needs_sign_in_but_the_public_list_does_not(client, reports):
    assert client.get(reverse("web:report-list")).status_code == 302

    body = client.get(reverse("web:public-reports")).content.decode()

    assert reports["public"].public_code in body
    assert reports["AF"].public_code not in body and reports["PK"].public_code not in body


def test_anyone_downloads_a_public_report(client, reports):
    pdf = client.get(pdf_url(reports["public"]))
    html = client.get(html_url(reports["public"]))

    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert html.status_code == 200 and b"Public report: only what the secretariat published." in html.content
    policy = html["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in policy and "script-src" not in policy and "default-src 'none'" in policy


def test_an_internal_report_answers_404_to_anyone_who_may_not_read_it(client, reports, pk_liaison, outsider):
    assert client.get(pdf_url(reports["AF"])).status_code == 404  # anonymous
    login(client, "pk-liaison")
    assert client.get(pdf_url(reports["AF"])).status_code == 404
    assert client.get(html_url(reports["AF"])).status_code == 404
    assert client.get(pdf_url(reports["PK"])).status_code == 200
    client.force_login(outsider)
    assert client.get(pdf_url(reports["PK"])).status_code == 404


def test_an_unknown_report_answers_404(client, mechanism):
    assert client.get(reverse("web:report-pdf", args=["RPT-2025-ZZZZ"])).status_code == 404


def test_a_damaged_archived_file_is_not_served(client, reports):
    path = archive.path_of(reports["public"].pdf_sha256, "pdf")
    path.chmod(0o644)
    path.write_bytes(b"%PDF-1.7 altered")

    assert client.get(pdf_url(reports["public"])).status_code == 404


def test_fonts_are_served_by_name_only(client, mechanism):
    font = client.get(reverse("web:report-font", args=["NotoNaskhArabic-400.ttf"]))

    assert font.status_code == 200 and font["Content-Type"] == "font/ttf"
    assert b"".join(font.streaming_content)[:4] == b"\x00\x01\x00\x00"
    assert client.get(reverse("web:report-font", args=["OFL.txt"])).status_code == 404
    assert client.get("/reports/fonts/..%2Fservices.py").status_code == 404


def test_secretariat_generates_a_report_from_the_page(client, secretariat):
    login(client, "tr-secretariat")
    form = {"kind": "weekly", "day": "2025-11-26", "audience": "internal", "party": "AF", "language": "en"}

    response = client.post(reverse("web:report-generate"), form)

    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.kind, str(report.period_start), report.party.code, report.created_by) == (
        "weekly",
        "2025-11-24",
        "AF",
        secretariat,
    )


def test_a_bad_generation_request_shows_the_error_by_its_field(client, secretariat):
    login(client, "tr-secretariat")
    form = {"kind": "daily", "day": "2025-11-26", "audience": "internal", "party": "", "language": "en"}

    response = client.post(reverse("web:report-generate"), form)

    assert response.status_code == 422
    assert "An internal report is made for one party: name it." in response.content.decode()
    assert not Report.objects.exists()


def test_only_the_secretariat_may_generate_from_the_page(client, af_liaison):
    login(client, "af-liaison")
    form = {"kind": "daily", "day": "2025-11-26", "audience": "public", "party": "", "language": "en"}

    assert client.post(reverse("web:report-generate"), form).status_code == 403
    assert "Generate a report now" not in client.get(reverse("web:report-list")).content.decode()
    assert not Report.objects.exists()


def test_secretariat_publishes_and_withdraws_from_the_publications_page(client, cast):
    complaint = drive(cast, ComplaintState.DETERMINED)
    login(client, "tr-secretariat")
    page = client.get(reverse("web:report-publications")).content.decode()
    assert complaint.public_code in page

    published = client.post(
        reverse("web:report-publish"), {"complaint": complaint.public_code, "summary": "Planned across the line."}
    )

    assert published.status_code == 302
    publication = Publication.objects.get()
    assert publication.summary == "Planned across the line."
    withdrawn = client.post(reverse("web:report-withdraw", args=[publication.public_code]), {"reason": "Wording."})
    assert withdrawn.status_code == 302
    publication.refresh_from_db()
    assert not publication.in_force


def test_a_publication_without_summary_shows_the_error(client, cast):
    complaint = drive(cast, ComplaintState.DETERMINED)
    login(client, "tr-secretariat")

    response = client.post(reverse("web:report-publish"), {"complaint": complaint.public_code, "summary": ""})

    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert not Publication.objects.exists()


def test_a_party_may_not_publish_and_sees_no_candidates(client, cast):
    complaint = drive(cast, ComplaintState.DETERMINED)
    login(client, "af-liaison")

    response = client.post(reverse("web:report-publish"), {"complaint": complaint.public_code, "summary": "Mine."})

    assert response.status_code == 403
    assert not Publication.objects.exists()
    page = client.get(reverse("web:report-publications")).content.decode()
    assert "Determined complaints not published" not in page


def test_a_publication_is_withdrawn_only_by_the_secretariat_and_404_when_unknown(client, cast):
    publication = publish_complaint(cast.secretariat, drive(cast, ComplaintState.DETERMINED), summary="Found.")
    login(client, "af-liaison")

    assert (
        client.post(reverse("web:report-withdraw", args=[publication.public_code]), {"reason": "x"}).status_code == 403
    )
    unknown = reverse("web:report-withdraw", args=["PUB-2025-ZZZZ"])
    assert client.post(unknown, {"reason": "x"}).status_code == 404
    publication.refresh_from_db()
    assert publication.in_force


def test_reports_page_in_pashto_is_right_to_left(client, reports, af_viewer):
    login(client, "af-viewer")
    client.post("/i18n/setlang/", {"language": "ps", "next": "/"})

    body = client.get(reverse("web:report-list")).content.decode()

    assert '<html lang="ps" dir="rtl">' in body
    assert "<h1>راپورونه</h1>" in body
