"""The one-page "Escrow-Schlüssel" sheet that goes into the district's safe with the escrow key file.

Same layout as the recovery sheet (``recovery_sheet``). The secret itself lives only in the file (on a USB stick
or CD in the safe); the sheet names it, shows its fingerprint in eight groups so the right medium can be found
and checked, and says when and how to use it. Rendered in memory.
"""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm

from whh_desktop.core.domain.letterhead import Letterhead
from whh_desktop.core.letters import fonts
from whh_desktop.core.letters.recovery_sheet import BLACK, GREY, LAYOUT, _key_box, finish_sheet, start_sheet

INSTRUCTIONS = [
    "<b>Was ist das?</b> Der Escrow-Schlüssel des Kreises öffnet jede Exportdatei, die ein Standort für den Kreis "
    "geschrieben hat – auch wenn der Datenbestand des Standorts verloren ist oder niemand mehr sein Passwort "
    "kennt. Der geheime Teil steht nur in der Schlüsseldatei, die mit diesem Blatt aufbewahrt wird; WHH Desktop "
    "speichert ihn nirgends.",
    "<b>Aufbewahren:</b> Datei (USB-Stick oder CD) und Blatt zusammen im Tresor der Kreisverwaltung, "
    "<b>nie auf einem Arbeitsplatzrechner oder Netzlaufwerk</b>. Nicht kopieren und nicht per E-Mail versenden. "
    "<b>Wer diese Datei hat, kann alle Exporte der Standorte lesen.</b>",
    "<b>Wer darf ihn benutzen?</b> Nur die Leitung der Kreisverwaltung oder eine von ihr beauftragte Person, "
    "gemeinsam mit der oder dem Datenschutzbeauftragten, zur Wiederherstellung nach einem Datenverlust oder "
    "für die jährliche Wiederherstellungsübung.",
    "<b>Prüfen:</b> Der Fingerabdruck oben muss mit dem übereinstimmen, den WHH Desktop beim Einlesen der Datei "
    "anzeigt. Weicht er ab, ist es nicht diese Datei.",
    "<b>Verloren oder gesehen?</b> Sofort einen neuen Escrow-Schlüssel erzeugen, die neue Schlüsseldatei des "
    "Kreises an alle Standorte geben und den alten Schlüssel damit ersetzen.",
]
FINGERPRINT_HINT = "Fingerabdruck des Escrow-Schlüssels (kein Geheimnis; zum Vergleichen)"


def render_escrow_sheet(key_id: str, fingerprint: str, letterhead: Letterhead, created_at: datetime) -> bytes:
    """One A4 page: letterhead, key id, fingerprint in eight groups, instructions, lines for the keeper (the key id
    and fingerprint as ``services.sync_keys.escrow_file_info`` reads them from the checked file)."""
    lay = LAYOUT
    c, buffer, y = start_sheet(letterhead, "Escrow-Schlüssel für WHH Desktop",
                               "STRENG VERTRAULICH – mit der Schlüsseldatei im Tresor aufbewahren, offline",
                               [("Stelle", "Kreis Herford"), ("Schlüssel-ID", key_id)], created_at)
    box_bottom = _key_box(c, lay, fingerprint.split("-"), y - lay.key_box_gap)
    c.setFont(fonts.SANS, 8)
    c.setFillColor(GREY)
    c.drawCentredString(lay.left + (lay.right - lay.left) / 2, box_bottom - lay.key_hint_gap - 4 * mm,
                        FINGERPRINT_HINT)
    c.setFillColor(BLACK)
    return finish_sheet(c, buffer, box_bottom - lay.instructions_gap - 4 * mm, INSTRUCTIONS,
                        "WHH Desktop · Escrow-Schlüssel des Kreises · Dieses Blatt wird nur einmal erzeugt.")
