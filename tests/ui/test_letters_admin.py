"""Verwaltung → Briefe: footer and logo, the site's own letter texts (broken ones refused with their line), reset
and a preview with fictional data. Real stores; every modal dialog answered through ``answers``."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox

from tests.core.pdf_reading import pdf_pages
from tests.ui.conftest import click
from whh_desktop.core.letters import templates
from whh_desktop.core.services import letters
from whh_desktop.ui import files
from whh_desktop.ui.views.admin.letters import (
    OWN_TEXT,
    STANDARD_TEXT,
    LettersController,
    LettersTab,
    PreviewDialog,
    TemplateDialog,
)
from whh_desktop.ui.widgets.fields import is_marked

CODE = "jc_sachstand"
BROKEN = "# Sachstand {{ klient_name }}\n\nText mit {{ klientname }} darin.\nNoch eine Zeile.\n"
GOOD = "# Nachfrage für {{ klient_name }}\n\nEigener Text der Beratungsstelle.\n"


def png(width: int = 40, height: int = 20) -> bytes:
    """A small grey PNG, written by hand."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.fixture
def tab(qtbot, unlocked) -> LettersTab:
    store, admin = unlocked
    widget = LettersTab(LettersController(store, admin))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def source(tab: LettersTab, code: str = CODE) -> tuple[str, bool]:
    with tab.controller.store.read_session() as s:
        return templates.source_for(s, code)


def row_index(tab: LettersTab, code: str = CODE) -> int:
    return next(i for i, r in enumerate(tab.rows) if r.kind.code == code)


def text_column(tab: LettersTab, code: str = CODE) -> str:
    return tab.table.cell(row_index(tab, code), 3)


def test_the_catalogue_is_listed_with_the_standard_text(tab) -> None:
    assert tab.table.rowCount() == len(letters.letter_types()) == 15
    assert {tab.table.cell(i, 3) for i in range(tab.table.rowCount())} == {STANDARD_TEXT}
    assert "Alle Briefe" in tab.own_count.text()
    assert not tab.edit_button.isEnabled()  # nothing selected yet
    tab.select(CODE)
    assert tab.edit_button.isEnabled() and not tab.reset_button.isEnabled()


def test_a_broken_template_is_refused_with_its_line_and_nothing_typed_is_lost(qtbot, tab, answers) -> None:
    seen: dict[str, object] = {}

    def edit(dialog: TemplateDialog) -> None:
        assert "Sachstandsanfrage" in dialog.text and not dialog.reset_button.isEnabled()
        assert dialog.variables.count() == len(templates.FIELDS)
        marked = {dialog.variables.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.variables.count())
                  if dialog.variables.item(i).text().endswith("✓")}
        assert {"antrag_gegenstand", "klient_name", "bg_nummer"} <= marked and "kaltmiete" not in marked
        dialog.variables.setCurrentRow(list(templates.FIELDS).index("kaltmiete"))
        dialog.editor.moveCursor(QTextCursor.MoveOperation.End)
        dialog.insert_button.click()
        assert dialog.text.endswith("{{ kaltmiete }}")
        dialog.mark_used()
        assert dialog.variables.currentItem().text().endswith("✓")
        dialog.editor.setPlainText(BROKEN)
        dialog.save_button.click()
        seen["open"] = dialog.isVisible()
        seen["message"] = dialog.message.text()
        seen["line"] = dialog.editor.textCursor().blockNumber() + 1
        seen["marked"] = is_marked(dialog.editor)
        seen["kept"] = dialog.text
        # an unclosed block: the line Jinja names, in German
        dialog.editor.setPlainText("# Betreff\n\n{% if klient_name %}\nText ohne Ende\n")
        dialog.save_button.click()
        seen["second"] = dialog.message.text()
        dialog.editor.setPlainText(GOOD)
        dialog.save_button.click()
        seen["closed"] = not dialog.isVisible()

    answers.on(TemplateDialog, edit)
    tab.select(CODE)
    tab.edit_button.click()
    assert seen["open"] and seen["marked"] and seen["kept"] == BROKEN
    assert str(seen["message"]).startswith("Nicht gespeichert. Zeile 3: ")
    assert "Unbekannter Platzhalter »klientname«" in str(seen["message"])
    assert seen["line"] == 3  # the cursor stands on the broken line
    assert "Zeile" in str(seen["second"]) and "endif" in str(seen["second"])
    assert seen["closed"]
    assert source(tab) == (GOOD, True)
    assert text_column(tab) == OWN_TEXT and tab.reset_button.isEnabled()
    assert "1 von 15" in tab.own_count.text() and "gespeichert" in tab.message.text()


