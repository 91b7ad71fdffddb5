"""The content-addressed evidence store: each original kept once, under its SHA-256, never modified.

Files land in the store before the database transaction commits. If that transaction rolls back, the file stays
as an unreferenced blob: harmless (its name is its hash, so the next upload of it reuses it) and never served,
since only StoredFile rows lead to files.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext

from .filetypes import SNIFF_BYTES, DisallowedFile, sniff_media_type

CHUNK = 1024 * 1024


class OversizeFile(ValueError):
    pass


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    media_type: str


def store_root() -> Path:
    return Path(settings.EVIDENCE_DIR)


def path_for(sha256: str) -> Path:
    return store_root() / sha256[:2] / sha256[2:4] / sha256


def _chunks(source: object) -> Iterable[bytes]:
    chunks = getattr(source, "chunks", None)
    if callable(chunks):
        yield from chunks(CHUNK)
        return
    read = source.read  # type: ignore[attr-defined]
    while block := read(CHUNK):
        yield block


@dataclass(frozen=True)
class StagedBlob:
    """A checked upload still in the store's tmp directory: `keep` moves it into place, `discard` drops it."""

    tmp_path: Path
    blob: StoredBlob


def _describe_limit(limit: int) -> str:
    # Operators may set limits below a megabyte; "0 MB" would tell the filer nothing.
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return gettext("%(size)d MB") % {"size": limit // (1024 * 1024)}
    if limit >= 1024 and limit % 1024 == 0:
        return gettext("%(size)d KB") % {"size": limit // 1024}
    return gettext("%(size)d bytes") % {"size": limit}


def stage(source: object, *, max_bytes: int | None = None) -> StagedBlob:
    """Stream `source` (an uploaded file or binary file object) to tmp, checking size and type on the way.

    Several files of one change are all staged before any is kept, so a refused file leaves nothing behind.
    """
    limit = settings.EVIDENCE_MAX_BYTES if max_bytes is None else max_bytes
    tmp_dir = store_root() / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    head = b""
    fd, tmp_name = tempfile.mkstemp(dir=tmp_dir)
    try:
        with os.fdopen(fd, "wb") as out:
            for block in _chunks(source):
                size += len(block)
                if size > limit:
                    raise OversizeFile(
                        gettext("the file is larger than the limit of %(limit)s") % {"limit": _describe_limit(limit)}
                    )
                if len(head) < SNIFF_BYTES:
                    head += block[: SNIFF_BYTES - len(head)]
                digest.update(block)
                out.write(block)
        media_type = sniff_media_type(head)
        blob = StoredBlob(sha256=digest.hexdigest(), size=size, media_type=media_type)
        return StagedBlob(Path(tmp_name), blob)
    except (OversizeFile, DisallowedFile, OSError):
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise


def keep(staged: StagedBlob) -> StoredBlob:
    """Move a staged file to its content address (or drop it when that original is stored already)."""
    final = path_for(staged.blob.sha256)
    if final.exists():
        os.unlink(staged.tmp_path)
    else:
        final.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(staged.tmp_path, 0o444)  # originals are read-only on disk as well as in the application
        os.replace(staged.tmp_path, final)
    return staged.blob


def discard(staged: StagedBlob) -> None:
    if staged.tmp_path.exists():
        staged.tmp_path.unlink()


def put(source: object, *, max_bytes: int | None = None) -> StoredBlob:
    """Stream `source` into the store; checks size and type first."""
    return keep(stage(source, max_bytes=max_bytes))


def open_blob(sha256: str) -> object:
    return path_for(sha256).open("rb")
