""""Passwort vergessen": open the store with the recovery key and set a new password."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from whh_desktop.core.errors import InvalidInput, LoginDelayed, WrongRecoveryKey
from whh_desktop.core.services import login
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.paths import DataPaths
from whh_desktop.ui import modal
from whh_desktop.ui.dirty import FormWindow
from whh_desktop.ui.messages import error_text
from whh_desktop.ui.style import MessageLabel, mono_font, muted
from whh_desktop.ui.widgets.fields import StrengthHint, clear_mark, line_edit, mark_invalid, password_field
from whh_desktop.ui.workers import run_blocking


class RecoveryDialog(FormWindow):
    def __init__(self, paths: DataPaths, username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.result_value: tuple[Store, CurrentUser] | None = None
        self.setObjectName("recovery_dialog")
        self.setWindowTitle("Passwort vergessen")
        self.setMinimumWidth(600)
        intro = muted("Mit dem Notfallschlüssel aus dem Tresor (acht Gruppen zu je fünf Zeichen) vergeben Sie ein "
                      "neues Passwort. Groß- und Kleinschreibung, Leerzeichen und Bindestriche sind egal.")
        self.username = line_edit("Benutzername", "recovery_username", username)
        self.key = line_edit("Notfallschlüssel", "recovery_key")
        self.key.setPlaceholderText("ABCDE-FGHIJ-KLMNO-…")
        self.key.setFont(mono_font(point_delta=1))
        self.new1 = password_field("Neues Passwort", "new_password")
        self.new2 = password_field("Neues Passwort wiederholen", "new_password_repeat")
        self.hint = StrengthHint(self.new1, self.username)
        self.status = MessageLabel()
        form = QFormLayout()
        form.addRow("&Benutzername", self.username)
        form.addRow("&Notfallschlüssel", self.key)
        form.addRow("N&eues Passwort", self.new1)
        form.addRow("", self.hint)
        form.addRow("&Wiederholen", self.new2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Passwort &setzen und anmelden")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Abbrechen")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        (self.key if username else self.username).setFocus()

    def submit(self) -> None:
        clear_mark(self.username, self.key, self.new1, self.new2)
        username, key, password = self.username.text().strip(), self.key.text(), self.new1.text()
        if not username:
            mark_invalid(self.username, "Bitte den Benutzernamen angeben.")
            self.status.error("Bitte den Benutzernamen angeben.")
            return
        if password != self.new2.text():
            mark_invalid(self.new2, "Die beiden Passwörter stimmen nicht überein.")
            self.status.error("Die beiden Passwörter stimmen nicht überein.")
            return
        try:
            self.result_value = run_blocking(self, "Notfallschlüssel wird geprüft…", lambda _p, _c:
                                             login.unlock_with_recovery(self.paths, username, key, password))
        except Exception as exc:
            target = {WrongRecoveryKey: self.key, InvalidInput: self.new1}.get(type(exc))
            if target is not None:
                mark_invalid(target, str(exc))
            self.status.error(error_text(exc) if not isinstance(exc, LoginDelayed) else str(exc))
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, paths: DataPaths, username: str = "") -> tuple[Store, CurrentUser] | None:
        dialog = cls(paths, username, parent)
        return dialog.result_value if modal.accepted(dialog) else None
