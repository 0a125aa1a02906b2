"""The core story with the keyboard alone (issue 18 point 3): intake → contact → eviction with Schonfrist →
consent → referral → letter → close, from a counsellor's main window, through QTest key events only. Every
interaction is counted by one driver; the story must take at most 45."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QTableWidget, QWidget

from tests.ui.conftest import ModalAnswers
from whh_desktop.ui import files, modal
from whh_desktop.ui.dialogs.case_file import CaseFileDialog
from whh_desktop.ui.dialogs.case_forms import CloseDialog, ConsentDialog, ContactDialog, EvictionDialog, ReferralDialog
from whh_desktop.ui.dialogs.intake import IntakeDialog
from whh_desktop.ui.dialogs.letter import LetterDialog


ANIMATED_CLICK_MS = 150


class KeyDriver:
    """The only way the story touches the app: key chords and typed text to whatever has the keyboard focus in
    the window the user would see in front (the open modal dialog, else the main window). Each chord counts 1,
    each typed text (into one field) counts 1, each click would count 1 (there are none)."""

    def __init__(self, qtbot, main: QWidget, answers: ModalAnswers) -> None:
        self.qtbot, self.main, self.answers = qtbot, main, answers
        self.count = 0
        self.steps: list[str] = []

    def front(self) -> QWidget:
        """The window in front, once the window system has made it active (offscreen activation is queued)."""
        # the dialogs the test harness shows instead of a modal loop, newest first
        shown = (d for d in reversed(self.answers.seen) if shiboken6.isValid(d) and d.isVisible())
        expected = next(shown, self.main)
        QApplication.processEvents()

        def in_front() -> bool:
            return (QApplication.activeWindow() is expected
                    and QGuiApplication.focusWindow() is expected.windowHandle())

        if not in_front():
            expected.activateWindow()
            self.qtbot.waitUntil(in_front, timeout=3000)
        return expected

    def focused(self) -> QWidget:
        window = self.front()
        return QApplication.focusWidget() or window

    def chord(self, keys: str) -> None:
        self.count += 1
        self.steps.append(keys)
        QTest.keySequence(self.focused(), QKeySequence(keys))
        if "Alt+" in keys:  # a mnemonic presses its button with Qt's animated click, which lands 100 ms later
            self.qtbot.wait(ANIMATED_CLICK_MS)

    def type(self, text: str) -> None:
        self.count += 1
        self.steps.append(repr(text))
        widget = self.focused()
        for char in text:  # QTest's own keyClicks knows ASCII only; a key event carries any character
            if char.isascii():
                QTest.keyClick(widget, char)
            else:
                QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, char,
                                   Qt.KeyboardModifier.NoModifier)


class CaseView:
    """The ONE place that knows how an opened case is shown and how its parts are reached by keys. Today the case
    file is a dialog with a tab per part (the tab's mnemonic opens it); when the case becomes a page of the main
    window, only this class changes."""

    def __init__(self, keys: KeyDriver, answers: ModalAnswers) -> None:
        self.keys, self.answers = keys, answers
        self.view: CaseFileDialog | None = None

    def expect_opening(self, story: Callable[[CaseView], None]) -> None:
        """The next opened case runs ``story`` (the case file is shown through the harness's modal answers)."""
        def run(dialog: CaseFileDialog) -> None:
            self.view = dialog
            story(self)

        self.answers.on(CaseFileDialog, run)

    def case_view(self) -> CaseFileDialog:
        assert self.view is not None, "no case open"
        return self.view

    def open_part(self, name: str) -> None:
        tabs = self.case_view().tabs
        titles = [tabs.tabText(i) for i in range(tabs.count())]
        title = next(t for t in titles if t.replace("&", "") == name)
        self.keys.chord(f"Alt+{title[title.index('&') + 1].upper()}")
        assert tabs.tabText(tabs.currentIndex()) == title

    def rows(self, table_name: str) -> list[list[str]]:
        table = self.case_view().findChild(QTableWidget, table_name)
        return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


# ---- the story ---------------------------------------------------------------------------------------------------
MAX_INTERACTIONS = 45  # issue 18: "The core story takes at most 45 interactions (today about 71)"
SERVED = date.today() - timedelta(days=3)


def test_core_story_by_keyboard_alone(qtbot, counsellor_window, answers, monkeypatch, tmp_path,
                                      record_property) -> None:
    win = counsellor_window
    keys = KeyDriver(qtbot, win, answers)
    case = CaseView(keys, answers)
    pdf_path = tmp_path / "mietschulden.pdf"
    done: list[str] = []

    # The operating system's file chooser cannot take QTest keys; Qt's own chooser stands in and gets the path typed.
    def choose_save_path(parent, title, suggested_name, filter_text):
        chooser = QFileDialog(parent, title, str(tmp_path), filter_text)
        chooser.setOption(QFileDialog.Option.DontUseNativeDialog)
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        chooser.selectFile(suggested_name)
        modal.run_modal(chooser)
        chosen = chooser.selectedFiles()
        return Path(chosen[0]) if chooser.result() == QDialog.DialogCode.Accepted and chosen else None

    monkeypatch.setattr(files, "choose_save_path", choose_save_path)

    def intake_form(d: IntakeDialog) -> None:
        keys.type("Żółkiewski")            # the first field has the focus
        keys.chord("Tab")
        keys.type("Łukasz")
        keys.chord("Tab")
        keys.type("12.3.1970")
        keys.chord("Alt+K")
        keys.type("Vlotho")
        keys.chord("Alt+N")
        keys.type("Räumungsklage")         # any part of the entry finds it
        keys.chord("Return")               # »seit« is today's date already; Aufnehmen is the default button
        assert not d.isVisible(), d.message.text()

    def contact(d: ContactDialog) -> None:
        keys.chord("Return")               # today, 30 minutes, Beratung im Büro
        assert not d.isVisible(), d.message.text()

    def eviction(d: EvictionDialog) -> None:
        keys.type("fristlos wegen")        # the form opens on the kind of termination
        keys.chord("Alt+Z")
        keys.type(SERVED.strftime("%d.%m.%Y"))
        keys.chord("Return")
        assert not d.isVisible(), d.message.text()

    def consent(d: ConsentDialog) -> None:
        keys.chord("Space")                # the first recipient, Jobcenter, has the focus
        keys.chord("Return")
        assert not d.isVisible(), d.message.text()

    def referral(d: ReferralDialog) -> None:
        keys.type("Jobcenter")
        assert d.consent.text().startswith("✔"), d.consent.text()
        keys.chord("Return")
        assert not d.isVisible(), d.message.text()

    def letter(d: LetterDialog) -> None:
        keys.type("Mietschulden")
        assert d.letter_type.code == "jc_mietschulden" and "Jobcenter" in d.recipient.currentText()
        assert "fehlt" in d.preview_state.text()
        for text in ("Lübbecker Straße 12, 32602 Vlotho", "Wohnbau Weser GmbH", "1.410,00"):
            keys.chord("Return")           # to the next field the letter needs
            keys.type(text)
        # »liegt jetzt in der Akte … In die Anträge übernehmen?«
        answers.on(QMessageBox, lambda box: keys.chord("Alt+A"))
        keys.chord("Return")               # nothing missing: filed in the case, as PDF
        assert not d.isVisible(), d.preview_state.text()

    def save_as(chooser: QFileDialog) -> None:
        keys.type(str(pdf_path))
        keys.chord("Return")

    def close(d: CloseDialog) -> None:
        assert "Schonfrist" in d.open_items.text()
        keys.type("Wohnung erhalten")
        keys.chord("Alt+O")                # the Schonfrist and the referral stay open
        keys.chord("Return")
        assert not d.isVisible(), d.message.text()

    def in_the_case(case: CaseView) -> None:
        answers.on(ContactDialog, contact)
        case.open_part("Kontakte")
        keys.chord("Alt+E")
        assert len(case.rows("contacts")) == 1

        answers.on(EvictionDialog, eviction)
        case.open_part("Miete und Räumung")
        keys.chord("Alt+E")
        assert case.rows("proceedings")[0][2] == SERVED.strftime("%d.%m.%Y")
        assert any(row[1].startswith("Schonfrist") for row in case.rows("deadlines"))

        answers.on(ConsentDialog, consent)
        case.open_part("Einwilligungen")
        keys.chord("Alt+E")
        assert case.rows("consents")[0][1] == "Jobcenter"

        answers.on(ReferralDialog, referral)
        case.open_part("Vermittlungen")
        keys.chord("Alt+N")
        assert case.rows("referrals")[0][1] == "Jobcenter"

        answers.on(LetterDialog, letter)
        case.open_part("Dokumente")
        keys.chord("Alt+B")
        documents = case.rows("documents")
        assert len(documents) == 1 and "Mietschulden" in documents[0][1]

        answers.on(CloseDialog, close)
        keys.chord("Alt+A")
        assert "abgeschlossen" in case.case_view().header.text()

    answers.on(IntakeDialog, intake_form)
    case.expect_opening(in_the_case)
    keys.chord("Ctrl+N")
    print(done)
    print(f"\nKeyboard-only core story: {keys.count} interactions: {' · '.join(keys.steps)}")
    record_property("interactions", keys.count)
    assert not answers.pending
    assert keys.count <= MAX_INTERACTIONS
