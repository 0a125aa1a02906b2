"""The one table shape every report returns and every writer takes.

A ``ReportTable`` has a title, typed columns with German headers, rows (each with a stable ``key`` the dashboard
passes back for a drill-down), an optional totals row and footnotes. Values are plain Python: ``int`` for counts,
money in cents (``int``), percentages in basis points (``int``, 1250 = 12,50 %), ``date`` for dates, ``str`` for
text. A count cell may also hold a ``str`` after suppression (``"< 3"`` or ``"x"``, see ``suppress.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from whh_desktop.core.domain.formatting import fmt_count, fmt_date, fmt_money, fmt_percent

Cell = int | str | date | None


class ColumnKind(StrEnum):
    COUNT = "count"
    MONEY = "money"      # cents
    PERCENT = "percent"  # basis points
    TEXT = "text"
    DATE = "date"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: ColumnKind = ColumnKind.COUNT
    short: str = ""  # a shorter header for narrow places (PDF tables, chart legends); the header if empty

    @property
    def short_header(self) -> str:
        return self.short or self.header

    @property
    def numeric(self) -> bool:
        return self.kind in (ColumnKind.COUNT, ColumnKind.MONEY, ColumnKind.PERCENT)


@dataclass(frozen=True)
class Row:
    key: str
    cells: tuple[Cell, ...]

    def __getitem__(self, index: int) -> Cell:
        return self.cells[index]


@dataclass(frozen=True)
class ReportTable:
    """``dimension`` names what the rows are (``month``, ``site``, ``municipality``, ``category``, ``indicator``,
    ``baustein``, …): a drill-down passes ``(dimension, row.key)`` and the column key as the indicator.
    ``total_column`` is the key of a column holding each row's total (it matters for suppression)."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    totals: Row | None = None
    footnotes: tuple[str, ...] = ()
    dimension: str | None = None
    total_column: str | None = None
    suppressed: bool = False

    def column_index(self, key: str) -> int:
        for i, column in enumerate(self.columns):
            if column.key == key:
                return i
        raise KeyError(key)

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)

    def value(self, row_key: str, column_key: str) -> Cell:
        row = self.totals if self.totals is not None and row_key == self.totals.key else self.row(row_key)
        return row.cells[self.column_index(column_key)]

    def with_rows(self, rows: tuple[Row, ...], totals: Row | None, **changes: Any) -> ReportTable:
        return replace(self, rows=rows, totals=totals, **changes)

    def all_rows(self) -> list[Row]:
        return [*self.rows, *([self.totals] if self.totals is not None else [])]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (dates as ISO text), for ``--json`` and the UI's tests."""
        def plain(value: Cell) -> Any:
            return value.isoformat() if isinstance(value, date) else value

        return {
            "key": self.key, "title": self.title, "dimension": self.dimension, "suppressed": self.suppressed,
            "columns": [{"key": c.key, "header": c.header, "kind": c.kind.value} for c in self.columns],
            "rows": [{"key": r.key, "cells": [plain(v) for v in r.cells]} for r in self.rows],
            "totals": None if self.totals is None else [plain(v) for v in self.totals.cells],
            "footnotes": list(self.footnotes),
        }


def total_row(columns: tuple[Column, ...], rows: list[Row], label: str = "Insgesamt",
              overrides: dict[str, Cell] | None = None) -> Row:
    """A totals row: the sum of each count/money column, the label in the first text column. ``overrides`` give
    totals that are not sums (distinct counts, e.g. persons over months)."""
    cells: list[Cell] = []
    labelled = False
    for i, column in enumerate(columns):
        if overrides and column.key in overrides:
            cells.append(overrides[column.key])
        elif column.kind in (ColumnKind.COUNT, ColumnKind.MONEY):
            values = [r.cells[i] for r in rows]
            cells.append(None if any(v is None for v in values) and all(v is None for v in values)
                         else sum(v for v in values if isinstance(v, int)))
        elif column.kind is ColumnKind.TEXT and not labelled:
            cells.append(label)
            labelled = True
        else:
            cells.append(None)
    return Row("total", tuple(cells))


# ---- German formatting (UI, CSV, PDF) ---------------------------------------------------------------------------
def format_cell(column: Column, value: Cell) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if isinstance(value, date):
        return fmt_date(value)
    if column.kind is ColumnKind.MONEY:
        return fmt_money(value)
    if column.kind is ColumnKind.PERCENT:
        return fmt_percent(value)
    return fmt_count(value) if column.kind is ColumnKind.COUNT else str(value)


def percent(part: int, whole: int) -> int | None:
    """Basis points, rounded half up, in integers only."""
    if whole <= 0:
        return None
    return (part * 20000 + whole) // (2 * whole)
