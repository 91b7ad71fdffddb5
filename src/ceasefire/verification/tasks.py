"""The workflow's background tasks, on Django's tasks API (django-tasks-db queue, run by `ceasefire worker`).

Deadline tasks are enqueued with `run_after` when a clock starts, carrying the due time they were set for: when
one runs after the clock was stopped or restarted (a reply came, an appeal reopened the case), its due time no
longer matches and it does nothing. Every task is safe to run twice.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

logger = logging.getLogger(__name__)


@task()
def reply_deadline(complaint_id: int, due: str) -> str:
    """When the reply time limit passes: record "no reply" and tell both sides."""
    from .services import record_no_reply

    reply = record_no_reply(complaint_id, due_at=_parse(due))
    return "recorded" if reply is not None else "nothing to do"


@task()
def deadline_reminder(complaint_id: int, stage: str, due: str, task_id: int | None = None) -> int:
    """24 hours before a due time (and again when it passes): remind whoever must act."""
    from .services import send_deadline_notice

    return send_deadline_notice(complaint_id, stage=stage, due_at=_parse(due), task_id=task_id)


@task()
def email_notifications(notification_ids: list[int]) -> int:
    """E-mail a copy of each notification to its recipient, in the recipient's language; once each."""
    from .models import Notification
    from .notify import describe

    sent = 0
    rows = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related(
        "recipient__user__profile", "recipient__party"
    )
    for notification in rows:
        user = notification.recipient.user
        if not user.email:
            continue
        language = getattr(getattr(user, "profile", None), "language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            zone = getattr(getattr(user, "profile", None), "time_zone", "") or "UTC"
            with timezone.override(zone):
                message = describe(notification)
        send_mail(
            subject=f"[Ceasefire] {message[:120]}",
            message=message,
            from_email=None,
            recipient_list=[user.email],
        )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def _parse(iso: str) -> dt.datetime:
    moment = parse_datetime(iso)
    if moment is None:
        raise ValueError(f"not a time: {iso!r}")
    return moment
