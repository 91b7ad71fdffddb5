"""Media type of an evidence file, decided from its content, never from its name or the browser's word."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

# (offset, magic bytes, media type). Order matters only where one signature is a prefix of another.
_SIGNATURES: list[tuple[int, bytes, str]] = [
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"II*\x00", "image/tiff"),
    (0, b"MM\x00*", "image/tiff"),
    (0, b"%PDF-", "application/pdf"),
    (0, b"OggS", "audio/ogg"),
    (0, b"ID3", "audio/mpeg"),
    (0, b"fLaC", "audio/flac"),
    (0, b"\x1aE\xdf\xa3", "video/webm"),
]
_FORBIDDEN: list[tuple[bytes, str]] = [
    (b"MZ", gettext_noop("a Windows executable")),
    (b"\x7fELF", gettext_noop("a Linux executable")),
    (b"#!", gettext_noop("a script")),
    (b"PK\x03\x04", gettext_noop("an archive (upload its files one by one)")),
]
_ISO_BRANDS = {
    b"qt  ": "video/quicktime",
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"mif1": "image/heic",
    b"msf1": "image/heic",
    b"avif": "image/avif",
    b"avis": "image/avif",
    b"M4A ": "audio/mp4",
    b"M4B ": "audio/mp4",
}
SNIFF_BYTES = 512


class DisallowedFile(ValueError):
    pass


def sniff_media_type(head: bytes) -> str:
    """The media type of a file from its first bytes, or DisallowedFile saying what it looks like."""
    if not head:
        raise DisallowedFile(gettext("the file is empty"))
    for magic, what in _FORBIDDEN:
        if head.startswith(magic):
            raise DisallowedFile(
                gettext("the file is %(what)s, which is not accepted as evidence") % {"what": gettext(what)}
            )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # A UTF-16 byte-order mark, which would otherwise pass for an MP3 frame header below.
        return _sniff_text(head, "utf-16")
    for offset, magic, media_type in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return media_type
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "image/webp", b"WAVE": "audio/wav", b"AVI ": "video/x-msvideo"}[head[8:12]]
    if head[4:8] == b"ftyp":
        # ISO media: the major brand tells a phone's HEIC photo or M4A voice note from a video.
        return _ISO_BRANDS.get(head[8:12], "video/mp4")
    if len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return "audio/mpeg"
    return _sniff_text(head)


def _sniff_text(head: bytes, encoding: str = "utf-8") -> str:
    # A cut at SNIFF_BYTES may split a multi-byte character: drop up to 3 trailing bytes before decoding.
    for cut in range(4):
        try:
            text = head[: len(head) - cut].decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DisallowedFile(gettext("the file's type could not be recognised from its content"))
    if any(ord(c) < 32 and c not in "\t\r\n\f" for c in text):
        raise DisallowedFile(gettext("the file's type could not be recognised from its content"))
    lowered = text.lstrip("\ufeff \t\r\n").lower()
    # Any markup at the start (a tag, a comment, a declaration) could be rendered as a page: refuse it all.
    if lowered.startswith("<") and len(lowered) > 1 and (lowered[1].isalpha() or lowered[1] in "!?/"):
        raise DisallowedFile(
            gettext("the file is HTML, SVG or XML markup, which is not accepted (it can carry scripts)")
        )
    return "text/plain"
