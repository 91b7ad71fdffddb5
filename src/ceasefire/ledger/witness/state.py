"""The witness's memory: for each log origin, the size and root of the latest checkpoint it cosigned.

Stored as one JSON file replaced atomically (write a temporary file in the same directory, fsync it, rename it
over the old one, fsync the directory): after a crash the file holds either the old state or the new one, never
a mix, and a cosignature is only returned after its state is on disk.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..merkle import EMPTY_ROOT


@dataclass(frozen=True)
class LogState:
    size: int
    root: bytes


class WitnessState:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._logs: dict[str, LogState] = {}
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8") or "{}")
            for origin, item in data.get("logs", {}).items():
                self._logs[origin] = LogState(int(item["size"]), base64.b64decode(item["root"]))

    def get(self, origin: str) -> LogState:
        return self._logs.get(origin, LogState(0, EMPTY_ROOT))

    def put(self, origin: str, state: LogState) -> None:
        logs = dict(self._logs)
        logs[origin] = state
        payload = {
            "logs": {
                name: {"size": item.size, "root": base64.b64encode(item.root).decode()}
                for name, item in sorted(logs.items())
            }
        }
        directory = self.path.parent
        directory.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{self.path.name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(payload, out, indent=1)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        directory_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(directory_fd)
        finally:
            os.close(directory_fd)
        self._logs = logs  # only once the file says so
