"""The one-page "Notfallschlüssel" PDF that setup prints once, rendered in memory (nothing touches the disk)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.domain.letterhead import Letterhead
from whh_desktop.core.letters import fonts
from whh_desktop.core.store.keys import recovery_key_groups

BLACK = HexColor("#000000")
GREY = HexColor("#555555")
RED = HexColor("#b00020")


@dataclass(frozen=True)
class SheetLayout:
    """Named geometry of the sheet (A4 portrait; y measured from the bottom edge, as reportlab does)."""

    left: float = 25 * mm
    right: float = A4[0] - 20 * mm
    letterhead_top: float = A4[1] - 20 * mm
    letterhead_name_size: float = 11
    letterhead_line: float = 4.5 * mm
    title_baseline: float = A4[1] - 52 * mm
    facts_top: float = A4[1] - 70 * mm
    facts_value_left: float = 25 * mm + 32 * mm
    facts_line: float = 5.5 * mm
    key_box_gap: float = 5 * mm
    key_box_height: float = 44 * mm
    key_size: float = 24
    key_row_pitch: float = 20 * mm
    key_hint_gap: float = 4.5 * mm
    instructions_gap: float = 10 * mm
    signature_top: float = 46 * mm
    signature_pitch: float = 11 * mm
    signature_label_width: float = 45 * mm
    footer_baseline: float = 12 * mm


LAYOUT = SheetLayout()

INSTRUCTIONS = [
    "<b>Was ist das?</b> Der Notfallschlüssel öffnet die verschlüsselten Daten von WHH Desktop, wenn alle "
    "Passwörter verloren sind. Er wird nur einmal bei der Einrichtung erzeugt und ist nirgends sonst im Klartext "
    "gespeichert; niemand – auch nicht der Support – kann ihn ersetzen.",
    "<b>Aufbewahren:</b> im Tresor oder verschlossenen Stahlschrank der Stelle, <b>nie zusammen mit dem Laptop</b> "
    "oder in der Laptoptasche. Nicht kopieren, fotografieren, einscannen oder per E-Mail versenden. "
    "<b>Wer diesen Schlüssel und den Laptop hat, kann alle Daten lesen.</b>",
    "<b>Wer darf ihn benutzen?</b> Nur die Standortleitung oder eine von ihr ausdrücklich beauftragte Person, "
    "und nur, wenn kein Passwort mehr weiterhilft. Jede Anmeldung mit dem Notfallschlüssel wird im Protokoll "
    "vermerkt.",
    "<b>So geht es:</b> 1.\u00a0WHH Desktop starten und im Anmeldefenster „Passwort vergessen…“ wählen. "
    "2.\u00a0Benutzernamen und die acht Gruppen eingeben (Groß- und Kleinschreibung, Leerzeichen und Bindestriche "
    "sind egal). 3.\u00a0Ein neues Passwort vergeben (mindestens 12 Zeichen). Danach das Blatt sofort zurück in "
    "den Tresor legen.",
    "<b>Verloren oder gesehen?</b> Fehlt das Blatt oder könnte eine unbefugte Person es gesehen oder "
    "fotografiert haben, sofort die Administration informieren. Sie entscheidet mit der oder dem "
    "Datenschutzbeauftragten über das weitere Vorgehen.",
]
KEY_HINT = "Nur Großbuchstaben A–Z und Ziffern 2–7; die Ziffern 0, 1 und 8 kommen nicht vor."
SIGNATURE_LABELS = ("Aufbewahrt von", "Ort der Aufbewahrung")


def render_recovery_sheet(recovery_key: str, letterhead: Letterhead, site_label: str, store_id: str,
                          created_at: datetime) -> bytes:
    """One A4 page with the key in eight groups, the instructions and lines for the keeper; PDF bytes."""
    c, buffer, y = start_sheet(letterhead, "Notfallschlüssel für WHH Desktop",
                               "VERTRAULICH – im Tresor aufbewahren, nie zusammen mit dem Laptop",
                               [("Standort", site_label), ("Datenbestand", store_id)], created_at)
    box_bottom = _key_box(c, LAYOUT, recovery_key_groups(recovery_key), y - LAYOUT.key_box_gap)
    return finish_sheet(c, buffer, box_bottom - LAYOUT.instructions_gap, INSTRUCTIONS,
                        "WHH Desktop · Notfallschlüssel · Dieses Blatt wird nur einmal erzeugt. Nicht kopieren.")


def start_sheet(letterhead: Letterhead, title: str, warning: str, facts: list[tuple[str, str]],
                created_at: datetime) -> tuple[Canvas, io.BytesIO, float]:
    """A key sheet up to its facts (letterhead, title, red warning, facts and the creation day); the canvas, its
    buffer and the height below the facts."""
    fonts.register()
    lay = LAYOUT
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=fonts.SANS)  # no stray Helvetica
    c.setTitle(title)
    c.setAuthor(fonts.printable(letterhead.name) or "WHH Desktop")
    c.setCreator("WHH Desktop")

    _letterhead(c, lay, letterhead)
    c.setFont(fonts.SANS_BOLD, 20)
    c.drawString(lay.left, lay.title_baseline, title)
    c.setFont(fonts.SANS_BOLD, 10)
    c.setFillColor(RED)
    c.drawString(lay.left, lay.title_baseline - 7 * mm, warning)
    c.setFillColor(BLACK)

    y = lay.facts_top
    for label, value in (*facts, ("Erstellt am", fmt_date(created_at))):  # the local calendar day
        c.setFont(fonts.SANS, 10)
        c.setFillColor(GREY)
        c.drawString(lay.left, y, label)
        c.setFillColor(BLACK)
        _draw_fitted(c, fonts.printable(value), lay.facts_value_left, y, lay.right - lay.facts_value_left,
                     fonts.SANS, 10)
        y -= lay.facts_line
    return c, buffer, y


def finish_sheet(c: Canvas, buffer: io.BytesIO, y: float, instructions: list[str], footer: str) -> bytes:
    """The instructions from height ``y`` down, the keeper's lines, the footer; the PDF bytes."""
    lay = LAYOUT
    style = ParagraphStyle("body", fontName=fonts.SANS, fontSize=9.5, leading=12.5)
    for text in instructions:
        para = Paragraph(text, style)
        _, h = para.wrap(lay.right - lay.left, y)
        para.drawOn(c, lay.left, y - h)
        y -= h + 3 * mm

    _signature_lines(c, lay)
    c.setFont(fonts.SANS, 7.5)
    c.setFillColor(GREY)
    c.drawString(lay.left, lay.footer_baseline, footer)
    c.showPage()
    c.save()
    return buffer.getvalue()


