"""Login: user name and password, German messages, the growing delay as a countdown, "Passwort vergessen…"."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from whh_desktop.core.errors import LoginDelayed
from whh_desktop.core.services import accounts, login
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.paths import DataPaths
from whh_desktop.ui import modal
from whh_desktop.ui.dialogs.change_password import ChangePasswordDialog
from whh_desktop.ui.dialogs.recovery import RecoveryDialog
from whh_desktop.ui.messages import error_text
from whh_desktop.ui.style import MessageLabel, heading, muted
from whh_desktop.ui.widgets.fields import DelayCountdown, line_edit, password_field
from whh_desktop.ui.workers import run_blocking


class LoginDialog(QDialog):
    """On success ``store`` and ``user`` are set and the dialog is accepted."""

    def __init__(self, paths: DataPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.store: Store | None = None
        self.user: CurrentUser | None = None
        self.setObjectName("login_dialog")
        self.setWindowTitle("WHH Desktop – Anmeldung")
        self.setMinimumWidth(460)
        self.username = line_edit("Benutzername", "username")
        self.password = password_field("Passwort", "password")
        self.status = MessageLabel()
        form = QFormLayout()
        form.addRow("&Benutzername", self.username)
        form.addRow("&Passwort", self.password)
        self.login_button = QPushButton("&Anmelden")
        self.login_button.setObjectName("login_button")
        self.login_button.setDefault(True)
        self.login_button.clicked.connect(self.try_login)
        self.forgot_button = QPushButton("Passwort &vergessen…")
        self.forgot_button.setAutoDefault(False)
        self.forgot_button.clicked.connect(self.forgot)
        self.quit_button = QPushButton("B&eenden")
        self.quit_button.setAutoDefault(False)
        self.quit_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.forgot_button)
        buttons.addStretch()
        buttons.addWidget(self.login_button)
        buttons.addWidget(self.quit_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading("WHH Desktop"))
        layout.addWidget(muted("Wohnungsnotfallhilfe im Kreis Herford. Bitte melden Sie sich an."))
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        location = muted(f"Datenbestand: {paths.root}")
        location.setAccessibleName("Datenbestand")
        scaled_down = location.font()
        scaled_down.setPointSizeF(max(7.0, scaled_down.pointSizeF() - 1))
        location.setFont(scaled_down)
        layout.addWidget(location)
        self.countdown = DelayCountdown(self.login_button, self.status, self, lambda: login.login_delay(paths))
        self.username.setFocus()
        self.countdown.start(login.login_delay(paths))

    def try_login(self) -> None:
        if self.countdown.active:
            return
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self.status.error("Bitte Benutzernamen und Passwort eingeben.")
            (self.username if not username else self.password).setFocus()
            return
        try:
            store, user = run_blocking(self, "Anmeldung…", lambda _p, _c: login.unlock(self.paths, username,
                                                                                       password))
        except LoginDelayed as exc:
            self.countdown.start(exc.seconds)
            return
        except Exception as exc:  # every failure stays in the dialog, in German
            self.password.clear()
            self.password.setFocus()
            self.status.error(error_text(exc))
            self.countdown.start(login.login_delay(self.paths))
            return
        if accounts.must_change_password(store, user.username) and not ChangePasswordDialog.ask(
                self, store, user, old_password=password, forced=True):
            store.close()
            self.password.clear()
            self.status.error("Bitte vergeben Sie bei der ersten Anmeldung ein eigenes Passwort.")
            return
        self.store, self.user = store, user
        self.accept()

    def forgot(self) -> None:
        result = RecoveryDialog.ask(self, self.paths, self.username.text().strip())
        if result is not None:
            self.store, self.user = result
            self.accept()

    @classmethod
    def ask(cls, paths: DataPaths, parent: QWidget | None = None) -> tuple[Store, CurrentUser] | None:
        dialog = cls(paths, parent)
        if modal.accepted(dialog) and dialog.store is not None and dialog.user is not None:
            return dialog.store, dialog.user
        return None
