"""The case list: ids first, rows lazily in pages (DESIGN.md §6), so 100 000 cases scroll and filter instantly."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.services import cases
from whh_desktop.core.services.cases import CaseKey, CaseRow

PAGE = 50             # rows loaded per visible page (a full-height window shows about 40)
MAX_PAGES = 40        # pages kept (the least recently shown go first): scrolling through 1 000 000 rows holds 2 000
KEY_BATCH = cases.LIST_BATCH  # keys fetched per search or scroll step
COLUMNS = ("Aktenzeichen", "Name", "Vorname", "Geburtsdatum", "Kommune", "Kategorie", "Status", "Beratung")
Index = QModelIndex | QPersistentModelIndex


class CaseListModel(QAbstractTableModel):
    """Holds the ordered keys of a search; ``loader(keys)`` fetches rows for one page when it is first shown."""

    def __init__(self, loader: Callable[[list[CaseKey]], list[CaseRow]],
                 more: Callable[[int], list[CaseKey]] | None = None) -> None:
        super().__init__()
        self._loader = loader
        self._more = more  # more(offset) -> the next batch of exact keys (Qt's fetchMore)
        self._keys: list[CaseKey] = []
        self._phonetic_from = 0
        self._pages: OrderedDict[int, list[CaseRow | None]] = OrderedDict()  # page number -> its rows, LRU order
        self._has_more = False
        self.pages_loaded = 0

    def set_keys(self, exact: list[CaseKey], phonetic: list[CaseKey], has_more: bool = False) -> None:
        self.beginResetModel()
        self._keys = exact + phonetic
        self._phonetic_from = len(exact)
        self._pages.clear()
        self._has_more = has_more
        self.endResetModel()

    @property
    def has_more(self) -> bool:
        return self._has_more

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._has_more and self._more is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        batch = self._more(self._phonetic_from)
        self._has_more = bool(batch) and len(batch) >= KEY_BATCH
        batch = batch[:KEY_BATCH]
        if not batch:
            self._has_more = False
            return
        at = self._phonetic_from
        self.beginInsertRows(QModelIndex(), at, at + len(batch) - 1)
        self._keys[at:at] = batch
        self._phonetic_from += len(batch)
        for page in [p for p in self._pages if (p + 1) * PAGE > at]:  # their rows moved down: read when shown
            del self._pages[page]
        self.endInsertRows()

    @property
    def exact_count(self) -> int:
        return self._phonetic_from

    @property
    def phonetic_count(self) -> int:
        return len(self._keys) - self._phonetic_from

    def is_phonetic(self, row: int) -> bool:
        return row >= self._phonetic_from

    @property
    def cached_rows(self) -> int:
        """Rows held in memory now (at most ``MAX_PAGES * PAGE``, however far the list was scrolled)."""
        return sum(len(rows) for rows in self._pages.values())

    def row_at(self, row: int) -> CaseRow | None:
        if not 0 <= row < len(self._keys):
            return None
        number = row // PAGE
        rows = self._pages.get(number)
        if rows is None:
            keys = self._keys[number * PAGE:(number + 1) * PAGE]
            loaded = {r.id.hex: r for r in self._loader(keys)}
            self.pages_loaded += 1
            rows = self._pages[number] = [loaded.get(key) for key in keys]
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return rows[row % PAGE]

    # ---- Qt model ---------------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (row.case_number, row.family_name, row.given_names, fmt_date(row.birth_date),
                    row.municipality or "", row.category_label, row.status_label, row.counsellor_name)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and self.is_phonetic(index.row()):
            return "Ähnlich klingender Name (Kölner Phonetik), kein genauer Treffer"
        if role == Qt.ItemDataRole.ForegroundRole and self.is_phonetic(index.row()):
            return QBrush(QColor("#5f6368"))
        if role == Qt.ItemDataRole.FontRole and self.is_phonetic(index.row()):
            font = QFont()
            font.setItalic(True)
            return font
        return None
