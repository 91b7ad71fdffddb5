"""The demo's complaint workflow, replayed at the times it happened.

The demo mechanism's history is data: PLANS maps a complaint's title to its steps (when, what, who, with what),
and `replay` runs every filing and every step of every complaint through the services in ONE chronological order,
each under a simulated clock (`time_machine.travel(moment, tick=False)`). Before each step the tasks that have
come due run, as a worker running all along would have run them: so a reply time limit really passes and the
"no reply" is recorded by the real deadline task at its due time, and an appeal window really closes before the
secretariat closes a complaint. The transparency log's entries (whose leaves carry their time) are appended in
time order.

Times are either `after(...)` the complaint's filing (the history of the ceasefire, October 2025 to March 2026),
or `ago(...)`, before the real present: a clock that must still run when the demo is opened (a reply awaited, an
investigation with due dates, an appeal window open) is started a few hours or days before the load.

The texts are written for the demo. Each side's account is that side's claim; the investigators' results and the
determinations are the demo's fiction, modelled on how CTSAMVM and UNMOGIP-style mechanisms report, and cite no
figure beyond those the complaint itself claims.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import time_machine

from ceasefire.core.models import Membership
from ceasefire.core.taskqueue import run_ready_tasks
from ceasefire.incidents.drafts import CasualtyFigure, EvidenceUpload
from ceasefire.incidents.models import Complaint, Evidence
from ceasefire.verification import services
from ceasefire.verification.models import Determination, InvestigationTask

from .complaints import DemoComplaint
from .mechanism import Mechanism

# The mechanism is set up the day after the Doha agreement of 18–19 October 2025.
MECHANISM_BUILT_AT = dt.datetime(2025, 10, 20, 6, 0, tzinfo=dt.UTC)
# A liaison office files in the morning of the day after the incident ends (06:30 UTC is 11:00 in Kabul).
FILING_HOUR = dt.time(6, 30)


# --- the plan ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class At:
    """When a step happens: `since` after the complaint's filing, or `before` before the real present."""

    since: dt.timedelta | None = None
    before: dt.timedelta | None = None

    def resolve(self, filed_at: dt.datetime, present: dt.datetime) -> dt.datetime:
        if self.before is not None:
            return present - self.before
        assert self.since is not None
        return filed_at + self.since


def after(days: float = 0, hours: float = 0) -> At:
    return At(since=dt.timedelta(days=days, hours=hours))


def ago(days: float = 0, hours: float = 0) -> At:
    return At(before=dt.timedelta(days=days, hours=hours))


@dataclass(frozen=True)
class Step:
    at: At
    action: str
    persona: str | None
    args: dict[str, Any] = field(default_factory=dict)


def step(at: At, action: str, persona: str | None = None, **args: Any) -> Step:
    return Step(at=at, action=action, persona=persona, args=args)


SECRETARIAT = "tr-secretariat"
TR_INV, QA_INV = "tr-investigator", "qa-investigator"
TR_ADJ, QA_ADJ = "tr-adjudicator", "qa-adjudicator"
AF, PK = "af-liaison", "pk-liaison"
BOTH = [TR_INV, QA_INV]

