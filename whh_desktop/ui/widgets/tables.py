"""Read-only tables for the small admin lists (accounts, backups, audit entries)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem


class ReadOnlyTable(QTableWidget):
    def __init__(self, headers: Sequence[str], accessible_name: str, object_name: str = "") -> None:
        super().__init__(0, len(headers))
        self.setHorizontalHeaderLabels(list(headers))
        self.setAccessibleName(accessible_name)
        if object_name:
            self.setObjectName(object_name)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Reached by Tab, the list chooses its current (else first) row, so Enter opens a row and the buttons that
        act on a chosen row work without the mouse."""
        super().focusInEvent(event)
        by_key = (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason, Qt.FocusReason.ShortcutFocusReason)
        if event.reason() in by_key and self.rowCount() and not self.selectionModel().hasSelection():
            self.selectRow(max(self.currentRow(), 0))

    def fill(self, rows: Sequence[Sequence[str]], tooltips: Sequence[str] | None = None) -> None:
        selected = self.currentRow()
        # A shown table with ResizeToContents measures every row again after each replaced item: 500 rows took
        # minutes. The widths are measured once, after the last item.
        header = self.horizontalHeader()
        modes = [header.sectionResizeMode(c) for c in range(self.columnCount())]
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        try:
            self.setRowCount(len(rows))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    item = QTableWidgetItem(value)
                    if tooltips:
                        item.setToolTip(tooltips[r])
                    self.setItem(r, c, item)
        finally:
            for c, mode in enumerate(modes):
                header.setSectionResizeMode(c, mode)
        if 0 <= selected < len(rows):
            self.selectRow(selected)

    def selected_row(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def cell(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item else ""
