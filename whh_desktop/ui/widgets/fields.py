"""Small input helpers: inline German validation marks and the password strength hint."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from whh_desktop.core.domain.passwords import assess

INVALID_STYLE = "border: 2px solid #c62828; border-radius: 3px;"


def mark_invalid(widget: QWidget, message: str) -> None:
    widget.setStyleSheet(INVALID_STYLE)
    widget.setToolTip(message)
    widget.setAccessibleDescription(message)


def clear_mark(widget: QWidget) -> None:
    widget.setStyleSheet("")
    widget.setToolTip("")
    widget.setAccessibleDescription("")


class StrengthHint(QLabel):
    """Shows how strong the password in ``field`` is, and what is missing, while typing."""

    COLORS = ("#c62828", "#c62828", "#ef6c00", "#2e7d32", "#1b5e20")

    def __init__(self, field: QLineEdit, username_source: QLineEdit | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._field, self._user = field, username_source
        self.setWordWrap(True)
        self.setAccessibleName("Passwortstärke")
        field.textChanged.connect(self.update_hint)
        self.update_hint()

    def update_hint(self) -> None:
        password = self._field.text()
        if not password:
            self.setText("Mindestens 12 Zeichen; ein Satz aus mehreren Wörtern ist gut zu merken.")
            self.setStyleSheet("color: #555;")
            return
        strength = assess(password, self._user.text() if self._user else "")
        text = f"Stärke: {strength.label}"
        if strength.problems:
            text += " – braucht: " + "; ".join(strength.problems)
        self.setText(text)
        self.setStyleSheet(f"color: {self.COLORS[strength.score]};")
