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


def put(source: object, *, max_bytes: int | None = None) -> StoredBlob:
    """Stream `source` (an uploaded file or binary file object) into the store; checks size and type first."""
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
                    raise OversizeFile(f"the file is larger than the limit of {limit // (1024 * 1024)} MB")
                if len(head) < SNIFF_BYTES:
                    head += block[: SNIFF_BYTES - len(head)]
                digest.update(block)
                out.write(block)
        media_type = sniff_media_type(head)
        sha = digest.hexdigest()
        final = path_for(sha)
        if final.exists():
            os.unlink(tmp_name)
        else:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(tmp_name, 0o444)  # originals are read-only on disk as well as in the application
            os.replace(tmp_name, final)
        return StoredBlob(sha256=sha, size=size, media_type=media_type)
    except (OversizeFile, DisallowedFile, OSError):
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise


def open_blob(sha256: str) -> object:
    return path_for(sha256).open("rb")
