"""The main window (DESIGN.md §6): navigation from the area registry, menus, status bar, lock screen, auto-lock."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from whh_desktop.core.domain.changes import EXCHANGE, Aggregate
from whh_desktop.core.domain.formatting import fmt_datetime
from whh_desktop.core.domain.sites import SiteCode, StoreMode
from whh_desktop.core.services import audit_log, backups, site_settings_views, sync_views
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import workers
from whh_desktop.ui.areas import Area, available_areas
from whh_desktop.ui.autolock import InactivityWatch
from whh_desktop.ui.ops import listen, mark_fresh, wants
from whh_desktop.ui.views.lock_screen import LockScreen
from whh_desktop.ui.widgets.screen_fit import PageStack, available, page_scroller, resize_within_screen

BADGE_REFRESH_MS = 60_000  # deadlines become due as the day goes on, and other windows change them
_TRANSIENT = (Qt.WindowType.Popup, Qt.WindowType.ToolTip)


class MainWindow(QMainWindow):
    restore_requested = Signal(object)  # a backup path; the app closes the window, restores, logs in again
    logout_requested = Signal()
    closed = Signal()

    def __init__(self, store: Store, user: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.user = store, user
        self._hidden_windows: list[QWidget] = []
        self._focus_before_lock: QWidget | None = None
        self._closing_for_restore = False
        self._closed = False
        self.setObjectName("main_window")
        self.site = SiteCode(store.info.site_code)
        self.setWindowTitle(f"WHH Desktop – {self.site.label}")
        self.setAccessibleName("WHH Desktop")
        resize_within_screen(self, 1180, 760)
        self.autolock_minutes = site_settings_views.current(store).autolock_minutes

        self._build_status_bar()
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName("Navigation")
        self.nav.setAccessibleDescription("Bereiche von WHH Desktop; mit den Pfeiltasten wählen")
        self.nav.setFixedWidth(max(180, min(250, available(self).width() // 5)))  # narrower at 150 %
        self.nav.setWordWrap(True)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setSpacing(2)
        self.nav.setStyleSheet("QListWidget#navigation { font-size: 11pt; padding-top: 8px; }"
                               "QListWidget#navigation::item { padding: 9px 12px; }")
        self.pages = PageStack()  # sized by the current page only (see page_scroller below)
        self.pages.setObjectName("pages")
        self.areas: list[Area] = available_areas(store, user)
        self.views: dict[str, QWidget] = {}
        for area in self.areas:
            view = area.factory(store, user, self)
            self.views[area.label] = view
            self.pages.addWidget(view)
            item = QListWidgetItem(area.label, self.nav)
            item.setData(Qt.ItemDataRole.UserRole, area.label)
            item.setToolTip(area.description)
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, area.description)
        self.nav.currentRowChanged.connect(self._show_row)
        content = QWidget()
        content.setObjectName("content")
        row = QHBoxLayout(content)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(page_scroller(self.pages), 1)

        self.lock_screen = LockScreen(store.paths, user)
        self.lock_screen.unlocked.connect(self.unlock)
        self.central = QStackedWidget()
        self.central.addWidget(content)
        self.central.addWidget(self.lock_screen)
        self.setCentralWidget(self.central)

        self._build_menus()
        self.watch = InactivityWatch(self.autolock_minutes, self)
        self.watch.idle.connect(self.lock)
        self.watch.lock_requested.connect(self.lock)
        QApplication.instance().installEventFilter(self.watch)
        self.badge_timer = QTimer(self)
        self.badge_timer.setInterval(BADGE_REFRESH_MS)
        self.badge_timer.timeout.connect(self.refresh_badges)
        self.badge_timer.start()
        # Mein Tag counts applications due too
        listen(self, wants(Aggregate.DEADLINES, Aggregate.CASES, Aggregate.APPLICATIONS,
                           Aggregate.APPLICATION_OBJECTIONS), self.refresh_badges)
        # A backup leaves its audit entry (an import or a restore: everything); the label lists the files again.
        listen(self, wants(Aggregate.AUDIT_LOG, EXCHANGE), self.refresh_status)
        self.refresh_badges()
        # The first area has just been built (and filled): select it without refreshing it a second time.
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(0)
        self.nav.blockSignals(False)
        self._show_row(self.nav.currentRow(), refresh=False)
        self.nav.setFocus()

    # ---- menus and status bar ---------------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut: str | None = None, name: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if name:
            action.setObjectName(name)
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        self.lock_action = self._action("&Sperren", self.lock, "Ctrl+L", "action_lock")
        self.password_action = self._action("Eigenes &Passwort ändern…", self.change_password,
                                            name="action_password")
        self.backup_action = self._action("&Datensicherung…", self.show_backups, name="action_backup")
        self.logout_action = self._action("&Abmelden", self.logout, name="action_logout")
        self.quit_action = self._action("&Beenden", self.close, "Ctrl+Q", "action_quit")
        file_menu = self.menuBar().addMenu("&Datei")
        file_menu.addAction(self.lock_action)
        file_menu.addAction(self.password_action)
        if "Verwaltung" in self.views:
            file_menu.addAction(self.backup_action)
        file_menu.addSeparator()
        file_menu.addAction(self.logout_action)
        file_menu.addAction(self.quit_action)

        view_menu = self.menuBar().addMenu("&Ansicht")
        self.area_actions = QActionGroup(self)
        for index, area in enumerate(self.areas):
            action = self._action(area.label, lambda _checked=False, i=index: self.nav.setCurrentRow(i),
                                  f"Ctrl+{index + 1}" if index < 9 else None, f"action_area_{area.key}")
            action.setCheckable(True)
            self.area_actions.addAction(action)
            view_menu.addAction(action)

        help_menu = self.menuBar().addMenu("&Hilfe")
        self.handbook_action = self._action("&Handbuch", self.show_handbook, "F1", "action_handbook")
        help_menu.addAction(self.handbook_action)
        self._handbook: QDialog | None = None
        self.about_action = self._action("Über &WHH Desktop", self.show_about, name="action_about")
        help_menu.addAction(self.about_action)
        # Everything but quitting waits while the window is locked.
        self._data_actions = [self.password_action, self.backup_action, self.logout_action, self.about_action,
                              *self.area_actions.actions()]

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("status_bar")
        bar.setSizeGripEnabled(False)
        bar.setStyleSheet("QStatusBar::item { border: none; } QStatusBar QLabel { padding: 2px 8px; "
                          "border-left: 1px solid palette(mid); }")
        mode = StoreMode(self.store.info.mode)
        self.site_label = QLabel(f"{self.site.label} · {mode.label}")
        self.site_label.setObjectName("status_site")
        self.user_label = QLabel(f"Angemeldet: {self.user.display_name} ({self.user.role.label})")
        self.user_label.setObjectName("status_user")
        self.lock_label = QLabel()
        self.lock_label.setObjectName("status_lock")
        self.export_label = QLabel()
        self.export_label.setObjectName("status_export")
        # DESIGN §6 names four items; the last backup rides in the export item's tooltip so the bar fits 1366×768
        # at 150 %.
        for label, name in ((self.site_label, "Standort"), (self.user_label, "Angemeldet"),
                            (self.export_label, "Letzter Export"), (self.lock_label, "Sperrstatus")):
            label.setAccessibleName(name)
            bar.addPermanentWidget(label)
        self._show_lock_state(False)
        self.refresh_status()

    def _show_lock_state(self, locked: bool) -> None:
        self.lock_label.setText("Gesperrt" if locked else f"Entsperrt · Sperre nach {self.autolock_minutes} Min.")
        self.lock_label.setAccessibleDescription(self.lock_label.text())

    def refresh_status(self) -> None:
        latest = backups.list_backups(self.store.paths)
        backup = f"Letzte Sicherung: {fmt_datetime(latest[0].created_at) if latest else 'noch keine'}"
        last = sync_views.last_export(self.store, self.user)
        self.export_label.setText(f"Letzter Export: {fmt_datetime(last.at) if last.at else 'noch keiner'}")
        self.export_label.setToolTip((f"Export Nr. {last.sequence}\n" if last.at else "") + backup)
        self.export_label.setAccessibleDescription(f"{self.export_label.text()}. {backup}")

    # ---- navigation -------------------------------------------------------------------------------------------
    def _show_row(self, row: int, refresh: bool = True) -> None:
        if row < 0:
            return
        if refresh:  # the page is re-read below anyway (a colleague's change shows too): once, not twice
            mark_fresh(self.pages.widget(row))
        self.pages.setCurrentIndex(row)
        self.area_actions.actions()[row].setChecked(True)
        if not refresh:
            return
        self.refresh_badges()
        page_refresh = getattr(self.pages.currentWidget(), "refresh", None)
        if callable(page_refresh):
            page_refresh()

    def nav_labels(self) -> list[str]:
        return [self.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.nav.count())]

    def refresh_badges(self) -> None:
        """Counts beside area labels (Fristen due within a week); not while locked, nothing to show then."""
        if self.locked:
            return
        for row, area in enumerate(self.areas):
            if area.badge is None:
                continue
            count = area.badge(self.store, self.user)
            item = self.nav.item(row)
            item.setText(f"{area.label}  ({count})" if count else area.label)
            font = item.font()
            font.setBold(bool(count))
            item.setFont(font)
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         f"{area.label}, {count} fällig" if count else area.label)

    def show_area(self, label: str) -> QWidget:
        self.nav.setCurrentRow(self.nav_labels().index(label))
        return self.views[label]

    # ---- shell services for the views (areas.Shell) -------------------------------------------------------------
    def set_autolock_minutes(self, minutes: int) -> None:
        self.autolock_minutes = minutes
        self.watch.set_minutes(minutes)
        self._show_lock_state(self.locked)

    def request_restore(self, backup: Path) -> None:
        self.restore_requested.emit(backup)

    # ---- lock -------------------------------------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self.central.currentWidget() is self.lock_screen

    def lock(self) -> None:
        """Hide all data: the content, every other window of the app (dialogs keep their input), the menus."""
        if self.locked or self._closed:
            return
        app = QApplication.instance()
        focus = app.focusWidget()
        self._focus_before_lock = focus if focus is not None and focus.window() is self else None
        self._hidden_windows = []
        for window in app.topLevelWidgets():
            if window is self or not window.isVisible():
                continue
            if window.windowType() in _TRANSIENT:
                window.close()
                continue
            window.hide()
            self._hidden_windows.append(window)
        self.central.setCurrentWidget(self.lock_screen)
        for action in self._data_actions:
            action.setEnabled(False)
        self.menuBar().setEnabled(False)
        self._show_lock_state(True)
        self.watch.pause()
        self.lock_screen.activate()
        self._audit("lock")

    def unlock(self) -> None:
        if not self.locked:
            return
        self.central.setCurrentIndex(0)
        self.menuBar().setEnabled(True)
        for action in self._data_actions:
            action.setEnabled(True)
        self._show_lock_state(False)
        hidden, self._hidden_windows = self._hidden_windows, []
        for window in hidden:
            if shiboken6.isValid(window) and not window.property("whh_finished"):
                window.show()
        if not hidden and self._focus_before_lock is not None and shiboken6.isValid(self._focus_before_lock):
            self._focus_before_lock.setFocus()
        self._focus_before_lock = None
        self.watch.resume()
        self._audit("unlock")

    def _audit(self, action: str) -> None:
        audit_log.record_session_event(self.store, self.user, action)  # never fails: the lock must not

    # ---- dialogs ----------------------------------------------------------------------------------------------
    def change_password(self) -> None:
        from whh_desktop.ui import messages
        from whh_desktop.ui.dialogs.change_password import ChangePasswordDialog

        if ChangePasswordDialog.ask(self, self.store, self.user):
            messages.inform(self, "Ihr Passwort wurde geändert.")

    def show_handbook(self) -> None:
        """The user guide beside the window (not modal); a second F1 brings the open one to the front."""
        from whh_desktop.ui.dialogs.handbook import HandbookDialog

        if self._handbook is None:
            self._handbook = HandbookDialog(self)
        self._handbook.show()
        self._handbook.raise_()
        self._handbook.activateWindow()

    def show_about(self) -> None:
        from whh_desktop.ui.dialogs.about import AboutDialog

        AboutDialog.show_for(self.store, self)

    def show_backups(self) -> None:
        admin = self.show_area("Verwaltung")
        admin.show_tab("Datensicherung")  # type: ignore[attr-defined]

    def logout(self) -> None:
        self._audit("logout")
        self.logout_requested.emit()

    # ---- closing ----------------------------------------------------------------------------------------------
    def close_for_restore(self) -> None:
        """The store was closed by a restore: close without the backup on close."""
        self._closing_for_restore = True
        self.close()

    @property
    def closing_for_restore(self) -> bool:
        return self._closing_for_restore

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed:
            self._closed = True
            workers.wait_all()  # a running backup finishes before the store is closed
            self.watch.pause()
            QApplication.instance().removeEventFilter(self.watch)
            for window in self._hidden_windows:  # a hidden dialog ends its run_modal loop only when finished
                if shiboken6.isValid(window):
                    window.reject() if isinstance(window, QDialog) else window.close()
            self._hidden_windows = []
            self.closed.emit()
        event.accept()
