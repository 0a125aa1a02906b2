"""Suppression, the Excel and CSV writers and the Sachbericht PDF."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from tests.core import reports_world
from tests.core.pdf_reading import pdf_text
from whh_desktop.core.reports import suppress
from whh_desktop.core.reports.csv import to_csv
from whh_desktop.core.reports.tables import Column, ColumnKind, ReportTable, Row, format_cell, percent, total_row
from whh_desktop.core.services import reports

VON, BIS = date(2025, 1, 1), date(2025, 12, 31)


@pytest.fixture
def world(district):
    store, user = district
    return reports_world.build(store, user)


def one_column(*values: int) -> ReportTable:
    cols = (Column("label", "Merkmal", ColumnKind.TEXT), Column("n", "Personen"))
    rows = [Row(f"r{i}", (f"Zeile {i}", v)) for i, v in enumerate(values)]
    return ReportTable("t", "Test", cols, tuple(rows), total_row(cols, rows))


def test_small_counts_show_as_less_than_three() -> None:
    t = suppress.suppress(one_column(1, 2, 0, 3, 10))
    assert [r.cells[1] for r in t.rows] == ["< 3", "< 3", 0, 3, 10]
    assert t.totals.cells[1] == 16 and t.suppressed and suppress.FOOTNOTE in t.footnotes


def test_a_total_that_would_reveal_a_single_suppressed_cell() -> None:
    # 20 - 12 - 7 = 1: the total gives the suppressed cell away, so the next smallest cell is hidden too
    t = suppress.suppress(one_column(1, 12, 7))
    assert [r.cells[1] for r in t.rows] == ["< 3", 12, "x"]
    assert t.totals.cells[1] == 20
    # nothing else to hide: the total is small itself
    t = suppress.suppress(one_column(2, 0, 0))
    assert [r.cells[1] for r in t.rows] == ["< 3", 0, 0] and t.totals.cells[1] == "< 3"


def test_two_dimensional_suppression_leaves_nothing_derivable() -> None:
    cols = (Column("label", "Alter", ColumnKind.TEXT), Column("m", "m"), Column("w", "w"), Column("total", "Ges."))
    rows = [Row("a", ("a", 1, 10, 11)), Row("b", ("b", 5, 6, 11)), Row("c", ("c", 8, 9, 17))]
    table = ReportTable("t", "T", cols, tuple(rows), total_row(cols, rows), total_column="total")
    t = suppress.suppress(table)
    grid = [list(r.cells[1:]) for r in t.all_rows()]
    hidden = {(r, c) for r, row in enumerate(grid) for c, v in enumerate(row) if isinstance(v, str)}
    assert grid[0][0] == "< 3"
    # every row and column with a visible total has zero or at least two hidden cells
    for r in range(len(grid)):
        n = sum((r, c) in hidden for c in range(2))
        assert n != 1 or (r, 2) in hidden
    for c in range(3):
        n = sum((r, c) in hidden for r in range(3))
        assert n != 1 or (3, c) in hidden
    assert suppress.suppress(t) is t  # idempotent


def test_formatting() -> None:
    assert format_cell(Column("x", "x"), 12345) == "12.345"
    assert format_cell(Column("x", "x", ColumnKind.MONEY), 123456) == "1.234,56 €"
    assert format_cell(Column("x", "x", ColumnKind.PERCENT), percent(1, 8)) == "12,50 %"
    assert format_cell(Column("x", "x", ColumnKind.DATE), date(2025, 6, 30)) == "30.06.2025"


def test_excel_read_back(world, tmp_path) -> None:
    with world.store.read_session() as s:
        tables = reports.suppress_for_export(reports.indicators(s, VON, BIS))
    money = ReportTable("money", "Geld", (Column("label", "Art", ColumnKind.TEXT),
                                          Column("eur", "Betrag", ColumnKind.MONEY),
                                          Column("pct", "Anteil", ColumnKind.PERCENT),
                                          Column("day", "Datum", ColumnKind.DATE)),
                        (Row("a", ("Miete", 45050, 1250, date(2025, 6, 30))),))
    path = reports.export_xlsx([*tables, money], tmp_path / "kennzahlen.xlsx")
    wb = load_workbook(path)
    assert len(wb.sheetnames) == len(tables) + 1
    ws = wb[wb.sheetnames[0]]
    assert [ws.cell(3, c).value for c in (1, 2)] == ["Kennzahl", "Anzahl"]
    assert ws.freeze_panes == "A4"
    assert ws.cell(4, 1).value == "Haushalte beraten" and ws.cell(4, 2).value == 7
    assert ws.cell(4, 2).number_format == "#,##0"
    assert ws.cell(8, 2).value == "< 3"  # Vermittlung mit Mietvertrag: 1
    sheet = wb[wb.sheetnames[-1]]
    assert sheet.cell(4, 2).value == pytest.approx(450.50) and "€" in sheet.cell(4, 2).number_format
    assert sheet.cell(4, 3).value == pytest.approx(0.125) and sheet.cell(4, 3).number_format == "0.00 %"
    assert sheet.cell(4, 4).number_format == "DD.MM.YYYY"
    assert ws.column_dimensions["A"].width >= len("Vermittlung in Wohnraum mit Mietvertrag")


def test_csv_with_bom_and_semicolons(world, tmp_path) -> None:
    with world.store.read_session() as s:
        table = next(t for t in reports.indicators(s, VON, BIS) if t.key == "by_site")
    path = reports.export_csv(table, tmp_path / "standorte.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw[3:].decode("utf-8").split("\r\n")
    assert lines[0].startswith("Standort;Haushalte beraten;Personen beraten;")
    assert lines[1].startswith("Löhne;2;4;")
    assert lines[6].startswith("Insgesamt;7;9;")
    assert "12,50" in to_csv(ReportTable("p", "p", (Column("p", "Anteil", ColumnKind.PERCENT),),
                                         (Row("a", (1250,)),)))


def test_sachbericht_pdf(world) -> None:
    texts = {"1": "Wir haben zwölf Vermieterinnen besucht.", "5": "Kooperation mit der Suchtberatung."}
    pdf = reports.sachbericht_pdf(world.store, world.user, VON, BIS, texts)
    assert pdf.startswith(b"%PDF")
    text = " ".join(pdf_text(pdf).split())  # table cells come back one per line
    assert "Sachbericht Jahr 2025" in text
    assert "Haushalte beraten 7" in text and "Personen beraten 9" in text
    # the five new cases fall into five months as "< 3" each: the total would pin every one of them to 1,
    # so it is hidden wherever it stands (overview and every breakdown); the same for the four contacts
    assert "Neue Fälle x" in text and "Beratungskontakte x" in text and "Wohnungsverlust verhindert < 3" in text
    assert "Wir haben zwölf Vermieterinnen besucht." in text and "5 Suchthilfe" in text
    assert "Beratungsstelle" in text or "Kreis" in text  # the letterhead line
    unsuppressed = reports.sachbericht_pdf(world.store, world.user, VON, BIS, {}, suppressed=False)
    assert "Wohnungsverlust verhindert 1" in " ".join(pdf_text(unsuppressed).split())
