"""The member's notifications: the in-app list with read marks, and the private Atom feed of the same events.

The feed is read by feed readers that cannot sign in, so its address carries a secret (FeedKey) the member can
replace at will; it shows exactly what the list shows (Notification.objects.visible_to of the key's membership).
"""

from __future__ import annotations

import zoneinfo

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from ceasefire.verification import notify
from ceasefire.verification.models import FeedKey, Notification

from .common import member_required, render_page, require_member

TEMPLATE = "web/notifications/list.html"
PAGE_SIZE = 50
FEED_SIZE = 50


def _subject_url(notification: Notification) -> str:
    """The page of what the notification is about: its complaint or intelligence item, else the list itself."""
    if notification.complaint is not None:
        return reverse("web:complaint-detail", args=[notification.complaint.public_code])
    if notification.intel_item is not None:
        return reverse("web:intel-detail", args=[notification.intel_item.public_code])
    if notification.alert is not None:
        return reverse("web:alert-detail", args=[notification.alert.public_code])
    return reverse("web:notifications")


@member_required
def notification_list(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    visible = Notification.objects.visible_to(member).select_related("complaint", "intel_item", "alert")
    page = Paginator(visible, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [(n, notify.describe(n), _subject_url(n)) for n in page.object_list]
    feed_key = notify.feed_key_of(member)
    context = {
        "page": page,
        "items": items,
        "unread": visible.filter(read_at__isnull=True).count(),
        "feed_url": request.build_absolute_uri(reverse("web:notification-feed", args=[feed_key.key])),
    }
    return render_page(request, TEMPLATE, "notifications", context)


@member_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """One notification (`notification` = its id, among the member's own) or, without it, all of them."""
    member = require_member(request)
    chosen = request.POST.get("notification", "")
    if chosen:
        if not chosen.isdigit():
            raise Http404
        mine = get_object_or_404(Notification.objects.visible_to(member), pk=int(chosen))
        notify.mark_read(member, ids=[mine.pk])
    else:
        notify.mark_read(member)
    page = request.POST.get("page", "")
    url = reverse("web:notifications") + (f"?page={page}" if page.isdigit() else "")
    return redirect(url)


@member_required
@require_POST
def renew_feed_key(request: HttpRequest) -> HttpResponse:
    notify.renew_feed_key(require_member(request))
    messages.success(request, gettext("A new feed address was made; the old one no longer works."))
    return redirect("web:notifications")


@require_GET
def feed(request: HttpRequest, key: str) -> HttpResponse:
    """The member's notifications as Atom; an unknown key answers 404 like any record one may not see."""
    found = FeedKey.objects.select_related("membership__user__profile", "membership__party").filter(key=key).first()
    if found is None or not found.membership.is_active or not found.membership.user.is_active:
        raise Http404
    member = found.membership
    profile = getattr(member.user, "profile", None)
    language = (profile.language if profile else "") or translation.get_language()
    try:
        zone = zoneinfo.ZoneInfo(profile.time_zone if profile else "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    with translation.override(language), timezone.override(zone):
        atom = Atom1Feed(
            title=gettext("Ceasefire notifications: %(party)s, %(user)s")
            % {"party": member.party.code, "user": member.user.get_username()},
            link=request.build_absolute_uri(reverse("web:notifications")),
            description=gettext("Events on the complaints your party may see."),
            language=language,
        )
        for n in Notification.objects.visible_to(member).select_related("complaint", "intel_item", "alert")[:FEED_SIZE]:
            text = notify.describe(n)
            link = _subject_url(n)
            atom.add_item(
                title=text,
                link=request.build_absolute_uri(link),
                description=text,
                unique_id=f"urn:ceasefire:notification:{member.pk}:{n.pk}",
                pubdate=n.created_at,
                updateddate=n.created_at,
                categories=[n.kind],
            )
        body = atom.writeString("utf-8")
    response = HttpResponse(body, content_type="application/atom+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
