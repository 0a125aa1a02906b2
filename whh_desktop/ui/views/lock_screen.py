"""What the window shows while locked: no data, only the password field of the signed-in user."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from whh_desktop.core.errors import LoginDelayed
from whh_desktop.core.services import login
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.paths import DataPaths
from whh_desktop.ui.messages import error_text
from whh_desktop.ui.style import MessageLabel, heading, muted
from whh_desktop.ui.widgets.fields import DelayCountdown, password_field
from whh_desktop.ui.workers import run_blocking


class LockScreen(QWidget):
    unlocked = Signal()

    def __init__(self, paths: DataPaths, user: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths, self.user = paths, user
        self.setObjectName("lock_screen")
        self.setAccessibleName("Gesperrt")
        title = heading("WHH Desktop ist gesperrt", 8)
        who = QLabel(f"Angemeldet: <b>{user.display_name}</b> ({user.username})")
        who.setAccessibleName(f"Angemeldet: {user.display_name}")
        # Explicit line breaks: a word-wrapped label in a centred box gets too little height and is clipped.
        explain = muted("Zum Entsperren bitte Ihr Passwort eingeben.\nNicht gespeicherte Eingaben und offene Fenster "
                        "bleiben erhalten.", wrap=False)
        self.password = password_field("Passwort zum Entsperren", "unlock_password")
        self.password.setPlaceholderText("Passwort")
        self.password.returnPressed.connect(self.try_unlock)
        self.button = QPushButton("&Entsperren")
        self.button.setObjectName("unlock_button")
        self.button.setDefault(True)
        self.button.clicked.connect(self.try_unlock)
        self.message = MessageLabel()
        self.countdown = DelayCountdown(self.button, self.message, self, lambda: login.login_delay(paths))
        row = QHBoxLayout()
        row.addWidget(self.password, 1)
        row.addWidget(self.button)
        box = QFrame()
        box.setObjectName("lock_box")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setFixedWidth(520)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.setSpacing(10)
        for widget in (title, who, explain):
            inner.addWidget(widget)
        inner.addSpacing(6)
        inner.addLayout(row)
        inner.addWidget(self.message)
        centre = QHBoxLayout()  # stretches, not an alignment flag, so wrapped messages get their full height
        centre.addStretch()
        centre.addWidget(box)
        centre.addStretch()
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addLayout(centre)
        layout.addStretch(3)
        self.setFocusProxy(self.password)

    def activate(self) -> None:
        self.password.clear()
        self.message.clear()
        self.countdown.start(login.login_delay(self.paths))
        self.password.setFocus()

    def try_unlock(self) -> None:
        if self.countdown.active:
            return
        try:
            password = self.password.text()
            run_blocking(self, "Passwort wird geprüft…",
                         lambda _p, _c: login.verify_password(self.paths, self.user.username, password))
        except LoginDelayed as exc:
            self.countdown.start(exc.seconds)
            return
        except Exception as exc:
            self.password.clear()
            self.message.error(error_text(exc))
            self.countdown.start(login.login_delay(self.paths))
            self.password.setFocus()
            return
        self.password.clear()
        self.message.clear()
        self.unlocked.emit()
