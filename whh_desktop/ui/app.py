"""The application flow: lock the data folder, set up or log in, show the main window, back up on close.

``AppController`` owns the open store between login and close and hands it to the window explicitly (no globals).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication

from whh_desktop import __version__
from whh_desktop.core.errors import WhhError
from whh_desktop.core.services import backups
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import InstanceLock, Store
from whh_desktop.logging_setup import configure as configure_logging
from whh_desktop.paths import DataPaths, resolve_data_dir
from whh_desktop.ui import dirty, messages, style, workers
from whh_desktop.ui.dialogs.login import LoginDialog
from whh_desktop.ui.main_window import MainWindow
from whh_desktop.ui.ops import LongOp

log = logging.getLogger("whh_desktop.ui")


class AppController(QObject):
    quit_requested = Signal()
    window_opened = Signal(object)

    def __init__(self, paths: DataPaths) -> None:
        super().__init__()
        self.paths = paths
        self.store: Store | None = None
        self.user: CurrentUser | None = None
        self.window: MainWindow | None = None
        self._after_close = "quit"

    # ---- start ------------------------------------------------------------------------------------------------
    def start(self) -> bool:
        """Setup on first start, else login; False when the user cancelled (the app then ends)."""
        if self.paths.exists():
            result = LoginDialog.ask(self.paths)
        else:  # the first start only: the wizard's modules (store set-up, recovery sheet, PDF) load just then
            from whh_desktop.ui.dialogs.setup_wizard import SetupWizard

            result = SetupWizard.ask(self.paths)
        if result is None:
            return False
        self.open_main(*result)
        return True

    def open_main(self, store: Store, user: CurrentUser) -> MainWindow:
        self.store, self.user = store, user
        self._after_close = "quit"
        window = MainWindow(store, user)
        window.restore_requested.connect(self.restore)
        window.logout_requested.connect(self.logout)
        window.closed.connect(self._on_window_closed)
        self.window = window
        window.show()
        self.window_opened.emit(window)
        return window

    def login_again(self) -> bool:
        result = LoginDialog.ask(self.paths)
        if result is None:
            self.quit_requested.emit()
            return False
        self.open_main(*result)
        return True

    # ---- close, logout, restore -------------------------------------------------------------------------------
    def logout(self) -> None:
        self._after_close = "login"
        if self.window is not None:
            self.window.close()

    def shutdown(self) -> None:
        """The application is quitting for another reason (session end): close properly."""
        self._after_close = "none"
        if self.window is not None:
            self.window.close()

    def _on_window_closed(self) -> None:
        window, store, user = self.window, self.store, self.user
        self.window, self.store, self.user = None, None, None
        if store is not None and user is not None and not (window is not None and window.closing_for_restore):
            self.close_store(store, user, window)
        if self._after_close == "login":
            QTimer.singleShot(0, self.login_again)
        elif self._after_close == "quit":
            self.quit_requested.emit()

    def close_store(self, store: Store, user: CurrentUser, parent: MainWindow | None = None) -> None:
        """Backup with reason "close" (a failure is shown but never blocks closing), then close the store."""
        try:
            LongOp(None, "Datensicherung beim Beenden…",
                   lambda _p, _c: backups.backup_now(store, user.username, reason="close")).run_blocking()
        except Exception as exc:
            messages.show_error(None, f"Die Sicherung beim Beenden ist fehlgeschlagen:\n{messages.error_text(exc)}"
                                      "\n\nDie Daten selbst sind gespeichert. Bitte beim nächsten Start von Hand "
                                      "sichern.")
        finally:
            store.close()

    def restore(self, backup: Path) -> None:
        store, user, window = self.store, self.user, self.window
        if store is None or user is None or window is None:
            return

        def done(_result: object) -> None:
            self._after_close = "login"
            window.close_for_restore()
            messages.inform(None, "Die Sicherung wurde wiederhergestellt. Bitte melden Sie sich neu an.")

        # Not an operation: the restore closes the store it changed, so nothing may refresh from it; the window
        # closes and every view is built anew after the next login.
        workers.run_in_background(window, "Die Sicherung wird geprüft und wiederhergestellt…",
                                  lambda _p, _c: backups.restore(store, user.username, backup), on_done=done)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="whh-desktop", description="WHH Desktop – Fallverwaltung")
    parser.add_argument("--data-dir", help="Datenordner (sonst WHH_DATA_DIR oder der Standardordner)")
    parser.add_argument("--version", action="version", version=f"WHH Desktop {__version__}")
    return parser


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Last resort: log the traceback, show the user a German message, never the traceback."""
    log.error("unhandled exception", exc_info=(kind, exc, tb))
    if QApplication.instance() is not None and not isinstance(exc, KeyboardInterrupt):
        with contextlib.suppress(Exception):  # nothing more we can do
            messages.show_error(None, exc)


def make_application(qt_args: Sequence[str] = ()) -> QApplication:
    """The QApplication as the app runs it: names, German translation, wheel guard, shipped font, icon (the
    start-up bench builds it the same way)."""
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("WHH Desktop")
    app.setOrganizationName("Diakoniestiftung Herford")
    app.setApplicationVersion(__version__)
    app.setQuitOnLastWindowClosed(False)  # dialogs come and go between login and main window
    style.install_german(app)
    dirty.install_wheel_guard(app)  # the wheel never changes an unfocused combo box or spin box
    style.register_fonts()
    with contextlib.suppress(FileNotFoundError):  # a missing icon is no reason not to start
        app.setWindowIcon(style.app_icon())
    return app  # type: ignore[return-value]


def run(argv: Sequence[str] | None = None) -> int:
    args, qt_args = build_parser().parse_known_args(argv)
    configure_logging()
    app = make_application(qt_args)
    sys.excepthook = _excepthook
    paths = resolve_data_dir(args.data_dir)
    lock = InstanceLock(paths.lock_file)
    try:
        lock.acquire()
    except WhhError as exc:
        messages.show_error(None, exc)
        return 1
    except OSError as exc:
        messages.show_error(None, f"Der Datenordner {paths.root} ist nicht beschreibbar: {exc.strerror or exc}")
        return 1
    try:
        controller = AppController(paths)
        controller.quit_requested.connect(app.quit, Qt.ConnectionType.QueuedConnection)
        app.aboutToQuit.connect(controller.shutdown)
        if not controller.start():
            return 0
        return app.exec()
    finally:
        workers.wait_all()
        lock.release()
