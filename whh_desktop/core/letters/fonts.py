"""The fonts of every PDF, embedded and subset by reportlab.

``WHHSans`` (DejaVu Sans, normal and bold) covers German, Latin Extended (Polish, Turkish, Romanian, …) and
Vietnamese, so the names of the people we serve print as written. ``WHHMono`` (DejaVu Sans Mono) is for keys,
codes and numbers only: it lacks some Vietnamese letters (ễ, ầ, ả), so never set names in it.

reportlab neither shapes right-to-left scripts nor draws emoji; ``printable`` turns what the font cannot draw into
a visible replacement mark, and ``missing_glyphs`` lets a caller warn about it (DESIGN.md §10, Accessibility).
"""

from __future__ import annotations

import functools
import threading
import unicodedata

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from whh_desktop.resources import resource

SANS = "WHHSans"
SANS_BOLD = "WHHSans-Bold"
MONO = "WHHMono"
REPLACEMENT = "\ufffd"  # "�": visibly not the intended letter, unlike an empty box or a gap

_FILES = {SANS: "DejaVuSans.ttf", SANS_BOLD: "DejaVuSans-Bold.ttf", MONO: "DejaVuSansMono.ttf"}
_lock = threading.Lock()
_registered = False


def register() -> None:
    """Register the fonts with reportlab once per process (thread-safe; later calls are free)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, filename in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(resource("fonts", filename))))
        # Families, so <b> in a Paragraph picks the bold face; the mono face has no bold, it stays regular.
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(SANS, bold, italic, SANS_BOLD if bold else SANS)
                addMapping(MONO, bold, italic, MONO)
        _registered = True


@functools.cache
def _drawable(font: str) -> frozenset[str]:
    """The characters the font has a glyph for, as a set of one-character strings: checking a text against it is
    one set operation in C instead of a Python loop over every character (letters check every line they draw)."""
    register()
    return frozenset(map(chr, pdfmetrics.getFont(font).face.charToGlyph))


def missing_glyphs(text: str, font: str = SANS) -> set[str]:
    """Characters the font cannot draw (emoji, scripts it lacks): letters warn instead of printing boxes."""
    return {ch for ch in set(unicodedata.normalize("NFC", text)).difference(_drawable(font)) if not ch.isspace()}


def printable(text: str, font: str = SANS) -> str:
    """``text`` ready to draw: composed (reportlab does not place combining accents), and every character the
    font lacks replaced by a visible "�"."""
    composed = unicodedata.normalize("NFC", text)
    drawable = _drawable(font)
    lacking = set(composed).difference(drawable)
    if all(ch.isspace() for ch in lacking):
        return composed
    return "".join(ch if ch.isspace() or ch in drawable else REPLACEMENT for ch in composed)
