"""New account, password reset / activation, role change. Service errors are shown in the dialog, which stays
open with everything typed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from whh_desktop.core.domain.enums import Role
from whh_desktop.core.domain.passwords import assess, check_username, problem_text
from whh_desktop.ui import modal
from whh_desktop.ui.dirty import FormWindow
from whh_desktop.ui.messages import error_text
from whh_desktop.ui.ops import LongOp
from whh_desktop.ui.style import MessageLabel, muted
from whh_desktop.ui.widgets.fields import ProblemList, StrengthHint, line_edit, password_field


@dataclass(frozen=True)
class NewAccount:
    username: str
    display_name: str
    role: Role
    password: str


Submit = Callable[[NewAccount], None]


class AccountDialog(FormWindow):
    """``mode``: "new" (all fields), "reset" (password only) or "activate" (password only, other wording)."""

    def __init__(self, roles: list[Role], submit: Submit, parent: QWidget | None = None, *, mode: str = "new",
                 username: str = "", display_name: str = "") -> None:
        super().__init__(parent)
        self._submit, self.mode = submit, mode
        self.setObjectName("account_dialog")
        titles = {"new": "Neues Konto", "reset": f"Passwort zurücksetzen – {display_name}",
                  "activate": f"Konto aktivieren – {display_name}"}
        self.setWindowTitle(titles[mode])
        self.setMinimumWidth(560)
        self.username = line_edit("Benutzername", "account_username", username)
        self.username.setPlaceholderText("z. B. b.schulz – Kleinbuchstaben, ohne Umlaute")
        self.username.setReadOnly(mode != "new")
        self.display_name = line_edit("Name", "account_display_name", display_name)
        self.display_name.setPlaceholderText("Vor- und Nachname")
        self.role = QComboBox()
        self.role.setObjectName("account_role")
        self.role.setAccessibleName("Rolle")
        for role in roles:
            self.role.addItem(role.label, role.value)  # Qt turns a StrEnum into a plain str
        self.password = password_field("Startpasswort", "account_password")
        self.repeat = password_field("Startpasswort wiederholen", "account_password_repeat")
        self.hint = StrengthHint(self.password, self.username)
        self.status = MessageLabel()
        self.problems = ProblemList(self.status)  # all problems at once, at their fields and in the summary
        form = QFormLayout()
        form.addRow("&Benutzername", self.username)
        if mode == "new":
            form.addRow("&Name", self.display_name)
            form.addRow("&Rolle", self.role)
        form.addRow("&Startpasswort", self.password)
        form.addRow("", self.hint)
        form.addRow("&Wiederholen", self.repeat)
        note = {"new": "Geben Sie der Person das Startpasswort persönlich. Bei der ersten Anmeldung vergibt sie ein "
                       "eigenes.",
                "reset": "Das bisherige Passwort gilt danach nicht mehr. Die Person vergibt bei der nächsten "
                         "Anmeldung ein eigenes.",
                "activate": "Ein deaktiviertes Konto wird mit einem neuen Startpasswort wieder aktiviert. Die "
                            "Person vergibt bei der nächsten Anmeldung ein eigenes."}[mode]
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.save_button.setText({"new": "Konto &anlegen", "reset": "Passwort s&etzen",
                                  "activate": "&Aktivieren"}[mode])
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Abbrechen")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(muted(note))
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        (self.username if mode == "new" else self.password).setFocus()

    def value(self) -> NewAccount:
        return NewAccount(self.username.text().strip().lower(), self.display_name.text().strip(),
                          Role(self.role.currentData()), self.password.text())

    def _problems(self, value: NewAccount) -> list[tuple[QWidget | None, str]]:
        """Every problem at once, each with its field."""
        found: list[tuple[QWidget | None, str]] = []
        if self.mode == "new" and (message := check_username(value.username)):
            found.append((self.username, message))
        if self.mode == "new" and not value.display_name:
            found.append((self.display_name, "Bitte den Namen der Person angeben."))
        strength = assess(value.password, value.username)
        if not strength.acceptable:
            found.append((self.password, problem_text(strength)))
        if value.password != self.repeat.text():
            found.append((self.repeat, "Die beiden Passwörter stimmen nicht überein."))
        return found

    def save(self) -> None:
        fields = {"username": self.username, "display_name": self.display_name, "password": self.password,
                  "repeat": self.repeat, "role": self.role}
        value = self.value()
        problems = self._problems(value)
        if not problems:
            try:
                LongOp(self, "Konto wird gespeichert…", lambda _p, _c: self._submit(value)).run_blocking()
            except Exception as exc:
                problems = [(fields.get(getattr(exc, "field", None) or ""), error_text(exc))]
        if problems:
            self.problems.show(problems)
            return
        self.problems.clear()
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, roles: list[Role], submit: Submit, *, mode: str = "new",
            username: str = "", display_name: str = "") -> bool:
        """True when the account was saved through ``submit``."""
        return modal.accepted(cls(roles, submit, parent, mode=mode, username=username, display_name=display_name))


class RoleDialog(FormWindow):
    def __init__(self, display_name: str, roles: list[Role], current: Role, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("role_dialog")
        self.setWindowTitle(f"Rolle ändern – {display_name}")
        self.setMinimumWidth(420)
        self.role = QComboBox()
        self.role.setAccessibleName("Neue Rolle")
        for role in roles:
            self.role.addItem(role.label, role.value)  # Qt turns a StrEnum into a plain str
        self.role.setCurrentIndex(max(0, roles.index(current) if current in roles else 0))
        form = QFormLayout()
        form.addRow("&Rolle", self.role)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Ä&ndern")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Abbrechen")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(muted("Admin: Konten, Einstellungen, Datensicherung – keine Fallinhalte. "
                               "Beratung bzw. Kreis: die fachliche Arbeit."))
        layout.addLayout(form)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget | None, display_name: str, roles: list[Role], current: Role) -> Role | None:
        dialog = cls(display_name, roles, current, parent)
        return Role(dialog.role.currentData()) if modal.accepted(dialog) else None