def _letterhead(c: Canvas, lay: SheetLayout, letterhead: Letterhead) -> None:
    width = lay.right - lay.left
    y = lay.letterhead_top
    c.setFont(fonts.SANS_BOLD, lay.letterhead_name_size)
    name_lines = simpleSplit(fonts.printable(letterhead.name), fonts.SANS_BOLD, lay.letterhead_name_size, width)
    if len(name_lines) > 2:  # the rest goes on the second line, shrunk and if need be cut with "…"
        name_lines = [name_lines[0], " ".join(name_lines[1:])]
    for line in name_lines:
        _draw_fitted(c, line, lay.left, y, width, fonts.SANS_BOLD, lay.letterhead_name_size)
        y -= lay.letterhead_line + 0.5 * mm
    c.setFillColor(GREY)
    contact = " · ".join(x.strip() for x in (letterhead.phone, letterhead.email) if x.strip())
    for line in (letterhead.street.strip(), f"{letterhead.plz} {letterhead.city}".strip(), contact):
        if line:
            _draw_fitted(c, fonts.printable(line), lay.left, y, width, fonts.SANS, 9)
            y -= lay.letterhead_line
    c.setFillColor(BLACK)


def _key_box(c: Canvas, lay: SheetLayout, groups: list[str], top: float) -> float:
    """The key in two rows of four numbered groups (so a helper on the phone can ask for "Gruppe 3")."""
    width = lay.right - lay.left
    bottom = top - lay.key_box_height
    c.setStrokeColor(HexColor("#333333"))
    c.setLineWidth(1.2)
    c.roundRect(lay.left, bottom, width, lay.key_box_height, 3 * mm)
    per_row = 4
    column = width / per_row
    for i, group in enumerate(groups):
        row, pos = divmod(i, per_row)
        centre = lay.left + column * pos + column / 2
        baseline = top - 15 * mm - row * lay.key_row_pitch
        c.setFont(fonts.MONO, lay.key_size)
        c.drawCentredString(centre, baseline, group)
        c.setFont(fonts.SANS, 7.5)
        c.setFillColor(GREY)
        c.drawCentredString(centre, baseline - 5 * mm, f"Gruppe {i + 1}")
        c.setFillColor(BLACK)
    c.setFont(fonts.SANS, 8)
    c.setFillColor(GREY)
    c.drawCentredString(lay.left + width / 2, bottom - lay.key_hint_gap, KEY_HINT)
    c.setFillColor(BLACK)
    return bottom


def _signature_lines(c: Canvas, lay: SheetLayout) -> None:
    c.setFont(fonts.SANS, 9)
    c.setStrokeColor(BLACK)
    c.setLineWidth(0.5)
    line_left = lay.left + lay.signature_label_width
    for i, label in enumerate(SIGNATURE_LABELS):
        y = lay.signature_top - i * lay.signature_pitch
        c.drawString(lay.left, y, label)
        c.line(line_left, y - 1 * mm, lay.right, y - 1 * mm)
    y = lay.signature_top - len(SIGNATURE_LABELS) * lay.signature_pitch
    date_end = line_left + 35 * mm
    c.drawString(lay.left, y, "Datum")
    c.line(line_left, y - 1 * mm, date_end, y - 1 * mm)
    c.drawString(date_end + 5 * mm, y, "Unterschrift")
    c.line(date_end + 5 * mm + c.stringWidth("Unterschrift ", fonts.SANS, 9), y - 1 * mm, lay.right, y - 1 * mm)


def _draw_fitted(c: Canvas, text: str, x: float, y: float, width: float, font: str, size: float) -> None:
    """Draw on one line, shrinking the type (down to 70 %) and then cutting with "…" so nothing leaves the page."""
    fitted = size
    while c.stringWidth(text, font, fitted) > width and fitted > size * 0.7:
        fitted -= 0.25
    while c.stringWidth(text, font, fitted) > width and len(text) > 1:
        text = text[:-2] + "…"
    c.setFont(font, fitted)
    c.drawString(x, y, text)
    c.setFont(font, size)
