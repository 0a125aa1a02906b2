"""The Notfallschlüssel sheet: one page, every group as text, the fonts embedded, umlauts intact."""

from __future__ import annotations

import io
import unicodedata
from datetime import UTC, datetime

from pypdf import PdfReader

from whh_desktop.core.letters import fonts
from whh_desktop.core.letters.recovery_sheet import render_recovery_sheet
from whh_desktop.core.services.site_settings import Letterhead
from whh_desktop.core.store.keys import new_recovery_key, recovery_key_groups

LETTERHEAD = Letterhead("Wohnungsnotfallhilfe Bünde – Ökumenisches Büro (Fiktiv)", "Große Straße 5", "32257",
                        "Bünde", "05223 000000", "beratung-buende@example.org")
NAMES = "Nguyễn Thị Minh Khai Łukasz Żółkiewski Ömer Çelik Şükrü Öztürk Müller Straße Ștefan Țurcanu Yılmaz Đặng"


def render(key: str, letterhead: Letterhead = LETTERHEAD, created_at: datetime | None = None) -> PdfReader:
    pdf = render_recovery_sheet(key, letterhead, "Bünde", "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b",
                                created_at or datetime(2026, 11, 25, 9, tzinfo=UTC))
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def test_sheet_is_one_page_with_every_group_the_letterhead_and_the_date() -> None:
    key = new_recovery_key()
    reader = render(key)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    groups = recovery_key_groups(key)
    assert len(groups) == 8 and all(len(g) == 5 for g in groups)
    for group in groups:
        assert group in text
    for line in LETTERHEAD.address_lines():  # umlauts and ß come out exactly as entered
        assert line in text
    assert "Notfallschlüssel für WHH Desktop" in text
    assert "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b" in text and "25.11.2026" in text
    assert "Passwort vergessen…" in text
    for label in ("Aufbewahrt von", "Datum", "Unterschrift"):
        assert label in text


def test_every_font_is_embedded_and_no_standard_font_is_referenced() -> None:
    page = render(new_recovery_key()).pages[0]
    used = page["/Resources"]["/Font"]
    names = set()
    for ref in used.values():
        font = ref.get_object()
        names.add(str(font["/BaseFont"]))
        assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]  # the TrueType program is in the file
    assert any("DejaVuSansMono" in n for n in names) and any("DejaVuSans-Bold" in n for n in names)
    assert not any("Helvetica" in n or "Times" in n or "Courier" in n for n in names)


def test_a_long_letterhead_and_a_naive_date_still_fit_on_one_page() -> None:
    long = Letterhead("Evangelische Diakoniestiftung Herford – Fachberatungsstelle Wohnungsnotfallhilfe "
                      "Enger/Spenge, Beratungsbüro im Ökumenischen Zentrum mit einem wirklich langen Namen 🌻",
                      "Große Straße 5", "32130", "Enger")
    reader = render(new_recovery_key(), long, datetime(2026, 1, 2, 23, 30))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "02.01.2026" in text and "Evangelische Diakoniestiftung Herford" in text


def test_font_covers_the_names_of_the_people_we_serve() -> None:
    assert fonts.missing_glyphs(NAMES) == set()
    assert fonts.missing_glyphs(NAMES, fonts.SANS_BOLD) == set()
    assert fonts.missing_glyphs("🌻") == {"🌻"}
    # The mono face is for keys and codes only: it lacks some Vietnamese letters.
    assert fonts.missing_glyphs("Nguyễn", fonts.MONO) == {"ễ"}


def test_printable_composes_accents_and_marks_what_the_font_cannot_draw() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Müller")
    assert fonts.printable(decomposed) == "Nguyễn Müller"
    assert fonts.printable("Blume 🌻") == f"Blume {fonts.REPLACEMENT}"
    assert fonts.printable("Nguyễn", fonts.MONO) == f"Nguy{fonts.REPLACEMENT}n"
