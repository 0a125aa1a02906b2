"""Datensicherung: back up in a worker, to an external drive, restore back to the login, backup on quit."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from tests.conftest import ADMIN, ADMIN_PASSWORD
from tests.ui.conftest import click
from whh_desktop.core.services import backups, login
from whh_desktop.core.store import backup as backup_files
from whh_desktop.core.store.models import Account
from whh_desktop.ui import files
from whh_desktop.ui.app import AppController
from whh_desktop.ui.dialogs.login import LoginDialog


def test_backup_now_runs_in_a_worker_and_is_listed(qtbot, window) -> None:
    tab = window.show_area("Verwaltung").show_tab("Datensicherung")
    assert [tab.table.horizontalHeaderItem(i).text() for i in range(3)] == ["Datum", "Anlass", "Größe"]
    tab.backup_button.click()
    assert tab.job is not None
    with qtbot.waitSignal(tab.job.done, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1, timeout=5_000)
    assert tab.table.cell(0, 1) == "von Hand" and tab.table.cell(0, 2).endswith(("KB", "MB"))
    assert tab.message.text().startswith("Gesichert am ")
    assert window.export_label.toolTip().startswith("Letzte Sicherung: ") and "noch keine" not in \
        window.export_label.toolTip()
    assert tab.backup_button.isEnabled()


def test_backup_to_an_external_drive(qtbot, window, monkeypatch, tmp_path) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    monkeypatch.setattr(files, "choose_directory", lambda parent, title: stick)
    tab = window.show_area("Verwaltung").show_tab("Datensicherung")
    tab.external_button.click()
    qtbot.waitUntil(lambda: "Gesichert" in tab.message.text(), timeout=10_000)
    [backup], [key_copy] = list(stick.glob("*.whhbak")), list(stick.glob("*.key"))
    store = window.store  # the copy on the drive is a whole backup of this store, with its key file
    assert backup_files.verify_backup(backup, store.data_key, store.info.store_id) == "ok"
    assert key_copy.read_bytes() == store.paths.key_file.read_bytes()


def test_restore_asks_first_then_goes_back_to_the_login_and_rebuilds(qtbot, site_paths, answers) -> None:
    controller = AppController(site_paths)
    quits = []
    controller.quit_requested.connect(lambda: quits.append(True))
    store, user = login.unlock(site_paths, ADMIN, ADMIN_PASSWORD)
    first = controller.open_main(store, user)
    qtbot.addWidget(first)
    backups.backup_now(store, user.username)
    with store.session(ADMIN) as s:  # a change after the backup, which the restore takes back
        s.query(Account).filter_by(username="b.schulz").update({"display_name": "Nach der Sicherung"})

    tab = first.show_area("Verwaltung").show_tab("Datensicherung")
    tab.table.selectRow(0)
    answers.on(QMessageBox, lambda box: click(box, "Abbrechen"))
    tab.restore_button.click()
    assert first.isVisible() and controller.store is store  # cancelled: nothing happened

    answers.on(QMessageBox, lambda box: click(box, "Wiederherstellen")).ok()
    answers.on(LoginDialog, lambda d: (d.username.setText(ADMIN), d.password.setText(ADMIN_PASSWORD),
                                       d.login_button.click()))
    tab.restore_button.click()
    qtbot.waitUntil(lambda: controller.window is not None and controller.window is not first, timeout=15_000)
    second = controller.window
    qtbot.addWidget(second)
    assert not first.isVisible() and not quits
    assert answers.texts[-1] == "Die Sicherung wurde wiederhergestellt. Bitte melden Sie sich neu an."
    names = {r.display_name for r in second.show_area("Verwaltung").accounts.rows}
    assert "Birgit Schulz" in names and "Nach der Sicherung" not in names
    assert {b.reason for b in backups.list_backups(site_paths)} == {"manual", "restore"}
    second.close()
    assert quits and controller.store is None


def test_quit_backs_up_with_reason_close_and_closes_the_store(qtbot, site_paths) -> None:
    controller = AppController(site_paths)
    quits = []
    controller.quit_requested.connect(lambda: quits.append(True))
    store, user = login.unlock(site_paths, ADMIN, ADMIN_PASSWORD)
    win = controller.open_main(store, user)
    qtbot.addWidget(win)
    win.quit_action.trigger()
    assert [b.reason for b in backups.list_backups(site_paths)] == ["close"]
    assert controller.store is None and quits == [True]


def test_logout_backs_up_and_shows_the_login_again(qtbot, site_paths, answers) -> None:
    controller = AppController(site_paths)
    quits = []
    controller.quit_requested.connect(lambda: quits.append(True))
    store, user = login.unlock(site_paths, ADMIN, ADMIN_PASSWORD)
    win = controller.open_main(store, user)
    qtbot.addWidget(win)
    answers.on(LoginDialog, lambda d: d.quit_button.click())
    win.logout_action.trigger()
    qtbot.waitUntil(lambda: bool(quits), timeout=5_000)
    assert [b.reason for b in backups.list_backups(site_paths)] == ["close"]
