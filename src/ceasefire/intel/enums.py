"""Choices of intelligence sharing. Imports nothing from the project's apps (enums → models → services)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemState(models.TextChoices):
    # A draft (written here or imported from STIX) is seen by its author's party only; sharing is final.
    DRAFT = "draft", _("Draft")
    SHARED = "shared", _("Shared")


class Rating(models.TextChoices):
    """How the requesting party rates the response to a request for action (feeds the party scorecards)."""

    SATISFACTORY = "satisfactory", _("Satisfactory")
    PARTIAL = "partial", _("Partial")
    UNSATISFACTORY = "unsatisfactory", _("Unsatisfactory")
    NO_RESPONSE = "no_response", _("No response")


class RequestState(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Action recorded")
    RATED = "rated", _("Rated")


# Transparency-log entry kinds. Item versions are `intel.<verb>` (each carries the whole item version, so
# `log verify --database` can replay them); receipts and requests are records of their own under other prefixes.
ITEM_DRAFTED = "intel.drafted"
ITEM_REVISED = "intel.revised"
ITEM_SHARED = "intel.shared"
ITEM_FORWARDED = "intel.forwarded"
RECEIPT_OPENED = "intel_receipt.opened"
RECEIPT_ACKNOWLEDGED = "intel_receipt.acknowledged"
ACTION_RECORDED = "intel_request.action_recorded"
RESPONSE_RATED = "intel_request.rated"
REQUEST_OVERDUE = "intel_request.overdue"
