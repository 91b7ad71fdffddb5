"""Helpers of the command tests: run a command in-process and capture its output and errors."""

from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command


def run(*args: str, **options: Any) -> str:
    """call_command with stdout and stderr captured; returns stdout (pass stderr=StringIO() to read it)."""
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=options.pop("stderr", io.StringIO()), **options)
    return out.getvalue()
