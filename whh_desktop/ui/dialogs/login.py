"""Login, "Passwort vergessen" (recovery key) and the forced password change."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.errors import LoginDelayed, WhhError
from whh_desktop.core.services import accounts, login
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store.engine import Store
from whh_desktop.paths import DataPaths
from whh_desktop.ui.messages import error_text
from whh_desktop.ui.widgets.fields import StrengthHint


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


class _Status(QLabel):
    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setAccessibleName("Meldung")
        self.setStyleSheet("color: #c62828;")

    def show_error(self, text: str) -> None:
        self.setText(text)


class LoginDialog(QDialog):
    """On success ``store`` and ``user`` are set and the dialog is accepted."""

    def __init__(self, paths: DataPaths, site_label: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.store: Store | None = None
        self.user: CurrentUser | None = None
        self.setWindowTitle("WHH Desktop – Anmeldung")
        self.setMinimumWidth(420)
        title = QLabel("WHH Desktop" + (f" · {site_label}" if site_label else ""))
        font = QFont(title.font())
        font.setPointSize(font.pointSize() + 5)
        font.setBold(True)
        title.setFont(font)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setAccessibleName("Benutzername")
        self.password = _password_field("Passwort")
        self.password.setObjectName("password")
        self.status = _Status()
        form = QFormLayout()
        form.addRow("&Benutzername", self.username)
        form.addRow("&Passwort", self.password)
        self.login_button = QPushButton("&Anmelden")
        self.login_button.setDefault(True)
        self.login_button.clicked.connect(self.try_login)
        self.forgot_button = QPushButton("Passwort &vergessen…")
        self.forgot_button.clicked.connect(self.forgot)
        buttons = QDialogButtonBox()
        buttons.addButton(self.login_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.forgot_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("Beenden", QDialogButtonBox.ButtonRole.RejectRole).clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self._remaining = 0
        self.username.setFocus()
        self._start_delay(login.login_delay(paths))

    def try_login(self) -> None:
        if self._remaining > 0:
            return
        if not self.username.text().strip() or not self.password.text():
            self.status.show_error("Bitte Benutzernamen und Passwort eingeben.")
            return
        try:
            self.store, self.user = login.unlock(self.paths, self.username.text(), self.password.text())
        except LoginDelayed as exc:
            self.status.show_error(str(exc))
            self._start_delay(exc.seconds)
            return
        except Exception as exc:  # every failure stays in the dialog, in German
            self.password.clear()
            self.password.setFocus()
            self.status.show_error(error_text(exc))
            self._start_delay(login.login_delay(self.paths))
            return
        if accounts.must_change_password(self.store, self.user.username) and not ChangePasswordDialog.ask(
                self, self.store, self.user, self.password.text(), forced=True):
            self.store.close()
            self.store = self.user = None
            self.status.show_error("Bitte zuerst ein eigenes Passwort vergeben.")
            return
        self.accept()

    def forgot(self) -> None:
        result = RecoveryDialog.ask(self, self.paths, self.username.text())
        if result is not None:
            self.store, self.user = result
            self.accept()

    def _start_delay(self, seconds: float) -> None:
        self._remaining = int(seconds + 0.999)
        if self._remaining > 0:
            self.login_button.setEnabled(False)
            self._tick(first=True)
            self._countdown.start()

    def _tick(self, first: bool = False) -> None:
        if not first:
            self._remaining -= 1
        if self._remaining <= 0:
            self._countdown.stop()
            self.login_button.setEnabled(True)
            self.login_button.setText("&Anmelden")
        else:
            self.login_button.setText(f"Anmelden ({self._remaining} s)")


class RecoveryDialog(QDialog):
    """Open the store with the recovery key and set a new password."""

    def __init__(self, paths: DataPaths, username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.result_value: tuple[Store, CurrentUser] | None = None
        self.setWindowTitle("Passwort vergessen")
        self.setMinimumWidth(520)
        intro = QLabel("Mit dem Notfallschlüssel (acht Gruppen zu je fünf Zeichen, aus dem Tresor) können Sie ein "
                       "neues Passwort vergeben.")
        intro.setWordWrap(True)
        self.username = QLineEdit(username)
        self.username.setAccessibleName("Benutzername")
        self.key = QLineEdit()
        self.key.setAccessibleName("Notfallschlüssel")
        self.key.setPlaceholderText("ABCDE-FGHIJ-…")
        self.key.setFont(QFont("DejaVu Sans Mono"))
        self.new1 = _password_field("Neues Passwort")
        self.new2 = _password_field("Neues Passwort wiederholen")
        self.hint = StrengthHint(self.new1, self.username)
        self.status = _Status()
        form = QFormLayout()
        form.addRow("&Benutzername", self.username)
        form.addRow("&Notfallschlüssel", self.key)
        form.addRow("&Neues Passwort", self.new1)
        form.addRow("", self.hint)
        form.addRow("&Wiederholen", self.new2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Passwort &setzen")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Abbrechen")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def submit(self) -> None:
        if self.new1.text() != self.new2.text():
            self.status.show_error("Die beiden Passwörter stimmen nicht überein.")
            return
        try:
            self.result_value = login.unlock_with_recovery(self.paths, self.username.text(), self.key.text(),
                                                           self.new1.text())
        except Exception as exc:
            self.status.show_error(error_text(exc))
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, paths: DataPaths, username: str = "") -> tuple[Store, CurrentUser] | None:
        dialog = cls(paths, username, parent)
        return dialog.result_value if dialog.exec() == QDialog.DialogCode.Accepted else None


class ChangePasswordDialog(QDialog):
    def __init__(self, store: Store, user: CurrentUser, old_password: str = "", forced: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.user = store, user
        self.setWindowTitle("Passwort ändern")
        self.setMinimumWidth(480)
        self.old = _password_field("Bisheriges Passwort")
        self.old.setText(old_password)
        self.new1 = _password_field("Neues Passwort")
        self.new2 = _password_field("Neues Passwort wiederholen")
        user_field = QLineEdit(user.username)
        self.hint = StrengthHint(self.new1, user_field)
        self.status = _Status()
        form = QFormLayout()
        if forced:
            note = QLabel("Ihr Passwort wurde von der Administration gesetzt. Bitte vergeben Sie jetzt ein eigenes.")
            note.setWordWrap(True)
            form.addRow(note)
        else:
            form.addRow("&Bisheriges Passwort", self.old)
        form.addRow("&Neues Passwort", self.new1)
        form.addRow("", self.hint)
        form.addRow("&Wiederholen", self.new2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Ä&ndern")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Abbrechen")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def submit(self) -> None:
        if self.new1.text() != self.new2.text():
            self.status.show_error("Die beiden Passwörter stimmen nicht überein.")
            return
        try:
            accounts.change_own_password(self.store, self.user, self.old.text(), self.new1.text())
        except WhhError as exc:
            self.status.show_error(str(exc))
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, store: Store, user: CurrentUser, old_password: str = "",
            forced: bool = False) -> bool:
        return cls(store, user, old_password, forced, parent).exec() == QDialog.DialogCode.Accepted

