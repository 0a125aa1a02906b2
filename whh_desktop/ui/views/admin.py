"""Verwaltung (admins): Konten, Einstellungen, Datensicherung, Protokoll."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.errors import WhhError
from whh_desktop.core.services import accounts, backups, site_settings
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.site_settings import Letterhead, Settings
from whh_desktop.core.store import audit
from whh_desktop.core.store.engine import Store
from whh_desktop.ui import messages
from whh_desktop.ui.dialogs.account_dialog import AccountDialog
from whh_desktop.ui.widgets.fields import clear_mark, mark_invalid
from whh_desktop.ui.workers import run_with_progress


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))


def _fmt(value: object) -> str:
    return value.astimezone().strftime("%d.%m.%Y %H:%M") if value else "–"  # type: ignore[attr-defined]


class AccountsTab(QWidget):
    def __init__(self, store: Store, user: CurrentUser) -> None:
        super().__init__()
        self.store, self.user = store, user
        self.table = _table(["Benutzername", "Name", "Rolle", "Status", "Letzte Anmeldung"], "Konten")
        self.new_button = QPushButton("&Neues Konto…")
        self.reset_button = QPushButton("Passwort &zurücksetzen…")
        self.toggle_button = QPushButton("&Deaktivieren")
        self.role_button = QPushButton("&Rolle ändern")
        self.new_button.clicked.connect(self.new_account)
        self.reset_button.clicked.connect(self.reset_password)
        self.toggle_button.clicked.connect(self.toggle_active)
        self.role_button.clicked.connect(self.change_role)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.reset_button, self.toggle_button, self.role_button):
            buttons.addWidget(b)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self.refresh()

    def refresh(self) -> None:
        with self.store.read_session() as s:
            self.rows = accounts.list_accounts(s)
        _fill(self.table, [[a.username, a.display_name, a.role.label,
                            "aktiv" if a.active else "deaktiviert", _fmt(a.last_login_at)] for a in self.rows])
        self._update_buttons()

    def selected(self) -> accounts.AccountRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) and self.table.selectedItems() else None

    def select(self, username: str) -> None:
        for i, row in enumerate(self.rows):
            if row.username == username:
                self.table.selectRow(i)

    def _update_buttons(self) -> None:
        row = self.selected()
        for b in (self.reset_button, self.toggle_button, self.role_button):
            b.setEnabled(row is not None)
        self.toggle_button.setText("&Aktivieren…" if row and not row.active else "&Deaktivieren")

    def _run(self, action, *args) -> bool:
        try:
            action(self.store, self.user, *args)
        except WhhError as exc:
            messages.show_error(self, exc)
            return False
        self.refresh()
        return True

    def new_account(self) -> None:
        value = AccountDialog.ask(self, accounts.roles_for(self.store.info.mode))
        if value:
            self._run(accounts.create_account, value.username, value.display_name, value.role, value.password)

    def reset_password(self, _checked: bool = False) -> None:
        row = self.selected()
        if row:
            value = AccountDialog.ask(self, accounts.roles_for(self.store.info.mode), reset_for=row.username)
            if value:
                self._run(accounts.reset_password, row.username, value.password)

    def toggle_active(self) -> None:
        row = self.selected()
        if not row:
            return
        if row.active:
            if messages.confirm(self, f"Konto »{row.username}« deaktivieren? Das Passwort öffnet den Datenbestand "
                                      "danach nicht mehr.", yes="Deaktivieren"):
                self._run(accounts.deactivate, row.username)
        else:
            self.reset_password()  # activation means a new start password

    def change_role(self) -> None:
        row = self.selected()
        if not row:
            return
        roles = accounts.roles_for(self.store.info.mode)
        other = next((r for r in roles if r is not row.role), None)
        if other and messages.confirm(self, f"Rolle von »{row.username}« auf »{other.label}« ändern?"):
            self._run(accounts.change_role, row.username, other)


class SettingsTab(QWidget):
    def __init__(self, store: Store, user: CurrentUser, window: QWidget | None) -> None:
        super().__init__()
        self.store, self.user, self.window_ref = store, user, window
        with store.read_session() as s:
            current = site_settings.load(s)
        self.autolock = QSpinBox()
        self.autolock.setRange(1, 120)
        self.autolock.setSuffix(" Minuten")
        self.autolock.setAccessibleName("Automatische Sperre nach")
        self.keep_last = QSpinBox()
        self.keep_last.setRange(1, 100)
        self.keep_last.setAccessibleName("Letzte Sicherungen behalten")
        self.keep_monthly = QSpinBox()
        self.keep_monthly.setRange(0, 60)
        self.keep_monthly.setSuffix(" Monate")
        self.keep_monthly.setAccessibleName("Monatssicherungen behalten")
        self.letter = {name: QLineEdit() for name in ("name", "street", "plz", "city", "phone", "email")}
        for name, field in self.letter.items():
            field.setAccessibleName(name)
        self._show(current)
        form = QFormLayout()
        form.addRow("Automatische &Sperre nach", self.autolock)
        form.addRow("&Letzte Sicherungen behalten", self.keep_last)
        form.addRow("Je Monat eine Sicherung für", self.keep_monthly)
        for label, name in (("Name der Stelle", "name"), ("Straße", "street"), ("PLZ", "plz"), ("Ort", "city"),
                            ("Telefon", "phone"), ("E-Mail", "email")):
            form.addRow(label, self.letter[name])
        self.message = QLabel()
        self.message.setWordWrap(True)
        save = QPushButton("Einstellungen &speichern")
        save.clicked.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(save)
        layout.addStretch()

    def _show(self, current: Settings) -> None:
        self.autolock.setValue(current.autolock_minutes)
        self.keep_last.setValue(current.backup_keep_last)
        self.keep_monthly.setValue(current.backup_keep_monthly)
        for name, field in self.letter.items():
            field.setText(getattr(current.letterhead, name))

    def save(self) -> bool:
        for field in self.letter.values():
            clear_mark(field)
        settings = Settings(letterhead=Letterhead(**{k: f.text().strip() for k, f in self.letter.items()}),
                            autolock_minutes=self.autolock.value(), backup_keep_last=self.keep_last.value(),
                            backup_keep_monthly=self.keep_monthly.value())
        try:
            with self.store.session(self.user.username) as s:
                site_settings.save(s, settings, self.user.username)
        except WhhError as exc:
            field = self.letter.get(getattr(exc, "field", "") or "")
            if field:
                mark_invalid(field, str(exc))
            self.message.setStyleSheet("color: #c62828;")
            self.message.setText(str(exc))
            return False
        setter = getattr(self.window_ref, "set_autolock_minutes", None)
        if callable(setter):
            setter(settings.autolock_minutes)
        self.message.setStyleSheet("color: #2e7d32;")
        self.message.setText("Gespeichert.")
        return True


class BackupTab(QWidget):
    def __init__(self, store: Store, user: CurrentUser, window: QWidget | None) -> None:
        super().__init__()
        self.store, self.user, self.window_ref = store, user, window
        self._jobs: list = []
        self.table = _table(["Datum", "Anlass", "Größe", "Datei"], "Sicherungen")
        self.backup_button = QPushButton("Jetzt &sichern")
        self.external_button = QPushButton("Auf &externes Laufwerk sichern…")
        self.restore_button = QPushButton("&Wiederherstellen…")
        self.backup_button.clicked.connect(self.backup_now)
        self.external_button.clicked.connect(self.backup_external)
        self.restore_button.clicked.connect(self.restore_selected)
        self.info = QLabel("Sicherungen sind verschlüsselt wie der Datenbestand. Automatisch gesichert wird beim "
                           "Beenden und vor jeder Aktualisierung.")
        self.info.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (self.backup_button, self.external_button, self.restore_button):
            buttons.addWidget(b)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self.refresh()

    def refresh(self) -> None:
        self.items = backups.list_backups(self.store.paths)
        _fill(self.table, [[b.created_at.astimezone().strftime("%d.%m.%Y %H:%M:%S"), b.reason_label,
                            f"{b.size / 1_048_576:.1f} MB".replace(".", ","), b.path.name] for b in self.items])
        refresh = getattr(self.window_ref, "refresh_status", None)
        if callable(refresh):
            refresh()

    def backup_now(self) -> None:
        run_with_progress(self, "Datensicherung läuft…",
                          lambda progress, cancelled: backups.backup_now(self.store, self.user.username),
                          on_done=lambda info: self.refresh())

    def backup_external(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Ordner auf dem externen Laufwerk wählen")
        if folder:
            run_with_progress(self, "Sicherung auf externes Laufwerk…", lambda progress, cancelled:
                              backups.backup_to_external(self.store, self.user.username, Path(folder)),
                              on_done=lambda info: messages.inform(self, f"Gespeichert: {info.path}"))

    def restore_selected(self) -> None:
        row = self.table.currentRow()
        if not (0 <= row < len(self.items)):
            messages.show_error(self, "Bitte zuerst eine Sicherung in der Liste auswählen.")
            return
        item = self.items[row]
        when = item.created_at.astimezone().strftime("%d.%m.%Y %H:%M")
        if not messages.confirm(self, f"Den Datenbestand durch die Sicherung vom {when} ersetzen?\n\nAlles, was "
                                      "danach eingegeben wurde, ist dann nicht mehr im Datenbestand (der jetzige "
                                      "Stand wird vorher gesichert). Danach melden Sie sich neu an.",
                                title="Wiederherstellen", yes="Wiederherstellen"):
            return
        request = getattr(self.window_ref, "restore_requested", None)
        if request is not None:
            request.emit(item.path)


class AuditTab(QWidget):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.status = QLabel()
        self.table = _table(["Zeit", "Benutzer", "Aktion", "Objekt", "Detail"], "Protokoll")
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table)
        self.refresh()

    def refresh(self) -> None:
        with self.store.read_session() as s:
            entries = audit.recent(s)
            self.status.setText(audit.verify_chain(s).message)
        _fill(self.table, [[_fmt(e.at), e.actor, audit.ACTION_LABELS.get(e.action, e.action),
                            e.object_type or "", e.detail or ""] for e in entries])


class AdminView(QWidget):
    def __init__(self, store: Store, user: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tabs = QTabWidget()
        self.accounts = AccountsTab(store, user)
        self.settings = SettingsTab(store, user, parent)
        self.backups = BackupTab(store, user, parent)
        self.audit = AuditTab(store)
        for widget, label in ((self.accounts, "&Konten"), (self.settings, "&Einstellungen"),
                              (self.backups, "&Datensicherung"), (self.audit, "&Protokoll")):
            self.tabs.addTab(widget, label)
        self.tabs.currentChanged.connect(self._refresh_tab)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def show_tab(self, label: str) -> None:
        for i in range(self.tabs.count()):
            if self.tabs.tabText(i).replace("&", "") == label:
                self.tabs.setCurrentIndex(i)

    def _refresh_tab(self, index: int) -> None:
        refresh = getattr(self.tabs.widget(index), "refresh", None)
        if callable(refresh):
            refresh()

    def refresh(self) -> None:
        self._refresh_tab(self.tabs.currentIndex())
