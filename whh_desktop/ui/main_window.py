"""The main window (DESIGN.md §6): navigation from the area registry, menus, status bar, lock screen, auto-lock.

The navigation names every area at once, but an area's widget is built when it is first shown (or asked for):
the start pays for the first view only (issue 20 point 2). A view built later reads its data as it is built, so
it is as current as one built at the start and refreshed since.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

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
    QMenu,
    QStackedWidget,
    QWidget,
)

from whh_desktop.core.domain.changes import EXCHANGE, Aggregate
from whh_desktop.core.domain.enums import Role
from whh_desktop.core.domain.formatting import fmt_datetime
from whh_desktop.core.domain.sites import SiteCode, StoreMode
from whh_desktop.core.services import audit_log, backups, site_settings_views, sync_views
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import dirty, workers
from whh_desktop.ui.areas import Area, available_areas
from whh_desktop.ui.autolock import InactivityWatch
from whh_desktop.ui.dirty import FormWindow
from whh_desktop.ui.ops import listen, mark_fresh, wants
from whh_desktop.ui.views.lock_screen import LockScreen
from whh_desktop.ui.widgets.screen_fit import PageStack, available, page_scroller, resize_within_screen

if TYPE_CHECKING:
    from whh_desktop.ui.case_file.workspace import CaseWorkspace

BADGE_REFRESH_MS = 60_000  # deadlines become due as the day goes on, and other windows change them
_TRANSIENT = (Qt.WindowType.Popup, Qt.WindowType.ToolTip)
_PAGE_ROLE = Qt.ItemDataRole.UserRole + 1  # a navigation row of an open case holds its page


class AreaViews(Mapping[str, QWidget]):
    """The areas' widgets by label; an area's widget is built the first time it is asked for.

    ``in`` and iteration name every area the user may use, built or not; ``is_built`` tells which exist."""

    def __init__(self, areas: list[Area], build) -> None:  # type: ignore[no-untyped-def]
        self._areas = {area.label: area for area in areas}
        self._build = build
        self._built: dict[str, QWidget] = {}

    def __getitem__(self, label: str) -> QWidget:
        view = self._built.get(label)
        if view is None:
            view = self._built[label] = self._build(self._areas[label])
        return view

    def __iter__(self) -> Iterator[str]:
        return iter(self._areas)

    def __len__(self) -> int:
        return len(self._areas)

    def __contains__(self, label: object) -> bool:
        return label in self._areas

    def is_built(self, label: str) -> bool:
        return label in self._built

    def built(self, label: str) -> QWidget | None:
        """The area's widget if it exists, without building it."""
        return self._built.get(label)


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
        self.views = AreaViews(self.areas, self._build_area)
        for area in self.areas:
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
        self._build_case_pages()
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
        # The first area is built now (and reads its data): its own count serves the badges.
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

        work_actions = self._build_work_shortcuts(file_menu, view_menu)

        help_menu = self.menuBar().addMenu("&Hilfe")
        self.handbook_action = self._action("&Handbuch", self.show_handbook, "F1", "action_handbook")
        help_menu.addAction(self.handbook_action)
        self._handbook: QDialog | None = None
        self.about_action = self._action("Über &WHH Desktop", self.show_about, name="action_about")
        help_menu.addAction(self.about_action)
        # Everything but quitting waits while the window is locked.
        self._data_actions = [self.password_action, self.backup_action, self.logout_action, self.about_action,
                              *self.area_actions.actions(), *work_actions]

    # ---- keyboard first (issue 18 point 3) ----------------------------------------------------------------------
    def _build_work_shortcuts(self, file_menu: QMenu, view_menu: QMenu) -> list[QAction]:
        """Ctrl+N: a new Erstaufnahme from anywhere (counsellors take in); Ctrl+F: the search of the shown list,
        else the case search. Both stand in the menus with their shortcut."""
        actions: list[QAction] = []
        self.intake_action: QAction | None = None
        if self.user.role is Role.BERATUNG and "Fälle" in self.views:
            self.intake_action = self._action("Neue &Erstaufnahme…", self.new_intake, "Ctrl+N", "action_intake")
            file_menu.insertAction(file_menu.actions()[0], self.intake_action)
            file_menu.insertSeparator(file_menu.actions()[1])
            actions.append(self.intake_action)
        self.search_action: QAction | None = None
        if "Fälle" in self.views:
            self.search_action = self._action("&Suchen", self.focus_search, "Ctrl+F", "action_search")
            view_menu.addSeparator()
            view_menu.addAction(self.search_action)
            actions.append(self.search_action)
        return actions

    def new_intake(self) -> None:
        """The intake form over the shown area; the saved case opens (the Fälle list shows it too)."""
        self.views["Fälle"].new_intake()  # type: ignore[attr-defined]

    def focus_search(self) -> None:
        """The shown area's own search or filter field when it has one, otherwise the case search in Fälle."""
        focus = getattr(self.pages.currentWidget(), "focus_search", None)
        if callable(focus) and focus():
            return
        self.show_area("Fälle").focus_search()  # type: ignore[attr-defined]

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
    def _build_area(self, area: Area) -> QWidget:
        """The area's widget, built on first use; it reads its data as it is built (and listens from then on)."""
        view = area.factory(self.store, self.user, self)
        self.pages.addWidget(view)
        return view

    def _show_row(self, row: int, refresh: bool = True) -> None:
        """Show the row's page; ``refresh`` re-reads it (as every showing does: a colleague's change shows too). A
        page built now is refreshed as well: not every view reads its data in its constructor."""
        new = row < len(self.areas) and not self.views.is_built(self.areas[row].label)
        page = self._page_of_row(row)  # builds an area on its first showing
        if page is None:
            return
        if refresh:  # the page is re-read below anyway: once, not twice
            mark_fresh(page)
        self.pages.setCurrentWidget(page)
        self._check_area_action(row)
        if refresh:
            page_refresh = getattr(page, "refresh", None)
            if callable(page_refresh):
                page_refresh()
        if refresh or new:
            self.refresh_badges(fresh=page)

    def nav_labels(self) -> list[str]:
        return [self.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(len(self.areas))]

    def refresh_badges(self, fresh: QWidget | None = None) -> None:
        """Counts beside area labels (Fristen due within a week); not while locked, nothing to show then.

        ``fresh`` has just read its data: when it knows its own count (``badge_count``), that is not read again."""
        if self.locked:
            return
        for row, area in enumerate(self.areas):
            if area.badge is None:
                continue
            just_read = fresh is not None and fresh is self.views.built(area.label)
            own = getattr(fresh, "badge_count", None) if just_read else None
            count = own() if callable(own) else area.badge(self.store, self.user)
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

    # ---- case pages (the case workspace, several open like a browser's tabs) -------------------------------------
    def _build_case_pages(self) -> None:
        """The open cases follow the areas in the navigation under »Geöffnete Fälle«; Strg+W closes the current
        one, Strg+Tab/Strg+Bild↓ (and back with Umschalt/Bild↑) go from one open case to the next."""
        self.case_pages: list[CaseWorkspace] = []
        self._case_header: QListWidgetItem | None = None
        self.area_actions.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        self.close_case_action = self._action("Akte s&chließen", self.close_current_case_page, "Ctrl+W",
                                              "action_close_case")
        self.next_case_action = self._action("&Nächste geöffnete Akte", lambda: self.cycle_case_pages(1),
                                             name="action_next_case")
        self.next_case_action.setShortcuts([QKeySequence("Ctrl+Tab"), QKeySequence("Ctrl+PgDown")])
        self.previous_case_action = self._action("&Vorige geöffnete Akte", lambda: self.cycle_case_pages(-1),
                                                 name="action_previous_case")
        self.previous_case_action.setShortcuts([QKeySequence("Ctrl+Shift+Tab"), QKeySequence("Ctrl+Backtab"),
                                                QKeySequence("Ctrl+PgUp")])
        case_actions = [self.close_case_action, self.next_case_action, self.previous_case_action]
        view_menu = next((a.menu() for a in self.menuBar().actions() if a.text() == "&Ansicht"), None)
        if view_menu is not None and self.user.role is not Role.ADMIN:  # admins open no cases
            view_menu.addSeparator()
            view_menu.addActions(case_actions)
        self.addActions(case_actions)  # the shortcuts work while the menu is closed
        self._data_actions.extend(case_actions)
        self.lock_screen.unlocked.connect(self._enable_case_actions)  # after unlock() enabled every data action
        self._enable_case_actions()

    def _page_of_row(self, row: int) -> QWidget | None:
        if row < 0 or row >= self.nav.count():
            return None
        if row < len(self.areas):
            return self.views[self.areas[row].label]
        page = self.nav.item(row).data(_PAGE_ROLE)
        return page if isinstance(page, QWidget) else None

    def _check_area_action(self, row: int) -> None:
        if row < len(self.areas):
            self.area_actions.actions()[row].setChecked(True)
        elif (checked := self.area_actions.checkedAction()) is not None:
            checked.setChecked(False)

    def _case_row(self, page: QWidget) -> int:
        return next(r for r in range(len(self.areas), self.nav.count()) if self.nav.item(r).data(_PAGE_ROLE) is page)

    def open_case_page(self, case_id: uuid.UUID, part: str = "") -> CaseWorkspace:
        """Show the case as a page (an open one comes to the front) on its part ``part``; focus on the part list."""
        page = next((p for p in self.case_pages if p.case_id == case_id), None)
        if page is None:
            from whh_desktop.ui.case_file.workspace import CaseWorkspace  # the case file's modules: when first used

            page = CaseWorkspace(self.store, self.user, case_id)
            self._add_case_page(page)
            self.nav.blockSignals(True)  # just read: shown without a second read
            self.nav.setCurrentRow(self._case_row(page))
            self.nav.blockSignals(False)
            self._show_row(self.nav.currentRow(), refresh=False)
        else:
            self.nav.setCurrentRow(self._case_row(page))
        page.show_part(part)
        page.parts.setFocus()
        return page

    def _add_case_page(self, page: CaseWorkspace) -> None:
        if self._case_header is None:
            self._case_header = QListWidgetItem("Geöffnete Fälle", self.nav)
            self._case_header.setFlags(Qt.ItemFlag.NoItemFlags)  # a heading: not selectable, skipped by the arrows
            font = self._case_header.font()
            font.setBold(True)
            self._case_header.setFont(font)
        item = QListWidgetItem(self.nav)
        item.setData(_PAGE_ROLE, page)

        def show_title(title: str) -> None:
            if shiboken6.isValid(item.listWidget()):
                item.setText(title.replace(" – ", "\n", 1))  # Aktenzeichen, then the name: fits the width
                item.setData(Qt.ItemDataRole.AccessibleTextRole, f"Geöffneter Fall {title}")
                item.setToolTip(f"{title}\nStrg+W schließt die Akte, Strg+Tab wechselt zur nächsten")

        page.title_changed.connect(show_title)
        show_title(page.data.title)
        page.close_requested.connect(lambda: self.close_case_page(page))
        self.pages.addWidget(page)
        self.case_pages.append(page)
        self._enable_case_actions()

    def close_case_page(self, page: CaseWorkspace) -> None:
        """Take the page away (nothing changes on the case); the next open case, else the last area, shows."""
        if page not in self.case_pages:
            return
        index = self.case_pages.index(page)
        was_current = self.pages.currentWidget() is page
        self.nav.blockSignals(True)
        self.nav.takeItem(self._case_row(page))
        self.case_pages.remove(page)
        if not self.case_pages and self._case_header is not None:
            self.nav.takeItem(self.nav.row(self._case_header))
            self._case_header = None
        self.nav.blockSignals(False)
        self.pages.removeWidget(page)
        page.closed_page = True
        page.deleteLater()
        self._enable_case_actions()
        if was_current:
            if self.case_pages:
                self.nav.setCurrentRow(self._case_row(self.case_pages[min(index, len(self.case_pages) - 1)]))
            else:
                self.nav.setCurrentRow(self._last_area_row())
            self.nav.setFocus()
        elif (current := self.pages.currentWidget()) is not None:  # the selection follows the shown page
            row = (self._case_row(current) if current in self.case_pages
                   else [self.views.built(a.label) for a in self.areas].index(current))
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(row)
            self.nav.blockSignals(False)

    def _last_area_row(self) -> int:
        checked = self.area_actions.checkedAction()
        return self.area_actions.actions().index(checked) if checked is not None else 0

    def close_current_case_page(self) -> None:
        if (page := self.pages.currentWidget()) in self.case_pages:
            self.close_case_page(page)  # type: ignore[arg-type]

    def cycle_case_pages(self, step: int) -> None:
        """Strg+Tab: the next open case (from an area: the first one), wrapping around."""
        if not self.case_pages:
            return
        current = self.pages.currentWidget()
        if current in self.case_pages:
            index = (self.case_pages.index(current) + step) % len(self.case_pages)  # type: ignore[arg-type]
        else:
            index = 0 if step > 0 else len(self.case_pages) - 1
        page = self.case_pages[index]
        self.nav.setCurrentRow(self._case_row(page))
        page.parts.setFocus()

    def _enable_case_actions(self) -> None:
        if self.locked:
            return
        self.close_case_action.setEnabled(bool(self.case_pages))
        self.next_case_action.setEnabled(bool(self.case_pages))
        self.previous_case_action.setEnabled(bool(self.case_pages))

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
            # a hidden dialog ends its run_modal loop only when finished; a form keeps a draft where it can
            open_forms = [w for w in QApplication.instance().topLevelWidgets()
                          if isinstance(w, FormWindow) and w.isVisible() and w not in self._hidden_windows]
            dirty.end_session([*self._hidden_windows, *open_forms])
            self._hidden_windows = []
            self.closed.emit()
        event.accept()
