"""The write path of analytics' own records: raising early-warning alerts (the worker, every ten minutes) and
members' subscriptions to them. Every change is logged, sealed: an alert reveals a pattern in complaints its
audience alone may see, and a subscription what a member watches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from ceasefire.core.codes import new_public_code
from ceasefire.core.errors import Conflict, NotPermitted, NotVisible, ValidationFailed
from ceasefire.core.models import Membership
from ceasefire.ledger.services import record_change

from . import rules
from .alerts_detect import AlertCandidate
from .alerts_notify import tell_subscribers
from .early_warning_areas import known_areas
from .enums import ALL_KINDS, AlertKind
from .models import Alert, Subscription


def _alert_record(alert: Alert) -> dict[str, Any]:
    return {
        "alert": alert.public_code,
        "kind": alert.kind,
        "audience": alert.audience,
        "party": alert.party.code if alert.party is not None else None,
        "area": alert.area,
        "crossing": alert.crossing.slug if alert.crossing is not None else None,
        "commitment": alert.commitment.code if alert.commitment is not None else None,
        "respondent": alert.respondent.code if alert.respondent is not None else None,
        "window": [alert.window_start.isoformat(), alert.window_end.isoformat()],
        "statistic": alert.statistic,
        "complaints": alert.complaint_codes,
        "events": alert.event_ids,
        "closures": alert.closure_codes,
    }


def raise_alerts(
    member: Membership | None, *, candidates: Sequence[AlertCandidate], notify_since: dt.date | None = None
) -> list[Alert]:
    """Store the candidates not stored before (by their dedupe key), each with its sealed log entry, and tell
    their subscribers — of those whose rule fired on or after `notify_since` only, when given: the first run over
    a year's look-back records the year's alerts without flooding anyone's inbox with old news. Returns the new
    alerts; running again with the same candidates adds nothing."""
    if not rules.can_raise_alerts(member):
        raise NotPermitted(gettext("Only the worker and the secretariat raise alerts."))
    keys = [c.dedupe_key for c in candidates]
    known = set(Alert.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    raised: list[Alert] = []
    with transaction.atomic():
        for candidate in candidates:
            if candidate.dedupe_key in known:
                continue
            known.add(candidate.dedupe_key)
            try:
                # A savepoint each: another worker raising the same alert at the same moment loses only that one.
                with transaction.atomic():
                    alert = _store(candidate)
            except IntegrityError:
                continue
            record_change(
                member, kind="alert.raised", subject_code=alert.public_code, record=_alert_record(alert), sealed=True
            )
            if notify_since is None or alert.window_end >= notify_since:
                tell_subscribers(alert)
            raised.append(alert)
    return raised


def _store(candidate: AlertCandidate) -> Alert:
    code = new_public_code("ALR", candidate.window_end.year, lambda c: Alert.objects.filter(public_code=c).exists())
    return Alert.objects.create(
        public_code=code,
        kind=candidate.kind,
        audience=candidate.audience,
        party=candidate.party,
        area=candidate.area,
        crossing=candidate.crossing,
        commitment=candidate.commitment,
        respondent=candidate.respondent,
        window_start=candidate.window_start,
        window_end=candidate.window_end,
        statistic=candidate.statistic,
        complaint_codes=candidate.complaint_codes,
        event_ids=candidate.event_ids,
        closure_codes=candidate.closure_codes,
        dedupe_key=candidate.dedupe_key,
    )


def _subscription_record(subscription: Subscription) -> dict[str, Any]:
    return {
        "subscription": subscription.public_code,
        "member": subscription.membership.user.get_username(),
        "area": subscription.area,
        "kind": subscription.kind,
        "in_app": subscription.in_app,
        "email": subscription.email,
    }


def subscribe(
    member: Membership, *, area: str, kind: str = ALL_KINDS, in_app: bool = True, email: bool = False
) -> Subscription:
    """Ask to be told of alerts of `kind` (or every kind) in `area` (a province, or the whole frontier)."""
    if not rules.can_subscribe(member):
        raise NotPermitted(gettext("Only members of a party or a mediator subscribe to alerts."))
    area, kind = (area or "").strip(), (kind or "").strip()
    errors: dict[str, str] = {}
    if area not in known_areas():
        errors["area"] = gettext("Unknown province '%(value)s': choose a province or 'all'.") % {"value": area}
    if kind != ALL_KINDS and kind not in AlertKind.values:
        errors["kind"] = gettext("Unknown kind of alert '%(value)s'; known kinds: %(kinds)s, or 'all'.") % {
            "value": kind,
            "kinds": ", ".join(AlertKind.values),
        }
    if not (in_app or email):
        errors["in_app"] = gettext("Choose at least one channel: in the app or by e-mail.")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), errors=errors)
    if Subscription.objects.visible_to(member).filter(area=area, kind=kind).exists():
        raise Conflict(gettext("You already subscribe to these alerts."), field="area")
    with transaction.atomic():
        code = new_public_code("SUB", _year(), lambda c: Subscription.objects.filter(public_code=c).exists())
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(
                    public_code=code, membership=member, area=area, kind=kind, in_app=in_app, email=email
                )
        except IntegrityError as error:  # the same subscription made at the same moment elsewhere
            raise Conflict(gettext("You already subscribe to these alerts."), field="area") from error
        record_change(
            member,
            kind="alert.subscribed",
            subject_code=subscription.public_code,
            record=_subscription_record(subscription),
            sealed=True,
        )
    return subscription


def unsubscribe(member: Membership, *, code: str) -> None:
    """End one of the member's own subscriptions; another member's answers as absent."""
    subscription = Subscription.objects.visible_to(member).select_related("membership__user").filter(public_code=code)
    found = subscription.first()
    if found is None:
        raise NotVisible(gettext("No such subscription."))
    with transaction.atomic():
        record = _subscription_record(found)
        if not Subscription.objects.filter(pk=found.pk).delete()[0]:
            raise NotVisible(gettext("No such subscription."))
        record_change(member, kind="alert.unsubscribed", subject_code=code, record=record, sealed=True)


def _year() -> int:
    return timezone.now().year
