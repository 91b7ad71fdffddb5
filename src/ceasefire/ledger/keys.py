"""The log's signing key and origin line.

The key is an Ed25519 signed-note key stored as a C2SP/Go private-key string
(`PRIVATE+KEY+<origin>+<id>+<base64>`) in CEASEFIRE_LOG_KEY_FILE, or else in `<data dir>/log-key` (mode 0600),
made by `ceasefire init` and `ceasefire demo` through `ensure_log_key()`. The key's name is the origin line, as
C2SP logs do, so a witness trusting the verifier key knows the log's origin from it. The origin is
CEASEFIRE_LOG_ORIGIN, by default `<SITE_NAME>/log`; it must be a valid key name (no spaces, no '+').
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from .note import Ed25519Signer, Ed25519Verifier, InvalidKey, check_key_name, parse_private_key

KEY_FILE_NAME = "log-key"


class LogKeyMissing(RuntimeError):
    """No log key yet: `ceasefire init` or `ceasefire demo` makes one."""


def log_origin() -> str:
    origin = getattr(settings, "LOG_ORIGIN", "") or os.environ.get("CEASEFIRE_LOG_ORIGIN", "")
    origin = origin.strip() or f"{settings.SITE_NAME}/log"
    check_key_name(origin)
    return origin


def log_key_path() -> Path:
    configured = getattr(settings, "LOG_KEY_FILE", "") or os.environ.get("CEASEFIRE_LOG_KEY_FILE", "")
    return Path(configured) if configured else Path(settings.DATA_DIR) / KEY_FILE_NAME


def ensure_log_key() -> str:
    """Create the log key if there is none; return its verifier key. Safe to call on every start."""
    path = log_key_path()
    if not path.exists():
        signer = Ed25519Signer.generate(log_origin())
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two commands starting at once must not each write a different key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return log_signer().verifier().vkey
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(signer.skey + "\n")
    return log_signer().verifier().vkey


def log_signer() -> Ed25519Signer:
    path = log_key_path()
    if not path.exists():
        raise LogKeyMissing(
            f"No log key at {path}: run `ceasefire init` (or `ceasefire demo`), or set CEASEFIRE_LOG_KEY_FILE."
        )
    try:
        signer = parse_private_key(path.read_text(encoding="utf-8").strip())
    except InvalidKey as error:
        raise LogKeyMissing(f"The log key in {path} is not usable: {error}") from error
    if signer.name != log_origin():
        raise LogKeyMissing(
            f"The log key in {path} is named {signer.name!r} but the origin is {log_origin()!r}: "
            "set CEASEFIRE_LOG_ORIGIN to the key's name (an origin never changes once checkpoints exist)."
        )
    return signer


def log_verifier() -> Ed25519Verifier:
    return log_signer().verifier()
