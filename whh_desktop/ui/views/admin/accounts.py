"""Verwaltung → Konten: list, add, reset password, (de)activate, change role."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from whh_desktop.core.domain.changes import Aggregate
from whh_desktop.core.domain.enums import Role
from whh_desktop.core.domain.formatting import fmt_datetime
from whh_desktop.core.services import accounts
from whh_desktop.core.services.accounts import AccountRow
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import messages
from whh_desktop.ui.dialogs.account_dialog import AccountDialog, NewAccount, RoleDialog
from whh_desktop.ui.ops import LongOp, Op, listen, wants
from whh_desktop.ui.style import muted
from whh_desktop.ui.widgets.tables import ReadOnlyTable


class AccountsController:
    def __init__(self, store: Store, user: CurrentUser) -> None:
        self.store, self.user = store, user

    def rows(self) -> list[AccountRow]:
        return accounts.account_rows(self.store, self.user)

    def roles(self) -> list[Role]:
        return accounts.roles_for(self.store.info.mode)

    def create(self, value: NewAccount) -> None:
        accounts.create_account(self.store, self.user, value.username, value.display_name, value.role,
                                value.password)

    def reset_password(self, username: str, password: str) -> None:
        accounts.reset_password(self.store, self.user, username, password)

    def deactivate(self, username: str) -> None:
        accounts.deactivate(self.store, self.user, username)

    def change_role(self, username: str, role: Role) -> None:
        accounts.change_role(self.store, self.user, username, role)


def status_text(row: AccountRow) -> str:
    if not row.active:
        return "deaktiviert"
    return "aktiv – Startpasswort" if row.must_change_password else "aktiv"


class AccountsTab(QWidget):
    def __init__(self, controller: AccountsController) -> None:
        super().__init__()
        self.controller = controller
        self.setObjectName("accounts_tab")
        self.rows: list[AccountRow] = []
        self.table = ReadOnlyTable(["Benutzername", "Name", "Rolle", "Status", "Letzte Anmeldung"], "Konten",
                                   "accounts_table")
        self.new_button = QPushButton("&Neues Konto…")
        self.reset_button = QPushButton("Passwort &zurücksetzen…")
        self.toggle_button = QPushButton("Deakti&vieren…")
        self.role_button = QPushButton("&Rolle ändern…")
        self.new_button.clicked.connect(self.new_account)
        self.reset_button.clicked.connect(self.reset_password)
        self.toggle_button.clicked.connect(self.toggle_active)
        self.role_button.clicked.connect(self.change_role)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.reset_password())
        buttons = QHBoxLayout()
        for button in (self.new_button, self.reset_button, self.toggle_button, self.role_button):
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(muted("Jede Person hat ein eigenes Konto. Ein deaktiviertes Konto öffnet den Datenbestand "
                               "nicht mehr; es bleibt im Protokoll sichtbar."))
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self.setTabOrder(self.new_button, self.reset_button)
        self.setTabOrder(self.reset_button, self.toggle_button)
        self.setTabOrder(self.toggle_button, self.role_button)
        self.setTabOrder(self.role_button, self.table)
        listen(self, wants(Aggregate.ACCOUNTS), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.rows = self.controller.rows()
        self.table.fill([[r.username, r.display_name, r.role.label, status_text(r), fmt_datetime(r.last_login_at)]
                         for r in self.rows])
        self._update_buttons()

    def selected(self) -> AccountRow | None:
        row = self.table.selected_row()
        return self.rows[row] if row is not None and row < len(self.rows) else None

    def select(self, username: str) -> None:
        for i, row in enumerate(self.rows):
            if row.username == username:
                self.table.selectRow(i)

    def _update_buttons(self) -> None:
        row = self.selected()
        own = row is not None and row.username == self.controller.user.username
        self.reset_button.setEnabled(row is not None and row.active)
        self.role_button.setEnabled(row is not None and row.active and not own)
        self.toggle_button.setEnabled(row is not None and not own)
        self.toggle_button.setText("Akti&vieren…" if row is not None and not row.active else "Deakti&vieren…")
        self.toggle_button.setToolTip("Das eigene Konto kann nicht deaktiviert werden." if own else "")

    def new_account(self) -> None:
        AccountDialog.ask(self, self.controller.roles(), self.controller.create)

    def reset_password(self) -> None:
        row = self.selected()
        if row is None or not row.active:
            return
        if AccountDialog.ask(self, self.controller.roles(),
                             lambda value: self.controller.reset_password(row.username, value.password),
                             mode="reset", username=row.username, display_name=row.display_name):
            self.select(row.username)

    def toggle_active(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not row.active:  # activation = a new start password (the old key wrap was removed)
            if AccountDialog.ask(self, self.controller.roles(),
                                 lambda value: self.controller.reset_password(row.username, value.password),
                                 mode="activate", username=row.username, display_name=row.display_name):
                self.select(row.username)
            return
        if not messages.confirm(self, f"Das Konto »{row.username}« ({row.display_name}) deaktivieren?\n\nDas "
                                      "Passwort öffnet den Datenbestand danach nicht mehr. Wieder aktivieren "
                                      "lässt sich das Konto mit einem neuen Startpasswort.",
                                title="Konto deaktivieren", yes="&Deaktivieren"):
            return
        try:
            LongOp(self, "Konto wird deaktiviert…",
                   lambda _p, _c: self.controller.deactivate(row.username)).run_blocking()
        except Exception as exc:
            messages.show_error(self, exc)
        self.select(row.username)

    def change_role(self) -> None:
        row = self.selected()
        if row is None:
            return
        role = RoleDialog.ask(self, row.display_name, self.controller.roles(), row.role)
        if role is None or role is row.role:
            return
        Op(self, lambda: self.controller.change_role(row.username, role)).run()
        self.select(row.username)
