"""Hilfe → Handbuch: F1 opens the German user guide inside the app; its search finds and marks hits."""

from __future__ import annotations

from PySide6.QtCore import Qt

from whh_desktop.ui.dialogs.handbook import HandbookDialog, handbook_text


def test_f1_opens_the_handbook_and_search_finds_schonfrist(qtbot, counsellor_window) -> None:
    win = counsellor_window
    assert win.handbook_action.shortcut().toString() == "F1"
    assert win.handbook_action in win.menuBar().actions()[-1].menu().actions()
    qtbot.keyClick(win, Qt.Key.Key_F1)
    dialog = win.findChild(HandbookDialog, "handbook_dialog")
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    assert dialog.focusWidget() is dialog.search  # typing goes straight into the search
    assert "Der Tag einer Beraterin" in dialog.browser.toPlainText()

    qtbot.keyClicks(dialog.search, "Schonfrist")
    count = len(dialog.hits)
    assert count >= 3
    assert dialog.selected_text().casefold() == "schonfrist"
    assert dialog.hits_label.text() == f"Treffer 1 von {count}"
    assert len(dialog.browser.extraSelections()) == count  # every hit is marked
    first = dialog.browser.textCursor().position()
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.hits_label.text() == f"Treffer 2 von {count}"
    assert dialog.browser.textCursor().position() > first
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert dialog.browser.textCursor().position() == first

    dialog.search.setText("Gibtesnichtimhandbuch")
    assert dialog.hits == [] and dialog.hits_label.text() == "nicht gefunden"
    assert dialog.browser.extraSelections() == []

    # a second F1 brings the same window back instead of opening another
    dialog.close()
    win.activateWindow()
    win.handbook_action.trigger()
    assert win.findChildren(HandbookDialog) == [dialog] and dialog.isVisible()


def test_the_guide_tells_both_days() -> None:
    text = handbook_text()
    for part in ("Anmelden", "Übersicht", "Erstaufnahme", "Kontakt", "Schonfrist", "Einwilligung", "Vermittlung",
                 "Brief", "Abschluss", "Austausch", "Dublette", "Berichte"):
        assert part in text, part
