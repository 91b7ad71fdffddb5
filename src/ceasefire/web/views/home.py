"""The home page: how many complaints the acting membership can see, by state."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ceasefire.incidents.enums import ComplaintState
from ceasefire.incidents.models import Complaint

from .common import acting_member


@login_required
def home(request: HttpRequest) -> HttpResponse:
    member = acting_member(request)
    if member is None:
        return render(request, "web/no_party.html")
    counts = dict(Complaint.objects.visible_to(member).values_list("state").annotate(n=Count("pk")).order_by())
    states = [(value, label, counts.get(value, 0)) for value, label in ComplaintState.choices]
    return render(request, "web/home.html", {"states": states, "total": sum(counts.values())})
