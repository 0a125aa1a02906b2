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
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
    QListWidget,
    QMessageBox,
    QTabBar,
    QTableWidget,
    QTabWidget,
    QWidget,
)

from tests.ui.conftest import ModalAnswers
from whh_desktop.core.services import case_file, consent, fristen, intake
from whh_desktop.core.services.consent import ConsentData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.ui import files, modal
from whh_desktop.ui.dialogs.case_file import CaseFileDialog
from whh_desktop.ui.dialogs.case_forms import CloseDialog, ConsentDialog, ContactDialog, EvictionDialog, ReferralDialog
from whh_desktop.ui.dialogs.intake import IntakeDialog
from whh_desktop.ui.dialogs.letter import LetterDialog


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
            self.qtbot.waitUntil(in_front, timeout=10_000)
        return expected

    def focused(self) -> QWidget:
        window = self.front()
        return QApplication.focusWidget() or window

    def chord(self, keys: str, what: str = "") -> None:
        self.count += 1
        self.steps.append(f"{keys} ({what})" if what else keys)
        QTest.keySequence(self.focused(), QKeySequence(keys))
        if "Alt+" in keys:  # a mnemonic presses its button with Qt's animated click, which lands 100 ms later
            self.qtbot.waitUntil(self._no_button_down, timeout=10_000)

    @staticmethod
    def _no_button_down() -> bool:
        """The animated click has landed (a click that opens a dialog runs the dialog's part of the story first)."""
        return not any(button.isDown() and button.isVisible() for window in QApplication.topLevelWidgets()
                       for button in window.findChildren(QAbstractButton))

    def press(self, text: str) -> None:
        """Alt + the underlined letter of the visible button, field label or tab starting with ``text``, as the
        user reads it on the screen (so a changed mnemonic does not break the story)."""
        self.chord(mnemonic_key(self.front(), text), text)

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


def mnemonic_key(root: QWidget, text: str) -> str:
    """``Alt+X`` for the visible button, label or tab in ``root`` whose text starts with ``text``."""
    texts = [w.text() for w in (*root.findChildren(QAbstractButton), *root.findChildren(QLabel)) if w.isVisible()]
    texts += [bar.tabText(i) for bar in root.findChildren(QTabBar) if bar.isVisible() for i in range(bar.count())]
    for label in texts:
        marked = label.replace("&&", "")
        if marked.replace("&", "").startswith(text) and "&" in marked[:-1]:
            return f"Alt+{marked[marked.index('&') + 1].upper()}"
    raise AssertionError(f"nothing visible starts with {text!r} and has an underlined letter")


class CaseView:
    """The ONE place that knows how an opened case is shown and how its parts are reached by keys: a case file
    dialog (a tab per part, the tab's mnemonic opens it) or a case page of the main window (a side list of parts,
    Alt+1 … Alt+0, Ctrl+K for a new contact), whichever the app opens."""

    PART_KEYS = "1234567890"

    def __init__(self, keys: KeyDriver, answers: ModalAnswers) -> None:
        self.keys, self.answers = keys, answers
        self.view: QWidget | None = None
        self._story: Callable[[CaseView], None] | None = None

    def expect_opening(self, story: Callable[[CaseView], None]) -> None:
        """The next opened case runs ``story``: a dialog through the harness's modal answers, or (see
        :meth:`run_on_page`) a page of the main window."""
        self._story = story
        self.answers.on(CaseFileDialog, self._in_dialog)

    def _in_dialog(self, dialog: QWidget) -> None:
        self.view = dialog
        self._run()

    def _run(self) -> None:
        story, self._story = self._story, None
        assert story is not None
        story(self)

    def run_on_page(self, window: QWidget) -> None:
        """After the action that opened the case: if no dialog came, the case is a page of the main window."""
        if self._story is None:
            return  # it ran in the case file dialog
        page = next((w for w in window.findChildren(QWidget, "case_workspace") if w.isVisible()), None)
        assert page is not None, "the case opened neither as a dialog nor as a page"
        # the dialog that did not come is no longer expected (the harness has no public way to take it back)
        self.answers._handlers = [(k, h) for k, h in self.answers._handlers if h != self._in_dialog]
        self.view = page
        self._run()

    def case_view(self) -> QWidget:
        assert self.view is not None, "no case open"
        return self.view

    @property
    def _parts(self) -> QListWidget | None:
        return self.case_view().findChild(QListWidget, "case_parts")

    def open_part(self, name: str) -> None:
        parts = self._parts
        if parts is None:  # the dialog's tabs
            self.keys.press(name)
            tabs = self.case_view().findChild(QTabWidget)
            assert tabs.tabText(tabs.currentIndex()).replace("&", "") == name
            return
        row = next(i for i in range(parts.count()) if parts.item(i).text().startswith(name))
        self.keys.chord(f"Alt+{self.PART_KEYS[row]}", name)
        assert parts.currentRow() == row

    def add_contact(self) -> None:
        if self._parts is None:
            self.open_part("Kontakte")
            self.keys.press("Kontakt erfassen")
        else:
            self.keys.chord("Ctrl+K", "Kontakt erfassen")

    def rows(self, table_name: str) -> list[list[str]]:
        table = self.case_view().findChild(QTableWidget, table_name)
        return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


