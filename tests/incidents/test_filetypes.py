"""filetypes.sniff_media_type: the media type of evidence from its content, whatever its name says."""

from __future__ import annotations

import pytest
from incident_samples import FORBIDDEN, SAMPLES

from ceasefire.incidents.filetypes import SNIFF_BYTES, DisallowedFile, sniff_media_type

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("name", list(SAMPLES))
def test_sniff_media_type_recognises_accepted_kind(name: str) -> None:
    data, media_type = SAMPLES[name]

    assert sniff_media_type(data[:SNIFF_BYTES]) == media_type


@pytest.mark.parametrize("name", list(FORBIDDEN))
def test_sniff_media_type_refuses_forbidden_kind(name: str) -> None:
    with pytest.raises(DisallowedFile):
        sniff_media_type(FORBIDDEN[name][:SNIFF_BYTES])


@pytest.mark.parametrize(
    ("head", "words"),
    [
        (b"MZ\x90\x00", "Windows executable"),
        (b"\x7fELF\x02\x01", "Linux executable"),
        (b"#!/bin/sh\nrm -rf /\n", "script"),
        (b"PK\x03\x04\x14\x00", "archive"),
        (b"", "empty"),
        (b"\x00\x01\x02\x03binary", "could not be recognised"),
        (b"\xc3\x28 not utf-8 at all \xa0\xa1 in the middle", "could not be recognised"),
        (b"<?xml version='1.0'?><svg/>", "markup"),
        (b"\xef\xbb\xbf  \n<HTML><body>hi</body></HTML>", "markup"),
        (b"\n\n  <iframe src='x'></iframe>", "markup"),
    ],
)
def test_sniff_media_type_says_what_refused_file_is(head: bytes, words: str) -> None:
    with pytest.raises(DisallowedFile) as caught:
        sniff_media_type(head)

    assert words in str(caught.value)


def test_sniff_media_type_accepts_text_cut_mid_character() -> None:
    # "ښ" is two bytes in UTF-8: an odd offset puts the sniff boundary inside one.
    text = ("x" + "ښ" * SNIFF_BYTES).encode()
    head = text[:SNIFF_BYTES]
    with pytest.raises(UnicodeDecodeError):
        head.decode("utf-8")

    assert sniff_media_type(head) == "text/plain"


def test_sniff_media_type_accepts_text_cut_inside_four_byte_character() -> None:
    text = ("ab" + "\U0001f54a" * SNIFF_BYTES).encode()  # a dove: four bytes each

    assert sniff_media_type(text[: SNIFF_BYTES - 1]) == "text/plain"


def test_sniff_media_type_ignores_name_like_content() -> None:
    # A text that merely talks about HTML is text; markup is refused only when the file starts as markup.
    assert sniff_media_type(b"The page showed <html> tags and an .exe link.") == "text/plain"


@pytest.mark.parametrize(
    ("head", "media_type"),
    [
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "image/heic"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1", "image/avif"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  ", "video/quicktime"),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00\x02\x00M4A isom", "audio/mp4"),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", "video/mp4"),
    ],
)
def test_sniff_media_type_reads_iso_media_brand(head: bytes, media_type: str) -> None:
    # Phones save photos as HEIC and voice notes as M4A: the ftyp brand says which, not just "video".
    assert sniff_media_type(head + bytes(32)) == media_type


@pytest.mark.parametrize("text", ["<!-- hidden --><script>x()</script>", "<p onclick=x()>hi</p>", "<a href=x>y</a>"])
def test_markup_refused_when_it_starts_with_any_tag(text):
    with pytest.raises(DisallowedFile):
        sniff_media_type(text.encode())


def test_utf16_text_is_text_not_audio_when_it_has_a_bom():
    statement = b"\xff\xfe" + "د شاهد بیان".encode("utf-16-le")
    assert sniff_media_type(statement) == "text/plain"
