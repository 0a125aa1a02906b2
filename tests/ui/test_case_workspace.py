"""The case workspace (issue 18, point 2): a case is a page of the main window, several open like a browser's tabs,
its parts a side list beside a stack; keys select parts, Strg+K records a contact, Escape leaves the page alone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.conftest import click, set_text
from whh_desktop.core.services import case_file, casework, fristen, intake, rights
from whh_desktop.core.services.casework import ContactData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.ui.case_file.workspace import PARTS, CaseWorkspace
from whh_desktop.ui.dialogs.case_file import CaseFileDialog, open_case
from whh_desktop.ui.dialogs.case_forms import ContactDialog, FollowUpDialog
from whh_desktop.ui.ops import Op
from whh_desktop.ui.views.cases import CasesView

TODAY = date.today()
SCREEN = (1366, 768)


def _case(store, user, family_name: str, given_names: str = "Test") -> object:
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name=family_name, given_names=given_names, birth_date=date(1980, 1, 2), municipality="Löhne",
        category="kuendigung", category_since=TODAY - timedelta(days=20)), draft=False,
        today=TODAY - timedelta(days=20))
    return case_id


@pytest.fixture
def win(counsellor_window):
    counsellor_window.resize(*SCREEN)
    QApplication.processEvents()
    return counsellor_window


def _nav_texts(win) -> list[str]:
    return [win.nav.item(r).text() for r in range(win.nav.count())]


def test_two_cases_two_pages_switch_close_and_reopen(qtbot, win) -> None:
    first = _case(win.store, win.user, "Abramowicz", "Zofia")
    second = _case(win.store, win.user, "Brandt", "Helge")
    areas = len(win.areas)
    page1 = open_case(win.pages, win.store, win.user, first, "Fristen")
    page2 = open_case(win.pages, win.store, win.user, second)
    assert isinstance(page1, CaseWorkspace) and isinstance(page2, CaseWorkspace)
    assert win.case_pages == [page1, page2] and win.pages.currentWidget() is page2
    texts = _nav_texts(win)
    assert texts[areas] == "Geöffnete Fälle" and "Abramowicz, Zofia" in texts[areas + 1]
    assert "Brandt, Helge" in texts[areas + 2] and len(texts) == areas + 3
    assert not win.nav.item(areas).flags() & Qt.ItemFlag.ItemIsSelectable  # a heading, not a page
    assert page1.current_part() == "Fristen" and page2.current_part() == "Überblick"
    assert QApplication.focusWidget() is page2.parts  # focus on the part list when a case opens

    # Strg+Tab / Strg+Bild↓ go to the next open case (wrapping), Strg+Bild↑ back
    qtbot.keyClick(page2.parts, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert win.pages.currentWidget() is page1
    qtbot.keyClick(page1.parts, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert win.pages.currentWidget() is page2
    qtbot.keyClick(page2.parts, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert win.pages.currentWidget() is page1

    # opening an open case brings its page to the front (on the part asked for), no second page
    assert open_case(win.pages, win.store, win.user, second, "Kontakte") is page2
    assert win.case_pages == [page1, page2] and win.pages.currentWidget() is page2
    assert page2.current_part() == "Kontakte"

    # Escape leaves the page alone; Strg+W closes it and the other open case shows
    qtbot.keyClick(page2.parts, Qt.Key.Key_Escape)
    assert win.pages.currentWidget() is page2 and page2 in win.case_pages
    qtbot.keyClick(page2.parts, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert win.case_pages == [page1] and win.pages.currentWidget() is page1
    assert not any("Brandt" in t for t in _nav_texts(win))
    qtbot.keyClick(page1.parts, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert win.case_pages == [] and win.nav.count() == areas  # the heading goes with the last case
    assert win.pages.currentWidget() is win.views["Mein Tag"]  # back to the area the user came from

    again = open_case(win.pages, win.store, win.user, second)
    assert again is not page2 and win.case_pages == [again]


def test_the_navigation_arrows_skip_the_heading(qtbot, win) -> None:
    page = open_case(win.pages, win.store, win.user, _case(win.store, win.user, "Celik"))
    areas = len(win.areas)
    win.nav.setCurrentRow(areas - 1)
    win.nav.setFocus()
    qtbot.keyClick(win.nav, Qt.Key.Key_Down)
    assert win.nav.currentRow() == areas + 1 and win.pages.currentWidget() is page
    qtbot.keyClick(win.nav, Qt.Key.Key_Up)
    assert win.nav.currentRow() == areas - 1 and win.pages.currentWidget() is win.views[win.areas[-1].label]


def test_the_part_list_shows_all_parts_unclipped_at_1366x768(qtbot, win) -> None:
    case_id = _case(win.store, win.user, "Dąbrowska-Oberländer", "Małgorzata")
    for n in range(3):
        fristen.add_follow_up(win.store, win.user, case_id, TODAY + timedelta(days=n + 1), f"Unterlagen {n}")
    page = open_case(win.pages, win.store, win.user, case_id, "Fristen")
    QApplication.processEvents()
    assert win.width() <= SCREEN[0] and win.height() <= SCREEN[1]
    parts = page.parts
    assert parts.count() == len(PARTS) == 12
    assert parts.item(3).text() == "Fristen (3)" and parts.item(0).text() == "Überblick"
    assert not parts.horizontalScrollBar().isVisible() and not parts.verticalScrollBar().isVisible()
    viewport = parts.viewport().rect()
    for row in range(parts.count()):
        rect = parts.visualItemRect(parts.item(row))
        assert viewport.contains(rect), parts.item(row).text()  # all twelve visible at once
        needed = parts.fontMetrics().horizontalAdvance(parts.item(row).text())
        assert rect.width() >= needed, parts.item(row).text()  # nothing elided
    # the part itself gets the rest of the width: more than half of the page
    assert page.stack.width() > page.width() // 2
    assert page.stack.geometry().right() <= page.width()


def test_keys_select_parts_and_ctrl_k_records_a_contact(qtbot, win, answers) -> None:
    page = open_case(win.pages, win.store, win.user, _case(win.store, win.user, "Engel"))
    for index, (name, _count) in enumerate(PARTS[:10]):
        qtbot.keyClick(page.parts, str((index + 1) % 10), Qt.KeyboardModifier.AltModifier)
        assert page.current_part() == name and page.stack.currentIndex() == index
        assert f"Alt+{(index + 1) % 10}" in page.parts.item(index).toolTip()
    qtbot.keyClick(page.parts, Qt.Key.Key_PageDown, Qt.KeyboardModifier.AltModifier)
    assert page.current_part() == "Suchthilfe"
    qtbot.keyClick(page.parts, Qt.Key.Key_PageDown, Qt.KeyboardModifier.AltModifier)
    assert page.current_part() == "Verlauf"
    qtbot.keyClick(page.parts, Qt.Key.Key_PageDown, Qt.KeyboardModifier.AltModifier)
    assert page.current_part() == "Überblick"

    def contact(d: ContactDialog) -> None:
        d.note.setPlainText("Strg+K aus dem Überblick")
        d.accept()

    answers.on(ContactDialog, contact)
    page.show_part("Anträge")
    page.applications_tab.setFocus()
    qtbot.keyClick(QApplication.focusWidget() or page, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert answers.pending == []  # the contact form opened with one keystroke
    assert page.current_part() == "Kontakte" and page.parts.item(1).text() == "Kontakte (1)"
    assert "Strg+K" in page.contact_button.toolTip()


def test_a_change_made_in_a_part_re_reads_the_page_once(qtbot, win, answers, monkeypatch) -> None:
    case_id = _case(win.store, win.user, "Fischer")
    page = open_case(win.pages, win.store, win.user, case_id, "Fristen")
    reads: list[object] = []
    real = case_file.open_case
    monkeypatch.setattr(case_file, "open_case", lambda *a, **k: reads.append(a) or real(*a, **k))

    def follow_up(d: FollowUpDialog) -> None:
        set_text(d.on, (TODAY + timedelta(days=2)).strftime("%d.%m.%Y"))
        d.note.setText("Kontoauszüge mitbringen")
        d.accept()

    answers.on(FollowUpDialog, follow_up)
    page.deadlines_panel.follow_up_button.click()
    assert len(reads) == 1 and page.deadlines_panel.deadlines.rowCount() == 1
    assert page.parts.item(3).text() == "Fristen (1)" and "fällig am" in page.warning.text()


def test_a_hidden_page_reads_when_shown_again_and_shows_a_colleagues_change(qtbot, win, monkeypatch) -> None:
    case_id = _case(win.store, win.user, "Gómez")
    other_id = _case(win.store, win.user, "Hoffmann")
    page = open_case(win.pages, win.store, win.user, case_id, "Kontakte")
    other = open_case(win.pages, win.store, win.user, other_id)
    reads: list[object] = []
    real = case_file.open_case
    monkeypatch.setattr(case_file, "open_case", lambda *a, **k: reads.append(a[2]) or real(*a, **k))
    # a change to the hidden page's case through the broadcast: the hidden page waits until it is shown
    assert Op(other, lambda: casework.add_contact(win.store, win.user, case_id, ContactData(
        TODAY, 20, "telefon", ["2"], "über die Operation", ""))).run()
    assert reads == [] and page.contacts_panel.contacts.rowCount() == 0
    # a colleague's change (another workstation: no broadcast here)
    casework.add_contact(win.store, win.user, case_id, ContactData(TODAY, 30, "buero", ["2"], "Kollegin", ""))
    assert reads == []
    qtbot.keyClick(other.parts, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert win.pages.currentWidget() is page and reads == [case_id]  # read once on showing, not twice
    assert page.contacts_panel.contacts.rowCount() == 2 and page.parts.item(1).text() == "Kontakte (2)"


def test_an_erased_case_closes_its_page(qtbot, win, answers) -> None:
    case_id = _case(win.store, win.user, "Ivanova")
    page = open_case(win.pages, win.store, win.user, case_id)
    answers.on(QMessageBox, lambda box: click(box, "Endgültig löschen")).ok()
    page.erase_on_request()
    assert win.case_pages == [] and win.pages.currentWidget() is not page
    assert not any("Ivanova" in t for t in _nav_texts(win))


def test_without_a_main_window_the_case_opens_in_a_dialog(qtbot, counsellor, answers) -> None:
    store, user = counsellor
    case_id = _case(store, user, "Jansen")
    view = CasesView(store, user)
    qtbot.addWidget(view)
    seen: list[tuple[object, str]] = []

    def check(d: CaseFileDialog) -> None:
        seen.append((d.workspace.case_id, d.workspace.current_part()))
        assert d.focusWidget() is d.workspace.parts  # focus on the part list
        d.workspace.done_button.click()  # »Akte schließen« ends the dialog

    answers.on(CaseFileDialog, check)
    workspace = open_case(view, store, user, case_id, "Einwilligungen")
    assert seen == [(case_id, "Einwilligungen")] and isinstance(workspace, CaseWorkspace)
    assert answers.pending == []


def test_the_lock_hides_the_case_pages_and_keeps_them(qtbot, win) -> None:
    page = open_case(win.pages, win.store, win.user, _case(win.store, win.user, "Kaya"), "Kontakte")
    win.lock()
    assert not page.isVisible() and not win.close_case_action.isEnabled()
    qtbot.keyClick(win.lock_screen, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert win.case_pages == [page]
    win.lock_screen.unlocked.emit()  # as after the password
    assert page.isVisible() and win.pages.currentWidget() is page and page.current_part() == "Kontakte"
    assert win.close_case_action.isEnabled()
    win.close_case_page(page)
    assert not win.close_case_action.isEnabled() and not win.next_case_action.isEnabled()
    win.lock()
    win.lock_screen.unlocked.emit()
    assert not win.close_case_action.isEnabled()  # nothing to close after the lock either


def test_a_case_erased_elsewhere_closes_its_page_when_shown(qtbot, win) -> None:
    erased_id = _case(win.store, win.user, "Lindqvist")
    erased = open_case(win.pages, win.store, win.user, erased_id)
    other = open_case(win.pages, win.store, win.user, _case(win.store, win.user, "Meyer"))
    rights.erase_case(win.store, win.user, erased_id, "request")  # e.g. another workstation
    assert win.case_pages == [erased, other]
    qtbot.keyClick(other.parts, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert win.case_pages == [other] and win.pages.currentWidget() is other
    assert not any("Lindqvist" in t for t in _nav_texts(win))


def _mnemonic(text: str) -> str | None:
    at = text.replace("&&", "").find("&")
    return text.replace("&&", "")[at + 1].lower() if at >= 0 else None


def test_the_page_buttons_do_not_take_the_menu_bars_letters(qtbot, win) -> None:
    """A page shares the main window with the menu bar: Alt+D/Alt+A/Alt+H must stay Datei/Ansicht/Hilfe."""
    page = open_case(win.pages, win.store, win.user, _case(win.store, win.user, "Novak"))
    menus = [_mnemonic(a.text()) for a in win.menuBar().actions()]
    buttons = [_mnemonic(b.text()) for b in (page.privacy_button, page.close_button, page.reopen_button,
                                             page.done_button, page.contact_button)]
    letters = [m for m in menus + buttons if m]
    assert len(letters) == len(set(letters)), letters


def test_the_case_page_fits_1366x768_on_every_part_without_scrolling(qtbot, win, counsellor) -> None:
    from PySide6.QtWidgets import QScrollArea

    store, user = counsellor
    case_id = _case(store, user, "Nguyễn", "Thị Lan")
    casework.add_contact(store, user, case_id, ContactData(TODAY, 30, "buero", ["2"], "Lange Notiz " * 80))
    page = win.open_case_page(case_id)
    scroller = win.findChild(QScrollArea, "page_scroller")
    for index in range(page.parts.count()):
        page.select_part(index)
        QApplication.processEvents()
        bars = scroller.verticalScrollBar().maximum(), scroller.horizontalScrollBar().maximum()
        assert bars == (0, 0), f"{page.parts.item(index).text()}: the page scrolls {bars}"
        assert page.close_button.isVisible() or page.reopen_button.isVisible()