def test_a_missing_subject_line_is_refused_on_line_one(qtbot, tab, answers) -> None:
    seen = {}

    def edit(dialog: TemplateDialog) -> None:
        dialog.editor.setPlainText("Kein Betreff\n\nText.\n")
        dialog.editor.moveCursor(QTextCursor.MoveOperation.End)
        dialog.save_button.click()
        seen["message"], seen["line"] = dialog.message.text(), dialog.editor.textCursor().blockNumber() + 1
        dialog.editor.document().setModified(False)

    answers.on(TemplateDialog, edit)
    tab.select(CODE)
    tab.edit_button.click()
    assert "Zeile 1:" in seen["message"] and "Betreff" in seen["message"] and seen["line"] == 1
    assert source(tab)[1] is False


def test_cancelling_with_changes_asks_before_discarding(qtbot, tab, answers) -> None:
    seen = {}

    def edit(dialog: TemplateDialog) -> None:
        dialog.editor.insertPlainText("Zusatz ")
        dialog.cancel_button.click()
        seen["after_no"] = dialog.isVisible()
        dialog.cancel_button.click()
        seen["after_yes"] = dialog.isVisible()

    answers.on(TemplateDialog, edit)
    answers.on(QMessageBox, lambda box: click(box, "Weiter bearbeiten"))
    answers.on(QMessageBox, lambda box: click(box, "Verwerfen"))
    tab.select(CODE)
    tab.edit_button.click()
    assert seen == {"after_no": True, "after_yes": False}
    assert answers.texts[0] == "Ungespeicherte Eingaben verwerfen?"
    assert source(tab)[1] is False


def test_reset_brings_back_the_shipped_text_after_confirmation(qtbot, tab, answers) -> None:
    letters.save_template(tab.controller.store, tab.controller.user, CODE, GOOD)
    tab.refresh()
    tab.select(CODE)
    assert text_column(tab) == OWN_TEXT
    answers.on(QMessageBox, lambda box: click(box, "Abbrechen"))
    tab.reset_button.click()
    assert source(tab) == (GOOD, True)  # cancelled: nothing changed
    answers.on(QMessageBox, lambda box: click(box, "Zurücksetzen"))
    tab.reset_button.click()
    assert source(tab) == (templates.shipped_source(CODE), False)
    assert text_column(tab) == STANDARD_TEXT and not tab.reset_button.isEnabled()
    assert "Standardtext" in tab.message.text()


def test_reset_from_the_editor(qtbot, tab, answers) -> None:
    letters.save_template(tab.controller.store, tab.controller.user, "klient_vollmacht",
                          "# Vollmacht\n\n{{ klient_name }}, geboren am {{ klient_geburtsdatum }}\n")
    tab.refresh()
    seen = {}

    def edit(dialog: TemplateDialog) -> None:
        seen["text"] = dialog.text
        dialog.reset_button.click()

    answers.on(TemplateDialog, edit)
    answers.on(QMessageBox, lambda box: click(box, "Zurücksetzen"))
    tab.select("klient_vollmacht")
    tab.edit_button.click()
    assert seen["text"].startswith("# Vollmacht\n")
    assert source(tab, "klient_vollmacht")[1] is False
    assert text_column(tab, "klient_vollmacht") == STANDARD_TEXT


def test_the_preview_renders_the_text_in_the_editor_with_fictional_data(qtbot, tab, answers) -> None:
    seen = {}

    def look(dialog: PreviewDialog) -> None:
        seen["pages"] = dialog.pages
        seen["title"] = dialog.windowTitle()

    def edit(dialog: TemplateDialog) -> None:
        dialog.editor.setPlainText(GOOD)
        answers.on(PreviewDialog, look)
        dialog.preview_button.click()
        dialog.editor.setPlainText(BROKEN)
        dialog.preview_button.click()  # broken: no preview dialog, the line is named
        seen["message"] = dialog.message.text()
        dialog.editor.document().setModified(False)

    answers.on(TemplateDialog, edit)
    tab.select(CODE)
    tab.edit_button.click()
    assert seen["pages"] == 1 and "Sachstandsanfrage" in seen["title"]
    assert seen["message"].startswith("Zeile 3: ")
    assert source(tab)[1] is False  # a preview saves nothing
    answers.on(PreviewDialog, lambda d: seen.update(tab_pages=d.pages))
    tab.preview_button.click()
    assert seen["tab_pages"] == 1


