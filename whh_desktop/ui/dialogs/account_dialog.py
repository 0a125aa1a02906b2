"""New account and password reset: names, role, start password with strength hint."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from whh_desktop.core.store.models import Role
from whh_desktop.ui.widgets.fields import StrengthHint


@dataclass(frozen=True)
class NewAccount:
    username: str
    display_name: str
    role: Role
    password: str


class AccountDialog(QDialog):
    def __init__(self, roles: list[Role], parent: QWidget | None = None, *, reset_for: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Passwort zurücksetzen" if reset_for else "Neues Konto")
        self.setMinimumWidth(460)
        self.username = QLineEdit(reset_for or "")
        self.username.setAccessibleName("Benutzername")
        self.username.setReadOnly(bool(reset_for))
        self.display_name = QLineEdit()
        self.display_name.setAccessibleName("Name")
        self.role = QComboBox()
        self.role.setAccessibleName("Rolle")
        for role in roles:
            self.role.addItem(role.label, role)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Startpasswort")
        self.hint = StrengthHint(self.password, self.username)
        self.message = QLabel()
        self.message.setStyleSheet("color: #c62828;")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Benutzername", self.username)
        if not reset_for:
            form.addRow("&Name", self.display_name)
            form.addRow("&Rolle", self.role)
        form.addRow("&Startpasswort", self.password)
        form.addRow("", self.hint)
        note = QLabel("Die Person vergibt bei der ersten Anmeldung ein eigenes Passwort.")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Speichern")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Abbrechen")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def value(self) -> NewAccount:
        return NewAccount(self.username.text().strip().lower(), self.display_name.text().strip(),
                          self.role.currentData(), self.password.text())

    @classmethod
    def ask(cls, parent: QWidget | None, roles: list[Role], reset_for: str | None = None) -> NewAccount | None:
        dialog = cls(roles, parent, reset_for=reset_for)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
