"""Hilfe → Handbuch (F1): the German user guide inside the app, offline, with a search that marks every hit.

The guide is ``resources/help/handbuch.md`` (the story of a counsellor's day and of the district's day); Qt renders
the Markdown itself, so nothing needs a browser or the network. The window is not modal: it can stay open beside the
work it explains.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain.formatting import fmt_count
from whh_desktop.resources import resource
from whh_desktop.ui.widgets.screen_fit import resize_within_screen

HIT = QColor("#ffe066")  # every hit; the current one additionally selected


def handbook_text() -> str:
    return resource("help", "handbuch.md").read_text(encoding="utf-8")


class HandbookDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handbook_dialog")
        self.setWindowTitle("Handbuch – WHH Desktop")
        self.setModal(False)
        resize_within_screen(self, 860, 720)
        self.search = QLineEdit()
        self.search.setObjectName("handbook_search")
        self.search.setPlaceholderText("Im Handbuch suchen, z. B. Schonfrist")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Im Handbuch suchen")
        label = QLabel("&Suchen:")
        label.setBuddy(self.search)
        self.hits_label = QLabel()
        self.hits_label.setObjectName("handbook_hits")
        self.browser = QTextBrowser()
        self.browser.setObjectName("handbook_text")
        self.browser.setOpenExternalLinks(False)
        self.browser.setMarkdown(handbook_text())
        self.browser.setAccessibleName("Handbuch")
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.search, 1)
        row.addWidget(self.hits_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Schl&ießen")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.hits: list[QTextCursor] = []
        self.current = -1
        self.search.textChanged.connect(self.find_all)
        # Enter: next hit, Shift+Enter: the previous one (QLineEdit reports both as returnPressed).
        self.search.installEventFilter(self)
        focus = QShortcut(QKeySequence.StandardKey.Find, self)
        focus.activated.connect(self._focus_search)
        self.search.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.search and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.find_previous()
            else:
                self.find_next()
            return True
        return super().eventFilter(watched, event)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def find_all(self, text: str) -> int:
        """Mark every hit (case-insensitive) and jump to the first; returns the number of hits."""
        self.hits = []
        document = self.browser.document()
        if text.strip():
            cursor = document.find(text, 0)
            while not cursor.isNull():
                self.hits.append(cursor)
                cursor = document.find(text, cursor)
        marks = []
        for hit in self.hits:
            mark = QTextEdit.ExtraSelection()
            mark.cursor = hit
            fmt = QTextCharFormat()
            fmt.setBackground(HIT)
            mark.format = fmt
            marks.append(mark)
        self.browser.setExtraSelections(marks)
        self.current = -1
        if not text.strip():
            self.hits_label.setText("")
        elif not self.hits:
            self.hits_label.setText("nicht gefunden")
        else:
            self._show(0)
        return len(self.hits)

    def find_next(self) -> None:
        if self.hits:
            self._show((self.current + 1) % len(self.hits))

    def find_previous(self) -> None:
        if self.hits:
            self._show((self.current - 1) % len(self.hits))

    def _show(self, index: int) -> None:
        self.current = index
        self.browser.setTextCursor(self.hits[index])
        self.browser.ensureCursorVisible()
        self.hits_label.setText(f"Treffer {index + 1} von {fmt_count(len(self.hits))}")

    def selected_text(self) -> str:
        return self.browser.textCursor().selectedText()
