"""Auto-lock: the data disappears, input survives, only the right password brings it back."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QLineEdit

from tests.conftest import ADMIN_PASSWORD
from whh_desktop.core.store import audit
from whh_desktop.ui.dialogs.account_dialog import AccountDialog
from whh_desktop.ui.modal import run_modal as real_run_modal


def unlock_with(qtbot, window, password: str) -> None:
    window.lock_screen.password.clear()
    qtbot.keyClicks(window.lock_screen.password, password)
    window.lock_screen.button.click()


def test_lock_hides_the_data_keeps_typed_input_and_needs_the_password(qtbot, window) -> None:
    editor = QLineEdit()
    window.views["Übersicht"].layout().addWidget(editor)
    qtbot.keyClicks(editor, "halb getippte Notiz")
    window.lock_action.trigger()
    assert window.locked and window.lock_label.text() == "Gesperrt"
    assert window.central.currentWidget() is window.lock_screen
    assert not window.pages.isVisible() and not window.nav.isVisible() and not editor.isVisible()
    assert not window.menuBar().isEnabled() and not window.password_action.isEnabled()

    unlock_with(qtbot, window, "nicht-das-passwort")
    assert window.locked and window.lock_screen.message.text() == "Das Passwort ist falsch."
    unlock_with(qtbot, window, ADMIN_PASSWORD)
    assert not window.locked and editor.isVisible() and editor.text() == "halb getippte Notiz"
    assert window.lock_label.text().startswith("Entsperrt")
    with window.store.read_session() as s:
        actions = [e.action for e in audit.recent(s, 5)]
    assert actions[:2] == ["unlock", "lock"]


def test_inactivity_locks_and_input_postpones_it(qtbot, window) -> None:
    window.watch.set_interval_ms(400)
    for _ in range(4):  # typing keeps it open
        qtbot.wait(150)
        qtbot.keyClick(window.nav, "a")
    assert not window.locked
    qtbot.waitUntil(lambda: window.locked, timeout=3000)
    assert window.lock_screen.password.hasFocus() or not window.isActiveWindow()


def test_lock_hides_an_open_dialog_and_brings_it_back_with_its_input(qtbot, window, answers) -> None:
    tab = window.show_area("Verwaltung").accounts

    def type_lock_unlock_save(dialog: AccountDialog) -> None:
        qtbot.keyClicks(dialog.username, "t.weber")
        qtbot.keyClicks(dialog.display_name, "Tim Weber")
        qtbot.keyClick(dialog.display_name, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # Strg+L in a dialog
        assert not dialog.isVisible() and window.locked
        assert dialog.display_name.text() == "Tim Weber"
        unlock_with(qtbot, window, ADMIN_PASSWORD)
        assert dialog.isVisible() and dialog.username.text() == "t.weber"
        qtbot.keyClicks(dialog.password, "Waldmeister-Tee-2026")
        qtbot.keyClicks(dialog.repeat, "Waldmeister-Tee-2026")
        dialog.save_button.click()

    answers.on(AccountDialog, type_lock_unlock_save)
    tab.new_button.click()
    assert "t.weber" in [r.username for r in tab.rows]


def test_a_dialog_hidden_by_the_lock_keeps_its_modal_loop(qtbot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    steps = []

    def hide_show_accept() -> None:
        dialog.hide()  # what the lock does; exec() would return here
        steps.append(dialog.isVisible())
        dialog.show()
        dialog.accept()

    QTimer.singleShot(0, hide_show_accept)
    assert real_run_modal(dialog) == QDialog.DialogCode.Accepted and steps == [False]


def test_wrong_unlock_passwords_are_delayed(qtbot, window) -> None:
    window.lock()
    for _ in range(3):
        unlock_with(qtbot, window, "falsch-falsch-falsch")
    assert not window.lock_screen.button.isEnabled()
    assert "Zu viele Fehlversuche" in window.lock_screen.message.text()
    qtbot.waitUntil(window.lock_screen.button.isEnabled, timeout=5000)
    unlock_with(qtbot, window, ADMIN_PASSWORD)
    assert not window.locked
