"""Inactivity watch: an application-wide event filter restarts a timer on any user input; ``idle`` on timeout.

The same filter sees Ctrl+L in every window of the app. A modal dialog blocks the main window's shortcuts, so
without this, "Sperren" would not work while a dialog is open.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent

_INPUT_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                           QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
                           QEvent.Type.InputMethod, QEvent.Type.TabletPress})


LOCK_KEY = Qt.Key.Key_L


class InactivityWatch(QObject):
    idle = Signal()
    lock_requested = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self._paused = False
        self.set_minutes(minutes)

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def set_minutes(self, minutes: int) -> None:
        self.set_interval_ms(max(1, minutes) * 60_000)

    def set_interval_ms(self, ms: int) -> None:
        self._timer.setInterval(ms)
        if not self._paused:
            self._timer.start()

    def pause(self) -> None:
        self._paused = True
        self._timer.stop()

    def resume(self) -> None:
        self._paused = False
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self._timer.isActive():
            self._timer.start()
            if event.type() == QEvent.Type.KeyPress and _is_lock_key(event):  # type: ignore[arg-type]
                self.lock_requested.emit()
                return True
        return False


def _is_lock_key(event: QKeyEvent) -> bool:
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return event.key() == LOCK_KEY and modifiers == Qt.KeyboardModifier.ControlModifier
