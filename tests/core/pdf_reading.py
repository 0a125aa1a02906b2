"""Reading the letters' PDFs back in pure Python (pypdf), so no letter test depends on poppler or can skip.

``pdf_text`` is the text of every page; ``pdf_words`` gives each word of a page with its box in mm from the top-left
corner of the page, like ``pdftotext -bbox`` did: ``(x0, y0, x1, y1, word)``, top and bottom from the font's
ascent and descent. pypdf reports each text run with the text and current matrix where the run began (it does not
advance them over the glyphs shown), so the run's right end is measured with reportlab's metrics of the same TTF
that drew it; a run that begins where the previous one began (a font switch inside a line: bold, or the next
256-glyph subset of the same font) continues at the previous run's end.
"""

from __future__ import annotations

import io
import unicodedata

from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from whh_desktop.core.letters import fonts

MM = 72 / 25.4
_SAME = 0.01  # pt: two runs beginning here are one line continued


def pdf_pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _clean(text: str) -> str:
    """NFC, and every run of blanks one space (pypdf pads gaps between runs with spaces of its own)."""
    return "\n".join(" ".join(line.split()) for line in unicodedata.normalize("NFC", text).splitlines())


def page_text(pdf: bytes, page: int = 1) -> str:
    return _clean(PdfReader(io.BytesIO(pdf)).pages[page - 1].extract_text())


def pdf_text(pdf: bytes) -> str:
    """The text of all pages, one line of the page a line of the result."""
    return "\n".join(_clean(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages)


def _mult(a: list[float], b: list[float]) -> list[float]:
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3], a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def _font(base_font: str) -> str:
    if "Bold" in base_font:
        return fonts.SANS_BOLD
    return fonts.MONO if "Mono" in base_font else fonts.SANS


def pdf_words(pdf: bytes, page: int = 1) -> list[tuple[float, float, float, float, str]]:
    """The words of a page as ``(x0, y0, x1, y1, word)`` in mm from the top-left corner, in reading order."""
    fonts.register()
    pdf_page = PdfReader(io.BytesIO(pdf)).pages[page - 1]
    height = float(pdf_page.mediabox.top)
    out: list[tuple[float, tuple[float, float, float, float, str]]] = []  # (baseline, word)
    word_spacing = 0.0
    begun: tuple[float, float] | None = None  # where pypdf says the last run began
    glyphs: list[tuple[str, float, float, float, float, float]] = []  # the line: char, left, right, top, bottom, base

    def flush() -> None:
        word: list[tuple[str, float, float, float, float, float]] = []
        for glyph in [*glyphs, (" ", 0.0, 0.0, 0.0, 0.0, 0.0)]:
            if not glyph[0].isspace():
                word.append(glyph)
            elif word:
                out.append((word[0][5], (word[0][1] / MM, (height - max(g[3] for g in word)) / MM, word[-1][2] / MM,
                                         (height - min(g[4] for g in word)) / MM,
                                         unicodedata.normalize("NFC", "".join(g[0] for g in word)))))
                word = []
        glyphs.clear()

    def before(operator: bytes, operands: list, cm: list[float], tm: list[float]) -> None:
        nonlocal word_spacing
        if operator == b"Tw":  # reportlab squeezes a line that would overflow a little with a negative Tw
            word_spacing = float(operands[0])

    def visit(text: str, cm: list[float], tm: list[float], font_dict, font_size: float) -> None:
        nonlocal begun
        if font_dict is None:  # a space or line break pypdf put between runs
            return
        text = text.rstrip("\n")
        assert "\n" not in text, f"one pypdf run over several lines: {text!r}"
        m = _mult(tm, cm)
        assert abs(m[1]) < 1e-6 and abs(m[2]) < 1e-6, f"rotated text: {text!r}"
        x, y, scale = m[4], m[5], m[0]
        if begun and abs(begun[0] - x) < _SAME and abs(begun[1] - y) < _SAME and glyphs:
            pen = glyphs[-1][2]  # the line goes on in another font or font subset
        else:
            text = text.lstrip()  # a space pypdf put for the gap to the previous run
            if not text:
                return
            flush()
            pen = x
        begun = (x, y)
        font = _font(str(font_dict["/BaseFont"]))
        descriptor = font_dict["/FontDescriptor"].get_object()
        top = y + float(descriptor["/Ascent"]) / 1000 * font_size * m[3]
        bottom = y + float(descriptor["/Descent"]) / 1000 * font_size * m[3]
        for ch in text:
            # Tw widens the single-byte space, which is how reportlab encodes a space in every subset.
            width = (stringWidth(ch, font, font_size) + (word_spacing if ch == " " else 0.0)) * scale
            glyphs.append((ch, pen, pen + width, top, bottom, y))
            pen += width

    pdf_page.extract_text(visitor_operand_before=before, visitor_text=visit)
    flush()
    # Reading order, as pdftotext gives it: top to bottom, then left to right (pypdf keeps the order of drawing).
    return [word for _, word in sorted(out, key=lambda item: (-round(item[0], 1), item[1][0]))]