# Complaint title → its steps, in time order. Complaints not named here stay as filed (submitted, or a draft).
PLANS: dict[str, list[Step]] = {
    # Closed: inconclusive, with Pakistan's dissent. The Afghan side contests a TTP-sanctuary complaint.
    "Infiltration attempt in Kurram repulsed, three soldiers martyred": [
        step(
            after(1, 2),
            "notify",
            SECRETARIAT,
            note="Admissible: the complaint names the place, the night and the commitments (C4, C5) it relies on.",
        ),
        step(
            after(2, 5),
            "reply",
            AF,
            kind="contested",
            account=(
                "The Islamic Emirate does not allow anyone to use the soil of Afghanistan against any country, "
                "Pakistan included. No group crossed from Afghan territory on the night of 24 October: the Afghan "
                "border forces in Paktia reported no movement towards the line. The men who attacked the posts in "
                "Kurram are Pakistanis, and their conflict with their own government is an internal matter of "
                "Pakistan. The Emirate asks Pakistan to share through the mechanism who the attackers were and any "
                "evidence of their route, and will receive the investigators on its side of the line."
            ),
        ),
        step(
            after(3),
            "assign",
            SECRETARIAT,
            investigators=BOTH,
            note="Joint team: Türkiye on the ground, Qatar on documents and imagery.",
        ),
        step(
            after(3, 2),
            "add_task",
            TR_INV,
            key="interview",
            kind="interview",
            due=dt.timedelta(days=7),
            assigned_to=TR_INV,
            description=(
                "Interview the commanders of the attacked posts and the wounded at Parachinar; copy the posts' logs "
                "for the night of 24–25 October."
            ),
        ),
        step(
            after(3, 3),
            "add_task",
            QA_INV,
            key="imagery",
            kind="imagery_request",
            due=dt.timedelta(days=10),
            assigned_to=QA_INV,
            description=(
                "Request commercial satellite imagery of the border strip opposite the attacked posts for 23–26 "
                "October: tracks, camps, assembly areas."
            ),
        ),
        step(
            after(3, 4),
            "add_task",
            TR_INV,
            key="visit",
            kind="site_visit",
            due=dt.timedelta(days=9),
            assigned_to=TR_INV,
            description="Visit the Afghan posts opposite the attacked sector with the Afghan liaison, as offered.",
        ),
        step(
            after(4),
            "note",
            QA_INV,
            text=(
                "The Pakistani report gives the attackers' dead but no names. Ask the Pakistani liaison whether "
                "any body was identified and whether weapons or documents were recovered."
            ),
        ),
        step(
            after(5),
            "grade",
            QA_INV,
            evidence="report",
            reliability="B",
            credibility="3",
            note=(
                "After-action report of the complainant's own forces: usually reliable on its own losses; not "
                "confirmed by any other source on where the attackers came from."
            ),
        ),
        step(
            after(6),
            "corroborate",
            TR_INV,
            complaint="Infiltration attempt in North Waziristan near Ghulam Khan",
            note=(
                "The same night, about 95 km to the south, the same pattern is reported: consistent with a "
                "coordinated operation, silent on where the groups assembled."
            ),
        ),
        step(
            after(8),
            "complete_task",
            TR_INV,
            key="interview",
            result=(
                "The post commanders describe two groups approaching from the west along a stream bed after "
                "midnight. No attacker was captured; the attackers' bodies were buried locally before the team "
                "arrived. No document or object establishing where the group assembled was produced."
            ),
        ),
        step(
            after(10),
            "complete_task",
            TR_INV,
            key="visit",
            result=(
                "Visited two Afghan posts opposite the sector with the Afghan liaison. The commanders deny any "
                "crossing from their area. The ground between the posts can be crossed on foot at night and "
                "neither side watches it continuously."
            ),
        ),
        step(
            after(12),
            "complete_task",
            QA_INV,
            key="imagery",
            result=(
                "Imagery of 23 and 26 October shows footpaths across the line in the sector but no camp or "
                "assembly area in the frames received; cloud hid part of the strip on 24 October."
            ),
        ),
        step(
            after(13),
            "findings",
            TR_INV,
            summary=(
                "The attack on the Pakistani posts in Kurram on the night of 24–25 October 2025 is established: "
                "both sides accept that it took place, and the posts' logs and the wounded soldiers' accounts "
                "agree. What the complaint asks the mechanism to find, that the attackers assembled on and withdrew "
                "to Afghan territory with the knowledge or tolerance of the Afghan authorities, is not established: "
                "no attacker was captured or identified, nothing linking the group to a place in Afghanistan was "
                "produced, and the imagery shows ground that can be crossed but no camp. The Afghan side denied "
                "any movement from its posts and received the team. Grades: Pakistani after-action report B3. The "
                "attack the same night in North Waziristan is consistent with a coordinated operation."
            ),
        ),
        step(
            after(15),
            "draft_determination",
            TR_ADJ,
            outcome="inconclusive",
            reasons=(
                "The mechanism finds that an armed attack on Pakistani border posts in Kurram took place on the "
                "night of 24–25 October 2025. On the information available it cannot determine whether the "
                "attackers operated from Afghan territory, or whether the Afghan authorities knew of or tolerated "
                "their presence: no attacker was identified, and neither the imagery nor the visit to the Afghan "
                "side established where they assembled. The complaint is therefore inconclusive as to commitments "
                "C4 and C5. The mechanism asks both parties to share through it, within 30 days, anything that "
                "identifies the attackers, and recommends that the posts on both sides of this sector log "
                "movement at night and report it to the mechanism."
            ),
        ),
        step(after(16), "sign", TR_ADJ),
        step(after(16, 6), "sign", QA_ADJ),
        step(
            after(18),
            "dissent",
            PK,
            text=(
                "Pakistan dissents. The attackers came from the west and withdrew to the west; the mechanism's own "
                "imagery shows the paths they use. To call the complaint inconclusive because the Afghan "
                "authorities deny it puts the burden of proof on the party that was attacked. Pakistan will share "
                "what it knows of the attackers through the mechanism, as asked, and expects the same of the "
                "Afghan side."
            ),
        ),
        step(
            after(31),
            "close",
            SECRETARIAT,
            note="The appeal window passed without an appeal. Information shared later goes to a new complaint.",
        ),
    ],
    # Closed: breach confirmed against Pakistan, with Pakistan's dissent. Pakistan says it targeted militants.
    "Night strike on a family home in Mughalgai, Gurbuz district": [
        step(after(1), "notify", SECRETARIAT),
        step(
            after(2, 4),
            "reply",
            PK,
            kind="contested",
            account=(
                "Pakistan rejects the complaint. On the night of 24 November Pakistan's forces acted, on precise "
                "intelligence, against a hideout of Fitna al-Khawarij (TTP) terrorists responsible for attacks in "
                "Khyber Pakhtunkhwa. The compound was used by them; no civilian home was targeted. Pakistan "
                "regrets any loss of innocent life but rejects figures that come only from the Afghan Taliban "
                "authorities, and asks the mechanism to examine who used the compound."
            ),
            evidence=[
                {
                    "filename": "pk-statement-khost-24-november.txt",
                    "description": "Statement of the Pakistani liaison office",
                    "text": (
                        "Statement of the Pakistani liaison office (demo)\n\n"
                        "The operation of 24 November 2025 in Khost was directed at a hideout of Fitna "
                        "al-Khawarij terrorists. Operational details cannot be shared in this forum.\n"
                    ),
                }
            ],
        ),
        step(after(3), "assign", SECRETARIAT, investigators=BOTH),
        step(
            after(3, 1),
            "add_task",
            TR_INV,
            key="visit",
            kind="site_visit",
            due=dt.timedelta(days=5),
            assigned_to=TR_INV,
            description=(
                "Visit the house in Mughalgai with the Afghan liaison: photograph and measure, look for remnants "
                "of the munition, hear the neighbours who recovered the bodies."
            ),
        ),
        step(
            after(3, 2),
            "add_task",
            QA_INV,
            key="records",
            kind="document_request",
            due=dt.timedelta(days=6),
            assigned_to=QA_INV,
            description=(
                "Ask the Pakistani liaison for the time, place and intended target of any operation that night, "
                "and for the basis of its statement that the compound was used by TTP fighters."
            ),
        ),
        step(
            after(6),
            "complete_task",
            TR_INV,
            key="visit",
            result=(
                "The house was destroyed by a single munition from the air: a crater inside the courtyard wall, "
                "the roof collapsed; fragments consistent with a guided bomb were photographed. The neighbours and "
                "the district health officer, heard separately, say the dead were women and children of one "
                "family. No weapons, ammunition or sign of military use were found in the rubble."
            ),
        ),
        step(
            after(6, 2),
            "grade",
            TR_INV,
            evidence="site",
            reliability="C",
            credibility="2",
            note="Photograph by the complainant's liaison office; it matches the site as the team found it.",
        ),
        step(
            after(6, 3),
            "grade",
            TR_INV,
            evidence="statement",
            reliability="C",
            credibility="2",
            note="Statement taken by the complainant; consistent with the neighbours the team heard itself.",
        ),
        step(
            after(8),
            "complete_task",
            QA_INV,
            key="records",
            result=(
                "The Pakistani liaison answered that operational details cannot be shared and repeated that the "
                "target was a TTP hideout. No time, place or identity of any fighter was given."
            ),
        ),
        step(
            after(8, 4),
            "grade",
            QA_INV,
            evidence="pk-statement",
            reliability="C",
            credibility="5",
            note=(
                "The respondent's statement, without supporting material; its claim that the house was a hideout "
                "is contradicted by what the team found on site."
            ),
        ),
        step(
            after(9),
            "note",
            TR_INV,
            text=(
                "No radar record on the Afghan side; witnesses heard a jet, not a drone. The team cannot identify "
                "the aircraft itself, but Pakistan's reply does not deny that its forces struck that night."
            ),
        ),
        step(
            after(10),
            "findings",
            TR_INV,
            summary=(
                "A single air-delivered munition destroyed the elder's house in Mughalgai shortly before midnight "
                "on 24 November 2025. The team found no sign of military use of the house. Neighbours, the "
                "district health officer and the complainant's photographs agree that the dead were women and "
                "children of one family; the team did not count the dead itself. Pakistan's reply says its forces "
                "acted that night against a TTP hideout; asked for the time, place and target, it gave none. "
                "Grades: complainant's photograph C2, witness statement C2, respondent's statement C5."
            ),
        ),
        step(
            after(12),
            "draft_determination",
            QA_ADJ,
            outcome="breach_confirmed",
            responsible_party="PK",
            commitments=["C2", "C3"],
            measures=["formal-warning", "compensation"],
            reasons=(
                "The mechanism finds that on the night of 24–25 November 2025 Pakistan's forces struck a civilian "
                "home in Mughalgai, Gurbuz district, Khost, killing women and children of one family. The strike "
                "violated Afghanistan's territory (C2) and struck civilians and a civilian building (C3). "
                "Pakistan's statement that the target was a TTP hideout is supported neither by anything it "
                "provided nor by what the investigators found on site; and the commitments bind the parties not to "
                "target civilians in any case. The number of dead is the complainant's figure: the investigators "
                "confirmed deaths of women and children but did not count them. The mechanism issues a formal "
                "warning to Pakistan, and asks Pakistan to compensate the family, the amount to be set by the "
                "mediators after hearing both parties."
            ),
        ),
        step(after(13), "sign", QA_ADJ),
        step(after(13, 5), "sign", TR_ADJ),
        step(
            after(15),
            "dissent",
            PK,
            text=(
                "Pakistan does not accept this determination. It was reached without the intelligence on which "
                "Pakistan's forces act, which cannot be shared in a forum where the other party sits. Pakistan's "
                "forces act against terrorists who attack Pakistan from Afghan soil, and will do so until the "
                "Afghan authorities take the verifiable action they committed to in Doha (C5). Pakistan regrets "
                "any loss of civilian life."
            ),
        ),
        step(
            after(28),
            "close",
            SECRETARIAT,
            note=(
                "No appeal within the window. The mediators will hear both parties on the amount of compensation "
                "under the measure; the complaint is closed."
            ),
        ),
    ],
    # Closed after NO REPLY: the limit passes, the deadline task records it; breach confirmed, no dissent.
    "Low-flying aircraft over Asadabad": [
        step(after(1, 2), "notify", SECRETARIAT),
        # The 72-hour limit ends at after(4, 2): the worker's task records "no reply" then, before this step.
        step(
            after(4, 3),
            "assign",
            SECRETARIAT,
            investigators=BOTH,
            note=(
                "The respondent did not reply within the time limit. The investigation opens on the complainant's "
                "material; the respondent may still give information to the investigators."
            ),
        ),
        step(
            after(4, 4),
            "add_task",
            QA_INV,
            key="records",
            kind="document_request",
            due=dt.timedelta(days=7),
            assigned_to=QA_INV,
            description="Ask both parties for radar and air-defence records for 09:00–09:40 UTC on 14 December.",
        ),
        step(
            after(4, 5),
            "add_task",
            TR_INV,
            key="interviews",
            kind="interview",
            due=dt.timedelta(days=5),
            assigned_to=TR_INV,
            description="Hear the air-defence observers and shopkeepers of the Asadabad bazaar; see the damage.",
        ),
        step(
            after(7),
            "complete_task",
            TR_INV,
            key="interviews",
            result=(
                "The observers' log gives the times of entry and exit and the direction: from the east, back to the "
                "east. Shopkeepers heard two aircraft, low and very loud; windows were broken along one street of "
                "the bazaar. The accounts agree with each other and with the log."
            ),
        ),
        step(
            after(7, 2),
            "note",
            TR_INV,
            text=(
                "Pakistan has not replied and has not answered the request for records. Silence proves nothing by "
                "itself: the finding must rest on the observers' log and the witnesses."
            ),
        ),
        step(
            after(11),
            "complete_task",
            QA_INV,
            key="records",
            result=(
                "The Afghan side gave a copy of the observers' log (it has no radar). The Pakistani liaison "
                "acknowledged the request and gave no records."
            ),
        ),
        step(
            after(12),
            "findings",
            TR_INV,
            summary=(
                "Two jet aircraft flew low over Asadabad on 14 December 2025, entering from and leaving towards "
                "the east. The Afghan observers' log and the witnesses heard by the team agree, and the team saw "
                "the broken windows. The only air force flying jet aircraft along this part of the border is "
                "Pakistan's. Pakistan did not reply within the time limit and did not give the records asked for."
            ),
        ),
        step(
            after(14),
            "draft_determination",
            TR_ADJ,
            outcome="breach_confirmed",
            responsible_party="PK",
            commitments=["C2"],
            measures=["formal-warning"],
            reasons=(
                "The mechanism finds that two military jet aircraft entered Afghan airspace over Asadabad, Kunar, "
                "on 14 December 2025 and returned east. It attributes the flight to Pakistan: the aircraft came "
                "from and returned towards Pakistani territory, the only air force flying jets along this part of "
                "the border is Pakistan's, and Pakistan, given notice and 72 hours to reply, neither replied nor "
                "provided the records asked for. The mechanism draws no conclusion from the absence of a reply "
                "alone. No one was hurt. The flight breached commitment C2; the mechanism issues a formal warning "
                "to Pakistan."
            ),
        ),
        step(after(15), "sign", TR_ADJ),
        step(after(15, 3), "sign", QA_ADJ),
        step(after(30), "close", SECRETARIAT, note="No appeal within the window."),
    ],
    # Rejected as inadmissible before notice, with the reason shown to the complainant.
    "Transit cargo held at Chaman for more than a month": [
        step(
            after(1, 1),
            "reject",
            SECRETARIAT,
            reason=(
                "Inadmissible as filed: the complaint does not identify the consignments (container or transit "
                "document numbers), their owners, the dates they reached Chaman or the authority that held them, "
                "so the respondent cannot be asked to answer it and the investigators could not verify it. "
                "Holding transit cargo may fall under commitment C8: the complainant may file again with those "
                "particulars."
            ),
        ),
    ],
    # Withdrawn by the complainant after the respondent's reply.
    "Pakistani survey team detained near Angoor Adda": [
        step(after(1, 3), "notify", SECRETARIAT),
        step(
            after(2, 6),
            "reply",
            AF,
            kind="contested",
            account=(
                "The four men were found on the Afghan side of the line near Angoor Adda, taking measurements "
                "without any notice to the Afghan authorities. The border forces held them for questioning and, "
                "once it was clear they were civilians, handed them to the elders of both sides. They were treated "
                "well. Unannounced survey work on Afghan soil is a provocation; the Emirate proposes that such work "
                "be announced through the mechanism."
            ),
        ),
        step(
            after(5),
            "withdraw",
            PK,
            reason=(
                "At the flag meeting at Angoor Adda on 22 January the border commanders agreed that survey and "
                "repair work near the line will be announced to the other side in advance, through the mechanism. "
                "Pakistan withdraws the complaint, without prejudice to its position on where the team was."
            ),
        ),
    ],
    # Closed: not substantiated.
    "Quadcopters from the Afghan side over Kurram posts": [
        step(after(1), "notify", SECRETARIAT),
        step(
            after(2, 2),
            "reply",
            AF,
            kind="contested",
            account=(
                "Afghan forces fly no drones in the Kurram sector. Small commercial drones are used along the "
                "border by smugglers, and by Pakistan's own forces. The Emirate asks for the tracks the posts say "
                "they logged."
            ),
        ),
        step(after(3), "assign", SECRETARIAT, investigators=[TR_INV]),
        step(
            after(3, 1),
            "add_task",
            TR_INV,
            key="tracks",
            kind="document_request",
            due=dt.timedelta(days=5),
            assigned_to=TR_INV,
            description="Ask the Pakistani liaison for the posts' logged tracks, images and any recovered device.",
        ),
        step(
            after(7),
            "complete_task",
            TR_INV,
            key="tracks",
            result=(
                "The posts' log gives times and bearings written by hand; there is no track data, no image and no "
                "recovered device."
            ),
        ),
        step(
            after(10),
            "findings",
            TR_INV,
            summary=(
                "The only material is the complainant's own handwritten log. It does not establish where the "
                "drones took off, who flew them, or that they crossed from Afghan territory; the Afghan side denies "
                "flying drones in the sector."
            ),
        ),
        step(
            after(11),
            "draft_determination",
            TR_ADJ,
            outcome="not_substantiated",
            reasons=(
                "The mechanism finds the complaint not substantiated. Small drones may well have flown over the "
                "posts on 2 February 2026, but nothing before the mechanism shows where they came from or who "
                "flew them: there are no images, no track data and no recovered device, and the Afghan side "
                "denies the flights. The mechanism encourages both parties to record such flights with images and "
                "to report them at once, so that they can be verified."
            ),
        ),
        step(after(12), "sign", TR_ADJ),
        step(after(12, 4), "sign", QA_ADJ),
        step(after(27), "close", SECRETARIAT, note="No appeal within the window."),
    ],
    # --- clocks still running now -----------------------------------------------------------------------------
    # Notified a few hours ago: the respondent's 72 hours are running.
    "Attacks on border posts in Bajaur": [
        step(ago(hours=5), "notify", SECRETARIAT),
    ],
    # Under investigation: tasks (one overdue, one due soon, one done), notes, grades, a corroborating incident.
    "Strike on a house in Bihsud kills eighteen members of one family": [
        step(ago(12), "notify", SECRETARIAT),
        step(
            ago(10, 20),
            "reply",
            PK,
            kind="contested",
            account=(
                "On 22 February Pakistan's forces carried out intelligence-based, precise strikes on camps and "
                "hideouts of Fitna al-Khawarij and its affiliates in the border regions of Afghanistan, after "
                "suicide attacks in Pakistan that were planned there. The targets were terrorist camps, not homes. "
                "Pakistan rejects the claim that a family home was struck and notes that fighters' compounds are "
                "routinely described as homes by the Afghan Taliban authorities."
            ),
        ),
        step(ago(10), "assign", SECRETARIAT, investigators=BOTH),
        step(
            ago(9, 23),
            "add_task",
            QA_INV,
            key="imagery",
            kind="imagery_request",
            due=dt.timedelta(days=9),
            assigned_to=QA_INV,
            description=(
                "Request satellite imagery of the Bihsud house before and after 22 February, and of the other "
                "places struck that night."
            ),
        ),
        step(
            ago(9, 22),
            "add_task",
            TR_INV,
            key="visit",
            kind="site_visit",
            due=dt.timedelta(days=4),
            assigned_to=TR_INV,
            description="Visit the destroyed house in Bihsud with the Afghan liaison; look for signs of military use.",
        ),
        step(
            ago(7),
            "complete_task",
            TR_INV,
            key="visit",
            result=(
                "The house is destroyed; the neighbouring houses are damaged. The team saw no weapons store, "
                "training ground or defensive work at or around it. Neighbours say the family farmed and ran a "
                "shop; the team has not yet heard the surviving relatives."
            ),
        ),
        step(
            ago(6, 22),
            "note",
            TR_INV,
            text=(
                "Pakistan speaks of strikes on camps; we must establish whether this house was one of the places "
                "it targeted or was hit by a strike aimed elsewhere. The imagery request is the key to that."
            ),
        ),
        step(
            ago(6),
            "grade",
            TR_INV,
            evidence="site",
            reliability="C",
            credibility="2",
            note="Photograph by the complainant's liaison office; it matches the site the team visited.",
        ),
        step(
            ago(5, 23),
            "grade",
            QA_INV,
            evidence="report",
            reliability="C",
            credibility="3",
            note="The complainant's incident report: the names of the dead are not yet checked independently.",
        ),
        step(
            ago(5, 22),
            "grade",
            QA_INV,
            evidence="statement",
            reliability="F",
            credibility="3",
            note="A witness the team has not met: reliability cannot be judged yet.",
        ),
        step(
            ago(5),
            "corroborate",
            TR_INV,
            complaint="Strike on a religious school in Mando Zayi district",
            note=(
                "Struck in the same wave of 22 February that Pakistan acknowledges; supports the timing and the "
                "pattern of that night, not who was in the house in Bihsud."
            ),
        ),
        step(
            ago(2),
            "add_task",
            TR_INV,
            key="relatives",
            kind="interview",
            due=dt.timedelta(days=2, hours=20),
            assigned_to=TR_INV,
            description="Hear the surviving relatives and the district health officer on who was in the house.",
        ),
        step(
            ago(1, 20),
            "note",
            QA_INV,
            text="The imagery provider has not delivered; the request is overdue. Chased on both channels.",
        ),
    ],
    # Appealed and reopened: round 1 not attributable; Pakistan appeals on new evidence; round 2 under way.
    "Fire from the Afghan side wounds three in Chaman": [
        step(ago(40), "notify", SECRETARIAT),
        step(
            ago(39, 2),
            "reply",
            AF,
            kind="contested",
            account=(
                "The firing began from the Pakistani positions at about 22:00 Kabul time and hit houses in Spin "
                "Boldak; the Afghan border forces returned fire only at the positions that were firing. The "
                "Islamic Emirate has filed its own complaint about that night. It regrets any harm to the people "
                "of Chaman and asks the mechanism to examine both complaints together."
            ),
        ),
        step(
            ago(38),
            "assign",
            SECRETARIAT,
            investigators=BOTH,
            note="To be examined together with the Afghan complaint about the same night in Spin Boldak.",
        ),
        step(
            ago(37, 22),
            "corroborate",
            TR_INV,
            complaint="Two hours of mortar and machine-gun fire on Spin Boldak",
            note="The other side's complaint of the same exchange: the same time and place; each says the other "
            "fired first.",
        ),
        step(
            ago(37, 20),
            "add_task",
            TR_INV,
            key="interviews",
            kind="interview",
            due=dt.timedelta(days=6),
            assigned_to=TR_INV,
            description="Hear the wounded in Chaman and the commanders of the posts on both sides of the gate.",
        ),
        step(
            ago(31),
            "complete_task",
            TR_INV,
            key="interviews",
            result=(
                "Each side's commanders say the other fired first. Civilians on both sides heard the firing begin "
                "near the gate but cannot say from which side. The wounded in Chaman were hit by small-arms fire "
                "in their homes."
            ),
        ),
        step(
            ago(27),
            "findings",
            TR_INV,
            summary=(
                "An exchange of fire across the Friendship Gate on the evening of 5 December 2025 wounded "
                "civilians in Chaman and, by the Afghan complaint, killed and wounded civilians in Spin Boldak. "
                "Both sides agree that fire was exchanged; each says the other opened fire. No log, recording or "
                "neutral witness establishes who fired first, and the small-arms fire that wounded the people in "
                "Chaman could have come from either side's positions."
            ),
        ),
        step(
            ago(26),
            "draft_determination",
            TR_ADJ,
            outcome="not_attributable",
            reasons=(
                "The mechanism finds that civilians in Chaman were wounded during an exchange of fire between the "
                "two parties' forces at the Friendship Gate on 5 December 2025. It cannot attribute the opening of "
                "fire, or the rounds that wounded them, to either party. It reminds both parties that commitments "
                "C1 and C3 forbid hostile acts and fire on civilians whoever fires first, and asks both to agree, "
                "through the mechanism, on a means of contact between the commanders at the gate."
            ),
        ),
        step(ago(25), "sign", TR_ADJ),
        step(ago(24, 21), "sign", QA_ADJ),
        step(
            ago(15),
            "appeal",
            PK,
            grounds=(
                "Pakistan appeals on new evidence. Recordings of a municipal camera in Chaman, with their original "
                "time stamps, show the first muzzle flashes on the Afghan side of the gate. They were not available "
                "to the investigators in the first round. Pakistan asks that the investigation be reopened to "
                "examine them."
            ),
        ),
        step(
            ago(7),
            "assign",
            SECRETARIAT,
            investigators=BOTH,
            note="Reopened on Pakistan's appeal: examine the camera recordings and their time stamps.",
        ),
        step(
            ago(6, 22),
            "add_task",
            QA_INV,
            key="recordings",
            kind="document_request",
            due=dt.timedelta(days=9),
            assigned_to=QA_INV,
            description=(
                "Obtain the original camera files from the Pakistani liaison, with the recorder's clock settings; "
                "ask the Afghan liaison for any recording of the same minutes."
            ),
        ),
        step(
            ago(5),
            "note",
            TR_INV,
            text=(
                "The clips received so far are exports, not originals. Check the recorder's clock and the files' "
                "metadata before reading anything from the time stamps."
            ),
        ),
    ],
    # Findings ready; the draft determination is signed by Türkiye only.
    "Exchange of fire at Angoor Adda kills two Afghan border guards": [
        step(ago(25), "notify", SECRETARIAT),
        step(
            ago(23),
            "reply",
            PK,
            kind="contested",
            account=(
                "Pakistani troops were repairing the border fence on Pakistani territory when Afghan forces opened "
                "fire on them; the troops responded in self-defence to the sources of fire. Pakistan regrets the "
                "loss of life but holds the Afghan side responsible for starting the exchange. The fence is a "
                "legitimate measure against the infiltration of terrorists."
            ),
        ),
        step(ago(22), "assign", SECRETARIAT, investigators=BOTH),
        step(
            ago(21, 22),
            "add_task",
            TR_INV,
            key="interviews",
            kind="interview",
            due=dt.timedelta(days=5),
            assigned_to=TR_INV,
            description="Hear the wounded Afghan guards and the Pakistani section at the fence; see the post.",
        ),
        step(
            ago(21, 21),
            "add_task",
            QA_INV,
            key="imagery",
            kind="imagery_request",
            due=dt.timedelta(days=8),
            assigned_to=QA_INV,
            description="Imagery of the fence line near Angoor Adda between 15 and 20 December.",
        ),
        step(
            ago(16),
            "complete_task",
            TR_INV,
            key="interviews",
            result=(
                "The accounts of who fired first conflict. The Pakistani section commander says that after the "
                "Afghan post stopped firing his men kept a machine gun on it 'until it was silent'; the damage to "
                "the post shows sustained fire from the fence line."
            ),
        ),
        step(
            ago(12),
            "complete_task",
            QA_INV,
            key="imagery",
            result="New fence posts appear between 17 and 20 December close to the Afghan post.",
        ),
        step(
            ago(6),
            "findings",
            QA_INV,
            summary=(
                "Fire was exchanged for about two hours near Angoor Adda on 19 December 2025, during work on the "
                "fence; two Afghan border guards were killed. Who fired first cannot be established. By the "
                "Pakistani commander's own account, and as the damage to the post shows, Pakistani fire on the "
                "Afghan post went on after the Afghan post had stopped firing."
            ),
        ),
        step(
            ago(4),
            "draft_determination",
            TR_ADJ,
            outcome="breach_confirmed",
            responsible_party="PK",
            commitments=["C1", "C3"],
            measures=["formal-warning"],
            reasons=(
                "The mechanism cannot establish who fired the first shot near Angoor Adda on 19 December 2025. It "
                "finds, however, that Pakistani forces kept firing on the Afghan post after its fire had stopped, "
                "which is no longer a response to fire but a hostile act (C1) against the other party's forces "
                "(C3). The mechanism takes no position on the alignment of the border or of the fence, which is "
                "outside its mandate. It issues a formal warning to Pakistan."
            ),
        ),
        step(ago(3), "sign", TR_ADJ),
        step(
            ago(2),
            "note",
            QA_ADJ,
            text="Qatar will sign once the reasons are read against the imagery annex.",
        ),
    ],
    # Determined: both mediators have signed, the appeal window is open, Afghanistan has dissented.
    "Afghan forces fire on a post in Kurram": [
        step(ago(30), "notify", SECRETARIAT),
        step(
            ago(28),
            "reply",
            AF,
            kind="contested",
            account=(
                "Afghanistan does not recognise the Durand Line, and the fence Pakistan builds on it divides "
                "families and villages. The Afghan border forces warned the workers several times to stop. The "
                "Pakistani post fired first when the warnings were repeated, and our forces answered. The Islamic "
                "Emirate regrets the death but will not accept a fence on land that the people on both sides "
                "regard as theirs."
            ),
        ),
        step(ago(27), "assign", SECRETARIAT, investigators=BOTH),
        step(
            ago(26, 22),
            "add_task",
            TR_INV,
            key="visit",
            kind="site_visit",
            due=dt.timedelta(days=6),
            assigned_to=TR_INV,
            description="Visit the post and the fence section under repair, and the Afghan post opposite.",
        ),
        step(
            ago(26, 21),
            "add_task",
            QA_INV,
            key="crew",
            kind="interview",
            due=dt.timedelta(days=6),
            assigned_to=QA_INV,
            description="Hear the members of the repair crew separately, and the Afghan post's guards.",
        ),
        step(
            ago(22),
            "complete_task",
            TR_INV,
            key="visit",
            result=(
                "The fence was being repaired in place, not extended. The Afghan post opposite overlooks the "
                "repair site. Both sides confirm that warnings were shouted before the shooting."
            ),
        ),
        step(
            ago(21),
            "complete_task",
            QA_INV,
            key="crew",
            result=(
                "The crew members, heard separately, say the first shots came from the Afghan post while they "
                "worked; none of them was armed. The post's guards returned fire after the soldier fell."
            ),
        ),
        step(
            ago(20),
            "note",
            QA_INV,
            text=(
                "The Afghan reply does not say that the crew was armed or that it fired. The question is who "
                "fired first at the repair site."
            ),
        ),
        step(
            ago(18),
            "findings",
            TR_INV,
            summary=(
                "A Frontier Corps soldier was killed on 8 January 2026 while an unarmed crew repaired an existing "
                "section of the fence in the Parachinar sector. The crew's accounts, heard separately, agree that "
                "the first shots came from the Afghan post opposite, after warnings were shouted; the Afghan reply "
                "does not say that the crew was armed or that it fired."
            ),
        ),
        step(
            ago(15),
            "draft_determination",
            QA_ADJ,
            outcome="breach_confirmed",
            responsible_party="AF",
            commitments=["C1", "C3"],
            measures=["formal-warning", "compensation"],
            reasons=(
                "The mechanism finds that on 8 January 2026 Afghan border forces fired first on an unarmed "
                "Pakistani crew repairing an existing section of fence in the Parachinar sector of Kurram, and "
                "that a Frontier Corps soldier was killed. Opening fire on people at work, after a dispute "
                "expressed in warnings, is a hostile act (C1) against the other party's forces (C3). The "
                "mechanism takes no position on the alignment of the border, which is outside its mandate: a "
                "dispute over a fence is for the mechanism or the border commanders, not for fire. The mechanism "
                "issues a formal warning to Afghanistan and asks it to compensate the soldier's family, the amount "
                "to be set by the mediators after hearing both parties."
            ),
        ),
        step(ago(5), "sign", QA_ADJ),
        step(ago(4), "sign", TR_ADJ),
        step(
            ago(2),
            "dissent",
            AF,
            text=(
                "Afghanistan dissents. The determination treats the fence as if it stood on an agreed border. The "
                "Durand Line is not accepted by Afghanistan, and the people on both sides have never accepted the "
                "fence. To take no position on the line and then find against the side that objects to the fence "
                "is not neutral."
            ),
        ),
    ],
    # Appealed: breach confirmed against Pakistan; Pakistan appeals within the window.
    "Shelling of villages in Nari district": [
        step(ago(35), "notify", SECRETARIAT),
        step(
            ago(33),
            "reply",
            PK,
            kind="contested",
            account=(
                "On 20 January Pakistan's forces fired, in self-defence and with precision, only at Fitna "
                "al-Khawarij terrorists who had attacked posts in Chitral from positions across the border. "
                "Pakistan knows of no civilian harm and rejects the allegation that villages were targeted."
            ),
        ),
        step(ago(32), "assign", SECRETARIAT, investigators=BOTH),
        step(
            ago(31, 22),
            "add_task",
            TR_INV,
            key="visit",
            kind="site_visit",
            due=dt.timedelta(days=6),
            assigned_to=TR_INV,
            description="Visit both villages and the damaged mosque; meet the injured; collect fragments.",
        ),
        step(
            ago(27),
            "complete_task",
            TR_INV,
            key="visit",
            result=(
                "Impacts consistent with artillery fired from the east in both villages, and the collapsed wall of "
                "the mosque; two of the injured met; fragments collected. No fighters' position was found in or "
                "next to the villages."
            ),
        ),
        step(
            ago(26, 22),
            "grade",
            TR_INV,
            evidence="site",
            reliability="C",
            credibility="2",
            note="The complainant's photograph matches the damage the team saw.",
        ),
        step(
            ago(22),
            "findings",
            TR_INV,
            summary=(
                "Artillery rounds fired from the east landed in two villages of Nari district on 20 January 2026, "
                "injuring civilians and damaging a mosque. The direction of fire and the fragments point to "
                "Pakistani artillery; no other artillery is known in range. Pakistan's reply says it fired at "
                "militants; the team found no militant position in or near the villages."
            ),
        ),
        step(
            ago(20),
            "draft_determination",
            TR_ADJ,
            outcome="breach_confirmed",
            responsible_party="PK",
            commitments=["C1", "C3"],
            measures=["formal-warning"],
            reasons=(
                "The mechanism finds that Pakistani artillery fire struck two villages of Nari district, Kunar, on "
                "20 January 2026, injuring civilians and damaging a mosque. Even if Pakistan's forces were aiming "
                "at fighters across the border, fire that lands in villages with no military position in or near "
                "them breaches the commitments not to commit hostile acts (C1) and not to target civilians (C3). "
                "The mechanism issues a formal warning to Pakistan."
            ),
        ),
        step(ago(13), "sign", TR_ADJ),
        step(ago(12), "sign", QA_ADJ),
        step(
            ago(3),
            "appeal",
            PK,
            grounds=(
                "Pakistan appeals. The investigators did not hear the Pakistani battery commanders, whose logs "
                "show fire on identified terrorist positions away from the villages. The fragments photographed "
                "cannot be matched to a battery without those records, which Pakistan now offers to show the "
                "mediators' investigators in confidence."
            ),
        ),
    ],
}


