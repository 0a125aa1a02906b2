"""What the window shows while locked: no data, only the password field of the signed-in user."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from whh_desktop.core.errors import LoginDelayed
from whh_desktop.core.services import login
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.paths import DataPaths
from whh_desktop.ui.messages import error_text


class LockScreen(QWidget):
    unlocked = Signal()

    def __init__(self, paths: DataPaths, user: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths, self.user = paths, user
        title = QLabel("Gesperrt")
        font = QFont(title.font())
        font.setPointSize(font.pointSize() + 8)
        font.setBold(True)
        title.setFont(font)
        who = QLabel(f"Angemeldet: {user.display_name} ({user.username}). Zum Entsperren bitte das Passwort "
                     "eingeben. Nicht gespeicherte Eingaben bleiben erhalten.")
        who.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Passwort zum Entsperren")
        self.password.setObjectName("unlock_password")
        self.password.returnPressed.connect(self.try_unlock)
        self.button = QPushButton("&Entsperren")
        self.button.clicked.connect(self.try_unlock)
        self.message = QLabel()
        self.message.setStyleSheet("color: #c62828;")
        self.message.setWordWrap(True)
        box = QWidget()
        box.setMaximumWidth(460)
        inner = QVBoxLayout(box)
        for widget in (title, who, self.password, self.button, self.message):
            inner.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addStretch()
        layout.addWidget(box, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch()

    def activate(self) -> None:
        self.password.clear()
        self.message.clear()
        self.password.setFocus()

    def try_unlock(self) -> None:
        try:
            login.verify_password(self.paths, self.user.username, self.password.text())
        except LoginDelayed as exc:
            self.message.setText(str(exc))
            return
        except Exception as exc:
            self.password.clear()
            self.message.setText(error_text(exc))
            return
        self.password.clear()
        self.unlocked.emit()
