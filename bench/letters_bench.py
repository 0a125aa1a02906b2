"""Letter benchmarks (DESIGN.md §7: one letter ≤ 100 ms, 500 serial letters ≤ 20 s).

Measures the render path the app and ``whh letter render`` use (template → DIN 5008 layout → PDF bytes) for one
Jobcenter letter and for a serial letter to 100 and 500 landlords, each against the raw limit: a plain reportlab
canvas drawing the same text with the same embedded TTF (no templates, no page templates, no "Seite x von y").
"""

from __future__ import annotations

import io
from datetime import date

from bench.harness import Result, timed

TODAY = date(2026, 11, 24)
VALUES = {
    "klient_name": "Łukasz Żółkiewski", "klient_geburtsdatum": "17. Mai 1984", "bg_nummer": "32584BG0001234",
    "mietwohnung": "Lübbecker Straße 999, 32584 Löhne", "vermieter_name": "Wohnbau Werre GmbH",
    "mietrueckstand": "1.410,00 €", "kuendigung_datum": "25. September 2026", "kuendigung_art": "fristlos",
    "klage_zugestellt": "15. November 2026", "gericht": "Amtsgericht Bad Oeynhausen", "gericht_az": "12 C 345/26",
    "schonfrist_ende": "15. Januar 2027", "aktenzeichen": "LOE-2026-00042", "berater_name": "Birgit Schulz",
    "berater_telefon": "05732 000000", "berater_email": "beratung-loehne@example.org",
    "stelle_name": "Beratungsstelle Löhne (Fiktiv)", "datum": "24. November 2026",
    "anrede": "Sehr geehrte Damen und Herren,",
}


def _draft(code: str, recipient_name: str = "Jobcenter Herford – Geschäftsstelle Löhne"):
    from whh_desktop.core.domain import letter_catalogue as catalogue
    from whh_desktop.core.letters import templates
    from whh_desktop.core.services.address_book import Recipient
    from whh_desktop.core.services.letters import Draft
    from whh_desktop.core.services.site_settings import Letterhead

    kind = catalogue.get(code)
    recipient = Recipient(kind.recipient_kinds[0], recipient_name,
                          (recipient_name, "Leistungsabteilung", "Oeynhausener Straße 941", "32584 Löhne"))
    letterhead = Letterhead("Beratungsstelle Löhne (Fiktiv)", "Musterstraße 1", "32584", "Löhne", "05732 000000",
                            "beratung-loehne@example.org")
    return Draft(kind, None, recipient, dict(VALUES), [], None, [], templates.shipped_source(code), False,
                 letterhead, "Sparkasse Herford · IBAN DE00 0000 0000 0000 0000 00", None, None, TODAY)


def _raw(contents) -> bytes:
    """The same text on a bare canvas: the floor any letter layout with this font stands on."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen.canvas import Canvas

    from whh_desktop.core.letters import fonts

    fonts.register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, initialFontName=fonts.SANS)
    for content in contents:
        y = A4[1] - 20 * mm
        canvas.setFont(fonts.SANS, 10)
        for line in (content.sender_name, *content.recipient_lines, *(f"{a} {b}" for a, b in content.info),
                     content.subject):
            canvas.drawString(25 * mm, y, line)
            y -= 12
        for paragraph in content.body.split("\n\n"):
            for line in simpleSplit(paragraph.replace("\n", " "), fonts.SANS, 10.5, 165 * mm):
                if y < 30 * mm:
                    canvas.showPage()
                    canvas.setFont(fonts.SANS, 10)
                    y = A4[1] - 25 * mm
                canvas.drawString(25 * mm, y, line)
                y -= 14
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _serial(count: int):
    from whh_desktop.core.letters import layout
    from whh_desktop.core.services import letters

    contents = [letters.compose(_draft("vermieter_vorstellung_swv", f"Vermieterin {i:03d} Öztürk"))
                for i in range(count)]
    return contents, lambda: layout.render(
        [letters.compose(_draft("vermieter_vorstellung_swv", f"Vermieterin {i:03d} Öztürk")) for i in range(count)])


def run() -> list[Result]:
    from whh_desktop.core.services import letters

    draft = _draft("jc_mietschulden")
    letters.render(draft)  # warm up: font registration, template compilation
    one = timed(lambda: letters.render(draft), repeat=7)
    raw_one = timed(lambda: _raw([letters.compose(draft)]), repeat=7)
    results = [Result("Brief rendern (Mietschulden-Antrag, 1 Seite)", one * 1000, "ms", 100.0, raw_one * 1000,
                      "reportlab-Canvas, gleicher Text")]
    for count, target in ((100, None), (500, 20.0)):
        contents, work = _serial(count)
        seconds = timed(work)
        raw = timed(lambda c=contents: _raw(c))
        results.append(Result(f"Serienbrief an {count} Vermieter (ein PDF)", seconds, "s", target, raw,
                              "reportlab-Canvas, gleicher Text"))
    return results


if __name__ == "__main__":
    for r in run():
        print(f"{r.measure}: {r.value:.3f} {r.unit} (raw {r.raw:.3f}, ×{r.ratio:.1f}, Ziel {r.target})")
