"""The log served as static C2SP tlog-tiles v0.1.0 under /log/: `checkpoint`, `tile/<L>/<N>[.p/<W>]` and
`tile/entries/<N>[.p/<W>]`, public and unauthenticated like any tiles log, readable by standard clients.

A tile (full or partial) never changes once it exists, so every tile is served immutable; the checkpoint is
served uncached. Only what the tree holds is served: entries committed but not yet integrated are not.
Leaves reveal nothing a GREEN member of every party may not see (sealed entries carry time and commitment).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from .checkpoints import cosigned_note, latest_checkpoint
from .tiles import TILE_WIDTH, TileNotFound, parse_tile_path
from .tree import DatabaseTiles, entry_bundle, tree_size

IMMUTABLE = "public, max-age=31536000, immutable"


@require_safe
def checkpoint(request: HttpRequest) -> HttpResponse:
    latest = latest_checkpoint()
    if latest is None:
        raise Http404("no checkpoint yet")
    response = HttpResponse(cosigned_note(latest), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def tile(request: HttpRequest, path: str) -> HttpResponse:
    try:
        wanted = parse_tile_path(f"tile/{path}")
    except ValueError:
        raise Http404("not a tile path") from None
    try:
        if wanted.level is None:
            if wanted.index * TILE_WIDTH + wanted.width > tree_size():
                raise TileNotFound("beyond the tree")
            data = entry_bundle(wanted.index, wanted.width)
        else:
            data = DatabaseTiles().tile(wanted.level, wanted.index, wanted.width)
    except TileNotFound:
        raise Http404("no such tile") from None
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Cache-Control"] = IMMUTABLE
    return response
