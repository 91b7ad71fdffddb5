"""Notifications of the workflow's events: who is told of what, and the message they read.

Services call `tell_*` inside their transaction, so a notification exists exactly when its change committed; the
e-mail copy is a queued task (tasks.py) in the same transaction. Recipients are chosen by what they may see at that
moment, and NotificationQuerySet.visible_to checks it again when they read (a notification never outlives the
reader's right to see its complaint). Messages are composed when read, in the reader's language, from codes,
states and times only: never from investigation content.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from ceasefire.analytics.enums import ALL_AREAS, AlertKind
from ceasefire.core.enums import PartyKind, Role
from ceasefire.core.models import Membership
from ceasefire.incidents.models import Complaint
from ceasefire.intel.enums import Rating

from .enums import MEDIATOR_ONLY_EVENTS, EventKind, Outcome, ReplyKind, Stage
from .models import FeedKey, Notification, new_feed_key


def _mediator_staff(complaint: Complaint, roles: Iterable[str]) -> Q:
    assigned = Q(assignments__complaint=complaint, assignments__round=complaint.round)
    return Q(party__kind=PartyKind.MEDIATOR) & (Q(role__in=list(roles)) | assigned)


def _recipients(complaint: Complaint, *, mediators_only: bool, roles: Iterable[str]) -> list[Membership]:
    audience = _mediator_staff(complaint, roles)
    if not mediators_only:
        audience |= Q(party_id=complaint.complainant_id)
        if complaint.notified_at is not None:
            audience |= Q(party_id=complaint.respondent_id)
    return list(Membership.objects.filter(audience, is_active=True).exclude(role=Role.ADMIN).distinct())


def tell(
    complaint: Complaint,
    kind: EventKind,
    *,
    actor: Membership | None,
    params: dict[str, Any] | None = None,
    mediator_roles: Iterable[str] = (Role.SECRETARIAT,),
    only: Iterable[Membership] | None = None,
    dedupe: str | None = None,
) -> list[Notification]:
    """Tell everyone concerned (or `only` those) of one event on a complaint; returns the rows made.

    With `dedupe`, each recipient is told once per key however often this runs (reminders, retried tasks).
    """
    mediators_only = kind in MEDIATOR_ONLY_EVENTS or bool(params and params.get("mediators_only"))
    if only is not None:
        recipients = list(only)
    else:
        recipients = _recipients(complaint, mediators_only=mediators_only, roles=mediator_roles)
    if mediators_only:
        recipients = [m for m in recipients if m.party.kind == PartyKind.MEDIATOR]
    base = {"code": complaint.public_code, "title": complaint.title, "state": complaint.state} | (params or {})
    made = []
    for member in recipients:
        if actor is not None and member.pk == actor.pk:
            continue
        key = f"{dedupe}:{member.pk}" if dedupe else None
        if key and Notification.objects.filter(dedupe_key=key).exists():
            continue
        made.append(
            Notification.objects.create(
                recipient=member,
                complaint=complaint,
                kind=kind,
                params=base,
                mediators_only=mediators_only,
                dedupe_key=key,
            )
        )
    if made:
        from .tasks import email_notifications

        email_notifications.enqueue([n.pk for n in made])
    return made


def describe(notification: Notification) -> str:
    """The message, in the active language."""
    p = notification.params
    code = p.get("code", "")
    texts: dict[str, str] = {
        EventKind.SUBMITTED: gettext("%(code)s was submitted and awaits the secretariat's notice."),
        EventKind.NOTIFIED: gettext("%(code)s was notified to the respondent; the reply is due by %(due)s."),
        EventKind.REPLIED: gettext("The respondent replied to %(code)s: %(reply)s."),
        EventKind.NO_REPLY: gettext("The respondent did not reply to %(code)s before the time limit (%(due)s)."),
        EventKind.ASSIGNED: gettext("Investigators were assigned to %(code)s; the investigation is due by %(due)s."),
        EventKind.TASK_ADDED: gettext("A task was added to the investigation of %(code)s, due %(due)s."),
        EventKind.FINDINGS: gettext("Findings on %(code)s are ready for a determination."),
        EventKind.DRAFT_DETERMINATION: gettext("A draft determination on %(code)s awaits signatures."),
        EventKind.SIGNED: gettext("The determination on %(code)s was signed for %(party)s."),
        EventKind.DETERMINED: gettext("The determination on %(code)s is in effect: %(outcome)s."),
        EventKind.DISSENT: gettext("%(party)s added a dissenting statement to the determination on %(code)s."),
        EventKind.APPEALED: gettext("%(party)s appealed the determination on %(code)s."),
        EventKind.REOPENED: gettext("The investigation of %(code)s was reopened on appeal."),
        EventKind.WITHDRAWN: gettext("%(code)s was withdrawn by the complainant."),
        EventKind.REJECTED: gettext("%(code)s was rejected as inadmissible: %(reason)s"),
        EventKind.CLOSED: gettext("%(code)s was closed."),
        EventKind.REMINDER: gettext("%(code)s: %(stage)s is due within 24 hours (%(due)s)."),
        EventKind.OVERDUE: gettext("%(code)s: %(stage)s is overdue since %(due)s."),
        EventKind.INTEL_SHARED: gettext("%(party)s shared intelligence %(code)s with you."),
        EventKind.INTEL_FORWARDED: gettext("%(party)s forwarded intelligence %(code)s."),
        EventKind.ACTION_REQUESTED: gettext("%(party)s requests action on %(code)s by %(due)s."),
        EventKind.ACTION_RECORDED: gettext("%(party)s recorded action taken on the request in %(code)s."),
        EventKind.RESPONSE_RATED: gettext("%(party)s rated the response to the request in %(code)s: %(rating)s."),
        EventKind.REQUEST_OVERDUE: gettext("The request for action in %(code)s is overdue since %(due)s."),
        EventKind.ALERT: gettext("Early warning %(code)s: %(alert)s in %(area)s, %(start)s to %(end)s."),
    }
    template = texts.get(notification.kind, "%(code)s")
    values = {
        "code": code,
        "due": _when(p.get("due")),
        "reply": _label(ReplyKind, p.get("reply")),
        "party": p.get("party", ""),
        "outcome": _label(Outcome, p.get("outcome")),
        "reason": p.get("reason", ""),
        "stage": _label(Stage, p.get("stage")),
        "rating": _label(Rating, p.get("rating")),
        "alert": _label(AlertKind, p.get("alert_kind")),
        "area": gettext("the whole frontier") if p.get("area") == ALL_AREAS else p.get("area", ""),
        "start": _day(p.get("start")),
        "end": _day(p.get("end")),
    }
    return template % values


# The pages' way of writing a moment (web/templatetags precise): "2 Dec 2026, 21:50", in the reader's zone.
MOMENT_FORMAT = "j M Y, H:i"


def _label(
    choices: type[ReplyKind] | type[Outcome] | type[Stage] | type[Rating] | type[AlertKind], value: str | None
) -> str:
    if value is None:
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _day(iso: str | None) -> str:
    """A day (an alert's window), written as the pages write dates; never with a time it does not have."""
    if not iso:
        return "—"
    from django.utils.dateparse import parse_date
    from django.utils.formats import date_format

    day = parse_date(iso)
    return iso if day is None else date_format(day, "j M Y")


def _when(iso: str | None) -> str:
    if not iso:
        return "—"
    from django.utils.dateparse import parse_datetime
    from django.utils.formats import date_format

    moment = parse_datetime(iso)
    if moment is None:
        return iso
    return date_format(timezone.localtime(moment), MOMENT_FORMAT)


def mark_read(member: Membership, ids: Iterable[int] | None = None) -> int:
    """Mark the member's notifications read (all of them without `ids`). Reading state is not a domain change:
    it is the reader's own bookkeeping, so it has no log entry."""
    unread = Notification.objects.visible_to(member).filter(read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return Notification.objects.filter(pk__in=unread.values("pk")).update(read_at=timezone.now())


def feed_key_of(member: Membership) -> FeedKey:
    """The secret of the member's private Atom feed, made on first use. Credentials, not a domain record (like an
    API token): no log entry."""
    key, _created = FeedKey.objects.get_or_create(membership=member)
    return key


def renew_feed_key(member: Membership) -> FeedKey:
    """Replace the member's feed secret: the old address stops working at once."""
    key = feed_key_of(member)
    key.key = new_feed_key()
    key.created_at = timezone.now()
    key.save(update_fields=["key", "created_at"])
    return key
