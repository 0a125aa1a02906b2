"""Excel export (openpyxl): one sheet per table, German headers, number formats, frozen header row, widths.

A sheet: the title in A1 (bold), the header row in row 3 (bold, frozen below), the rows, the totals row (bold),
then the footnotes. Counts get ``#,##0``, money (cents → euros) ``#,##0.00 €``, percentages ``0.00 %``, dates
``DD.MM.YYYY``; suppressed cells stay text ("< 3", "x") and are right-aligned like numbers.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.reports.tables import Cell, Column, ColumnKind, ReportTable

FORMATS = {ColumnKind.COUNT: "#,##0", ColumnKind.MONEY: '#,##0.00 "€"', ColumnKind.PERCENT: "0.00 %",
           ColumnKind.DATE: "DD.MM.YYYY", ColumnKind.TEXT: "@"}
HEADER_ROW = 3
_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str, used: set[str]) -> str:
    """Excel allows 31 characters and no []:*?/\\ in a sheet name; names must be unique."""
    base = _BAD.sub("-", title)[:31].strip() or "Tabelle"
    name, n = base, 2
    while name.casefold() in used:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(name.casefold())
    return name


def _value(column: Column, value: Cell) -> Cell | float:
    if isinstance(value, int) and not isinstance(value, bool):
        if column.kind is ColumnKind.MONEY:
            return value / 100
        if column.kind is ColumnKind.PERCENT:
            return value / 10000
    return value


def write_xlsx(tables: list[ReportTable], path: Path, names: list[str] | None = None) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    bold = Font(bold=True)
    for n, table in enumerate(tables):
        ws = wb.create_sheet(sheet_name(names[n] if names else _short(table), used))
        ws.cell(1, 1, table.title).font = Font(bold=True, size=12)
        widths = [len(c.header) for c in table.columns]
        for col, column in enumerate(table.columns, start=1):
            cell = ws.cell(HEADER_ROW, col, column.header)
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top",
                                       horizontal="right" if column.numeric else "left")
        row_no = HEADER_ROW
        for row in table.all_rows():
            row_no += 1
            is_total = table.totals is not None and row is table.totals
            for col, (column, value) in enumerate(zip(table.columns, row.cells, strict=True), start=1):
                cell = ws.cell(row_no, col, _value(column, value))
                if isinstance(value, str) and column.numeric:
                    cell.alignment = Alignment(horizontal="right")
                elif value is not None:
                    cell.number_format = FORMATS[column.kind]
                if is_total:
                    cell.font = bold
                shown = fmt_date(value) if isinstance(value, date) else str(value or "")
                widths[col - 1] = max(widths[col - 1], len(shown) + (3 if column.numeric else 0))
        for note in table.footnotes:
            row_no += 1
            ws.cell(row_no + 1, 1, note).font = Font(italic=True, size=9)
        ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 60)
    wb.save(path)
    return path


def _short(table: ReportTable) -> str:
    """The sheet name: the title up to the period or Stichtag ("Kennzahlen je Monat")."""
    title = table.title.split(" – ")[0].split(",")[0]
    return re.sub(r"\s+\d{2}\.\d{2}\.\d{4}.*$", "", title)
