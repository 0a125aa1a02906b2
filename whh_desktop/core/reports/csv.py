"""CSV export: semicolon-separated, UTF-8 with BOM, so Excel opens umlauts and columns correctly.

Numbers as German text (``1234``, ``12,50``): counts without thousands separators, money and percentages with
a decimal comma; dates TT.MM.JJJJ; suppressed cells as shown ("< 3", "x"). Footnotes follow after an empty line.
"""

from __future__ import annotations

import csv as _csv
import io
from datetime import date
from pathlib import Path

from whh_desktop.core.domain.formatting import fmt_date, fmt_money, fmt_percent
from whh_desktop.core.reports.tables import Cell, Column, ColumnKind, ReportTable


def _text(column: Column, value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, date):
        return fmt_date(value)
    if column.kind is ColumnKind.MONEY:
        return fmt_money(value, unit=False, thousands=False)
    if column.kind is ColumnKind.PERCENT:
        return fmt_percent(value, unit=False)
    return str(value)


def to_csv(table: ReportTable) -> str:
    buffer = io.StringIO()
    writer = _csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=_csv.QUOTE_MINIMAL)
    writer.writerow([c.header for c in table.columns])
    for row in table.all_rows():
        writer.writerow([_text(c, v) for c, v in zip(table.columns, row.cells, strict=True)])
    if table.footnotes:
        writer.writerow([])
        for note in table.footnotes:
            writer.writerow([note])
    return buffer.getvalue()


def write_csv(table: ReportTable, path: Path) -> Path:
    path.write_bytes(b"\xef\xbb\xbf" + to_csv(table).encode("utf-8"))
    return path
