"""Login as a user meets it: wrong password, growing delay, success, forgotten password, forced change."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.conftest import ADMIN, ADMIN_PASSWORD, COUNSELLOR
from tests.ui.conftest import click
from whh_desktop.core.errors import WrongPassword
from whh_desktop.core.services import accounts, login
from whh_desktop.core.store.keys import KeyFile
from whh_desktop.ui.app import AppController
from whh_desktop.ui.dialogs.change_password import ChangePasswordDialog
from whh_desktop.ui.dialogs.login import LoginDialog
from whh_desktop.ui.dialogs.recovery import RecoveryDialog


def login_dialog(qtbot, paths) -> LoginDialog:
    dialog = LoginDialog(paths)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def type_login(qtbot, dialog: LoginDialog, username: str, password: str) -> None:
    dialog.username.clear()
    dialog.password.clear()
    qtbot.keyClicks(dialog.username, username)
    qtbot.keyClicks(dialog.password, password)
    dialog.login_button.click()


def test_wrong_password_shows_a_german_message_and_nothing_else_happens(qtbot, site_paths) -> None:
    dialog = login_dialog(qtbot, site_paths)
    type_login(qtbot, dialog, ADMIN, "Falsches-Passwort-1")
    assert dialog.store is None and dialog.isVisible() and dialog.result() == 0
    assert dialog.status.text() == "Benutzername oder Passwort ist falsch."
    assert dialog.password.text() == "" and dialog.password.hasFocus()
    assert dialog.login_button.isEnabled()  # the first failures cost no waiting
    assert KeyFile.load(site_paths.key_file).failed_logins == 1


def test_empty_fields_are_asked_for(qtbot, site_paths) -> None:
    dialog = login_dialog(qtbot, site_paths)
    dialog.login_button.click()
    assert dialog.status.text() == "Bitte Benutzernamen und Passwort eingeben."
    assert KeyFile.load(site_paths.key_file).failed_logins == 0


def test_growing_delay_disables_the_button_and_counts_down(qtbot, site_paths) -> None:
    dialog = login_dialog(qtbot, site_paths)
    for _ in range(3):
        type_login(qtbot, dialog, ADMIN, "Falsches-Passwort-1")
    assert not dialog.login_button.isEnabled()
    assert dialog.login_button.text() in ("Anmelden (2 s)", "Anmelden (1 s)")
    assert "Zu viele Fehlversuche" in dialog.status.text()
    dialog.try_login()  # Enter while waiting does nothing
    assert KeyFile.load(site_paths.key_file).failed_logins == 3
    qtbot.waitUntil(dialog.login_button.isEnabled, timeout=5000)
    assert dialog.login_button.text() == "&Anmelden"
    type_login(qtbot, dialog, ADMIN, ADMIN_PASSWORD)
    assert dialog.user is not None, dialog.status.text()
    dialog.store.close()


def test_a_new_dialog_continues_the_countdown_of_the_key_file(qtbot, site_paths) -> None:
    first = login_dialog(qtbot, site_paths)
    for _ in range(3):
        type_login(qtbot, first, ADMIN, "Falsches-Passwort-1")
    second = login_dialog(qtbot, site_paths)
    assert not second.login_button.isEnabled()


def test_login_opens_the_main_window_with_the_user_in_the_status_bar(qtbot, site_paths, answers) -> None:
    answers.on(LoginDialog, lambda d: type_login(qtbot, d, "A.Becker ", ADMIN_PASSWORD))
    controller = AppController(site_paths)
    assert controller.start()
    win = controller.window
    qtbot.addWidget(win)
    assert win.isVisible()
    assert win.statusBar().isVisible() and win.user_label.text() == "Angemeldet: Anna Becker (Admin)"
    assert "Löhne" in win.site_label.text() and win.lock_label.text().startswith("Entsperrt")
    win.close()


def test_cancelled_login_ends_the_start(qtbot, site_paths, answers) -> None:
    answers.on(LoginDialog, lambda d: d.quit_button.click())
    assert not AppController(site_paths).start()


def test_forgotten_password_is_replaced_with_the_recovery_key(qtbot, site_paths, recovery_key, answers) -> None:
    def recover(dialog: RecoveryDialog) -> None:
        assert dialog.username.text() == ADMIN
        qtbot.keyClicks(dialog.key, recovery_key.lower().replace("-", " "))
        qtbot.keyClicks(dialog.new1, "Herbstlaub-am-Weg-31")
        qtbot.keyClicks(dialog.new2, "Herbstlaub-am-Weg-32")
        dialog.submit()
        assert "stimmen nicht" in dialog.status.text() and dialog.isVisible()
        dialog.new2.clear()
        qtbot.keyClicks(dialog.new2, "Herbstlaub-am-Weg-31")
        dialog.submit()

    answers.on(RecoveryDialog, recover)
    dialog = login_dialog(qtbot, site_paths)
    qtbot.keyClicks(dialog.username, ADMIN)
    dialog.forgot_button.click()
    assert dialog.result() == LoginDialog.DialogCode.Accepted and dialog.user.username == ADMIN
    dialog.store.close()
    with pytest.raises(WrongPassword):
        login.unlock(site_paths, ADMIN, ADMIN_PASSWORD)
    store, _ = login.unlock(site_paths, ADMIN, "Herbstlaub-am-Weg-31")
    store.close()


def test_wrong_recovery_key_is_explained(qtbot, site_paths) -> None:
    dialog = RecoveryDialog(site_paths, ADMIN)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.key, "ABCDE-FGHIJ")
    qtbot.keyClicks(dialog.new1, "Herbstlaub-am-Weg-31")
    qtbot.keyClicks(dialog.new2, "Herbstlaub-am-Weg-31")
    dialog.submit()
    assert "40 Zeichen" in dialog.status.text() and dialog.key.property("invalid")
    assert dialog.result_value is None


def _reset_counsellor(site_paths) -> None:
    store, admin = login.unlock(site_paths, ADMIN, ADMIN_PASSWORD)
    accounts.reset_password(store, admin, COUNSELLOR, "Startpasswort-vom-Admin-1")
    store.close()


def test_a_start_password_must_be_replaced_at_first_login(qtbot, site_paths, answers) -> None:
    _reset_counsellor(site_paths)

    def change(dialog: ChangePasswordDialog) -> None:
        assert dialog.old.isHidden() and dialog.old.text() == "Startpasswort-vom-Admin-1"
        qtbot.keyClicks(dialog.new1, "Startpasswort-vom-Admin-1")
        qtbot.keyClicks(dialog.new2, "Startpasswort-vom-Admin-1")
        dialog.submit()
        assert "unterscheiden" in dialog.status.text()
        for field in (dialog.new1, dialog.new2):
            field.clear()
            qtbot.keyClicks(field, "Mein-eigenes-Passwort-9")
        dialog.submit()

    answers.on(ChangePasswordDialog, change)
    dialog = login_dialog(qtbot, site_paths)
    type_login(qtbot, dialog, COUNSELLOR, "Startpasswort-vom-Admin-1")
    assert dialog.user.username == COUNSELLOR
    assert not accounts.must_change_password(dialog.store, COUNSELLOR)
    dialog.store.close()
    store, _ = login.unlock(site_paths, COUNSELLOR, "Mein-eigenes-Passwort-9")
    store.close()


def test_refusing_the_forced_change_keeps_the_store_closed(qtbot, site_paths, answers) -> None:
    _reset_counsellor(site_paths)
    answers.on(ChangePasswordDialog, lambda d: d.reject())
    dialog = login_dialog(qtbot, site_paths)
    type_login(qtbot, dialog, COUNSELLOR, "Startpasswort-vom-Admin-1")
    assert dialog.store is None and dialog.isVisible()
    assert "eigenes Passwort" in dialog.status.text()


def test_message_boxes_have_german_buttons(qtbot, answers) -> None:
    from whh_desktop.ui import messages

    seen = {}

    def look(box: QMessageBox) -> None:
        seen["buttons"] = sorted(b.text() for b in box.buttons())
        click(box, "Abbrechen")

    answers.on(QMessageBox, look)
    assert messages.confirm(None, "Wirklich?", yes="&Löschen") is False
    assert seen["buttons"] == ["&Löschen", "Abbrechen"]


def test_an_inactive_account_is_told_so(qtbot, site_paths) -> None:
    """Deactivation removes the key wrap; with an older key file (e.g. from a backup) the account is still
    refused, with its own message."""
    import shutil

    old_key = site_paths.root / "store.key.old"
    shutil.copyfile(site_paths.key_file, old_key)
    store, admin = login.unlock(site_paths, ADMIN, ADMIN_PASSWORD)
    accounts.deactivate(store, admin, COUNSELLOR)
    store.close()
    shutil.copyfile(old_key, site_paths.key_file)
    dialog = login_dialog(qtbot, site_paths)
    type_login(qtbot, dialog, COUNSELLOR, "Kastanienallee-Nord-17")
    assert dialog.store is None
    assert dialog.status.text() == "Dieses Konto ist deaktiviert. Bitte wenden Sie sich an die Administration."
