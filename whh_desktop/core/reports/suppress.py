"""Small counts in anything that leaves the district (DOMAIN.md Reporting, DESIGN.md §10).

Primary suppression: a count of 1 or 2 shows as ``"< 3"``. Secondary suppression: wherever a line of the table
(a row with its row total, a column with the totals row) has exactly one suppressed cell and a visible total,
the suppressed value could be computed back (total minus the others). Then the smallest other non-zero count of
that line is hidden too (``"x"``), so the totals stay as printed (they often appear in other tables as well);
if the line has no such cell, its total is hidden instead. This repeats until no line gives a value away.
Zeros stay visible: they reveal nothing about a person.
"""

from __future__ import annotations

from whh_desktop.core.reports.tables import Cell, ColumnKind, ReportTable, Row

SMALL = "< 3"
HIDDEN = "x"
FOOTNOTE = ("< 3: ein oder zwei Fälle (zum Schutz der Betroffenen nicht genau ausgewiesen); x: gesperrt, weil "
            "sich sonst ein kleiner Wert aus der Summe berechnen ließe.")


def is_small(value: Cell) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 2


def suppress(table: ReportTable) -> ReportTable:
    """The table as it may leave the district. Idempotent; a table without count columns is returned as is."""
    if table.suppressed:
        return table
    counts = [i for i, c in enumerate(table.columns) if c.kind is ColumnKind.COUNT]
    if not counts:
        return table
    rows = [list(r.cells) for r in table.all_rows()]
    hidden: set[tuple[int, int]] = {(r, c) for r, row in enumerate(rows) for c in counts if is_small(row[c])}
    total_col = table.column_index(table.total_column) if table.total_column else None
    has_totals = table.totals is not None
    body = list(range(len(table.rows)))
    last = len(rows) - 1
    components = [c for c in counts if c != total_col]

    lines: list[tuple[list[tuple[int, int]], tuple[int, int]]] = []  # (component cells, total cell)
    if total_col is not None:
        for r in range(len(rows)):
            lines.append(([(r, c) for c in components], (r, total_col)))
    if has_totals:
        for c in counts:
            lines.append(([(r, c) for r in body], (last, c)))

    changed = True
    while changed:
        changed = False
        for cells, total in lines:
            if total in hidden:
                continue
            secret = [cell for cell in cells if cell in hidden]
            if len(secret) != 1:
                continue
            others = [cell for cell in cells if cell not in hidden and isinstance(rows[cell[0]][cell[1]], int)
                      and rows[cell[0]][cell[1]] > 0]
            if others:
                hidden.add(min(others, key=lambda cell: (rows[cell[0]][cell[1]], cell)))
            else:
                hidden.add(total)
            changed = True

    for r, c in hidden:
        rows[r][c] = SMALL if is_small(rows[r][c]) else HIDDEN
    new_rows = tuple(Row(old.key, tuple(cells)) for old, cells in zip(table.rows, rows, strict=False))
    totals = Row(table.totals.key, tuple(rows[last])) if table.totals is not None else None
    footnotes = table.footnotes + ((FOOTNOTE,) if hidden else ())
    return table.with_rows(new_rows, totals, footnotes=footnotes, suppressed=True)


def suppress_all(tables: list[ReportTable]) -> list[ReportTable]:
    return [suppress(t) for t in tables]
