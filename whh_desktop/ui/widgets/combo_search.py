"""Type to find in a closed combobox by any part of an entry, not only its beginning.

Qt's own search matches the start of an entry. Where many entries share a start (»wohnungslos: …«, »bedroht: …«),
a keyboard user would have to type the prefix and walk on with the arrows; here »räumungsk« finds
»bedroht: Räumungsklage«. Umlauts fold as in the search (Räumung = Raeumung = Raumung).
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox

from whh_desktop.core.domain.text import fold


class TypeToFind(QObject):
    """Installed on a non-editable combobox; typing within the keyboard interval extends what is searched."""

    def __init__(self, combo: QComboBox) -> None:
        super().__init__(combo)
        self.combo = combo
        self.typed = ""
        self.since = QElapsedTimer()
        combo.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.combo or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        text = event.text()
        plain = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier == Qt.KeyboardModifier.NoModifier
        if not plain or not text or not text.isprintable():
            return False
        if not self.since.isValid() or self.since.elapsed() > QApplication.keyboardInputInterval():
            self.typed = ""
        if text == " " and not self.typed:
            return False  # Space alone opens the list, as in every combobox
        self.typed += text
        self.since.restart()
        index = self.find(self.typed)
        if index >= 0:
            self.combo.setCurrentIndex(index)
        return True

    def find(self, typed: str) -> int:
        """The first entry that starts with ``typed``, else the first with a word starting so, else containing it."""
        needle = fold(typed).strip()
        if not needle:
            return -1
        texts = [fold(self.combo.itemText(i)) for i in range(self.combo.count())]
        for matches in (lambda t: t.startswith(needle), lambda t: f" {needle}" in f" {t}", lambda t: needle in t):
            for index, text in enumerate(texts):
                if matches(text):
                    return index
        return -1


def type_to_find(*combos: QComboBox) -> None:
    for combo in combos:
        TypeToFind(combo)
