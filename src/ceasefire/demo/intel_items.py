"""The demo's intelligence items and what followed each (demo/intel.py replays them): who shared what, when, and
the openings, acknowledgements, forwards, actions and ratings after it.

Times are UTC. Each party's report is its own claim and says so; the mediators' notes repeat public reporting
(context/FACTS.md). Group sizes, meeting dates and compounds are the demo's fiction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ceasefire.intel.drafts import IntelDraft, PlaceDraft, RequestDraft


def utc(month: int, day: int, hour: int = 0, minute: int = 0, *, year: int = 2025) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


@dataclass(frozen=True)
class DemoItem:
    """One item: its author (a demo persona), when it is shared, its draft, the demo complaints it cites (by
    title) and, when set, the description of a generated image attached to it."""

    key: str
    author: str
    at: dt.datetime
    draft: IntelDraft
    complaints: tuple[str, ...] = ()
    imagery: str = ""

    @property
    def title(self) -> str:
        return self.draft.title


@dataclass(frozen=True)
class IntelStep:
    at: dt.datetime
    action: str  # open, acknowledge, forward, act, rate, sweep
    persona: str | None
    args: dict[str, Any] = field(default_factory=dict)


def step(at: dt.datetime, action: str, persona: str | None = None, **args: Any) -> IntelStep:
    return IntelStep(at=at, action=action, persona=persona, args=args)


SECRETARIAT, AF, PK = "tr-secretariat", "af-liaison", "pk-liaison"
KURRAM = "Infiltration attempt in Kurram repulsed, three soldiers martyred"
GHULAM_KHAN = "Infiltration attempt in North Waziristan near Ghulam Khan"
TORKHAM_CLOSED = "Torkham kept closed after the Doha ceasefire"
TORKHAM = PlaceDraft(name="Torkham crossing", latitude=34.11472, longitude=71.08472)
CHAMAN = PlaceDraft(name="Chaman–Spin Boldak crossing", latitude=30.92222, longitude=66.44472)

ITEMS: list[DemoItem] = [
    DemoItem(
        key="istanbul-schedule",
        author=SECRETARIAT,
        at=utc(10, 24, 9),
        draft=IntelDraft(
            title="Istanbul round from 25 October: schedule and the mechanism's channel",
            tlp="GREEN",
            body=(
                "The second round of talks opens in Istanbul on **Saturday 25 October 2025**, hosted by Türkiye "
                "with Qatar mediating. The delegations exchange written drafts through the mediators; sessions are "
                "expected to run late into the night.\n\n"
                "- Liaison officers stay reachable through the mechanism for the whole round; the secretariat "
                "reads the queue at 08:00 and 20:00 Istanbul time.\n"
                "- Complaints filed during the round run under the usual time limits: the round does not pause "
                "them.\n"
                "- Intelligence meant for the other party goes through this channel, so that its receipt is on "
                "record."
            ),
        ),
    ),
    DemoItem(
        key="ttp-khost",
        author=PK,
        at=utc(10, 29, 5),
        complaints=(KURRAM, GHULAM_KHAN),
        imagery="Annotated imagery of the two compound clusters, prepared by Pakistan",
        draft=IntelDraft(
            title="TTP group staging from Spera district, Khost (Pakistan's assessment)",
            tlp="AMBER",
            recipients=["AF", "QA", "TR"],
            actors=["ttp"],
            body=(
                "**Pakistan's assessment**, from its own sources: a TTP group of about 60 fighters has used "
                "compounds near Spera and Dwa Manday in Khost province as a staging area since mid-October. "
                "Pakistan holds that the groups which tried to cross into Kurram and North Waziristan on the night "
                "of 24–25 October assembled there, and that its fighters rest there between attacks.\n\n"
                "- Two clusters of compounds, about 14 km and 22 km from the reference line (see the places).\n"
                "- Small groups move by night towards the line opposite Ghulam Khan.\n"
                "- Attached: Pakistan's annotated imagery of the compounds.\n\n"
                "This answers the Afghan reply to the Kurram complaint, which asked Pakistan to share who the "
                "attackers were and their route. The Afghan authorities deny that any group operates from Afghan "
                "soil: this is Pakistan's claim, shared so that the action taken on it can be verified."
            ),
            handling=(
                "The Afghan authorities and the mediators may use this within their services to act on it. "
                "Do not publish. Sources are not named and are not to be sought."
            ),
            places=[
                PlaceDraft(name="Compounds near Spera, Khost", latitude=33.20204, longitude=69.5152),
                PlaceDraft(name="Compounds near Dwa Manday, Khost", latitude=33.28159, longitude=69.58531),
            ],
            request=RequestDraft(
                addressee="AF",
                what=(
                    "Search the compounds, disarm the group and detain its commanders; report through the "
                    "mechanism what was done and what was found."
                ),
                where="Spera and Dwa Manday, Khost province",
                against=["ttp"],
                due_at=utc(11, 12, 19),  # midnight in Pakistan, two weeks on
            ),
        ),
    ),
    DemoItem(
        key="iskp-torkham",
        author=PK,
        at=utc(10, 31, 10),
        draft=IntelDraft(
            title="Threat to the returnee crowds at Torkham when the crossing reopens (Pakistan's reporting)",
            tlp="AMBER",
            recipients=["AF"],
            forwarding_allowed=True,
            actors=["iskp"],
            body=(
                "**Pakistan's reporting**: an ISKP cell is said to plan an attack on the crowds expected at "
                "Torkham when the crossing reopens to returning refugees and deportees on **1 November**. The cell "
                "is reported in the Momand Dara area on the Afghan side; no time or method is known.\n\n"
                "Pakistan shares this so that the Afghan authorities can protect the reception area on their side; "
                "it is tightening security on the Khyber side. The Afghan liaison office may pass this on to the "
                "mediators, whose observers are expected at the crossing."
            ),
            handling="For the Afghan security services and, if they choose, the mediators' observers at Torkham.",
            places=[
                PlaceDraft(name="Returnee reception area, Afghan side of Torkham", latitude=34.112, longitude=71.07)
            ],
        ),
    ),
    DemoItem(
        key="crossings-2-nov",
        author=SECRETARIAT,
        at=utc(11, 2, 8),
        complaints=(TORKHAM_CLOSED,),
        draft=IntelDraft(
            title="Crossings on 2 November: Torkham open to returns only, Chaman disputed",
            tlp="GREEN",
            body=(
                "The main crossings as the secretariat knows them on 2 November 2025:\n\n"
                "- **Torkham**: reopened on 1 November for returning refugees and deportees only; trade stays "
                "suspended and trucks are still waiting on both sides.\n"
                "- **Chaman–Spin Boldak**: the declarations conflict. Pakistan declared it open to returns from "
                "1 November; the Afghan side reports the gate stayed shut to everyone. The mediators' observers "
                "will report what they see.\n"
                "- **Ghulam Khan, Kharlachi, Angoor Adda**: closed since 12 October.\n\n"
                "The Afghan complaint on Torkham's closure is linked. Corrections are welcome through the mechanism."
            ),
            places=[TORKHAM, CHAMAN],
        ),
    ),
    DemoItem(
        key="nrf-peshawar",
        author=AF,
        at=utc(11, 3, 7),
        draft=IntelDraft(
            title="NRF meetings in Hayatabad, Peshawar (Afghanistan's claim)",
            tlp="AMBER+STRICT",
            recipients=["PK"],
            actors=["nrf"],
            body=(
                "**Afghanistan's claim**, from its intelligence service: members of the National Resistance Front "
                "met in Hayatabad, Peshawar, at least three times since the Doha agreement (22 and 28 October, "
                "1 November) to organise the movement of fighters and money towards north-eastern Afghanistan. "
                "Afghanistan holds that the local authorities know of the meetings.\n\n"
                "Afghanistan asks Pakistan to act under its commitment that anti-Taliban groups do not operate "
                "from Pakistani soil (C6). Pakistan has said it hosts no such group: this is Afghanistan's claim."
            ),
            handling="Within Pakistan's liaison office and the services it tasks only; not to be passed on.",
            places=[PlaceDraft(name="Hayatabad, Peshawar", latitude=33.99, longitude=71.44)],
            request=RequestDraft(
                addressee="PK",
                what=(
                    "Stop the meetings, identify the organisers and keep them from directing fighters or money "
                    "into Afghanistan; tell the mechanism what was done."
                ),
                where="Hayatabad, Peshawar",
                against=["nrf"],
                due_at=utc(11, 17, 19, 30),  # midnight in Kabul, two weeks on
            ),
        ),
    ),
    DemoItem(
        key="istanbul-6-7-nov",
        author=SECRETARIAT,
        at=utc(11, 5, 9),
        draft=IntelDraft(
            title="Istanbul, 6–7 November: the intelligence chiefs' round",
            tlp="GREEN",
            body=(
                "The next round meets in Istanbul on **6–7 November 2025**, led on both sides by the heads of the "
                "intelligence services, with Türkiye and Qatar mediating. On the agenda: the mechanism's procedures "
                "and penalties, and how action on shared intelligence is verified.\n\n"
                "Before the round the secretariat gives the mediators the list of open requests for action and "
                "their state, without their content. The mechanism keeps working during the round."
            ),
        ),
    ),
    DemoItem(
        key="riyadh-red",
        author=SECRETARIAT,
        at=utc(11, 26, 8),
        draft=IntelDraft(
            title="Proposed confidential meeting of the delegations in Riyadh around 30 November",
            tlp="RED",
            people=["qa-adjudicator", "tr-adjudicator"],
            body=(
                "For the two adjudicators only. The host has proposed a short, unannounced meeting of the two "
                "delegations in Riyadh around **30 November 2025**, with the mediators present. Neither party has "
                "confirmed.\n\n"
                "The mediators ask whether you can brief them beforehand, in general terms, on the determinations "
                "in preparation. Please do not mention the meeting to either party's liaison officers or in any "
                "complaint file."
            ),
            handling="TLP:RED: for the named recipients only; no copies, no forwarding, no notes in case files.",
            expires_at=utc(12, 31, 23, 59, year=2035),
        ),
    ),
]

STEPS: dict[str, list[IntelStep]] = {
    "istanbul-schedule": [step(utc(10, 24, 11), "open", AF), step(utc(10, 24, 12, 30), "open", PK)],
    "ttp-khost": [
        step(utc(10, 29, 6, 15), "open", AF),
        step(utc(10, 29, 8), "acknowledge", AF),
        step(utc(10, 29, 9, 30), "open", "tr-investigator"),
        step(utc(10, 30, 7), "open", "qa-investigator"),
        step(
            utc(11, 9, 10),
            "act",
            AF,
            taken_on=dt.date(2025, 11, 8),
            text=(
                "On 7–8 November the Afghan security forces and the district police searched eleven compounds "
                "around Spera and Dwa Manday. No armed group was found. Weapons and ammunition found in two "
                "compounds were seized; four men were questioned and released for lack of evidence. The Islamic "
                "Emirate repeats that no one may use Afghan soil against Pakistan, and invites the mediators' "
                "observers to visit the compounds."
            ),
            report=[
                "Search report, Khost province (demo)",
                "",
                "7-8 November 2025: eleven compounds searched around Spera and Dwa Manday.",
                "Seized: 14 rifles, 2 machine guns, ammunition (inventory held by the district police).",
                "Questioned: four men; released for lack of evidence.",
                "No armed group found at the places named by Pakistan.",
            ],
        ),
        step(
            utc(11, 14, 6),
            "rate",
            PK,
            rating="partial",
            note=(
                "A search was made and recorded, which Pakistan acknowledges. No commander was detained and the "
                "men questioned were released; Pakistan's sources report the group moved towards Tani before the "
                "search. Pakistan accepts the offered visit by the mediators' observers."
            ),
        ),
    ],
    "iskp-torkham": [
        step(utc(10, 31, 10, 40), "open", AF),
        step(utc(10, 31, 10, 45), "acknowledge", AF),
        step(
            utc(10, 31, 12),
            "forward",
            AF,
            to="TR",
            note="For the mediators' observers at Torkham from 1 November; the Afghan side has reinforced the area.",
        ),
        step(utc(10, 31, 13), "open", "tr-investigator"),
    ],
    "crossings-2-nov": [step(utc(11, 2, 9), "open", PK), step(utc(11, 2, 10, 30), "open", AF)],
    "nrf-peshawar": [
        step(utc(11, 4, 5), "open", PK),
        step(utc(11, 18, 0, 5), "sweep"),  # the worker's sweep, just after the due date passed
        step(
            utc(11, 19, 6),
            "rate",
            AF,
            rating="no_response",
            note="Pakistan opened the item on 4 November and recorded no action, nor any reply, by the due date.",
        ),
    ],
    "istanbul-6-7-nov": [step(utc(11, 5, 10), "open", AF)],
    "riyadh-red": [
        step(utc(11, 26, 9, 10), "open", "tr-adjudicator"),
        step(utc(11, 26, 10), "open", "qa-adjudicator"),
        step(utc(11, 26, 10, 2), "acknowledge", "qa-adjudicator"),
    ],
}