# ---- the story ---------------------------------------------------------------------------------------------------
MAX_INTERACTIONS = 45  # issue 18: "The core story takes at most 45 interactions (today about 71)"
SERVED = date.today() - timedelta(days=3)


def test_core_story_by_keyboard_alone(qtbot, counsellor_window, answers, record_property) -> None:
    win = counsellor_window
    keys = KeyDriver(qtbot, win, answers)
    case = CaseView(keys, answers)

    def intake_form(d: IntakeDialog) -> None:
        keys.type("Żółkiewski")            # the first field has the focus
        keys.chord("Tab")
        keys.type("Łukasz")
        keys.chord("Tab")
        keys.type("12.3.1970")
        keys.press("Kommune")
        keys.type("Vlotho")
        keys.press("Wohnungsnotfall")
        keys.type("Räumungsklage")         # any part of an entry finds it
        keys.chord("Return")               # »seit« is today already; »Aufnehmen« is the default button
        assert not d.isVisible(), d.message.text()

    def contact(d: ContactDialog) -> None:
        keys.chord("Return")               # today, 30 minutes, Beratung im Büro
        assert not d.isVisible(), d.message.text()

    def eviction(d: EvictionDialog) -> None:
        keys.type("fristlos wegen")        # the form opens on the kind of termination
        keys.press("Räumungsklage zugestellt am")
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
            keys.chord("Return")           # to the next field the letter still needs
            keys.type(text)
        # one question: »… liegt jetzt in der Akte … In die Anträge übernehmen?«
        answers.on(QMessageBox, lambda box: keys.press("In die Anträge übernehmen"))
        keys.chord("Return")               # nothing missing: the PDF is filed in the case
        assert not d.isVisible(), d.preview_state.text()

    def close(d: CloseDialog) -> None:
        assert "Schonfrist" in d.open_items.text() and "Jobcenter" in d.open_items.text()
        keys.type("Wohnung erhalten")      # no outcome is preselected
        keys.press("Offene Fristen und Vermittlungen offen lassen")
        keys.chord("Return")
        assert not d.isVisible(), d.message.text()

    def in_the_case(case: CaseView) -> None:
        answers.on(ContactDialog, contact)
        case.add_contact()
        assert [row[1] for row in case.rows("contacts")] == ["Beratung im Büro"]

        answers.on(EvictionDialog, eviction)
        case.open_part("Miete und Räumung")
        keys.press("Räumungsverfahren erfassen")
        assert case.rows("proceedings")[0][1:3] == ["fristlos wegen Zahlungsverzugs", SERVED.strftime("%d.%m.%Y")]
        assert any(row[1].startswith("Schonfrist") for row in case.rows("deadlines"))

        answers.on(ConsentDialog, consent)
        case.open_part("Einwilligungen")
        keys.press("Einwilligung erfassen")
        assert [row[1] for row in case.rows("consents")] == ["Jobcenter"]

        answers.on(ReferralDialog, referral)
        case.open_part("Vermittlungen")
        keys.press("Vermittlung anlegen")
        assert [row[1] for row in case.rows("referrals")] == ["Jobcenter"]

        answers.on(LetterDialog, letter)
        case.open_part("Dokumente")
        keys.press("Brief schreiben")
        documents = case.rows("documents")
        assert len(documents) == 1 and "Mietschulden" in documents[0][1]
        assert len(case.rows("applications")) == 1  # taken into »Anträge« from the question

        answers.on(CloseDialog, close)
        keys.press("Fall abschließen")
        assert "abgeschlossen" in case.case_view().header.text()
        assert "Wohnung erhalten" in case.case_view().header.text()

    answers.on(IntakeDialog, intake_form)
    case.expect_opening(in_the_case)
    keys.chord("Ctrl+N")
    case.run_on_page(win)

    assert not answers.pending, f"never reached: {answers.pending}"
    assert sum(isinstance(d, QMessageBox) for d in answers.seen) == 1
    assert "liegt jetzt in der Akte" in answers.texts[0] and "Anträge übernehmen" in answers.texts[0]
    cf = case_file.open_case(win.store, win.user, case.case_view().case_id)
    assert cf.case.closed_on == date.today() and cf.person.family_name == "Żółkiewski"
    assert case_file.document_content(win.store, win.user, cf.documents[0].id).startswith(b"%PDF")
    print(f"\nKeyboard-only core story: {keys.count} interactions: {' · '.join(keys.steps)}")
    record_property("interactions", keys.count)
    record_property("interaction_steps", " · ".join(keys.steps))
    assert keys.count <= MAX_INTERACTIONS, f"{keys.count} interactions: {keys.steps}"


