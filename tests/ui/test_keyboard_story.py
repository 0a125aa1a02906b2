"""The core story with the keyboard alone (issue 18 point 3): intake → contact → eviction with Schonfrist →
consent → referral → letter → close, from a counsellor's main window, through QTest key events only. Every
interaction is counted by one driver; the story must take at most 45."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget


class KeyDriver:
    """The only way the story touches the app: key chords and typed text to whatever has the keyboard focus in
    the window the user would see in front (the open modal dialog, else the main window). Each chord counts 1,
    each typed text (into one field) counts 1, each click would count 1 (there are none)."""

    def __init__(self, qtbot, main: QWidget) -> None:
        self.qtbot, self.main = qtbot, main
        self.count = 0
        self.steps: list[str] = []

    def front(self) -> QWidget:
        """The window in front, once the window system has made it active (offscreen activation is queued)."""
        expected = QApplication.activeModalWidget() or self.main
        QApplication.processEvents()
        if QApplication.activeWindow() is not expected:
            expected.activateWindow()
            self.qtbot.waitUntil(lambda: QApplication.activeWindow() is expected, timeout=3000)
        return expected

    def focused(self) -> QWidget:
        window = self.front()
        return QApplication.focusWidget() or window

    def chord(self, keys: str) -> None:
        self.count += 1
        self.steps.append(keys)
        QTest.keySequence(self.focused(), QKeySequence(keys))

    def type(self, text: str) -> None:
        self.count += 1
        self.steps.append(repr(text))
        QTest.keyClicks(self.focused(), text)
