"""The evidence files the demo generates are well-formed PNG, PDF and UTF-8 text, and recognised as such."""

from __future__ import annotations

import re
import struct
import zlib

import pytest

from ceasefire.demo.complaints import demo_complaints, evidence_for, pdf_bytes, png_bytes, statement_bytes
from ceasefire.incidents.filetypes import sniff_media_type

pytestmark = pytest.mark.unit


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF, kind
        chunks.append((kind, body))
        at += 12 + length
    return chunks


def test_png_is_well_formed_with_valid_crcs_and_pixel_data():
    data = png_bytes(seed="x", width=20, height=10)
    chunks = _png_chunks(data)
    assert [kind for kind, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"]
    width, height, depth, colour = struct.unpack(">IIBB", chunks[0][1][:10])
    assert (width, height, depth, colour) == (20, 10, 8, 2)
    assert len(zlib.decompress(chunks[1][1])) == height * (1 + 3 * width)
    assert sniff_media_type(data[:512]) == "image/png"


def test_png_differs_by_seed():
    assert png_bytes(seed="a") != png_bytes(seed="b")
    assert png_bytes(seed="a") == png_bytes(seed="a")


def test_pdf_cross_reference_points_at_each_object():
    data = pdf_bytes(["Report (demo) – Spin Boldak", "back\\slash"])
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\n(\d+)\n", data).group(1))
    assert data[startxref:].startswith(b"xref\n0 6\n")
    offsets = [int(m) for m in re.findall(rb"(\d{10}) 00000 n ", data)]
    assert len(offsets) == 5
    for number, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(f"{number} 0 obj".encode())
    length = int(re.search(rb"/Length (\d+)", data).group(1))
    stream = data.split(b"stream\n", 1)[1].split(b"\nendstream", 1)[0]
    assert len(stream) == length
    assert b"\\(demo\\)" in stream and b"back\\\\slash" in stream
    assert sniff_media_type(data[:512]) == "application/pdf"


def test_statement_is_utf8_text_with_the_filers_script():
    af = next(s for s in demo_complaints() if s.party == "AF" and "statement" in s.evidence_kinds)
    text = statement_bytes(af).decode("utf-8")
    assert "د شاهد بیان" in text and af.draft.place_description in text
    assert sniff_media_type(statement_bytes(af)[:512]) == "text/plain"


def test_evidence_for_gives_one_upload_per_kind_with_distinct_names():
    spec = next(s for s in demo_complaints() if len(s.evidence_kinds) == 3)
    uploads = evidence_for(spec)
    assert [u.filename.rsplit(".", 1)[1] for u in uploads] == ["png", "pdf", "txt"]
    assert all(u.source and u.captured_at == spec.draft.ends_at for u in uploads)
