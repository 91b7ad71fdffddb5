"""The report archive on disk: each file stored once under its SHA-256 (<data dir>/reports/ab/<sha256>.<ext>),
read-only, and checked against that hash when read back, so a file changed behind the application's back is
refused rather than served."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings


class ArchiveDamaged(RuntimeError):
    """A stored report is missing or no longer matches the SHA-256 recorded when it was generated."""


def archive_dir() -> Path:
    return Path(getattr(settings, "REPORTS_DIR", None) or Path(settings.DATA_DIR) / "reports")


def path_of(sha256: str, extension: str) -> Path:
    return archive_dir() / sha256[:2] / f"{sha256}.{extension}"


def store(data: bytes, extension: str) -> str:
    """Write the bytes (once: the same content is stored once) and return their SHA-256."""
    digest = hashlib.sha256(data).hexdigest()
    target = path_of(digest, extension)
    if target.exists():
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed: a reader never sees half a file, two writers never clash.
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o444)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return digest


def load(sha256: str, extension: str) -> bytes:
    """The stored bytes, after checking them against their SHA-256."""
    try:
        data = path_of(sha256, extension).read_bytes()
    except FileNotFoundError as error:
        raise ArchiveDamaged(f"report file {sha256}.{extension} is missing from the archive") from error
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ArchiveDamaged(f"report file {sha256}.{extension} does not match its SHA-256")
    return data
