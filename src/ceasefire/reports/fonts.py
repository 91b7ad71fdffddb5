"""The bundled fonts (fonts/, SIL OFL 1.1; see fonts/SOURCES.md) and the CSS that loads them: from file paths for
WeasyPrint, from the site for an archived HTML report, or inline for a file that must open anywhere offline."""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path
from typing import Literal

from django.urls import reverse

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
# (family, weight, file): Noto Sans for Latin script, Noto Naskh Arabic for Pashto, Dari and Arabic, Noto Nastaliq
# Urdu for Urdu (Naskh after it in the stack, for the few letters Nastaliq lacks).
FONT_FILES = (
    ("Noto Sans", 400, "NotoSans-400.ttf"),
    ("Noto Sans", 700, "NotoSans-700.ttf"),
    ("Noto Naskh Arabic", 400, "NotoNaskhArabic-400.ttf"),
    ("Noto Naskh Arabic", 700, "NotoNaskhArabic-700.ttf"),
    ("Noto Nastaliq Urdu", 400, "NotoNastaliqUrdu-400.ttf"),
)
FONT_NAMES = frozenset(name for _family, _weight, name in FONT_FILES)
FontSource = Literal["file", "site", "embedded"]


def font_stack(language: str) -> str:
    """Noto Sans first (it has no Arabic script, so those letters fall to the next family), then the Arabic one."""
    if language == "ur":
        return '"Noto Sans", "Noto Nastaliq Urdu", "Noto Naskh Arabic", sans-serif'
    return '"Noto Sans", "Noto Naskh Arabic", sans-serif'


def font_faces(source: FontSource, language: str) -> str:
    faces = []
    for family, weight, name in FONT_FILES:
        if family == "Noto Nastaliq Urdu" and language != "ur":
            continue
        if source == "file":
            url = (FONTS_DIR / name).as_uri()
        elif source == "site":
            url = reverse("web:report-font", args=[name])
        else:
            url = "data:font/ttf;base64," + _font_base64(name)
        faces.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: normal; '
            f'src: url("{url}") format("truetype"); }}'
        )
    return "\n".join(faces)


@cache
def _font_base64(name: str) -> str:
    return base64.b64encode((FONTS_DIR / name).read_bytes()).decode()


@cache
def register_chart_fonts() -> None:
    """vl-convert draws the charts' digits and codes with the same Noto Sans as the text around them."""
    import vl_convert

    vl_convert.register_font_directory(str(FONTS_DIR))
