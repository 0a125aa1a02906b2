"""The application flow: lock the data dir, set up or log in, show the main window, back up on close."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QLocale, QObject
from PySide6.QtWidgets import QApplication, QDialog

from whh_desktop import __version__
from whh_desktop.core.errors import WhhError
from whh_desktop.core.services import backups
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.lock import InstanceLock
from whh_desktop.logging_setup import configure as configure_logging
from whh_desktop.paths import DataPaths, resolve_data_dir
from whh_desktop.ui import messages
from whh_desktop.ui.dialogs.login import LoginDialog
from whh_desktop.ui.dialogs.setup_wizard import SetupWizard
from whh_desktop.ui.main_window import MainWindow
from whh_desktop.ui.workers import run_with_progress

log = logging.getLogger("whh_desktop.ui")


class AppController(QObject):
    """Owns the open store between login and close; passes it to the window explicitly (no globals)."""

    def __init__(self, paths: DataPaths) -> None:
        super().__init__()
        self.paths = paths
        self.store: Store | None = None
        self.user: CurrentUser | None = None
        self.window: MainWindow | None = None
        self._after_close = "quit"

    # ---- start ------------------------------------------------------------------------------------------------
    def start(self) -> bool:
        """Show setup or login; False when the user cancelled (the app then quits)."""
        if not self.paths.exists():
            wizard = SetupWizard(self.paths)
            if wizard.exec() != QDialog.DialogCode.Accepted or wizard.store is None:
                return False
            self.open_main(wizard.store, wizard.user)
            return True
        return self.login()

    def login(self) -> bool:
        dialog = LoginDialog(self.paths)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.store is None:
            return False
        self.open_main(dialog.store, dialog.user)
        return True

    def open_main(self, store: Store, user: CurrentUser) -> MainWindow:
        self.store, self.user = store, user
        self.window = MainWindow(store, user)
        self.window.restore_requested.connect(self.restore)
        self.window.logout_requested.connect(self.logout)
        self.window.closed.connect(self._on_window_closed)
        self._after_close = "quit"
        self.window.show()
        return self.window

    # ---- close, logout, restore -------------------------------------------------------------------------------
    def logout(self) -> None:
        self._after_close = "login"
        if self.window:
            self.window.close()

    def _on_window_closed(self) -> None:
        window, store, user = self.window, self.store, self.user
        self.window = None
        if store is not None and window is not None and not window.closing_for_restore:
            try:
                backups.backup_now(store, user.username, reason="close")
            except WhhError as exc:
                messages.show_error(None, f"Die Sicherung beim Beenden ist fehlgeschlagen: {exc}")
            store.close()
        self.store = self.user = None
        if (self._after_close == "login" and not self.login()) or self._after_close == "quit":
            QApplication.instance().quit()

    def restore(self, backup: Path) -> None:
        store, user, window = self.store, self.user, self.window
        if store is None or window is None:
            return

        def done(_result: object) -> None:
            self._after_close = "login"
            window.close_for_restore()
            messages.inform(None, "Die Sicherung wurde wiederhergestellt. Bitte melden Sie sich neu an.")

        run_with_progress(window, "Wiederherstellung läuft…",
                          lambda progress, cancelled: backups.restore(store, user.username, backup), on_done=done)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="whh-desktop", description="WHH Desktop")
    parser.add_argument("--data-dir", help="Datenordner (sonst WHH_DATA_DIR oder der Standardordner)")
    parser.add_argument("--version", action="version", version=f"WHH Desktop {__version__}")
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    args, qt_args = build_parser().parse_known_args(argv)
    configure_logging()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("WHH Desktop")
    app.setApplicationVersion(__version__)
    app.setQuitOnLastWindowClosed(False)  # dialogs come and go between login and main window
    paths = resolve_data_dir(args.data_dir)
    lock = InstanceLock(paths.lock_file)
    try:
        paths.root.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except (WhhError, OSError) as exc:
        messages.show_error(None, exc if isinstance(exc, WhhError) else
                            f"Der Datenordner {paths.root} ist nicht beschreibbar: {exc.strerror or exc}")
        return 1
    try:
        controller = AppController(paths)
        if not controller.start():
            return 0
        return app.exec()
    finally:
        lock.release()
