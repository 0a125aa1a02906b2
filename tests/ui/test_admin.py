"""Verwaltung: accounts, settings and the audit log, as an admin uses them."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.conftest import ADMIN, COUNSELLOR
from tests.ui.conftest import click
from whh_desktop.core.errors import WrongPassword
from whh_desktop.core.services import login, site_settings
from whh_desktop.core.store.models import Role
from whh_desktop.ui.dialogs.account_dialog import AccountDialog, RoleDialog

NEW_PW = "Waldmeister-Tee-2026"


def new_account(qtbot, username: str, name: str, password: str = NEW_PW, repeat: str | None = None):
    def fill(dialog: AccountDialog) -> None:
        qtbot.keyClicks(dialog.username, username)
        qtbot.keyClicks(dialog.display_name, name)
        qtbot.keyClicks(dialog.password, password)
        qtbot.keyClicks(dialog.repeat, password if repeat is None else repeat)
        dialog.save_button.click()

    return fill


def row_of(tab, username: str):
    return next(r for r in tab.rows if r.username == username)


def test_admin_creates_an_account_that_can_log_in(qtbot, window, answers) -> None:
    tab = window.show_area("Verwaltung").accounts
    assert [tab.table.horizontalHeaderItem(i).text() for i in range(5)] == [
        "Benutzername", "Name", "Rolle", "Status", "Letzte Anmeldung"]
    answers.on(AccountDialog, new_account(qtbot, "t.weber", "Tim Weber"))
    tab.new_button.click()
    row = row_of(tab, "t.weber")
    assert row.role is Role.BERATUNG and row.must_change_password
    index = tab.rows.index(row)
    assert tab.table.cell(index, 3) == "aktiv – Startpasswort" and tab.table.cell(index, 4) == "–"
    store, user = login.unlock(window.store.paths, "t.weber", NEW_PW)
    assert user.display_name == "Tim Weber"
    store.close()


def test_a_weak_password_keeps_the_dialog_open_with_a_german_message(qtbot, window) -> None:
    created = []
    dialog = AccountDialog([Role.BERATUNG, Role.ADMIN], created.append)
    qtbot.addWidget(dialog)
    dialog.show()
    new_account(qtbot, "t.weber", "Tim Weber", password="kurz")(dialog)
    assert dialog.isVisible() and not created
    assert "mindestens 12 Zeichen" in dialog.status.text() and dialog.password.property("invalid")
    dialog.password.clear()
    dialog.repeat.clear()
    qtbot.keyClicks(dialog.password, NEW_PW)
    qtbot.keyClicks(dialog.repeat, NEW_PW + "x")
    dialog.save_button.click()
    assert "stimmen nicht überein" in dialog.status.text() and not created
    dialog.repeat.backspace()
    dialog.save_button.click()
    assert created and created[0].username == "t.weber" and dialog.result() == AccountDialog.DialogCode.Accepted


def test_a_taken_user_name_is_reported_by_the_service_in_the_dialog(qtbot, window, answers) -> None:
    tab = window.show_area("Verwaltung").accounts
    seen = {}

    def fill(dialog: AccountDialog) -> None:
        new_account(qtbot, COUNSELLOR, "Noch eine Birgit")(dialog)
        seen["text"], seen["open"] = dialog.status.text(), dialog.isVisible()

    answers.on(AccountDialog, fill)
    tab.new_button.click()
    assert seen == {"text": f"Den Benutzernamen »{COUNSELLOR}« gibt es schon.", "open": True}


def test_deactivate_blocks_the_login_and_activation_needs_a_new_password(qtbot, window, answers) -> None:
    tab = window.show_area("Verwaltung").accounts
    tab.select(COUNSELLOR)
    assert tab.toggle_button.text() == "Deakti&vieren…"
    answers.on(QMessageBox, lambda box: click(box, "Deaktivieren"))
    tab.toggle_button.click()
    assert not row_of(tab, COUNSELLOR).active
    with pytest.raises(WrongPassword):
        login.unlock(window.store.paths, COUNSELLOR, "Kastanienallee-Nord-17")

    tab.select(COUNSELLOR)
    assert tab.toggle_button.text() == "Akti&vieren…" and not tab.reset_button.isEnabled()

    def activate(dialog: AccountDialog) -> None:
        assert dialog.mode == "activate" and dialog.username.isReadOnly()
        qtbot.keyClicks(dialog.password, "Neuer-Start-2026-ab")
        qtbot.keyClicks(dialog.repeat, "Neuer-Start-2026-ab")
        dialog.save_button.click()

    answers.on(AccountDialog, activate)
    tab.toggle_button.click()
    assert row_of(tab, COUNSELLOR).active
    store, _ = login.unlock(window.store.paths, COUNSELLOR, "Neuer-Start-2026-ab")
    store.close()


def test_own_account_cannot_be_deactivated(window) -> None:
    tab = window.show_area("Verwaltung").accounts
    tab.select(ADMIN)
    assert not tab.toggle_button.isEnabled() and not tab.role_button.isEnabled()
    assert tab.reset_button.isEnabled()


def test_role_change(qtbot, window, answers) -> None:
    tab = window.show_area("Verwaltung").accounts
    tab.select(COUNSELLOR)

    def choose_admin(dialog: RoleDialog) -> None:
        assert [dialog.role.itemText(i) for i in range(dialog.role.count())] == ["Beratung", "Admin"]
        dialog.role.setCurrentIndex(1)
        dialog.accept()

    answers.on(RoleDialog, choose_admin)
    tab.role_button.click()
    assert row_of(tab, COUNSELLOR).role is Role.ADMIN


def test_settings_change_of_the_autolock_persists_and_applies(qtbot, window) -> None:
    tab = window.show_area("Verwaltung").show_tab("Einstellungen")
    assert tab.autolock.value() == 5 and tab.keep_last.value() == 10 and tab.keep_monthly.value() == 12
    tab.autolock.setValue(12)
    tab.keep_last.setValue(7)
    tab.save_button.click()
    assert tab.message.text() == "Gespeichert."
    with window.store.read_session() as s:
        saved = site_settings.load(s)
    assert (saved.autolock_minutes, saved.backup_keep_last) == (12, 7)
    assert window.watch.interval_ms == 12 * 60_000 and "12 Min." in window.lock_label.text()


def test_settings_reminder_weeks_for_the_sachstandsanfrage(qtbot, window) -> None:
    from whh_desktop.core.services import applications

    tab = window.show_area("Verwaltung").show_tab("Einstellungen")
    assert tab.reminder.value() == applications.DEFAULT_REMINDER_WEEKS
    tab.reminder.setValue(6)
    tab.save_button.click()
    assert tab.message.text() == "Gespeichert."
    with window.store.read_session() as s:
        assert applications.reminder_weeks(s) == 6


def test_settings_mark_a_wrong_letterhead_field(qtbot, window) -> None:
    tab = window.show_area("Verwaltung").show_tab("Einstellungen")
    plz = tab.letterhead.fields["plz"]
    plz.clear()
    qtbot.keyClicks(plz, "1")
    tab.save_button.click()
    assert "fünf Ziffern" in tab.message.text() and plz.property("invalid") and plz.hasFocus()
    with window.store.read_session() as s:
        assert site_settings.load(s).letterhead.plz == "32584"
    tab.revert_button.click()
    assert plz.text() == "32584" and not plz.property("invalid")


def test_audit_log_lists_entries_in_german_and_checks_the_chain(window) -> None:
    tab = window.show_area("Verwaltung").show_tab("Protokoll")
    assert tab.status.text().startswith("Protokoll unverändert")
    actions = {tab.table.cell(r, 2) for r in range(tab.table.rowCount())}
    assert {"Datenbestand angelegt", "Anmeldung", "Konto angelegt"} <= actions
    created = next(r for r in range(tab.table.rowCount()) if tab.table.cell(r, 2) == "Konto angelegt")
    assert tab.table.cell(created, 3) == "Konto" and tab.table.cell(created, 4) == "Beratung"
    assert tab.table.cell(0, 0)[2] == "." and tab.table.cell(0, 0)[5] == "."  # TT.MM.JJJJ
