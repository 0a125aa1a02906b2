"""Letter benchmarks (DESIGN.md §7: one letter ≤ 100 ms, 500 serial letters ≤ 20 s).

Measures the render path the app and ``whh letter render`` use (template → DIN 5008 layout → PDF bytes) for one
Jobcenter letter and for a serial letter to 100 and 500 landlords, each against the raw limit: a plain reportlab
canvas drawing the same text (letterhead, window, information block, body, closing, footer, page numbers) with the
same two embedded faces, but no templates, no flowables, no page templates. Each side is the median of three
runs, the sides taking turns.
"""

from __future__ import annotations

import io
import statistics
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


def _raw_lines(content, width: float) -> list[tuple[str, float, str]]:
    """The text lines of a letter's running text as (font, size, line): subject, body, closing, signature,
    signing lines, wrapped with reportlab's plain ``simpleSplit``; the light markup reduced to its visible text."""
    from reportlab.lib.utils import simpleSplit

    from whh_desktop.core.letters import fonts

    out = [(fonts.SANS_BOLD, 10.5, line) for line in simpleSplit(content.subject, fonts.SANS_BOLD, 10.5, width)]
    for block in content.body.split("\n\n"):
        text: list[str] = []
        for raw in [*block.splitlines(), ""]:
            line = raw.strip().replace("**", "")
            special = None
            if line.startswith("## "):
                special = (fonts.SANS_BOLD, line[3:])
            elif line.startswith("- ") or line[:4] in ("[x] ", "[X] ", "[ ] "):
                special = (fonts.SANS, "• " + line.split(" ", 1)[1])
            elif line.startswith("|"):
                special = (fonts.SANS, line[1:].strip())
            if line and special is None:
                text.append(line)
                continue
            if text:
                out += [(fonts.SANS, 10.5, x) for x in simpleSplit(" ".join(text), fonts.SANS, 10.5, width)]
                text = []
            if special:
                out += [(special[0], 10.5, x) for x in simpleSplit(special[1], special[0], 10.5, width)]
    out += [(fonts.SANS, 10.5, line) for line in (content.closing, *content.signature, *content.sign_lines) if line]
    return out


def _raw(contents) -> bytes:
    """The same text on a bare canvas, the floor any letter layout with this font stands on: every string the
    letter shows (letterhead, return address, window, information block, subject, body, closing, footer, the
    reference line of following pages, "Seite x von y"), in the same two embedded faces, each string drawn with
    ``drawString`` at a fixed place; no templates, no flowables, no page templates."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from whh_desktop.core.letters import fonts
    from whh_desktop.core.letters.geometry import FORM_B as g
    from whh_desktop.core.letters.geometry import from_top

    fonts.register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, initialFontName=fonts.SANS)
    left, right = g.margin_left, A4[0] - g.margin_right
    for content in contents:
        lines = _raw_lines(content, g.text_width)
        first_room = int((from_top(g.body_top_first) - g.body_bottom) // 14)
        later_room = int((from_top(g.body_top_following) - g.body_bottom) // 14)
        total = 1 + max(0, -(-(len(lines) - first_room) // later_room))
        page, y = 1, from_top(g.body_top_first)
        canvas.setFont(fonts.SANS_BOLD, 13)
        canvas.drawString(left, from_top(17 * mm), content.sender_name)
        canvas.setFont(fonts.SANS, 8.5)
        for i, line in enumerate(content.sender_lines):
            canvas.drawString(left, from_top(23 * mm) - i * 10.5, line)
        canvas.setFont(fonts.SANS_BOLD, 8)
        for i, line in enumerate(content.notes):
            canvas.drawString(g.address_left + g.address_inset, from_top(50 * mm) - i * 10, line)
        canvas.setFont(fonts.SANS, 7)
        canvas.drawString(g.address_left + g.address_inset, from_top(g.recipient_zone_top) + 6, content.return_address)
        canvas.setFont(fonts.SANS, 10)
        for i, line in enumerate(content.recipient_lines):
            canvas.drawString(g.address_left + g.address_inset, from_top(g.recipient_zone_top + 3.6 * mm) - i * 12,
                              line)
        for i, (label, value) in enumerate(x for x in content.info if x[1]):
            canvas.setFont(fonts.SANS, 7.5)
            canvas.drawString(g.info_left, from_top(g.info_top + 3 * mm) - i * 12, label)
            canvas.setFont(fonts.SANS, 9)
            canvas.drawString(g.info_left + 22 * mm, from_top(g.info_top + 3 * mm) - i * 12, value)
        for index, (font, size, line) in enumerate(lines):
            if y < g.body_bottom:
                page, y = page + 1, from_top(g.body_top_following)
                canvas.showPage()
                canvas.setFont(fonts.SANS, 8)
                canvas.drawString(left, from_top(17 * mm), content.reference)
            canvas.setFont(font, size)
            canvas.drawString(left, y, line)
            y -= 14
            if y < g.body_bottom or index == len(lines) - 1:
                canvas.setFont(fonts.SANS, 7)
                for i, foot in enumerate(content.footer.splitlines()):
                    canvas.drawString(left, g.footer_bottom + 17 - i * 8.5, foot)
                if total > 1:
                    canvas.setFont(fonts.SANS, 8.5)
                    canvas.drawRightString(right, g.page_number_bottom, f"Seite {page} von {total}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _landlord(index: int):
    """The serial letter to one landlord as ``render_serial`` makes it: their name and their own greeting, so one
    paragraph differs from letter to letter as in the app."""
    from whh_desktop.core.letters import wording

    name = f"Frau Vermieterin {index:03d} Öztürk" if index % 2 else f"Wohnbau Werre {index:03d} GmbH"
    draft = _draft("vermieter_vorstellung_swv", name)
    draft.values |= {"empfaenger_name": name, "anrede": wording.salutation(name)}
    return draft


def _serial(count: int):
    from whh_desktop.core.letters import layout
    from whh_desktop.core.services import letters

    contents = [letters.compose(_landlord(i)) for i in range(count)]
    return contents, lambda: layout.render([letters.compose(_landlord(i)) for i in range(count)])


def _paired(fn, raw, repeat: int = 1) -> tuple[float, float]:
    """Each side as the median of three ``timed`` runs (each the best of ``repeat``), the two sides taking turns,
    so a burst of load on a shared machine hits both instead of one: one run near its bound proves nothing."""
    pairs = [(timed(fn, repeat), timed(raw, repeat)) for _ in range(3)]
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def run() -> list[Result]:
    from whh_desktop.core.services import letters

    draft = _draft("jc_mietschulden")
    letters.render(draft)  # warm up: font registration, template compilation
    content = letters.compose(draft)
    one, raw_one = _paired(lambda: letters.render(draft), lambda: _raw([content]), repeat=7)
    results = [Result("Brief rendern (Mietschulden-Antrag, 1 Seite)", one * 1000, "ms", 100.0, raw_one * 1000,
                      "reportlab-Canvas, gleicher Text")]
    for count, target in ((100, None), (500, 20.0)):
        contents, work = _serial(count)
        seconds, raw = _paired(work, lambda c=contents: _raw(c))
        results.append(Result(f"Serienbrief an {count} Vermieter (ein PDF)", seconds, "s", target, raw,
                              "reportlab-Canvas, gleicher Text"))
    return results


if __name__ == "__main__":
    for r in run():
        print(f"{r.measure}: {r.value:.3f} {r.unit} (raw {r.raw:.3f}, ×{r.ratio:.1f}, Ziel {r.target})")
