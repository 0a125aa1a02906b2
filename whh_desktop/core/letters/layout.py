"""Lay out DIN 5008 Form B letters with reportlab, in memory (DESIGN.md §4: no temp file with personal data).

Page templates as in pretix: ``first`` (letterhead, return address, address window, information block) and
``later`` (a short reference line); fold and hole marks and the footer on every page. "Seite x von y" is drawn by
a canvas that keeps its pages until the end, so the total is known; several letters in one PDF (serial letters)
each count their own pages. Letters of one page carry no page number.

The body comes as light markup (see ``resources/letters/README.md``): blank line = new paragraph, ``- `` bullet,
``[x] ``/``[ ] `` check box, ``| `` a line kept as it is, ``## `` a bold heading, ``**bold**`` inside a line.
"""

from __future__ import annotations

import copy
import functools
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags
from reportlab.platypus.paraparser import ParaFrag

from whh_desktop.core.letters import fonts
from whh_desktop.core.letters.geometry import FORM_B, PAGE_WIDTH, Din5008B, from_top

GREY = HexColor("#555555")
MARK = HexColor("#888888")
ADDRESS_SIZE, ADDRESS_LEADING = 10.0, 12.0
RETURN_SIZE = 7.0
INFO_LABEL_SIZE, INFO_VALUE_SIZE, INFO_LEADING = 7.5, 9.0, 4.2 * mm
BODY_SIZE, BODY_LEADING = 10.5, 14.0
ELLIPSIS = "…"


@dataclass(frozen=True)
class LetterContent:
    """Everything one letter shows; all strings are plain text (the layout escapes them)."""

    sender_name: str
    sender_lines: tuple[str, ...]           # under the name in the letterhead (address, phone, e-mail)
    return_address: str                     # one line above the recipient, e.g. "Stelle · Straße 1 · 32584 Löhne"
    recipient_lines: tuple[str, ...]
    info: tuple[tuple[str, str], ...]       # (label, value) of the information block
    subject: str
    body: str
    notes: tuple[str, ...] = ()             # above the return address, e.g. "Einschreiben"
    closing: str = "Mit freundlichen Grüßen"
    signature: tuple[str, ...] = ()         # name and role under the closing
    sign_lines: tuple[str, ...] = ()        # lines to sign on (client letters): "Ort, Datum", "Unterschrift …"
    reference: str = ""                     # head line of following pages
    footer: str = ""                        # e.g. bank details; up to 3 lines
    logo: bytes | None = None


@dataclass
class Layout:
    """Result of a layout: the PDF and what was shortened or could not be drawn (German, for the UI)."""

    pdf: bytes
    pages: list[int] = field(default_factory=list)  # pages per letter
    warnings: list[str] = field(default_factory=list)


# ---- what reportlab can draw ----------------------------------------------------------------------------------
# Right-to-left scripts (reportlab neither reorders nor joins them) and characters outside the BMP (emoji).
_UNSHAPEABLE = re.compile("[\u0590-\u08ff\ufb1d-\ufefc\U00010000-\U0010ffff]")


def unprintable(text: str) -> set[str]:
    """Characters that would not print as written: missing in the font, right-to-left, emoji."""
    return fonts.missing_glyphs(text) | set(_UNSHAPEABLE.findall(text))


def printable(text: str) -> str:
    """``fonts.printable`` plus a visible "�" for right-to-left letters and emoji (DESIGN.md §10)."""
    return _UNSHAPEABLE.sub(fonts.REPLACEMENT, fonts.printable(text))