@pytest.mark.parametrize("code", [t.code for t in letters.letter_types()])
def test_every_shipped_letter_previews(tab, code) -> None:
    kind = next(t for t in letters.letter_types() if t.code == code)
    rendered = tab.controller.preview(kind, templates.shipped_source(code))
    assert rendered.pages == pdf_pages(rendered.pdf) >= 1  # the page count shown is the document's


def test_footer_and_logo_are_saved_and_the_logo_removed(qtbot, tab, tmp_path: Path, monkeypatch) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(png())
    monkeypatch.setattr(files, "choose_open_path", lambda *a: logo)
    tab.footer.setPlainText("Träger: Beispiel e. V.\nSparkasse Herford · IBAN DE00 0000 0000 0000 0000 00")
    tab.choose_logo_button.click()
    assert tab.logo.pixmap() is not None and not tab.logo.pixmap().isNull()
    assert "noch nicht gespeichert" in tab.logo_state.text()
    assert tab.save_settings()
    with tab.controller.store.read_session() as s:
        saved = letters.letter_settings(s)
    assert saved.footer.startswith("Träger: Beispiel e. V.\nSparkasse") and saved.logo == png()
    assert tab.logo_state.text() == "Gespeichertes Logo." and "gespeichert" in tab.settings_message.text()
    tab.remove_logo_button.click()
    assert "entfernt" in tab.logo_state.text()
    tab.save_button.click()
    with tab.controller.store.read_session() as s:
        saved = letters.letter_settings(s)
    assert saved.logo is None and saved.footer.startswith("Träger")
    assert not tab.remove_logo_button.isEnabled() and "Kein Logo" in tab.logo_state.text()


def test_a_bad_footer_or_logo_is_refused_in_german_and_nothing_is_lost(qtbot, tab, tmp_path: Path,
                                                                        monkeypatch) -> None:
    four = "Zeile eins\nZeile zwei\nZeile drei\nZeile vier"
    tab.footer.setPlainText(four)
    assert not tab.save_settings()
    assert "höchstens 3 Zeilen" in tab.settings_message.text() and is_marked(tab.footer)
    assert tab.footer.toPlainText() == four
    text = tmp_path / "kein-bild.png"
    text.write_text("kein Bild")
    monkeypatch.setattr(files, "choose_open_path", lambda *a: text)
    tab.footer.setPlainText("Bankverbindung")
    tab.choose_logo_button.click()
    assert tab.logo.text() == "Bild nicht lesbar"
    assert not tab.save_settings()
    assert "PNG- oder JPEG" in tab.settings_message.text() and is_marked(tab.logo) and not is_marked(tab.footer)
    assert tab.footer.toPlainText() == "Bankverbindung" and tab.pending_logo == text
    text.unlink()  # the file vanished meanwhile
    assert not tab.save_settings() and "gibt es nicht" in tab.settings_message.text()
    with tab.controller.store.read_session() as s:
        assert letters.letter_settings(s).footer == ""  # nothing half-saved
    tab.refresh()  # switching tabs keeps unsaved input
    assert tab.footer.toPlainText() == "Bankverbindung" and tab.pending_logo == text
    tab.revert_button.click()
    assert tab.footer.toPlainText() == "" and tab.pending_logo is None


def test_a_counsellor_account_may_not_change_letters(qtbot, counsellor, answers) -> None:
    store, user = counsellor
    widget = LettersTab(LettersController(store, user))
    qtbot.addWidget(widget)
    widget.footer.setPlainText("Bankverbindung")
    assert not widget.save_settings()
    assert widget.settings_message.text() == "Briefkopf und Brieftexte pflegt die Administration."
    seen = {}

    def edit(dialog: TemplateDialog) -> None:
        dialog.editor.setPlainText(GOOD)
        dialog.save_button.click()
        seen["message"] = dialog.message.text()
        dialog.editor.document().setModified(False)

    answers.on(TemplateDialog, edit)
    widget.select(CODE)
    widget.edit_button.click()
    assert seen["message"] == "Briefkopf und Brieftexte pflegt die Administration."
    with store.read_session() as s:
        assert templates.source_for(s, CODE)[1] is False
