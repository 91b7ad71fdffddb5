"""Hand-written facts of the workflow records of the permission world: every state, both ways, and who sees each.

Imports nothing from the project: these are the expectations, written from DESIGN.md and issue 3 ("the respondent
sees the complaint from `notified`; mediators see every complaint once submitted; the complainant sees its own;
nobody else sees anything"), never computed by the code under test.
"""

from __future__ import annotations

from dataclasses import dataclass

# Stage -> (the complaint's state, whether the respondent was ever notified). Stages are how the record got there;
# two stages may share a state (withdrawn before and after notice, rejected before and after notice).
WORKFLOW_STAGES: dict[str, tuple[str, bool]] = {
    "draft": ("draft", False),
    "submitted": ("submitted", False),
    "withdrawn_early": ("withdrawn", False),
    "rejected": ("rejected_inadmissible", False),
    "notified": ("notified", True),
    "rejected_notified": ("rejected_inadmissible", True),
    "under_investigation": ("under_investigation", True),
    "withdrawn": ("withdrawn", True),
    "findings_ready": ("findings_ready", True),
    "determined": ("determined", True),
    "closed": ("closed", True),
    "appealed": ("appealed", True),
    "reinvestigation": ("under_investigation", True),  # round 2, after an appeal
}
DIRECTIONS = ("AF", "PK")  # the complainant; the respondent is the other one


@dataclass(frozen=True)
class WorkflowRecord:
    key: str
    complainant: str
    stage: str
    word: str  # unique: in the title, narrative and every marker of the record

    @property
    def respondent(self) -> str:
        return "PK" if self.complainant == "AF" else "AF"

    @property
    def state(self) -> str:
        return WORKFLOW_STAGES[self.stage][0]

    @property
    def respondent_told(self) -> bool:
        return WORKFLOW_STAGES[self.stage][1]


def _word(i: int) -> str:
    return "vorpal" + chr(ord("a") + i // 26) + chr(ord("a") + i % 26)


def workflow_records() -> list[WorkflowRecord]:
    out = []
    for d, direction in enumerate(DIRECTIONS):
        for s, stage in enumerate(WORKFLOW_STAGES):
            out.append(WorkflowRecord(f"wf_{direction.lower()}_{stage}", direction, stage, _word(d * 40 + s)))
    return out


WORKFLOW_RECORDS = {r.key: r for r in workflow_records()}


def _seen_by_party(party: str) -> frozenset[str]:
    """A party's members see their own complaints in every state, the other side's once they were notified."""
    return frozenset(
        r.key
        for r in WORKFLOW_RECORDS.values()
        if r.complainant == party or (r.respondent == party and r.respondent_told)
    )


WF_AF_SIDE = _seen_by_party("AF")
WF_PK_SIDE = _seen_by_party("PK")
WF_MEDIATOR_SIDE = frozenset(r.key for r in WORKFLOW_RECORDS.values() if r.state != "draft")

# Written out once more by name, as a guard on the comprehension above (a wrong comprehension fails here).
assert {f"wf_af_{s}" for s in WORKFLOW_STAGES} | {
    f"wf_pk_{s}"
    for s in (
        "notified",
        "rejected_notified",
        "under_investigation",
        "withdrawn",
        "findings_ready",
        "determined",
        "closed",
        "appealed",
        "reinvestigation",
    )
} == WF_AF_SIDE
assert len(WF_MEDIATOR_SIDE) == 2 * len(WORKFLOW_STAGES) - 2
