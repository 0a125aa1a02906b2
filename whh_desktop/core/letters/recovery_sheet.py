"""The one-page "Notfallschlüssel" PDF that setup prints once, rendered in memory."""

from __future__ import annotations

import io
from datetime import datetime

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from whh_desktop.core.letters import fonts
from whh_desktop.core.services.site_settings import Letterhead
from whh_desktop.core.store.keys import recovery_key_groups

LEFT = 25 * mm
RIGHT = A4[0] - 20 * mm
GREY = HexColor("#555555")

INSTRUCTIONS = [
    "<b>Was ist das?</b> Mit diesem Schlüssel lassen sich die verschlüsselten Daten von WHH Desktop öffnen, "
    "wenn alle Passwörter verloren sind. Ohne ihn und ohne ein Passwort kann niemand die Daten wiederherstellen "
    "– auch nicht der Support.",
    "<b>Aufbewahren:</b> im Tresor oder Stahlschrank der Stelle, <b>nie</b> beim Laptop, nicht fotografieren, "
    "nicht per E-Mail versenden. Wer diesen Schlüssel und den Laptop hat, kann alle Daten lesen.",
    "<b>Benutzen:</b> nur die Standortleitung oder eine von ihr beauftragte Person. Beim Anmelden "
    "»Passwort vergessen…« wählen, Benutzernamen und diesen Schlüssel eingeben (Groß- und Kleinschreibung und "
    "Bindestriche sind egal) und ein neues Passwort vergeben.",
    "<b>Verloren oder gesehen?</b> Sofort die Administration informieren. Sie kann einen neuen Datenbestand "
    "mit neuem Schlüssel einrichten und die Daten aus einer Sicherung übernehmen.",
]


def render_recovery_sheet(recovery_key: str, letterhead: Letterhead, site_label: str, store_id: str,
                          created_at: datetime) -> bytes:
    fonts.register()
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=fonts.SANS)  # no stray Helvetica
    c.setTitle("Notfallschlüssel WHH Desktop")
    c.setAuthor(letterhead.name or "WHH Desktop")
    height = A4[1]

    y = height - 20 * mm
    c.setFont(fonts.SANS_BOLD, 11)
    c.drawString(LEFT, y, letterhead.name)
    c.setFont(fonts.SANS, 9)
    c.setFillColor(GREY)
    details = [letterhead.street, f"{letterhead.plz} {letterhead.city}".strip(),
               " · ".join(x for x in (letterhead.phone, letterhead.email) if x)]
    for line in filter(None, details):
        y -= 4.5 * mm
        c.drawString(LEFT, y, line)
    c.setFillColor(HexColor("#000000"))

    y = height - 55 * mm
    c.setFont(fonts.SANS_BOLD, 20)
    c.drawString(LEFT, y, "Notfallschlüssel für WHH Desktop")
    c.setFont(fonts.SANS_BOLD, 10)
    c.setFillColor(HexColor("#b00020"))
    c.drawString(LEFT, y - 7 * mm, "VERTRAULICH – im Tresor aufbewahren, nie zusammen mit dem Laptop")
    c.setFillColor(HexColor("#000000"))

    y -= 20 * mm
    c.setFont(fonts.SANS, 10)
    for label, value in (("Standort", site_label), ("Datenbestand", store_id),
                         ("Erstellt am", created_at.astimezone().strftime("%d.%m.%Y"))):
        c.setFillColor(GREY)
        c.drawString(LEFT, y, label)
        c.setFillColor(HexColor("#000000"))
        c.drawString(LEFT + 32 * mm, y, value)
        y -= 5.5 * mm

    # The key: two rows of four groups, each numbered so the wizard can ask for "Gruppe 3".
    groups = recovery_key_groups(recovery_key)
    box_top = y - 6 * mm
    box_height = 44 * mm
    c.setStrokeColor(HexColor("#333333"))
    c.setLineWidth(1.2)
    c.roundRect(LEFT, box_top - box_height, RIGHT - LEFT, box_height, 3 * mm)
    col = (RIGHT - LEFT) / 4
    for i, group in enumerate(groups):
        row, pos = divmod(i, 4)
        cx = LEFT + col * pos + col / 2
        gy = box_top - 17 * mm - row * 19 * mm
        c.setFont(fonts.MONO, 22)
        c.drawCentredString(cx, gy, group)
        c.setFont(fonts.SANS, 7.5)
        c.setFillColor(GREY)
        c.drawCentredString(cx, gy - 5 * mm, f"Gruppe {i + 1}")
        c.setFillColor(HexColor("#000000"))

    style = ParagraphStyle("body", fontName=fonts.SANS, fontSize=9.5, leading=13, spaceAfter=3 * mm)
    y = box_top - box_height - 8 * mm
    for text in INSTRUCTIONS:
        para = Paragraph(text, style)
        _, h = para.wrap(RIGHT - LEFT, y)
        para.drawOn(c, LEFT, y - h)
        y -= h + 3 * mm

    y = 45 * mm
    c.setFont(fonts.SANS, 9)
    for i, label in enumerate(("Aufbewahrt von", "Ort der Aufbewahrung", "Datum, Unterschrift")):
        ly = y - i * 11 * mm
        c.drawString(LEFT, ly, label)
        c.line(LEFT + 45 * mm, ly - 1 * mm, RIGHT, ly - 1 * mm)
    c.setFont(fonts.SANS, 7.5)
    c.setFillColor(GREY)
    c.drawString(LEFT, 12 * mm, "WHH Desktop · Dieses Blatt wird nur einmal erzeugt; der Schlüssel ist nirgends "
                                "sonst im Klartext gespeichert.")
    c.showPage()
    c.save()
    return buffer.getvalue()
