"""The secretariat's deadline board: every running clock on the complaints mediators follow, overdue first.

The board is the mediators' working tool; anyone else gets 404, as for a record they may not see (a party reads
its own reply deadline on the complaint's page and in its notifications).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from ceasefire.core import rules
from ceasefire.incidents.enums import ComplaintState
from ceasefire.verification.enums import Stage
from ceasefire.verification.queries import deadline_board

from .common import member_required, render_page, require_member


@member_required
def board(request: HttpRequest) -> HttpResponse:
    member = require_member(request)
    if not rules.is_mediator(member):
        raise Http404
    found = deadline_board(member)
    context = {
        "board": found,
        "sections": [
            (key, [(d, Stage(d.stage).label) for d in deadlines])
            for key, deadlines in (("overdue", found.overdue), ("due_soon", found.due_soon), ("later", found.later))
        ],
        "per_stage": [(Stage(stage).label, counts) for stage, counts in sorted(found.per_stage.items())],
        "per_party": sorted(found.per_party.items()),
        "median_hours": [(ComplaintState(state).label, hours) for state, hours in found.median_hours.items()],
    }
    return render_page(request, "web/deadlines/board.html", "board", context)
