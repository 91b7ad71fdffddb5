"""Reports as documents: an internal report shows a party nothing its members may not see, a public report only
what the secretariat published, the PDF is a PDF with the expected text, and a Pashto report is right-to-left with
its text extracting in reading order."""

from __future__ import annotations

import pytest
import time_machine
from report_helpers import html_of, pdf_of, pdf_pages, pdf_text
from report_world import WEEK, at, day

from ceasefire.core.models import Party
from ceasefire.ledger.models import LogEntry
from ceasefire.ledger.versions import domain_problems
from ceasefire.reports.document import render_report
from ceasefire.reports.services import generate_report, publish_complaint, withdraw_publication
from ceasefire.reports.spec import report_spec
from ceasefire.reports.versions import report_version

pytestmark = pytest.mark.integration

PUBLIC_SUMMARY = "Mediators found the court attack was planned across the line (marker 7QX)."


def publish_on_friday(world, complaint):
    with time_machine.travel(at(day(4), 10), tick=False):
        return publish_complaint(world.cast.secretariat, complaint, summary=PUBLIC_SUMMARY)


def internal_html(code: str, language: str = "en") -> str:
    spec = report_spec(
        kind="weekly", day=WEEK, audience="internal", party=Party.objects.get(code=code), language=language
    )
    return render_report(spec, pdf=False).html.decode()


def test_internal_report_of_af_holds_no_record_af_may_not_see(world):
    html = internal_html("AF")

    for complaint in (world.af_a, world.af_b, world.pk_new, world.pk_old):
        assert complaint.public_code in html
    for complaint in world.invisible_to_af:
        assert complaint.public_code not in html
    assert "Airspace violation" not in html  # pk_hidden's category, counted nowhere for AF
    assert "Other hostile act" not in html  # pk_draft's


def test_internal_report_of_the_mediators_holds_the_complaints_af_may_not_see(world):
    html = internal_html("TR")

    assert world.pk_hidden.public_code in html
    assert world.pk_draft.public_code not in html  # a draft is its party's alone


def test_internal_report_of_pk_leaves_out_afs_complaint_not_notified(world):
    html = internal_html("PK")

    assert world.af_a.public_code in html
    assert world.af_b.public_code not in html


def test_generated_pdf_is_a_pdf_with_the_expected_text(world):
    report = generate_report(
        world.cast.secretariat, kind="weekly", day=WEEK, audience="internal", party=Party.objects.get(code="AF")
    )

    pdf = pdf_of(report)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    text = pdf_text(pdf)
    assert "Weekly situation report" in text
    assert "24 November 2025" in text and "30 November 2025" in text
    assert "Internal report for Afghanistan" in text
    assert world.pk_new.public_code in text and world.pk_hidden.public_code not in text
    assert "As claimed by Pakistan" in text and "As claimed by Afghanistan" in text
    assert pdf_pages(pdf) >= 2


def test_generation_archives_both_files_and_logs_a_sealed_entry_for_an_internal_report(world):
    before = LogEntry.objects.count()

    report = generate_report(
        None, kind="daily", day=WEEK, audience="internal", party=Party.objects.get(code="PK"), language="en"
    )

    assert (report.period_start, report.period_end, report.edition) == (WEEK, WEEK, 1)
    assert "<html" in html_of(report) and pdf_of(report).startswith(b"%PDF-")
    [entry] = LogEntry.objects.filter(sequence__gte=before)
    assert (entry.kind, entry.subject_code, entry.sealed, entry.party_code) == (
        "report.generated",
        report.public_code,
        True,
        "",
    )
    assert entry.record == report_version(report)
    assert domain_problems()[1] == []


def test_pashto_report_is_right_to_left_and_its_pdf_text_reads_in_order(world):
    report = generate_report(
        None, kind="weekly", day=WEEK, audience="internal", party=Party.objects.get(code="AF"), language="ps"
    )

    html = html_of(report)
    assert '<html lang="ps" dir="rtl">' in html
    text = pdf_text(pdf_of(report), first=1, last=1)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert "د وضعیت اونیز راپور" in lines  # "Weekly situation report", letters and words in reading order
    assert "مهمې شمېرې" in lines  # "Key figures"
    assert any("د اوربند د څارنې او تایید مېکانېزم" in line for line in lines)
    assert any("نومبر" in line and "2025" in line for line in lines)  # the month in Pashto


def test_public_report_shows_only_published_determinations(world):
    publish_on_friday(world, world.pk_old)

    report = generate_report(None, kind="weekly", day=WEEK, audience="public", language="en")

    html = html_of(report)
    assert world.pk_old.public_code in html and PUBLIC_SUMMARY in html
    assert "Breach confirmed" in html
    # af_a is determined too, but not published; nothing else of the mechanism is in a public report.
    for complaint in (world.af_a, world.af_b, world.pk_new, world.pk_hidden, world.pk_draft):
        assert complaint.public_code not in html
    assert world.pk_old.narrative not in html
    assert "Torkham" not in html  # border data is internal
    assert "Pakistan" not in html and "Afghanistan" not in html  # complainant and respondent are not published
    assert PUBLIC_SUMMARY in pdf_text(pdf_of(report)).replace("\n", " ")


def test_public_report_after_a_withdrawal_leaves_the_publication_out(world):
    publication = publish_on_friday(world, world.pk_old)
    first = generate_report(None, kind="weekly", day=WEEK, audience="public", language="en")
    withdraw_publication(world.cast.secretariat, publication, reason="Named a witness.")

    second = generate_report(world.cast.secretariat, kind="weekly", day=WEEK, audience="public", language="en")

    assert second.edition == first.edition + 1
    assert world.pk_old.public_code in html_of(first)
    assert world.pk_old.public_code not in html_of(second)
    assert LogEntry.objects.get(subject_code=second.public_code).sealed is False
