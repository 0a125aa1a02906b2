"""The main window: navigation, status bar, lock screen, auto-lock, menus."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from whh_desktop.core.domain.sites import SiteCode, StoreMode
from whh_desktop.core.services import backups, site_settings
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.engine import Store
from whh_desktop.ui.areas import available_areas
from whh_desktop.ui.autolock import InactivityWatch
from whh_desktop.ui.views.lock_screen import LockScreen


class MainWindow(QMainWindow):
    restore_requested = Signal(object)  # a backup path: the app closes the store and restores
    logout_requested = Signal()
    closed = Signal()

    def __init__(self, store: Store, user: CurrentUser) -> None:
        super().__init__()
        self.store, self.user = store, user
        self._jobs: list = []
        self._hidden_windows: list[QWidget] = []
        self._closing_for_restore = False
        site = SiteCode(store.info.site_code)
        self.setWindowTitle(f"WHH Desktop – {site.label}")
        self.resize(1200, 780)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName("Navigation")
        self.nav.setFixedWidth(210)
        self.nav.setStyleSheet("QListWidget { font-size: 11pt; } QListWidget::item { padding: 8px; }")
        self.pages = QStackedWidget()
        self.areas = available_areas(store, user)
        self.views: dict[str, QWidget] = {}
        for area in self.areas:
            view = area.factory(store, user, self)
            self.views[area.label] = view
            self.pages.addWidget(view)
            QListWidgetItem(area.label, self.nav)
        self.nav.currentRowChanged.connect(self._show_area)
        content = QWidget()
        row = QHBoxLayout(content)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.nav)
        row.addWidget(self.pages, 1)

        self.lock_screen = LockScreen(store.paths, user)
        self.lock_screen.unlocked.connect(self.unlock)
        self.central = QStackedWidget()
        self.central.addWidget(content)
        self.central.addWidget(self.lock_screen)
        self.setCentralWidget(self.central)

        self._build_menus()
        self._build_status_bar()
        with store.read_session() as s:
            minutes = site_settings.load(s).autolock_minutes
        self.watch = InactivityWatch(minutes, self)
        self.watch.idle.connect(self.lock)
        QApplication.instance().installEventFilter(self.watch)
        self.nav.setCurrentRow(0)

    # ---- menus and status -------------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&Datei")
        self.lock_action = QAction("&Sperren", self, shortcut=QKeySequence("Ctrl+L"), triggered=self.lock)
        file_menu.addAction(self.lock_action)
        file_menu.addAction(QAction("Eigenes &Passwort ändern…", self, triggered=self.change_password))
        if self.user.is_admin:
            file_menu.addAction(QAction("&Datensicherung…", self, triggered=self.show_backups))
        file_menu.addSeparator()
        file_menu.addAction(QAction("&Abmelden", self, triggered=self.logout_requested.emit))
        file_menu.addAction(QAction("&Beenden", self, shortcut=QKeySequence("Ctrl+Q"), triggered=self.close))
        help_menu = self.menuBar().addMenu("&Hilfe")
        help_menu.addAction(QAction("Über &WHH Desktop", self, triggered=self.show_about))

    def _build_status_bar(self) -> None:
        site = SiteCode(self.store.info.site_code)
        mode = StoreMode(self.store.info.mode)
        self.site_label = QLabel(f"{site.label} · {mode.label}")
        self.user_label = QLabel(f"Angemeldet: {self.user.display_name} ({self.user.role.label})")
        self.user_label.setObjectName("status_user")
        self.lock_label = QLabel("entsperrt")
        self.backup_label = QLabel()
        for widget in (self.site_label, self.user_label, self.lock_label, self.backup_label):
            self.statusBar().addPermanentWidget(widget)
        self.refresh_status()

    def refresh_status(self) -> None:
        latest = backups.list_backups(self.store.paths)
        when = latest[0].created_at.astimezone().strftime("%d.%m.%Y %H:%M") if latest else "noch keine"
        self.backup_label.setText(f"Letzte Sicherung: {when}")

    def _show_area(self, row: int) -> None:
        if row >= 0:
            self.pages.setCurrentIndex(row)
            refresh = getattr(self.pages.currentWidget(), "refresh", None)
            if callable(refresh):
                refresh()

    def show_area(self, label: str) -> QWidget:
        index = [a.label for a in self.areas].index(label)
        self.nav.setCurrentRow(index)
        return self.views[label]

    # ---- lock -------------------------------------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self.central.currentWidget() is self.lock_screen

    def lock(self) -> None:
        if self.locked:
            return
        app = QApplication.instance()
        self._hidden_windows = [w for w in app.topLevelWidgets() if w is not self and w.isVisible()]
        for window in self._hidden_windows:
            window.hide()
        self.central.setCurrentWidget(self.lock_screen)
        self.menuBar().setEnabled(False)
        self.lock_label.setText("gesperrt")
        self.watch.pause()
        self.lock_screen.activate()
        with self.store.session(self.user.username) as s:
            audit.append(s, self.user.username, "lock")

    def unlock(self) -> None:
        self.central.setCurrentIndex(0)
        self.menuBar().setEnabled(True)
        self.lock_label.setText("entsperrt")
        for window in self._hidden_windows:
            window.show()
        self._hidden_windows = []
        self.watch.resume()
        with self.store.session(self.user.username) as s:
            audit.append(s, self.user.username, "unlock")

    def set_autolock_minutes(self, minutes: int) -> None:
        self.watch.set_minutes(minutes)

    # ---- dialogs ----------------------------------------------------------------------------------------------
    def change_password(self) -> None:
        from whh_desktop.ui.dialogs.login import ChangePasswordDialog

        ChangePasswordDialog.ask(self, self.store, self.user)

    def show_about(self) -> None:
        from whh_desktop.ui.dialogs.about import AboutDialog

        AboutDialog(self.store, self).exec()

    def show_backups(self) -> None:
        admin = self.show_area("Verwaltung")
        admin.show_tab("Datensicherung")

    # ---- closing ----------------------------------------------------------------------------------------------
    def close_for_restore(self) -> None:
        """The store was closed by a restore: close the window without the backup on close."""
        self._closing_for_restore = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        for job in self._jobs:
            if job.is_running():
                job.wait()
        QApplication.instance().removeEventFilter(self.watch)
        for window in self._hidden_windows:
            window.close()
        event.accept()
        self.closed.emit()

    @property
    def closing_for_restore(self) -> bool:
        return self._closing_for_restore

