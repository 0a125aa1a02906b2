"""Change one's own password; forced after an admin has set a start password."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from whh_desktop.core.errors import InvalidInput, WrongPassword
from whh_desktop.core.services import accounts
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import modal
from whh_desktop.ui.dirty import FormWindow
from whh_desktop.ui.messages import error_text
from whh_desktop.ui.ops import LongOp
from whh_desktop.ui.style import MessageLabel, muted
from whh_desktop.ui.widgets.fields import StrengthHint, clear_mark, mark_invalid, password_field


class ChangePasswordDialog(FormWindow):
    def __init__(self, store: Store, user: CurrentUser, old_password: str = "", forced: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.user = store, user
        self.setObjectName("change_password_dialog")
        self.setWindowTitle("Passwort ändern")
        self.setMinimumWidth(520)
        self.old = password_field("Bisheriges Passwort", "old_password")
        self.old.setText(old_password)
        self.new1 = password_field("Neues Passwort", "new_password")
        self.new2 = password_field("Neues Passwort wiederholen", "new_password_repeat")
        self.hint = StrengthHint(self.new1, user.username)
        self.status = MessageLabel()
        layout = QVBoxLayout(self)
        if forced:
            layout.addWidget(muted(f"Willkommen, {user.display_name}. Ihr Passwort wurde von der Administration "
                                   "gesetzt. Bitte vergeben Sie jetzt ein eigenes, das nur Sie kennen."))
        form = QFormLayout()
        if not forced:
            form.addRow("&Bisheriges Passwort", self.old)
        form.addRow("Ne&ues Passwort", self.new1)
        form.addRow("", self.hint)
        form.addRow("&Wiederholen", self.new2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Passwort ä&ndern")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Abbrechen")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        (self.new1 if forced else self.old).setFocus()

    def submit(self) -> None:
        clear_mark(self.old, self.new1, self.new2)
        if self.new1.text() != self.new2.text():
            mark_invalid(self.new2, "Die beiden Passwörter stimmen nicht überein.")
            self.status.error("Die beiden Passwörter stimmen nicht überein.")
            return
        old, new = self.old.text(), self.new1.text()
        try:
            LongOp(self, "Passwort wird geändert…",
                   lambda _p, _c: accounts.change_own_password(self.store, self.user, old, new)).run_blocking()
        except Exception as exc:
            target = {WrongPassword: self.old, InvalidInput: self.new1}.get(type(exc))
            if target is not None and not target.isHidden():
                mark_invalid(target, str(exc))
            self.status.error(error_text(exc))
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, store: Store, user: CurrentUser, old_password: str = "",
            forced: bool = False) -> bool:
        return modal.accepted(cls(store, user, old_password, forced, parent))