# ---- point 3: the letter and the close dialog without the mouse, in the order of the form ----------------------
def tab_chain(keys: KeyDriver, stop: QWidget, most: int = 40) -> list[str]:
    """Press Tab until ``stop`` has the focus; the accessible names (else texts) of the widgets passed, each once
    (Tab walks through the day, month and year of a date field before it leaves it)."""
    names: list[str] = []
    for _ in range(most):
        widget = keys.focused()
        name = widget.accessibleName() or getattr(widget, "text", lambda: "")().replace("&", "")
        if not names or names[-1] != name:
            names.append(name)
        if widget is stop:
            return names
        keys.chord("Tab")
    raise AssertionError(f"Tab never reached {stop!r}: {names}")


def test_letter_to_a_pdf_file_and_closing_by_tab_follow_the_form(qtbot, counsellor_window, answers, monkeypatch,
                                                                 tmp_path) -> None:
    win = counsellor_window
    store, user = win.store, win.user
    case_id = intake.save_intake(store, user, IntakeData(
        family_name="Brandt", given_names="Jana", birth_date=date(1988, 2, 1), municipality="Löhne",
        category="raeumungsklage", category_since=date.today(), tenancy_street="Lübbecker Straße 12",
        tenancy_plz="32584", tenancy_city="Löhne", landlord_name="Wohnbau Werre GmbH", arrears=141000,
        arrears_since=date.today() - timedelta(days=90)), draft=False)[0]
    consent.record(store, user, case_id, ConsentData(recipients=["jobcenter"], purpose="Wohnungssicherung",
                                                     categories=["stammdaten"], health_data=False,
                                                     signed_on=date.today(), valid_from=date.today()))
    fristen.add_follow_up(store, user, case_id, date.today() + timedelta(days=7), "Bescheid nachfragen")
    keys = KeyDriver(qtbot, win, answers)
    case = CaseView(keys, answers)
    target = tmp_path / "antrag-mietschulden.pdf"
    chains: dict[str, list[str]] = {}

    # The system's file chooser takes no QTest keys: Qt's own chooser stands in, and the path is typed into it.
    def choose_save_path(parent, title, suggested_name, filter_text):
        chooser = QFileDialog(parent, title, str(tmp_path), filter_text)
        chooser.setOption(QFileDialog.Option.DontUseNativeDialog)
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        chooser.selectFile(suggested_name)
        modal.run_modal(chooser)
        chosen = chooser.selectedFiles()
        return Path(chosen[0]) if chooser.result() == QDialog.DialogCode.Accepted and chosen else None

    monkeypatch.setattr(files, "choose_save_path", choose_save_path)

    def save_as(chooser: QFileDialog) -> None:
        keys.chord("Ctrl+A")
        keys.type(str(target))
        keys.chord("Return")

    def letter(d: LetterDialog) -> None:
        keys.type("Mietschulden")
        assert d.pdf is not None or d.timer.isActive()  # everything the letter needs came from the case
        chains["letter"] = tab_chain(keys, d.file_button)
        chains["fields"] = [edit.accessibleName() for edit in d.inputs.values()]
        answers.on(QFileDialog, save_as)
        answers.on(QMessageBox, lambda box: keys.chord("Escape"))  # not into »Anträge« this time
        keys.press("Als PDF speichern")
        assert not d.isVisible(), d.preview_state.text()

    def close(d: CloseDialog) -> None:
        chains["close"] = tab_chain(keys, d.settle)
        keys.chord("Down")                 # the arrows move within the pair of choices
        keys.chord("Space")                # »offen lassen«
        assert d.keep.isChecked()
        keys.press("Ergebnis")             # back to the outcome by its mnemonic
        keys.type("verzogen")
        keys.chord("Return")
        assert not d.isVisible(), d.message.text()

    def in_the_case(case: CaseView) -> None:
        answers.on(LetterDialog, letter)
        case.open_part("Dokumente")
        keys.press("Brief schreiben")
        answers.on(CloseDialog, close)
        keys.press("Fall abschließen")

    case.expect_opening(in_the_case)
    win.show_area("Fälle")
    keys.chord("Ctrl+F")
    keys.type("Brandt")
    keys.chord("Return")                   # the single hit opens
    case.run_on_page(win)

    assert not answers.pending, f"never reached: {answers.pending}"
    assert target.read_bytes().startswith(b"%PDF")
    assert chains["letter"] == ["Brief", "Empfänger", *chains["fields"], "Zusätzlicher Text",
                                "Prüfung vor dem Versand", "Vorschau", "Nur in der Akte ablegen"]
    assert chains["close"] == ["Ergebnis (Pflichtfeld)", "Abgeschlossen am", "Abschlussnotiz",
                               "Offene Fristen und Vermittlungen als erledigt markieren"]
    cf = case_file.open_case(store, user, case_id)
    assert cf.case.outcome == "verzogen" and cf.case.closed_on == date.today()
