"""Small input helpers: inline German validation marks, password strength hint, login delay countdown."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QSpinBox, QWidget

from whh_desktop.core.domain.formatting import in_seconds
from whh_desktop.core.domain.passwords import MIN_LENGTH, assess
from whh_desktop.core.errors import InvalidInput, WhhError
from whh_desktop.ui.style import ERROR, MUTED, OK, WARN, MessageLabel

INVALID_STYLE = f"border: 2px solid {ERROR}; border-radius: 3px; padding: 1px;"


def mark_invalid(widget: QWidget, message: str, focus: bool = True) -> None:
    """Mark the field (red frame, tooltip, description for screen readers) and put the cursor there."""
    widget.setStyleSheet(INVALID_STYLE)
    widget.setToolTip(message)
    widget.setAccessibleDescription(message)
    widget.setProperty("invalid", True)
    if focus:
        widget.setFocus()


def clear_mark(*widgets: QWidget) -> None:
    for widget in widgets:
        widget.setStyleSheet("")
        widget.setToolTip("")
        widget.setAccessibleDescription("")
        widget.setProperty("invalid", False)


def is_marked(widget: QWidget) -> bool:
    return bool(widget.property("invalid"))


def password_field(accessible_name: str, object_name: str = "") -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(accessible_name)
    if object_name:
        field.setObjectName(object_name)
    return field


def line_edit(accessible_name: str, object_name: str = "", text: str = "", placeholder: str = "") -> QLineEdit:
    field = QLineEdit(text)
    field.setAccessibleName(accessible_name)
    if object_name:
        field.setObjectName(object_name)
    if placeholder:
        field.setPlaceholderText(placeholder)
    return field


def spin_box(accessible_name: str, value: int, low: int, high: int, unit: tuple[str, str] | None = None) -> QSpinBox:
    """``unit`` is the noun after the number, singular and plural (``("Monat", "Monate")``)."""
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    if unit:
        count_suffix(box, *unit)
    box.setAccessibleName(accessible_name)
    return box


def count_suffix(box: QSpinBox, one: str, many: str) -> QSpinBox:
    """The unit after the number in its right form while the value changes: »1 Minute«, »5 Minuten«."""
    def show(value: int) -> None:
        box.setSuffix(" " + (one if value == 1 else many))

    box.valueChanged.connect(show)
    show(box.value())
    return box


def show_refusal(fields: dict[str, QWidget], message: MessageLabel, exc: WhhError) -> None:
    """A refusal in a form: mark the field it names (if the form has it) and say it in the message line."""
    widget = fields.get(exc.field or "") if isinstance(exc, InvalidInput) else None
    if widget is not None:
        mark_invalid(widget, str(exc))
    message.error(str(exc))


class StrengthHint(QLabel):
    """Shows how strong the password in ``field`` is, and what is missing, while typing."""

    COLORS = (ERROR, ERROR, WARN, OK, OK)

    def __init__(self, field: QLineEdit, username_source: QLineEdit | str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._field, self._user = field, username_source
        self.setWordWrap(True)
        self.setObjectName("strength_hint")
        self.setAccessibleName("Passwortstärke")
        field.textChanged.connect(self.update_hint)
        if isinstance(username_source, QLineEdit):
            username_source.textChanged.connect(self.update_hint)
        self.update_hint()

    def update_hint(self) -> None:
        password = self._field.text()
        if not password:
            text = f"Mindestens {MIN_LENGTH} Zeichen. Ein Satz aus mehreren Wörtern ist sicher und gut zu merken."
            self.setStyleSheet(f"color: {MUTED};")
        else:
            user = self._user.text() if isinstance(self._user, QLineEdit) else (self._user or "")
            strength = assess(password, user.strip().lower())
            text = f"Stärke: {strength.label}"
            if strength.problems:
                text += " – es fehlt: " + "; ".join(strength.problems)
            self.setStyleSheet(f"color: {self.COLORS[strength.score]};")
        self.setText(text)
        self.setAccessibleDescription(text)


class DelayCountdown(QObject):
    """After too many wrong passwords: the button is disabled and counts the seconds down."""

    def __init__(self, button: QAbstractButton, message: MessageLabel, parent: QObject | None = None,
                 remaining: Callable[[], float] | None = None) -> None:
        super().__init__(parent)
        self._button, self._message, self._source = button, message, remaining
        self._label = button.text()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self.remaining = 0

    @property
    def active(self) -> bool:
        return self.remaining > 0

    def start(self, seconds: float) -> None:
        self.remaining = int(seconds + 0.999)
        if self.remaining > 0:
            self._button.setEnabled(False)
            self._show()
            self._timer.start()

    def _tick(self) -> None:
        self.remaining -= 1
        if self.remaining <= 0 and self._source is not None:
            self.remaining = int(self._source() + 0.999)  # the key file decides, not our timer
        if self.remaining <= 0:
            self._timer.stop()
            self._button.setEnabled(True)
            self._button.setText(self._label)
            self._message.info("Sie können es jetzt erneut versuchen.")
        else:
            self._show()

    def _show(self) -> None:
        self._button.setText(f"{self._label.replace('&', '')} ({self.remaining} s)")
        self._message.error(f"Zu viele Fehlversuche. Nächster Versuch {in_seconds(self.remaining)} möglich.")
