"""``python -m whh_desktop``: the single-instance lock, first start cancelled, a whole session with quit."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.conftest import ADMIN, ADMIN_PASSWORD
from tests.ui.conftest import click
from whh_desktop.__main__ import main
from whh_desktop.core.errors import StoreLocked
from whh_desktop.core.services import backups
from whh_desktop.core.store.lock import InstanceLock
from whh_desktop.paths import DataPaths
from whh_desktop.ui.dialogs.login import LoginDialog
from whh_desktop.ui.dialogs.setup_wizard import SetupWizard
from whh_desktop.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _keep_excepthook(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)


def test_a_second_instance_is_refused_in_german(site_paths, answers) -> None:
    held = InstanceLock(site_paths.lock_file).acquire()
    try:
        answers.on(QMessageBox, lambda box: click(box, "OK"))
        assert main(["--data-dir", str(site_paths.root)]) == 1
        assert "bereits geöffnet" in answers.texts[0]
    finally:
        held.release()


def test_cancelling_the_first_start_creates_nothing_and_frees_the_lock(tmp_path, answers) -> None:
    answers.on(SetupWizard, lambda wizard: wizard.reject())
    paths = DataPaths(tmp_path / "neu")
    assert main(["--data-dir", str(paths.root)]) == 0
    assert not paths.exists()
    InstanceLock(paths.lock_file).acquire().release()


def test_a_whole_session_ends_with_a_backup_and_a_free_lock(qtbot, site_paths, answers) -> None:
    app = QApplication.instance()
    safety = QTimer()
    safety.setSingleShot(True)
    safety.timeout.connect(app.quit)  # never hang the suite, whatever happens

    def log_in(dialog: LoginDialog) -> None:
        dialog.username.setText(ADMIN)
        dialog.password.setText(ADMIN_PASSWORD)
        dialog.login_button.click()

        def close_window() -> None:
            windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
            assert windows and windows[0].user_label.text() == "Angemeldet: Anna Becker (Admin)"
            windows[0].quit_action.trigger()

        QTimer.singleShot(100, close_window)
        safety.start(20_000)

    answers.on(LoginDialog, log_in)
    assert main(["--data-dir", str(site_paths.root)]) == 0
    assert safety.isActive(), "the session did not end by itself"
    safety.stop()
    assert [b.reason for b in backups.list_backups(site_paths)] == ["close"]
    InstanceLock(site_paths.lock_file).acquire().release()
    with pytest.raises(StoreLocked):  # sanity: the lock really locks
        held = InstanceLock(site_paths.lock_file).acquire()
        try:
            InstanceLock(site_paths.lock_file).acquire()
        finally:
            held.release()


def test_the_app_icon_ships_with_every_size_for_windows(qapp) -> None:
    from PIL import Image

    from whh_desktop.resources import resource
    from whh_desktop.ui import style

    assert not style.app_icon().isNull()
    with Image.open(resource("icons", "whh.ico")) as ico:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])
