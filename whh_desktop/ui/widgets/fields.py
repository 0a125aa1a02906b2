"""Small input helpers: inline German validation marks and the list of all problems of a form, password strength
hint, login delay countdown."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, QPoint, Qt, QTimer, SignalInstance
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTextEdit,
    QWidget,
)

from whh_desktop.core.domain.formatting import in_seconds
from whh_desktop.core.domain.passwords import MIN_LENGTH, assess
from whh_desktop.core.errors import InvalidInput, WhhError
from whh_desktop.ui.style import ERROR, MUTED, OK, WARN, MessageLabel

INVALID_STYLE = f"border: 2px solid {ERROR}; border-radius: 3px; padding: 1px;"
_NOTE_ID = "whh_note_id"
_notes_made = 0


def mark_invalid(widget: QWidget, message: str, focus: bool = True) -> None:
    """Mark the field: red frame, the message in red right under it (and as tooltip and description for screen
    readers); the mark goes as soon as the field is edited. ``focus`` puts the cursor there."""
    widget.setStyleSheet(INVALID_STYLE)
    widget.setToolTip(message)
    widget.setAccessibleDescription(message)
    widget.setProperty("invalid", True)
    note = field_note(widget, create=True)
    if note is not None:
        note.setText(message)
        note.setAccessibleDescription(message)
        _show_note(widget, note, True)
    _clearon_edit(widget)
    if focus:
        focus_field(widget)


def clear_mark(*widgets: QWidget) -> None:
    for widget in widgets:
        if not shiboken6.isValid(widget):
            continue
        widget.setStyleSheet("")
        widget.setToolTip("")
        widget.setAccessibleDescription("")
        widget.setProperty("invalid", False)
        note = field_note(widget)
        if note is not None:
            note.setText("")
            _show_note(widget, note, False)


def focus_field(widget: QWidget) -> None:
    """Put the cursor into ``widget`` and scroll it into view when the form scrolls."""
    widget.setFocus()
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if isinstance(parent, QScrollArea):
        parent.ensureWidgetVisible(widget)


def field_note(widget: QWidget, create: bool = False) -> QLabel | None:
    """The red line under ``widget`` that repeats its problem; None where the layout leaves no room for one (a
    table cell): there the frame, the tooltip and the form's summary say it."""
    global _notes_made
    parent = widget.parentWidget()
    if parent is None:
        return None
    key = widget.property(_NOTE_ID)
    if key is not None:
        return parent.findChild(QLabel, f"field_note_{key}")
    if not create:
        return None
    layout = _layout_holding(parent.layout(), widget) if parent.layout() is not None else None
    if layout is None:
        return None
    _notes_made += 1
    note = QLabel(parent)
    note.setObjectName(f"field_note_{_notes_made}")
    note.setWordWrap(True)
    note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)  # right under the field
    note.setStyleSheet(f"color: {ERROR};")
    note.setAccessibleName(f"Fehler bei {widget.accessibleName() or 'diesem Feld'}")
    if isinstance(layout, QFormLayout):
        row, role = layout.getWidgetPosition(widget)
        if role == QFormLayout.ItemRole.SpanningRole:
            layout.insertRow(row + 1, note)
        else:
            layout.insertRow(row + 1, "", note)
    elif isinstance(layout, QBoxLayout):
        layout.insertWidget(layout.indexOf(widget) + 1, note)
    else:  # a grid has no free cell under the field
        note.deleteLater()
        return None
    widget.setProperty(_NOTE_ID, _notes_made)
    return note


def _show_note(widget: QWidget, note: QLabel, visible: bool) -> None:
    layout = _layout_holding(note.parentWidget().layout(), note)
    if isinstance(layout, QFormLayout):
        layout.setRowVisible(note, visible)  # the row's empty label goes with it, no gap is left
    else:
        note.setVisible(visible)
    if visible:
        fit_height(widget.window())


