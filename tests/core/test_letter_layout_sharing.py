"""What a serial letter shares between its letters stays invisible: recurring paragraphs laid out once and, where
they stand at the same place, drawn once; letterhead, information block, marks and footer held once as form
XObjects; plain paragraphs past reportlab's markup parser; the glyph checks as set operations. Every letter in a
combined PDF reads as if rendered alone."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.platypus import Paragraph

from tests.core.pdf_reading import page_text, pdf_pages, pdf_words
from whh_desktop.core.letters import fonts, layout

LONG = "Der Bescheid lässt die tatsächlichen Kosten der Unterkunft außer Acht, Nguyễn Thị Minh Khai. " * 14


def _letter(name: str, body: str = "", **changes) -> layout.LetterContent:
    text = body or ("Sehr geehrte Damen und Herren,\n\nwir stellen Ihnen die Soziale Wohnraumvermittlung vor "
                    "(§ 22 Abs. 7 SGB II, 424,45 €).\n\n## Was wir bieten\n\n- eine feste Ansprechperson,\n"
                    "- **schnelle** Hilfe & Begleitung.\n\n[x] erledigt\n| Zeile   so")
    return replace(layout.LetterContent(
        sender_name="Beratungsstelle Löhne (Fiktiv)",
        sender_lines=("Musterstraße 1 · 32584 Löhne", "Telefon 05732 000000"),
        return_address="Beratungsstelle Löhne (Fiktiv) · Musterstraße 1 · 32584 Löhne",
        recipient_lines=(name, "Am Markt 9", "32584 Löhne"),
        info=(("Unser Zeichen", "LOE-2026-00042"), ("Datum", "24.11.2026")),
        subject="Soziale Wohnraumvermittlung – wir suchen Wohnungen", body=text,
        signature=("Birgit Schulz", "Beratungsstelle Löhne (Fiktiv)"), reference="LOE-2026-00042 · 24.11.2026",
        footer="Sparkasse Herford · IBAN DE00 0000 0000 0000 0000 00"), **changes)


def _pages_of(pdf: bytes) -> list[list[tuple[float, float, float, float, str]]]:
    return [pdf_words(pdf, n) for n in range(1, pdf_pages(pdf) + 1)]


def test_each_serial_letter_reads_as_if_rendered_alone() -> None:
    letters = [_letter("Vermieterin Şükrü Öztürk"), _letter("Łukasz Żółkiewski", f"{LONG}\n\n{LONG}\n\n{LONG}"),
               _letter("Wohnbau Werre GmbH"), _letter("Nguyễn Thị Minh Khai", f"{LONG}\n\n{LONG}\n\n{LONG}")]
    combined = layout.render(letters)
    alone = [layout.render([letter]) for letter in letters]
    assert combined.pages == [a.pages[0] for a in alone] and combined.pages[1] >= 2
    expected = [page for a in alone for page in _pages_of(a.pdf)]
    assert _pages_of(combined.pdf) == expected
    first_of_long = sum(combined.pages[:1]) + 1
    assert f"Seite 1 von {combined.pages[1]}" in page_text(combined.pdf, first_of_long)
    assert "Seite" not in page_text(combined.pdf, 1)


def _forms(pdf: bytes) -> tuple[int, set[int]]:
    """Pages and the distinct form XObjects they place."""
    reader = PdfReader(io.BytesIO(pdf))
    used: set[int] = set()
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject") or {}
        used |= {ref.idnum for ref in xobjects.values() if ref.get_object()["/Subtype"] == "/Form"}
    return len(reader.pages), used


def test_recurring_letterhead_info_block_footer_and_paragraphs_are_held_once() -> None:
    pdf = layout.render([_letter(f"Vermieterin {i:02d} Öztürk") for i in range(30)]).pdf
    pages, forms = _forms(pdf)
    twice = layout.render([_letter(f"Vermieterin {i:02d} Öztürk") for i in range(60)]).pdf
    assert pages == 30 and len(forms) >= 4  # head, info block, sheet and the recurring paragraphs
    assert _forms(twice)[0] == 60 and len(_forms(twice)[1]) == len(forms)  # twice the letters, no more forms
    contents = [page.get_contents().get_data() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert all(len(c) < len(contents[0]) / 3 for c in contents[2:])  # from the third on: window, greeting, places
    for n in (1, 17, 30):
        text = page_text(pdf, n)
        for shown in ("Beratungsstelle Löhne (Fiktiv)", "Musterstraße 1 · 32584 Löhne", "LOE-2026-00042",
                      "Sparkasse Herford", f"Vermieterin {n - 1:02d} Öztürk", "wir stellen Ihnen die Soziale",
                      "Was wir bieten", "schnelle Hilfe & Begleitung", "Mit freundlichen Grüßen"):
            assert shown in text, (n, shown)
    assert _forms(layout.render([_letter("Wohnbau Werre GmbH")]).pdf)[1] == set()  # one page: drawn in place


def test_a_letter_with_its_own_letterhead_gets_its_own_form() -> None:
    letters = [_letter("A"), _letter("B"), _letter("C", sender_name="Beratungsstelle Herford (Fiktiv)"),
               _letter("D", sender_name="Beratungsstelle Herford (Fiktiv)")]
    pdf = layout.render(letters).pdf
    heads = [" ".join(w[4] for w in pdf_words(pdf, n) if w[1] < 20) for n in (1, 2, 3, 4)]  # above 20 mm
    assert heads == ["Beratungsstelle Löhne (Fiktiv)"] * 2 + ["Beratungsstelle Herford (Fiktiv)"] * 2
    assert _forms(pdf)[1]  # from the second use on: each office's head, the info block, the sheet, paragraphs


PLAIN = st.lists(st.sampled_from([*"aeßäöüŁłễ €§.,-–\u00a0\n", "  ", "Nguyễn", "Öztürk", "e\u0301"]),
                 min_size=1, max_size=30).map("".join)


@given(PLAIN, st.sampled_from(["body", "subject", "item", "line", "sign", "heading"]))
def test_a_plain_paragraph_gets_the_fragments_reportlabs_parser_makes(text: str, style: str) -> None:
    fonts.register()
    shared = layout._Twins().paragraph(text, style)
    parsed = Paragraph(text, layout._styles()[style])
    assert [f.__dict__ for f in shared.frags] == [f.__dict__ for f in parsed.frags]
    assert shared.text == parsed.text and shared.style is parsed.style


def test_markup_still_goes_through_the_parser() -> None:
    fonts.register()
    shared = layout._Twins().paragraph("vor dem <b>15. Januar</b> &amp; danach", "body")
    assert [f.text for f in shared.frags if f.fontName == fonts.SANS_BOLD] == ["15. Januar"]
    assert "".join(f.text for f in shared.frags) == "vor dem 15. Januar & danach"


@given(st.text(max_size=40))
def test_printable_replaces_exactly_what_the_font_lacks(text: str) -> None:
    glyphs = fonts._drawable(fonts.SANS)
    composed = unicodedata.normalize("NFC", text)
    expected = "".join(ch if ch.isspace() or ch in glyphs else fonts.REPLACEMENT for ch in composed)
    assert fonts.printable(text) == expected
    assert fonts.missing_glyphs(text) == {ch for ch in composed if not ch.isspace() and ch not in glyphs}
    rtl_or_emoji = {ch for ch in text if "\u0590" <= ch <= "\u08ff" or "\ufb1d" <= ch <= "\ufefc" or ord(ch) > 0xFFFF}
    assert layout.unprintable(text) == fonts.missing_glyphs(text) | rtl_or_emoji
    assert not rtl_or_emoji & set(layout.printable(text))