# --- the replay -------------------------------------------------------------------------------------------------


def filing_time(spec: DemoComplaint, index: int) -> dt.datetime:
    """The morning after the incident ended (a few minutes apart per complaint, so filings keep their order)."""
    day = spec.draft.ends_at.astimezone(dt.UTC).date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, FILING_HOUR, tzinfo=dt.UTC) + dt.timedelta(minutes=index)


@dataclass(order=True)
class Event:
    at: dt.datetime
    order: int
    run: Callable[[], None] = field(compare=False)


def run_due_tasks() -> int:
    """Run every queued task whose time has come, as `ceasefire worker` would; return how many ran. A task that
    fails stops the load: the demo must not silently lose a deadline."""
    return run_ready_tasks(raise_on_failure=True)


def replay(events: list[Event], *, until: dt.datetime) -> None:
    """Run the events in time order, each at its moment. Before each, the tasks that came due since the last one
    run, each at its own due time (a worker polling all along); at the end, those due by `until` (the present)."""
    clock = MECHANISM_BUILT_AT
    with _quiet_task_logs():
        for event in sorted(events):
            clock = _tasks_until(event.at, clock)
            with time_machine.travel(event.at, tick=False):
                event.run()
                run_due_tasks()  # what the step queued to run at once (e-mail copies)
            clock = event.at
        _tasks_until(until, clock)