def fit_height(window: QWidget) -> None:
    """Grow a window whose wrapped lines need more height than it has (Qt does not grow a top-level window for a
    layout whose height depends on its width), so no message under a field is cut off."""
    layout = window.layout()
    if layout is None or not window.isWindow():
        return
    layout.activate()
    need = layout.totalHeightForWidth(window.width()) if layout.hasHeightForWidth() else layout.sizeHint().height()
    screen = window.screen()
    room = screen.availableGeometry().height() - 60 if screen is not None else need
    if need > window.height():
        window.resize(window.width(), min(need, room))


def _layout_holding(layout: QLayout | None, widget: QWidget) -> QLayout | None:
    if layout is None:
        return None
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item.widget() is widget:
            return layout
        if item.layout() is not None and (found := _layout_holding(item.layout(), widget)) is not None:
            return found
    return None


def _edited(widget: QWidget) -> SignalInstance | None:
    """The signal a user's edit of ``widget`` sends."""
    if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
        return widget.textChanged
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return widget.valueChanged
    if isinstance(widget, QDateTimeEdit):
        return widget.dateTimeChanged
    if isinstance(widget, QAbstractButton):
        return widget.toggled
    if isinstance(widget, QListWidget):
        return widget.itemChanged
    if isinstance(widget, QTableWidget):
        return widget.itemChanged
    return None


def _clearon_edit(widget: QWidget) -> None:
    if not widget.property("whh_clears_on_edit"):
        on_edit(widget, lambda w=widget: is_marked(w) and clear_mark(w))
        widget.setProperty("whh_clears_on_edit", True)


class ProblemList:
    """All problems of a form at once: each at its field (``mark_invalid``) and listed in ``summary``; an entry
    leaves the list as soon as its field is edited, and the first wrong field of the form gets the focus."""

    def __init__(self, summary: QLabel) -> None:
        self.summary = summary
        self.problems: list[tuple[QWidget | None, str]] = []

    def show(self, problems: list[tuple[QWidget | None, str]]) -> None:
        self.clear()
        for widget, message in problems:
            if (widget, message) not in self.problems:
                self.problems.append((widget, message))
        # in the order the form is read; problems without a field of their own last
        self.problems.sort(key=lambda p: _form_position(p[0]) if p[0] is not None else (1 << 30, 0))
        for widget, message in self.problems:
            if widget is not None:
                if is_marked(widget):  # a second problem of the same field: both stand under it
                    message = f"{widget.toolTip()}\n{message}"
                mark_invalid(widget, message, focus=False)
                if not widget.property("whh_in_list"):
                    on_edit(widget, self._refresh)
                    widget.setProperty("whh_in_list", True)
        fields = [w for w, _ in self.problems if w is not None]
        if fields:
            focus_field(min(fields, key=_form_position))
        self._show_text()

    def clear(self) -> None:
        clear_mark(*(w for w, _ in self.problems if w is not None))
        self.problems = []
        self._show_text()

    def _refresh(self) -> None:
        self.problems = [(w, m) for w, m in self.problems if w is None or is_marked(w)]
        self._show_text()

    def _show_text(self) -> None:
        messages = [m for _, m in self.problems]
        if not messages:
            text = ""
        elif len(messages) == 1:
            text = messages[0]
        else:
            text = f"{len(messages)} Angaben fehlen oder stimmen nicht:\n" + "\n".join(f"• {m}" for m in messages)
        if isinstance(self.summary, MessageLabel):
            self.summary.error(text) if text else self.summary.setText("")
        else:
            self.summary.setText(text)
            self.summary.setVisible(bool(text))
        self.summary.setAccessibleDescription(text)
        if text:
            fit_height(self.summary.window())


def on_edit(widget: QWidget, slot: Callable[[], object]) -> None:
    """``slot`` runs on every edit of the field (a group of check boxes counts as one field)."""
    signals = [_edited(widget), *(_edited(child) for child in widget.findChildren(QAbstractButton))]
    for signal in signals:
        if signal is not None:
            signal.connect(lambda *_args: slot())


def _form_position(widget: QWidget) -> tuple[int, int]:
    """Top to bottom, then left to right, in the window (the order a user reads the form)."""
    point = widget.mapTo(widget.window(), QPoint(0, 0))
    return point.y(), point.x()


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
