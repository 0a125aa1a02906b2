"""Forms keep what was typed: the one mechanism for every dialog that takes input.

``FormWindow`` remembers the values of its input fields when it is first shown. Escape, "Abbrechen" and the
window's close button all end in ``reject()``; a form whose values differ from that snapshot asks "Ungespeicherte
Eingaben verwerfen?" first (default: keep editing), a clean one closes at once. Ctrl+S and Ctrl+Enter press the
form's default (save) button; Enter inside a multi-line note stays a line break, because the text box takes it.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTextEdit,
    QWidget,
)

from whh_desktop.ui import modal

SAVE_KEYS = ("Ctrl+S", "Ctrl+Return", "Ctrl+Enter")
NOT_INPUT = "whh_not_input"  # a widget property: a search or filter box inside a form, not part of its content
_COMPOUND = (QAbstractSpinBox, QComboBox, QCalendarWidget)  # their inner line edits mirror their value


# ---- snapshot of a form's values ----------------------------------------------------------------------------------
def _value(widget: QWidget) -> Any:
    """The user-editable value of one input widget, or None when the widget is no input."""
    if isinstance(widget, QLineEdit):
        return None if widget.isReadOnly() else widget.text()
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        return None if widget.isReadOnly() else widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentIndex(), widget.currentText() if widget.isEditable() else ""
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return widget.value()
    if isinstance(widget, QDateTimeEdit):
        return widget.dateTime().toString(Qt.DateFormat.ISODate)
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QAbstractButton):
        return widget.isChecked() if widget.isCheckable() else None
    if isinstance(widget, QTableWidget):
        editable = widget.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers
        return (widget.rowCount(), tuple(
            (item.text(), item.checkState().value) if (item := widget.item(r, c)) is not None else None
            for r in range(widget.rowCount()) for c in range(widget.columnCount()))) if editable else None
    if isinstance(widget, QListWidget):
        return tuple(widget.item(i).checkState().value for i in range(widget.count())
                     if widget.item(i).flags() & Qt.ItemFlag.ItemIsUserCheckable)
    return None


def _inside_compound(widget: QWidget, root: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, _COMPOUND):
            return True
        parent = parent.parentWidget()
    return False


def snapshot(root: QWidget) -> dict[QWidget, Any]:
    """The values of every input field of ``root``'s window (not of dialogs opened from it)."""
    values: dict[QWidget, Any] = {}
    window = root.window()
    for widget in root.findChildren(QWidget):
        if widget.window() is not window or widget.property(NOT_INPUT) or _inside_compound(widget, root):
            continue
        value = _value(widget)
        if value is not None:
            values[widget] = value
    return values


