"""The fonts of every PDF: DejaVu Sans (Latin Extended and Vietnamese), embedded and subset by reportlab."""

from __future__ import annotations

from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from whh_desktop.resources import resource

SANS = "WHHSans"
SANS_BOLD = "WHHSans-Bold"
MONO = "WHHMono"


@cache
def register() -> None:
    """Register once per process; later calls are free."""
    pdfmetrics.registerFont(TTFont(SANS, str(resource("fonts", "DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(SANS_BOLD, str(resource("fonts", "DejaVuSans-Bold.ttf"))))
    pdfmetrics.registerFont(TTFont(MONO, str(resource("fonts", "DejaVuSansMono.ttf"))))
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS)
    addMapping(SANS, 1, 1, SANS_BOLD)


def missing_glyphs(text: str, font: str = SANS) -> set[str]:
    """Characters the font cannot draw (emoji, scripts it lacks): letters warn instead of printing boxes."""
    register()
    face = pdfmetrics.getFont(font).face
    return {ch for ch in text if not ch.isspace() and ord(ch) not in face.charToGlyph}
