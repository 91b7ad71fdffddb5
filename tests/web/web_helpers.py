"""Helpers of the web tests: a real PNG file and a valid filing form (sign-in and drafts: tests/support.py)."""

from __future__ import annotations

import struct
import zlib
from typing import Any


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A real, valid PNG image (grey pixels), built by hand so no imaging library is needed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def filing_form(**overrides: Any) -> dict[str, Any]:
    """A valid filing form of the Afghan liaison: the Mughalgai strike (FACTS.md), times in Asia/Kabul."""
    data: dict[str, Any] = {
        "category": "air_strike",
        "tlp": "AMBER",
        "title": "",
        "starts_at": "2025-11-25T00:30",
        "ends_at": "2025-11-25T06:30",
        "time_precision": "hour",
        "latitude": "33.28",
        "longitude": "69.95",
        "place_id": "",
        "place_description": "Mughalgai, Gurbuz district, Khost",
        "respondent": "PK",
        "commitments": ["C2", "C3"],
        "actors": ["pk-forces"],
        "narrative": "A strike hit a house in Mughalgai, killing nine children and one woman.",
        "killed_civilian_best": "10",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
