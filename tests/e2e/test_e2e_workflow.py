"""The complaint workflow in Chromium, as the issue tells it: the Pakistani liaison files → the secretariat
notifies → the Afghan liaison contests with evidence → the Turkish investigator grades and writes findings → the
Turkish and Qatari adjudicators sign → both parties see the determination, and neither sees the notes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_pages import PUBLIC_CODE, ComplaintInput, click_map_at, fill_complaint, open_filing_form, submit_complaint
from e2e_support import Tab, screenshot, tiny_png
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

OpenAs = Callable[[str | None], Tab]
# On the Pakistani side near Chaman (Balochistan), where the complaint says the fire landed.
CHAMAN_SIDE = (30.93, 66.47)
NOTE = "E2E note: the imagery request went to the Qatari cell; wait for it before grading the video."
FINDINGS = "E2E findings: craters and fragments consistent with mortar fire from the north-west."
REASONS = "E2E reasons: the site survey and the graded evidence establish fire from across the line."


def act(page: Page, url: str, action: str) -> Page:
    """Open the complaint page and the Actions panel's form for one action (its <details>)."""
    page.goto(url)
    panel = page.locator(f"#action-{action}")
    expect(panel).to_be_visible()
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    return page


def submit_action(page: Page, action: str) -> None:
    page.locator(f"#action-{action} button[type=submit]").click()


def state_is(page: Page, label: str) -> None:
    expect(page.locator("#history")).to_contain_text(label)


def test_a_complaint_from_filing_to_a_signed_determination(open_as: OpenAs, tmp_path: Path) -> None:
    # The Pakistani liaison files a complaint of cross-border fire against Afghanistan.
    pk = open_as("pk-liaison").page
    open_filing_form(pk, "")
    fill_complaint(
        pk,
        ComplaintInput(
            title="E2E mortar fire on a post near Chaman",
            category="cross_border_fire",
            respondent="AF",
            commitments=("C1", "C3"),
            actors=("af-forces",),
            narrative="Mortar rounds landed on a border post after dusk; two soldiers were wounded.",
            killed_civilian=None,
        ),
    )
    click_map_at(pk, *CHAMAN_SIDE)
    submit_complaint(pk)
    expect(pk).to_have_url(PUBLIC_CODE)
    found = PUBLIC_CODE.search(pk.url)
    assert found is not None
    code, url = found.group(), f"/complaints/{found.group()}/"

    # Before the notice the Afghan side does not know the complaint exists.
    af = open_as("af-liaison")
    af.watch.allow_status(404)
    assert af.page.goto(url).status == 404

    # The secretariat notifies the respondent.
    secretariat = act(open_as("tr-secretariat").page, url, "notify")
    submit_action(secretariat, "notify")
    expect(secretariat.locator("#history")).to_contain_text("Respondent notified")

    # The Afghan liaison contests, with its own account and a photo.
    photo = tmp_path / "af-post-photo.png"
    photo.write_bytes(tiny_png(seed=11))
    page = act(af.page, url, "reply")
    page.locator("#action-reply input[value=contested]").check()
    page.locator("#action-reply textarea[name=account]").fill(
        "Our posts did not fire; the rounds came from a militant group."
    )
    page.locator("#action-reply input[type=file]").set_input_files([str(photo)])
    screenshot(page, "20-reply-form-af-liaison")
    submit_action(page, "reply")
    expect(page.locator("#reply")).to_contain_text("Contested")
    expect(page.locator("#evidence")).to_contain_text(photo.name)

    # The secretariat assigns the Turkish investigator.
    secretariat = act(secretariat, url, "assign")
    secretariat.locator("#action-assign").get_by_label("tr-investigator", exact=False).first.check()
    submit_action(secretariat, "assign")
    state_is(secretariat, "Under investigation")

    # The Turkish investigator notes, grades the Afghan photo, and writes the findings.
    investigator = act(open_as("tr-investigator").page, url, "note")
    investigator.locator("#action-note textarea").fill(NOTE)
    submit_action(investigator, "note")
    expect(investigator.locator("#investigation")).to_contain_text(NOTE)
    investigator = act(investigator, url, "grade")
    grade = investigator.locator("#action-grade")
    grade.locator("select").first.select_option(index=1)
    grade.get_by_label("Source reliability").select_option("C")
    grade.get_by_label("Item credibility").select_option("3")
    submit_action(investigator, "grade")
    graded = investigator.locator("#investigation tr", has_text=photo.name)
    expect(graded).to_contain_text("C — Fairly reliable")
    expect(graded).to_contain_text("3 — Possibly true")
    investigator = act(investigator, url, "findings")
    investigator.locator("#action-findings textarea").fill(FINDINGS)
    submit_action(investigator, "findings")
    state_is(investigator, "Findings ready")
    screenshot(investigator, "21-investigation-tr-investigator")

    # The Turkish adjudicator drafts and signs; the Qatari adjudicator's signature completes the quorum.
    tr = act(open_as("tr-adjudicator").page, url, "draft_determination")
    form = tr.locator("#action-draft_determination")
    form.get_by_label("Outcome").select_option("breach_confirmed")
    form.get_by_label("Responsible party").select_option("AF")
    form.locator("input[name=commitments][value='C1']").check()
    form.locator("textarea[name=reasons]").fill(REASONS)
    submit_action(tr, "draft_determination")
    expect(tr.locator("#determinations")).to_contain_text("mediators only")
    tr = act(tr, url, "sign")
    submit_action(tr, "sign")
    qa = act(open_as("qa-adjudicator").page, url, "sign")
    submit_action(qa, "sign")
    state_is(qa, "Determined")
    screenshot(qa, "22-determination-qa-adjudicator")

    # Both parties see the determination in effect, with both signatures; neither sees the investigation.
    for username in ("pk-liaison", "af-liaison"):
        party = open_as(username).page
        party.goto(url)
        determinations = party.locator("#determinations")
        expect(determinations).to_contain_text("Breach confirmed")
        expect(determinations).to_contain_text(REASONS)
        expect(determinations).to_contain_text("TR")
        expect(determinations).to_contain_text("QA")
        expect(party.locator("#investigation")).to_have_count(0)
        html = party.content()
        assert NOTE not in html and FINDINGS not in html
        screenshot(party, f"23-determination-{username}")
    assert code in pk.url
