"""Choices of the complaint workflow. Imports nothing from the project (enums → models → services)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReplyKind(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    CONTESTED = "contested", _("Contested")
    NO_REPLY = "no_reply", _("No reply within the time limit")


class TaskKind(models.TextChoices):
    SITE_VISIT = "site_visit", _("Site visit")
    INTERVIEW = "interview", _("Interview")
    IMAGERY_REQUEST = "imagery_request", _("Imagery request")
    DOCUMENT_REQUEST = "document_request", _("Document request")
    OTHER = "other", _("Other")


class Reliability(models.TextChoices):
    """Admiralty code: how reliable the SOURCE is, graded apart from what it says."""

    A = "A", _("A — Completely reliable")
    B = "B", _("B — Usually reliable")
    C = "C", _("C — Fairly reliable")
    D = "D", _("D — Not usually reliable")
    E = "E", _("E — Unreliable")
    F = "F", _("F — Reliability cannot be judged")


class Credibility(models.TextChoices):
    """Admiralty code: how credible the ITEM is, graded apart from who gave it."""

    CONFIRMED = "1", _("1 — Confirmed by other sources")
    PROBABLY_TRUE = "2", _("2 — Probably true")
    POSSIBLY_TRUE = "3", _("3 — Possibly true")
    DOUBTFUL = "4", _("4 — Doubtful")
    IMPROBABLE = "5", _("5 — Improbable")
    CANNOT_JUDGE = "6", _("6 — Truth cannot be judged")


class Outcome(models.TextChoices):
    BREACH_CONFIRMED = "breach_confirmed", _("Breach confirmed")
    NOT_SUBSTANTIATED = "not_substantiated", _("Not substantiated")
    INCONCLUSIVE = "inconclusive", _("Inconclusive")
    NOT_ATTRIBUTABLE = "not_attributable", _("Not attributable")
    OUTSIDE_MANDATE = "outside_mandate", _("Outside the mandate")


class Stage(models.TextChoices):
    """The stages the deadline board follows, each with its own clock."""

    REPLY = "reply", _("Respondent's reply")
    INVESTIGATION = "investigation", _("Investigation")
    TASK = "task", _("Investigation task")
    APPEAL = "appeal", _("Appeal window")


class EventKind(models.TextChoices):
    """What a notification is about. MEDIATOR_ONLY kinds never reach a party's member."""

    SUBMITTED = "submitted", _("New complaint submitted")
    NOTIFIED = "notified", _("Complaint notified to the respondent")
    REPLIED = "replied", _("The respondent replied")
    NO_REPLY = "no_reply", _("No reply within the time limit")
    ASSIGNED = "assigned", _("Investigators assigned")
    TASK_ADDED = "task_added", _("Investigation task added")
    FINDINGS = "findings", _("Findings ready")
    DRAFT_DETERMINATION = "draft_determination", _("Draft determination to sign")
    SIGNED = "signed", _("Determination signed")
    DETERMINED = "determined", _("Determination in effect")
    DISSENT = "dissent", _("Dissenting statement added")
    APPEALED = "appealed", _("Determination appealed")
    REOPENED = "reopened", _("Investigation reopened")
    WITHDRAWN = "withdrawn", _("Complaint withdrawn")
    REJECTED = "rejected", _("Complaint rejected as inadmissible")
    CLOSED = "closed", _("Complaint closed")
    REMINDER = "reminder", _("Deadline in 24 hours")
    OVERDUE = "overdue", _("Deadline passed")
    # Intelligence sharing (intel/notify.py): told only to members who may see the item.
    INTEL_SHARED = "intel_shared", _("Intelligence shared with you")
    INTEL_FORWARDED = "intel_forwarded", _("Intelligence forwarded")
    ACTION_REQUESTED = "action_requested", _("Request for action")
    ACTION_RECORDED = "action_recorded", _("Action recorded on a request")
    RESPONSE_RATED = "response_rated", _("Response to a request rated")
    REQUEST_OVERDUE = "request_overdue", _("Request for action overdue")
    # Early warning (analytics/alerts_notify.py): told only to subscribers who may see the alert.
    ALERT = "alert", _("Early-warning alert")


MEDIATOR_ONLY_EVENTS = frozenset(
    {
        EventKind.SUBMITTED,
        EventKind.ASSIGNED,
        EventKind.TASK_ADDED,
        EventKind.FINDINGS,
        EventKind.DRAFT_DETERMINATION,
        EventKind.SIGNED,
    }
)