@contextmanager
def _quiet_task_logs() -> Iterator[None]:
    """The worker logs every task it runs; hundreds of replayed tasks would bury the demo's own output."""
    loggers = [logging.getLogger(name) for name in ("django.tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _tasks_until(moment: dt.datetime, clock: dt.datetime) -> dt.datetime:
    """Run the deadline tasks that come due up to `moment`, each at its run_after time (never before `clock`)."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    while True:
        due = (
            DBTaskResult.objects.ready()
            .filter(run_after__lte=moment)
            .exclude(run_after=get_date_max())
            .order_by("run_after")
            .values_list("run_after", flat=True)
            .first()
        )
        if due is None:
            return clock
        clock = max(clock, due)
        with time_machine.travel(clock, tick=False):
            if run_due_tasks() == 0:
                raise RuntimeError(f"demo: a task due at {due.isoformat()} did not run")


@dataclass
class Case:
    """One complaint being replayed: filled in by its filing event, read by its steps."""

    spec: DemoComplaint
    complaint: Complaint | None = None
    tasks: dict[str, InvestigationTask] = field(default_factory=dict)


def step_events(case: Case, mechanism: Mechanism, filed_at: dt.datetime, present: dt.datetime) -> list[Event]:
    """The events of one complaint's plan (without its filing), checked to come after the filing."""
    events = []
    previous = filed_at
    for number, planned in enumerate(PLANS.get(case.spec.title, ())):
        moment = planned.at.resolve(filed_at, present)
        if moment <= previous:
            raise ValueError(f"demo plan of '{case.spec.title}': step {number} ({planned.action}) is out of order")
        previous = moment
        events.append(Event(moment, 0, _runner(case, mechanism, planned)))
    return events


def _runner(case: Case, mechanism: Mechanism, planned: Step) -> Callable[[], None]:
    def run() -> None:
        assert case.complaint is not None, "a step ran before its complaint was filed"
        perform(case, mechanism, planned)

    return run


def perform(case: Case, mechanism: Mechanism, planned: Step) -> None:
    """One step, through the services, as its persona."""
    members = mechanism.members
    member = members[planned.persona] if planned.persona else None
    assert case.complaint is not None
    complaint = case.complaint
    complaint.refresh_from_db()
    a = planned.args
    action = planned.action
    if action == "notify":
        services.notify_respondent(member, complaint, note=a.get("note", ""))
        return
    assert member is not None, f"step {action} needs a persona"
    if action == "reply":
        services.reply_to_complaint(
            member,
            complaint,
            kind=a["kind"],
            account=a.get("account", ""),
            casualties=[CasualtyFigure(**figure) for figure in a.get("casualties", ())],
            evidence=[_upload(item) for item in a.get("evidence", ())],
        )
    elif action == "reject":
        services.reject_complaint(member, complaint, reason=a["reason"])
    elif action == "withdraw":
        services.withdraw_complaint(member, complaint, reason=a.get("reason", ""))
    elif action == "assign":
        services.assign_investigators(
            member, complaint, [members[name] for name in a["investigators"]], note=a.get("note", "")
        )
    elif action == "add_task":
        assigned = a.get("assigned_to")
        case.tasks[a["key"]] = services.add_investigation_task(
            member,
            complaint,
            kind=a["kind"],
            description=a["description"],
            due_at=_now() + a["due"],
            assigned_to=members[assigned] if assigned else None,
        )
    elif action == "complete_task":
        services.complete_investigation_task(member, case.tasks[a["key"]], result=a["result"])
    elif action == "note":
        services.add_investigation_note(member, complaint, text=a["text"])
    elif action == "grade":
        services.grade_evidence(
            member,
            _evidence(member, complaint, a["evidence"]),
            reliability=a["reliability"],
            credibility=a["credibility"],
            note=a.get("note", ""),
        )
    elif action == "corroborate":
        other = Complaint.objects.visible_to(member).select_related("incident").get(title=a["complaint"])
        services.link_corroboration(member, complaint, other.incident, note=a["note"])
    elif action == "findings":
        services.record_findings(member, complaint, summary=a["summary"])
    elif action == "draft_determination":
        agreement = complaint.agreement
        party = a.get("responsible_party")
        services.draft_determination(
            member,
            complaint,
            outcome=a["outcome"],
            reasons=a["reasons"],
            responsible_party=mechanism.parties[party] if party else None,
            commitments=list(agreement.commitments.filter(code__in=a.get("commitments", ()))),
            measures=list(agreement.penalty_types.filter(code__in=a.get("measures", ()))),
        )
    elif action == "sign":
        services.sign_determination(member, _determination(member, complaint))
    elif action == "dissent":
        services.add_dissent(member, _determination(member, complaint), text=a["text"])
    elif action == "appeal":
        services.appeal_determination(member, complaint, grounds=a["grounds"])
    elif action == "close":
        services.close_complaint(member, complaint, note=a.get("note", ""))
    else:
        raise ValueError(f"demo plan of '{complaint.title}': unknown action '{action}'")


def _now() -> dt.datetime:
    from django.utils import timezone

    return timezone.now()


def _upload(item: dict[str, str]) -> EvidenceUpload:
    return EvidenceUpload(
        file=io.BytesIO(item["text"].encode()),
        filename=item["filename"],
        description=item["description"],
        source="Ceasefire demo: file generated by the demo loader",
        captured_at=_now(),
    )


def _evidence(member: Membership, complaint: Complaint, prefix: str) -> Evidence:
    """The complaint's evidence item whose file name starts with `prefix` ("site", "report", "statement", ...)."""
    return Evidence.objects.visible_to(member).filter(complaint=complaint, filename__startswith=prefix).get()


def _determination(member: Membership, complaint: Complaint) -> Determination:
    return Determination.objects.visible_to(member).get(complaint=complaint, round=complaint.round)