# ---- asking before typed input is lost ----------------------------------------------------------------------------
def ask_discard(parent: QWidget, hint: str = "") -> bool:
    """True when the user chose to discard; Escape and Enter keep editing."""
    box = QMessageBox(QMessageBox.Icon.Question, "Ungespeicherte Eingaben", "Ungespeicherte Eingaben verwerfen?",
                      QMessageBox.StandardButton.NoButton, parent)
    title = parent.windowTitle()
    said = (f"In »{title}« wurde etwas eingegeben, das noch nicht gespeichert ist." if title else
            "Es wurde etwas eingegeben, das noch nicht gespeichert ist.")
    box.setInformativeText(f"{said} {hint}".strip())
    box.setAccessibleName("Ungespeicherte Eingaben")
    box.setAccessibleDescription("Ungespeicherte Eingaben verwerfen?")
    discard = box.addButton("&Verwerfen", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("&Weiter bearbeiten", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    modal.run_modal(box)
    return box.clickedButton() is discard


def default_button(dialog: QWidget) -> QAbstractButton | None:
    """The button Enter would press: the default push button, else the button box's accepting button."""
    buttons = [b for b in dialog.findChildren(QPushButton) if b.window() is dialog and b.isVisible() and b.isEnabled()]
    for button in buttons:
        if button.isDefault():
            return button
    for box in dialog.findChildren(QDialogButtonBox):
        for button in box.buttons():
            role = box.buttonRole(button)
            if role in (QDialogButtonBox.ButtonRole.AcceptRole, QDialogButtonBox.ButtonRole.YesRole) \
                    and button.isVisible() and button.isEnabled():
                return button
    return None


class Protected:
    """The protection itself, for a dialog class of any Qt kind (``FormWindow`` for plain dialogs; the setup
    wizard mixes it into its QWizard). Put it before the Qt class and call ``protect()`` after the Qt init."""

    def protect(self) -> None:
        self._baseline: dict[QWidget, Any] | None = None
        self._discarding = False
        self.save_shortcuts: list[QShortcut] = []
        for keys in SAVE_KEYS:
            shortcut = QShortcut(QKeySequence(keys), self)  # type: ignore[call-overload]
            shortcut.activated.connect(self.save_by_key)
            self.save_shortcuts.append(shortcut)

    def showEvent(self, event: QShowEvent) -> None:
        if self._baseline is None:  # first shown: everything the code filled in is there now
            self.mark_clean()
        super().showEvent(event)  # type: ignore[misc]

    def mark_clean(self) -> None:
        """What the fields hold now counts as saved (also after a save that keeps the window open)."""
        self._baseline = snapshot(self)  # type: ignore[arg-type]

    def is_dirty(self) -> bool:
        return self._baseline is not None and snapshot(self) != self._baseline  # type: ignore[arg-type]

    def save_by_key(self) -> None:
        button = default_button(self)  # type: ignore[arg-type]
        if button is not None:
            button.click()

    def reject(self) -> None:
        if self._discarding or not self.is_dirty() or ask_discard(self, self.discard_hint()):  # type: ignore[arg-type]
            super().reject()  # type: ignore[misc]

    def discard_hint(self) -> str:
        """A sentence for the question, e.g. that an automatically saved draft stays."""
        return ""

    def discard(self) -> None:
        """Close without asking (the session ends, or the user already chose to discard)."""
        self._discarding = True
        try:
            self.reject()
        finally:
            self._discarding = False

    def closing_without_asking(self) -> None:
        """From now on this window closes without the question (its owner is going away)."""
        self._discarding = True

    def end_session(self) -> None:
        """The window closes because the session ends (logout, quit): what cannot be kept is discarded. A form
        that can keep a draft overrides this."""
        self.discard()


class FormWindow(Protected, QDialog):
    """Base of every dialog that takes input (see the module docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.protect()


def end_session(windows: list[QWidget]) -> None:
    """Finish the app's open windows when the main window closes: forms keep a draft where they can."""
    for window in windows:
        if not shiboken6.isValid(window):
            continue
        if isinstance(window, Protected):
            window.end_session()
        elif isinstance(window, QDialog):
            window.reject()
        else:
            window.close()


# ---- the wheel guard ----------------------------------------------------------------------------------------------
_WHEEL_GUARDED = (QComboBox, QAbstractSpinBox)


def _guarded_owner(widget: QObject) -> QWidget | None:
    """The combo box or spin box a wheel event is meant for (its inner line edit receives it too)."""
    while isinstance(widget, QWidget):
        if isinstance(widget, _WHEEL_GUARDED):
            return widget
        if widget.isWindow():
            return None
        widget = widget.parentWidget()
        if isinstance(widget, QAbstractScrollArea) or widget is None:
            return None
    return None


class WheelGuard(QObject):
    """App-wide: the mouse wheel over an unfocused combo box, spin box or date field scrolls the form around it
    instead of silently changing the value; once the field has the focus (clicked or tabbed to) the wheel works."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel:
            return False
        owner = _guarded_owner(watched)
        if owner is None or owner.hasFocus():
            return False
        focus = QApplication.focusWidget()
        if focus is not None and owner.isAncestorOf(focus):
            return False
        self._scroll_around(owner, event)  # type: ignore[arg-type]
        return True

    @staticmethod
    def _scroll_around(owner: QWidget, event: QWheelEvent) -> None:
        parent = owner.parentWidget()
        while parent is not None and not isinstance(parent, QAbstractScrollArea):
            parent = parent.parentWidget()
        if parent is None:
            return
        viewport = parent.viewport()
        local = viewport.mapFromGlobal(event.globalPosition().toPoint())
        forwarded = QWheelEvent(local.toPointF(), event.globalPosition(), event.pixelDelta(), event.angleDelta(),
                                event.buttons(), event.modifiers(), event.phase(), event.inverted())
        QApplication.sendEvent(viewport, forwarded)


def install_wheel_guard(app: QApplication) -> WheelGuard:
    """Once per application (ui/app.py at start; tests call it too); the guard is a child of the app."""
    guard = app.findChild(WheelGuard)
    if guard is None:
        guard = WheelGuard(app)
        app.installEventFilter(guard)
    return guard