# ---- fitting text into fixed boxes ----------------------------------------------------------------------------
def ellipsize(text: str, font: str, size: float, width: float) -> str:
    """Cut ``text`` with "…" so it fits ``width``."""
    if stringWidth(text, font, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if stringWidth(text[:mid].rstrip() + ELLIPSIS, font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ELLIPSIS


def fit_address(lines: Sequence[str], width: float, max_lines: int = FORM_B.recipient_zone_lines,
                font: str = fonts.SANS, size: float = ADDRESS_SIZE) -> tuple[list[str], list[str]]:
    """The recipient's lines for the window: long lines wrap while there is room, else are cut; more than
    ``max_lines`` lines keep the first ones and the last two (street, PLZ and place). Returns lines and warnings."""
    warnings: list[str] = []
    clean = [printable(" ".join(line.split())) for line in lines if line and line.strip()]
    if len(clean) > max_lines:
        dropped = clean[max_lines - 2:-2]
        clean = clean[:max_lines - 2] + clean[-2:]
        warnings.append(f"Die Anschrift hat {len(clean) + len(dropped)} Zeilen, im Sichtfenster ist Platz für "
                        f"{max_lines}. Weggelassen: {' / '.join(dropped)}.")
    out: list[str] = []
    for index, line in enumerate(clean):
        if stringWidth(line, font, size) <= width:
            out.append(line)
            continue
        room = max_lines - len(out) - (len(clean) - index - 1)
        parts = simpleSplit(line, font, size, width)
        if 1 < len(parts) <= room:
            out.extend(parts)
            continue
        cut = ellipsize(line, font, size, width)
        out.append(cut)
        warnings.append(f"Eine Zeile der Anschrift ist zu lang für das Sichtfenster und wurde gekürzt: »{cut}«.")
    return out, warnings


# ---- body markup ----------------------------------------------------------------------------------------------
_BOLD = re.compile(r"\*\*(.+?)\*\*")


_GLUE = re.compile(r"(§§?|Abs\.|Nr\.|Satz|Art\.|Az\.) (?=\d)")
_EURO = re.compile(r"(\d) (?=€)")


def _inline(text: str) -> str:
    """Escaped text with **bold**; "§ 22", "Abs. 4", "424,45 €" and the like never break at the line end."""
    glued = _EURO.sub("\\1\u00a0", _GLUE.sub("\\1\u00a0", printable(text)))
    return _BOLD.sub(r"<b>\1</b>", escape(glued))


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles, made once per process (platypus never changes a style it is given)."""
    body = ParagraphStyle("body", fontName=fonts.SANS, fontSize=BODY_SIZE, leading=BODY_LEADING,
                          spaceAfter=BODY_LEADING * 0.6)
    line = ParagraphStyle("line", parent=body, spaceAfter=0)
    return {
        "body": body,
        # no keepWithNext: the subject always stands first in the first page's frame, where keeping it with the
        # next paragraph only costs a KeepTogether (and would move it off the page before a very long paragraph)
        "subject": ParagraphStyle("subject", parent=body, fontName=fonts.SANS_BOLD, spaceAfter=BODY_LEADING * 1.4),
        "heading": ParagraphStyle("heading", parent=body, fontName=fonts.SANS_BOLD, spaceAfter=2, keepWithNext=1),
        "item": ParagraphStyle("item", parent=body, leftIndent=6 * mm, bulletIndent=1.5 * mm, spaceAfter=2,
                               bulletFontName=fonts.SANS),
        "line": line,
        "sign": ParagraphStyle("sign", parent=line, fontSize=8.5, textColor=GREY),
    }


_UNSET = object()
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class _SharedParagraph(Paragraph):
    """A paragraph that recurs in one PDF (the same sentence in every serial letter, or wrapped again by
    ``KeepTogether``): its markup is parsed once and it is broken into lines once per width; every place it
    stands gets a shallow copy sharing that work. The halves reportlab makes when it splits one at a page end are
    of this class too but share nothing (``_memo`` None)."""

    _memo: dict[tuple[object, float], dict[str, object]] | None = None
    _key: object = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        memo = self._memo
        if memo is None:
            return super().wrap(available_width, available_height)
        key = (self._key, available_width)
        done = memo.get(key)
        if done is None:  # line breaking does not depend on the height; keep what it set on the paragraph
            before = dict(self.__dict__)
            size = super().wrap(available_width, available_height)
            memo[key] = {k: v for k, v in self.__dict__.items() if before.get(k, _UNSET) is not v}
            return size
        self.__dict__.update(done)
        return self.width, self.height

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        """Where a serial letter draws the same paragraph at the same place as an earlier letter (all but the
        greeting, mostly), it is drawn once as a form and placed again (see ``_once``); only on the page itself,
        never inside a table or another transformed context."""
        seen = getattr(canvas, "whh_seen", None)
        key = ("paragraph", self._key, self.width, self.height, x, y, _sW)
        if self._memo is None or seen is None or canvas._currentMatrix != _IDENTITY:
            super().drawOn(canvas, x, y, _sW)
        elif key not in seen:  # the first time in place, as _once would (drawOn keeps the state itself)
            seen.add(key)
            super().drawOn(canvas, x, y, _sW)
        else:
            _once(canvas, key, lambda: Paragraph.drawOn(self, canvas, x, y, _sW))


@functools.cache
def _plain_frag(style: str) -> ParaFrag:
    """What reportlab's markup parser makes of a paragraph without markup in this style, as a model to clone."""
    frags = Paragraph("x", _styles()[style]).frags
    assert len(frags) == 1, frags
    return frags[0]


class _Twins:
    """The paragraphs of one PDF by text, style and bullet (see ``_SharedParagraph``)."""

    def __init__(self) -> None:
        self.parsed: dict[tuple[str, str, str | None], _SharedParagraph] = {}
        self.wrapped: dict[tuple[object, float], dict[str, object]] = {}
        self.bodies: dict[str, list[tuple[str, str, str | None] | None]] = {}

    def paragraph(self, text: str, style: str, bullet: str | None = None) -> Paragraph:
        key = (text, style, bullet)
        model = self.parsed.get(key)
        if model is None:
            model = self.parsed[key] = self._parse(text, style, bullet)
            model._memo, model._key = self.wrapped, key
        return copy.copy(model)

    @staticmethod
    def _parse(text: str, style: str, bullet: str | None) -> _SharedParagraph:
        """Most paragraphs carry no markup at all (no tag, no entity): they skip reportlab's HTML parser and get
        the fragment it would make, cloned from ``_plain_frag``."""
        clean = cleanBlockQuotedText(text)
        if clean and "<" not in text and "&" not in text:
            frags = [_plain_frag(style).clone(text=clean)]
            textTransformFrags(frags, _styles()[style])
            return _SharedParagraph(clean, _styles()[style], bulletText=bullet, frags=frags)
        return _SharedParagraph(text, _styles()[style], bulletText=bullet)


def _block_line(line: str) -> tuple[str, str, str | None] | None:
    """A line with its own paragraph (heading, bullet, check box, kept line) as (markup, style, bullet), or None
    for running text."""
    if line.startswith("## "):
        return _inline(line[3:]), "heading", None
    if line.startswith("- "):
        return _inline(line[2:]), "item", "•"
    if line[:4] in ("[x] ", "[X] ", "[ ] "):
        box = "\u2612" if line[1] in "xX" else "\u2610"
        return _inline(line[4:]), "item", box
    if line.startswith("|"):
        return _inline(line[1:].strip()) or "&nbsp;", "line", None
    return None


def _body_parts(body: str) -> list[tuple[str, str, str | None] | None]:
    """The body markup as paragraphs (markup, style, bullet); None is the gap after a list or a heading."""
    out: list[tuple[str, str, str | None] | None] = []
    for block in re.split(r"\n\s*\n", body.strip()):
        text: list[str] = []
        for raw in block.splitlines():
            line = raw.strip()
            if not line:
                continue
            special = _block_line(line)
            if special is None:
                text.append(_inline(line))
                continue
            if text:
                out.append((" ".join(text), "body", None))
                text = []
            out.append(special)
        if text:
            out.append((" ".join(text), "body", None))
        elif out and out[-1] is not None and out[-1][1] != "body":
            out.append(None)
    return out


def body_flowables(body: str, twins: _Twins | None = None) -> list[Flowable]:
    """The body markup as paragraphs; a serial letter's bodies are read and laid out once (``twins``)."""
    twins = twins or _Twins()
    parts = twins.bodies.get(body)
    if parts is None:
        parts = twins.bodies[body] = _body_parts(body)
    return [Spacer(0, BODY_LEADING * 0.6) if part is None else twins.paragraph(*part) for part in parts]


# ---- page decoration ------------------------------------------------------------------------------------------
class _State:
    """Which letter the page being drawn belongs to (set by ``_LetterStart`` as it is drawn)."""

    def __init__(self, letters: Sequence[LetterContent], on_letter: Callable[[int], None] | None) -> None:
        self.letters = letters
        self.current = 0
        self.page_in_letter = 0
        self.on_letter = on_letter
        self.warnings: list[str] = []
        self.pages: list[int] = [0] * len(letters)


class _LetterStart(Flowable):
    """Zero-size marker at the start of each letter."""

    def __init__(self, state: _State, index: int) -> None:
        super().__init__()
        self.state, self.index = state, index

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.state.current = self.index
        self.state.page_in_letter = 0
        if self.state.on_letter is not None:
            self.state.on_letter(self.index)


def _marks(canvas: Canvas, g: Din5008B) -> None:
    canvas.setStrokeColor(MARK)
    canvas.setLineWidth(0.4)
    for y in g.fold_marks:
        canvas.line(g.mark_left, from_top(y), g.mark_left + g.fold_mark_length, from_top(y))
    canvas.line(g.mark_left, from_top(g.hole_mark), g.mark_left + g.hole_mark_length, from_top(g.hole_mark))


def _footer(canvas: Canvas, letter: LetterContent, g: Din5008B) -> None:
    lines = [printable(x) for x in letter.footer.splitlines() if x.strip()][:3]
    if not lines:
        return
    canvas.setFont(fonts.SANS, 7)
    canvas.setFillColor(GREY)
    y = g.footer_bottom + (len(lines) - 1) * 8.5
    canvas.setStrokeColor(MARK)
    canvas.setLineWidth(0.3)
    canvas.line(g.margin_left, y + 9, PAGE_WIDTH - g.margin_right, y + 9)
    for line in lines:
        canvas.drawString(g.margin_left, y, ellipsize(line, fonts.SANS, 7, g.text_width))
        y -= 8.5


def _logo(canvas: Canvas, letter: LetterContent, g: Din5008B, state: _State) -> bool:
    if not letter.logo:
        return False
    try:
        image = ImageReader(io.BytesIO(letter.logo))
        w, h = image.getSize()
    except Exception:  # a damaged or unsupported image: the letter still goes out, without it
        message = "Das Logo im Briefkopf ist beschädigt oder kein Bild (PNG/JPEG) und wurde weggelassen."
        if message not in state.warnings:
            state.warnings.append(message)
        return False
    box_w, box_h = 45 * mm, 22 * mm
    scale = min(box_w / w, box_h / h)
    dw, dh = w * scale, h * scale
    canvas.drawImage(image, PAGE_WIDTH - g.margin_right - dw, from_top(10 * mm) - dh, dw, dh, mask="auto")
    return True


def _letterhead(canvas: Canvas, letter: LetterContent, g: Din5008B, state: _State) -> None:
    has_logo = _logo(canvas, letter, g, state)
    width = g.text_width - (50 * mm if has_logo else 0)
    canvas.setFillColor(HexColor("#000000"))
    canvas.setFont(fonts.SANS_BOLD, 13)
    canvas.drawString(g.margin_left, from_top(17 * mm),
                      ellipsize(printable(letter.sender_name), fonts.SANS_BOLD, 13, width))
    canvas.setFont(fonts.SANS, 8.5)
    canvas.setFillColor(GREY)
    y = from_top(23 * mm)
    for line in letter.sender_lines[:4]:
        canvas.drawString(g.margin_left, y, ellipsize(printable(line), fonts.SANS, 8.5, width))
        y -= 10.5


def _return_zone(canvas: Canvas, letter: LetterContent, g: Din5008B) -> None:
    """Notes, then the return address as the last line, bottom-aligned in the 17.7 mm above the window."""
    left = g.address_left + g.address_inset
    width = g.address_text_width
    zone_lines = [*letter.notes[: g.return_zone_lines - 1], letter.return_address]
    canvas.setFillColor(HexColor("#000000"))
    y = from_top(g.recipient_zone_top) + 2.2 * mm
    for index, line in enumerate(reversed(zone_lines)):
        size = RETURN_SIZE if index == 0 else 8.0
        font = fonts.SANS if index == 0 else fonts.SANS_BOLD
        text = ellipsize(printable(line), font, size, width)
        canvas.setFont(font, size)
        canvas.drawString(left, y, text)
        if index == 0:
            canvas.setLineWidth(0.3)
            canvas.setStrokeColor(HexColor("#000000"))
            canvas.line(left, y - 1.2, left + stringWidth(text, font, size), y - 1.2)
        y += size + 2.5


def _recipient(canvas: Canvas, letter: LetterContent, g: Din5008B, state: _State) -> None:
    lines, warnings = fit_address(letter.recipient_lines, g.address_text_width)
    state.warnings.extend(w for w in warnings if w not in state.warnings)
    canvas.setFillColor(HexColor("#000000"))
    canvas.setFont(fonts.SANS, ADDRESS_SIZE)
    y = from_top(g.recipient_zone_top + 3.6 * mm)
    for line in lines:
        canvas.drawString(g.address_left + g.address_inset, y, line)
        y -= ADDRESS_LEADING


def _info_block(canvas: Canvas, letter: LetterContent, g: Din5008B) -> None:
    value_left = g.info_left + 22 * mm
    width = g.info_right - value_left
    rows = [(label, printable(value)) for label, value in letter.info if value]
    top = from_top(g.info_top + 3 * mm)
    canvas.setFillColor(GREY)
    canvas.setFont(fonts.SANS, INFO_LABEL_SIZE)
    for index, (label, _) in enumerate(rows):
        canvas.drawString(g.info_left, top - index * INFO_LEADING, label)
    canvas.setFillColor(HexColor("#000000"))
    for index, (_, text) in enumerate(rows):
        natural = stringWidth(text, fonts.SANS, INFO_VALUE_SIZE)  # a width scales with the size: measure once
        size = INFO_VALUE_SIZE
        while size > 7 and natural * size / INFO_VALUE_SIZE > width:
            size -= 0.5
        canvas.setFont(fonts.SANS, size)
        fits = natural * size / INFO_VALUE_SIZE <= width
        canvas.drawString(value_left, top - index * INFO_LEADING, text if fits else ellipsize(text, fonts.SANS, size,
                                                                                              width))


def _once(canvas: Canvas, key: tuple[object, ...], draw: Callable[[], None]) -> None:
    """Draw what recurs (letterhead, return address, information block, marks and footer: the same in every
    serial letter) once per PDF as a form XObject and place that on each further page: the PDF holds it once, and
    every further page costs one operator instead of measuring, fitting and encoding the same strings again. The
    first time it is drawn in place (a one-page letter carries no form); forms are drawn in page coordinates and
    placed untransformed, so text extraction reads them where they are."""
    forms = canvas.whh_forms
    name = forms.get(key)
    if name is None and key not in canvas.whh_seen:
        canvas.whh_seen.add(key)
        canvas.saveState()
        draw()
        canvas.restoreState()
        return
    if name is None:
        name = forms[key] = f"WHHForm{len(forms)}"
        canvas.beginForm(name)
        canvas.saveState()
        draw()
        canvas.restoreState()
        canvas.endForm()
    canvas.doForm(name)


def _page_end(state: _State, g: Din5008B, first: bool) -> Callable[[Canvas, BaseDocTemplate], None]:
    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        letter = state.letters[state.current]

        def head() -> None:
            _letterhead(canvas, letter, g, state)
            _return_zone(canvas, letter, g)

        def sheet() -> None:
            _marks(canvas, g)
            _footer(canvas, letter, g)

        canvas.saveState()
        if first:
            _once(canvas, ("head", letter.sender_name, letter.sender_lines, letter.logo, letter.notes,
                           letter.return_address), head)
            _recipient(canvas, letter, g, state)
            _once(canvas, ("info", letter.info), lambda: _info_block(canvas, letter, g))
        elif letter.reference:
            _once(canvas, ("reference", letter.reference), lambda: _reference(canvas, letter, g))
        _once(canvas, ("sheet", letter.footer), sheet)
        canvas.restoreState()
        state.page_in_letter += 1
        state.pages[state.current] = state.page_in_letter
        canvas._whh_page = (state.current, state.page_in_letter)  # read by _NumberedCanvas.save
    return draw


def _reference(canvas: Canvas, letter: LetterContent, g: Din5008B) -> None:
    canvas.setFont(fonts.SANS, 8)
    canvas.setFillColor(GREY)
    canvas.drawString(g.margin_left, from_top(17 * mm), ellipsize(printable(letter.reference), fonts.SANS, 8,
                                                                  g.text_width))


class _NumberedCanvas(Canvas):
    """Keeps every page until ``save`` so each can say "Seite x von y" of its own letter (one pass of layout: the
    totals are only drawn at the end), and holds the forms of ``_once``."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initialFontName", fonts.SANS)  # no Helvetica in the PDF at all
        super().__init__(*args, **kwargs)
        self._kept: list[dict] = []
        self.whh_forms: dict[tuple[object, ...], str] = {}
        self.whh_seen: set[tuple[object, ...]] = set()

    def showPage(self) -> None:
        self._kept.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        totals: dict[int, int] = {}
        for page in self._kept:
            letter, number = page.get("_whh_page", (0, 1))
            totals[letter] = max(totals.get(letter, 0), number)
        for page in self._kept:
            self.__dict__.update(page)
            letter, number = page.get("_whh_page", (0, 1))
            if totals[letter] > 1:
                self.saveState()
                self.setFont(fonts.SANS, 8.5)
                self.setFillColor(GREY)
                self.drawRightString(PAGE_WIDTH - FORM_B.margin_right, FORM_B.page_number_bottom,
                                     f"Seite {number} von {totals[letter]}")
                self.restoreState()
            Canvas.showPage(self)
        Canvas.save(self)


# ---- the document ---------------------------------------------------------------------------------------------
def _closing(letter: LetterContent, twins: _Twins, width: float) -> list[Flowable]:
    parts: list[Flowable] = []
    if letter.closing:
        parts += [Spacer(0, 2 * mm), twins.paragraph(_inline(letter.closing), "line"), Spacer(0, 14 * mm)]
        parts += [twins.paragraph(_inline(line), "line") for line in letter.signature]
    if letter.sign_lines:
        count, gap = len(letter.sign_lines), 10 * mm
        cell = (width - gap * (count - 1)) / count
        labels: list[object] = []
        widths: list[float] = []
        for index, text in enumerate(letter.sign_lines):
            if index:
                labels.append("")
                widths.append(gap)
            labels.append(twins.paragraph(_inline(text), "sign"))
            widths.append(cell)
        table = Table([[""] * len(labels), labels], colWidths=widths, rowHeights=[16 * mm, None])
        table.setStyle(TableStyle(
            [("LINEBELOW", (col, 0), (col, 0), 0.5, HexColor("#000000")) for col in range(0, len(labels), 2)]
            + [("FONTNAME", (0, 0), (-1, -1), fonts.SANS), ("LEFTPADDING", (0, 0), (-1, -1), 0),
               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        parts += [Spacer(0, 4 * mm), table]
    return parts


def render(letters: Sequence[LetterContent], *, title: str = "Brief", author: str = "WHH Desktop",
           on_letter: Callable[[int], None] | None = None, geometry: Din5008B = FORM_B) -> Layout:
    """One PDF with all ``letters``, each starting on a new first page. ``on_letter(i)`` is called as letter
    ``i`` is laid out (progress; it may raise to cancel)."""
    if not letters:
        raise ValueError("no letters")
    fonts.register()
    g = geometry
    state = _State(letters, on_letter)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=A4, title=title, author=author, creator="WHH Desktop",
                          initialFontName=fonts.SANS, leftMargin=g.margin_left, rightMargin=g.margin_right)
    width = g.text_width
    first = Frame(g.margin_left, g.body_bottom, width, from_top(g.body_top_first) - g.body_bottom, id="first",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    later = Frame(g.margin_left, g.body_bottom, width, from_top(g.body_top_following) - g.body_bottom, id="later",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([
        PageTemplate("first", [first], onPageEnd=_page_end(state, g, True), autoNextPageTemplate="later"),
        PageTemplate("later", [later], onPageEnd=_page_end(state, g, False)),
    ])
    twins = _Twins()
    story: list[Flowable] = []
    for index, letter in enumerate(letters):
        if index:
            story += [NextPageTemplate("first"), PageBreak()]
        story.append(_LetterStart(state, index))
        story.append(twins.paragraph(_inline(letter.subject), "subject"))
        body = body_flowables(letter.body, twins)
        closing = _closing(letter, twins, width)
        if body and closing:  # never a page with nothing but the greeting: the last paragraph goes along
            closing.insert(0, body.pop())
        story += body + ([KeepTogether(closing)] if closing else [])
    doc.build(story, canvasmaker=_NumberedCanvas)
    return Layout(buffer.getvalue(), state.pages, state.warnings)
