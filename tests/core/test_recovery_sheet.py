"""The Notfallschlüssel sheet: one page, every group as text, the font embedded, umlauts intact."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from pypdf import PdfReader

from whh_desktop.core.letters.fonts import missing_glyphs
from whh_desktop.core.letters.recovery_sheet import render_recovery_sheet
from whh_desktop.core.services.site_settings import Letterhead
from whh_desktop.core.store.keys import new_recovery_key, recovery_key_groups


def test_sheet_has_all_groups_and_embedded_font() -> None:
    key = new_recovery_key()
    lh = Letterhead("Wohnungsnotfallhilfe Bünde (Fiktiv)", "Große Straße 5", "32257", "Bünde", "05223 000000")
    pdf = render_recovery_sheet(key, lh, "Bünde", "store-id-123", datetime(2026, 11, 25, 9, tzinfo=UTC))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for group in recovery_key_groups(key):
        assert group in text
    assert "Wohnungsnotfallhilfe Bünde (Fiktiv)" in text and "Große Straße 5" in text
    assert "Notfallschlüssel für WHH Desktop" in text and "25.11.2026" in text
    fonts = {str(f["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("WHHMono" in f or "DejaVuSansMono" in f for f in fonts)
    assert all(f.split("+")[0] and "Helvetica" not in f for f in fonts)  # no unembedded standard font


def test_font_covers_the_names_of_the_people_we_serve() -> None:
    assert missing_glyphs("Nguyễn Thị Minh Khai Łukasz Żółkiewski Ömer Çelik Şükrü Öztürk Müller Straße") == set()
    assert missing_glyphs("🌻") == {"🌻"}
