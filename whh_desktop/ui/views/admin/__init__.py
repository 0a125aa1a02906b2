"""Verwaltung (admins only): Konten, Einstellungen, Briefe, Adressbuch, Datensicherung, Protokoll."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui.areas import Shell
from whh_desktop.ui.views.admin.accounts import AccountsController, AccountsTab
from whh_desktop.ui.views.admin.address_book import AddressBookController, AddressBookTab
from whh_desktop.ui.views.admin.audit import AuditTab
from whh_desktop.ui.views.admin.backups import BackupController, BackupTab
from whh_desktop.ui.views.admin.letters import LettersController, LettersTab
from whh_desktop.ui.views.admin.settings import SettingsController, SettingsTab

TABS = ("Konten", "Einstellungen", "Briefe", "Adressbuch", "Datensicherung", "Protokoll")


class AdminView(QWidget):
    def __init__(self, store: Store, user: CurrentUser, shell: Shell | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("admin")
        self.setAccessibleName("Verwaltung")
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Bereiche der Verwaltung")
        self.accounts = AccountsTab(AccountsController(store, user))
        self.settings = SettingsTab(SettingsController(store, user), shell)
        self.letters = LettersTab(LettersController(store, user))
        self.address_book = AddressBookTab(AddressBookController(store, user))
        self.backups = BackupTab(BackupController(store, user), shell)
        self.audit = AuditTab(store, user)
        for widget, label in ((self.accounts, "&Konten"), (self.settings, "&Einstellungen"), (self.letters, "&Briefe"),
                              (self.address_book, "Adressbu&ch"), (self.backups, "Daten&sicherung"),
                              (self.audit, "Pr&otokoll")):
            self.tabs.addTab(widget, label)
        self.tabs.currentChanged.connect(self._refresh_tab)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.tabs)

    def show_tab(self, label: str) -> QWidget:
        index = TABS.index(label)
        self.tabs.setCurrentIndex(index)
        return self.tabs.widget(index)

    def _refresh_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget is not self.settings:  # never throw away edits in progress
            widget.refresh()

    def refresh(self) -> None:
        self._refresh_tab(self.tabs.currentIndex())
