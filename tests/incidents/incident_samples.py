"""Sample evidence files, store snapshots and the shared draft builders for the incidents tests.

Test modules import from here by module name (pytest puts this directory on sys.path). The draft builders are
re-exported from tests/support.py.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from support import islamabad_attack_draft, khost_strike_draft  # noqa: F401 -- re-exported

from ceasefire.incidents.drafts import EvidenceUpload
from ceasefire.incidents.models import CasualtyClaim, Complaint, CustodyEvent, Evidence, Incident, StoredFile
from ceasefire.ledger.models import LogEntry

# Minimal but genuine leading bytes of each accepted kind (what the sniffer decides on), padded out.
SAMPLES: dict[str, tuple[bytes, str]] = {
    "photo.jpg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + bytes(200), "image/jpeg"),
    "photo.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "image/png"),
    "anim.gif": (b"GIF89a\x01\x00\x01\x00" + bytes(200), "image/gif"),
    "photo.webp": (b"RIFF\xd0\x00\x00\x00WEBPVP8 " + bytes(200), "image/webp"),
    "report.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n" + bytes(200), "application/pdf"),
    "clip.mp4": (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2mp41" + bytes(200), "video/mp4"),
    "call.mp3": (b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(200), "audio/mpeg"),
    "raw.mp3": (b"\xff\xfb\x90\x64" + bytes(200), "audio/mpeg"),
    "call.wav": (b"RIFF\xd0\x00\x00\x00WAVEfmt \x10\x00\x00\x00" + bytes(200), "audio/wav"),
    "call.ogg": (b"OggS\x00\x02\x00\x00" + bytes(200), "audio/ogg"),
    "note.txt": (b"Shelling heard from the ridge above Mughalgai at 20:40 local time.\r\n", "text/plain"),
    "pashto.txt": ("د خوست ولایت په ګربز ولسوالۍ کې هوايي برید وشو.\n".encode(), "text/plain"),
}

# Files refused by content, whatever their name says.
FORBIDDEN: dict[str, bytes] = {
    "setup.exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(100),
    "photo.jpg (ELF)": b"\x7fELF\x02\x01\x01\x00" + bytes(100),
    "page.png (HTML)": b"<!DOCTYPE html><html><script>alert(1)</script></html>",
    "map.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "bundle.zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(100),
    "empty.txt": b"",
}


def upload(filename: str, data: bytes, **fields: Any) -> EvidenceUpload:
    return EvidenceUpload(file=io.BytesIO(data), filename=filename, **fields)


def stored_files(root: Path) -> list[Path]:
    """Every file in the store outside its tmp directory, which must itself be empty."""
    tmp = root / "tmp"
    assert not tmp.exists() or not any(tmp.iterdir()), "a temporary upload was left behind"
    return sorted(p for p in root.rglob("*") if p.is_file() and tmp not in p.parents)


def snapshot(root: Path) -> dict[str, Any]:
    """What a refused change must leave exactly as it was."""
    counts: dict[str, Any] = {
        model.__name__: model.objects.count()
        for model in (Complaint, Incident, Evidence, StoredFile, CasualtyClaim, CustodyEvent, LogEntry)
    }
    counts["files"] = stored_files(root)
    return counts
