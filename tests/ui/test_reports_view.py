"""Berichte through the GUI on real stores: the dashboard shows the service's figures, a figure drills down to the
cases behind it and opens one, the Stichtag tables fill, the Sachbericht previews and saves, Excel export reads
back with openpyxl, the data quality list opens the case to fix."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from tests.core import reports_world
from tests.core.pdf_reading import pdf_pages
from whh_desktop.core.demo import fill_demo
from whh_desktop.core.reports.tables import format_cell
from whh_desktop.core.services import reports
from whh_desktop.ui import files, workers
from whh_desktop.ui.dialogs.case_file import CaseFileDialog
from whh_desktop.ui.views.reports import ReportsView

VON, BIS = date(2025, 1, 1), date(2025, 12, 31)


@pytest.fixture
def world(district):
    store, user = district
    return reports_world.build(store, user)


def _view(qtbot, store, user) -> ReportsView:
    view = ReportsView(store, user)
    qtbot.addWidget(view)
    view.resize(1280, 860)
    return view


def _dashboard_2025(qtbot, store, user) -> ReportsView:
    view = _view(qtbot, store, user)
    view.dashboard.period_picker.set_year(2025)
    view.refresh()
    qtbot.waitUntil(lambda: view.dashboard.result is not None, timeout=20_000)
    workers.wait_all()
    return view


def _wait_items(qtbot, view, before) -> list:
    qtbot.waitUntil(lambda: view.dashboard.drilldown.items is not before, timeout=20_000)
    workers.wait_all()
    return view.dashboard.drilldown.items


def test_dashboard_tiles_and_tables_show_the_services_figures(qtbot, world) -> None:
    view = _dashboard_2025(qtbot, world.store, world.user)
    with world.store.read_session() as s:
        expected = {t.key: t for t in reports.indicators(s, VON, BIS)}
    for row in expected["overview"].rows:
        assert view.dashboard.tiles.tiles[row.key].value.text() == str(row.cells[1])
    assert view.dashboard.tiles.tiles["households"].value.text() == "7"  # the hand count of reports_world
    by_site = view.dashboard.tables.views["by_site"]
    column = expected["by_site"].column_index("households")
    shown = {by_site.rows[r].key: by_site.item(r, column).text() for r in range(by_site.rowCount())}
    assert shown["loehne"] == "2" and shown["total"] == "7"
    assert set(view.dashboard.tables.views) == set(expected)
    # charts carry the breakdowns (bars of the month chart: one per month)
    month_chart = view.dashboard.charts["by_month"]
    assert month_chart.table is not None and month_chart.chart().series()[0].barSets()[0].count() == 12


def test_a_tile_lists_the_cases_and_opens_one(qtbot, world, answers) -> None:
    view = _dashboard_2025(qtbot, world.store, world.user)
    before = view.dashboard.drilldown.items
    view.dashboard.tiles.tiles["prevented"].click()
    items = _wait_items(qtbot, view, before)
    with world.store.read_session() as s:
        expected = reports.drilldown(s, "prevented", VON, BIS)
    assert [i.id for i in items] == [i.id for i in expected] and len(items) == 1
    assert view.dashboard.drilldown.list.rowCount() == 1
    assert "Wohnungsverlust verhindert" in view.dashboard.drilldown.title.text()

    opened = []

    def check(dialog: CaseFileDialog) -> None:
        opened.append(dialog.case_id)
        assert dialog.workspace.read_only  # the district reads a site's case

    answers.on(CaseFileDialog, check)
    view.dashboard.drilldown.list.selectRow(0)
    assert view.dashboard.drilldown.open_button.isEnabled()
    view.dashboard.drilldown.open_button.click()
    assert opened == [expected[0].id]


def test_a_table_cell_drills_into_its_row(qtbot, world) -> None:
    view = _dashboard_2025(qtbot, world.store, world.user)
    table = view.dashboard.tables.views["by_site"]
    row = next(r for r in range(table.rowCount()) if table.rows[r].key == "loehne")
    column = table.report.column_index("households")
    before = view.dashboard.drilldown.items
    table.cellClicked.emit(row, column)
    items = _wait_items(qtbot, view, before)
    with world.store.read_session() as s:
        expected = reports.drilldown(s, "households", VON, BIS, None, ("site", "loehne"))
    assert sorted(i.id for i in items) == sorted(i.id for i in expected) and len(items) == 2
    assert {i.site for i in items} == {"loehne"}


def test_pseudonymous_cases_are_listed_but_not_openable(qtbot, world, answers) -> None:
    from whh_desktop.core.store.models import PseudonymEntry

    with world.store.session("import") as s:
        s.add(PseudonymEntry(site="loehne", pseudonym="ab" * 32, person_pseudonym="cd" * 32, identified=False,
                             case_id=world.cases["B"]))
    view = _dashboard_2025(qtbot, world.store, world.user)
    before = view.dashboard.drilldown.items
    view.dashboard.tiles.tiles["referrals_spdi"].click()
    _wait_items(qtbot, view, before)
    drill = view.dashboard.drilldown
    assert drill.list.cell(0, 0) == "Pseudonym abababababab" and "pseudonym" in drill.list.cell(0, 2)
    assert "Einwilligung" in drill.why.text()
    drill.list.selectRow(0)
    assert not drill.open_button.isEnabled()
    answers.ok()
    drill.open_selected()  # a double-click says why instead of opening
    assert "pseudonym" in answers.texts[-1] and not any(isinstance(d, CaseFileDialog) for d in answers.seen)


def test_stichtag_tables_fill(qtbot, world) -> None:
    view = _view(qtbot, world.store, world.user)
    view.tabs.setCurrentWidget(view.stichtag)  # first shown: the latest Stichtag that has passed
    tab = view.stichtag
    qtbot.waitUntil(lambda: tab.result is not None and tab.run_button.isEnabled(), timeout=20_000)
    tab.art.setCurrentIndex(tab.art.findData("nrw"))
    tab.year.setValue(2025)
    tab.run_button.click()
    qtbot.waitUntil(lambda: "30.06.2025" in tab.shown.text(), timeout=20_000)
    workers.wait_all()
    with world.store.read_session() as s:
        expected = reports.stichtag_nrw(s, 2025)
    assert list(tab.tables.views) == [t.key for t in expected]
    for table in expected:
        shown = tab.tables.views[table.key]
        assert shown.rowCount() == len(table.all_rows())
        for r, row in enumerate(table.all_rows()):
            assert [shown.item(r, c).text() for c in range(len(table.columns))] == \
                [format_cell(col, v) for col, v in zip(table.columns, row.cells, strict=True)]
    assert "30.06.2025" in tab.shown.text()
    overview = expected[0]
    assert overview.value("persons", overview.columns[-1].key) not in (0, None)  # the world has people on it


def test_sachbericht_previews_and_saves(qtbot, world, tmp_path, monkeypatch) -> None:
    view = _view(qtbot, world.store, world.user)
    tab = view.sachbericht
    tab.period_picker.set_year(2025)
    tab.texts["2"].setPlainText("Einzelfallhilfe: viele Räumungsklagen abgewendet.")
    tab.preview_button.click()
    qtbot.waitUntil(lambda: tab.pdf is not None, timeout=30_000)
    workers.wait_all()
    assert tab.pdf_view.page_count == pdf_pages(tab.pdf) >= 1  # the preview shows the whole report
    first = tab.pdf
    target = tmp_path / "bericht"
    monkeypatch.setattr(files, "choose_save_path", lambda *args: target)
    tab.save_button.click()  # same inputs: the preview's bytes, no new rendering
    saved = tmp_path / "bericht.pdf"
    assert saved.read_bytes() == first and "Gespeichert" in tab.state.text()
    tab.texts["2"].setPlainText("Anderer Text")
    saved.unlink()
    tab.save_button.click()  # changed text: rendered again, then saved
    qtbot.waitUntil(saved.exists, timeout=30_000)
    workers.wait_all()
    assert tab.pdf != first and saved.read_bytes() == tab.pdf


def test_excel_and_csv_export_are_suppressed(qtbot, world, tmp_path, monkeypatch) -> None:
    view = _dashboard_2025(qtbot, world.store, world.user)
    target = tmp_path / "kennzahlen.xlsx"
    monkeypatch.setattr(files, "choose_save_path", lambda *args: target)
    view.dashboard.tables.excel_button.click()
    book = openpyxl.load_workbook(target)
    assert len(book.worksheets) == len(view.dashboard.tables.tables) == 6
    cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert "< 3" in cells  # households in Löhne (2) leave the district suppressed
    assert 2 not in cells and 1 not in cells
    assert "< 3" in view.dashboard.tables.note.text() and "Gespeichert" in view.dashboard.tables.status.text()
    folder = tmp_path / "csv"
    folder.mkdir()
    monkeypatch.setattr(files, "choose_directory", lambda *args: folder)
    view.dashboard.tables.csv_button.click()
    written = sorted(p.name for p in folder.iterdir())
    assert len(written) == 6 and "Kennzahlen_by_site.csv" in written
    assert "< 3" in (folder / "Kennzahlen_by_site.csv").read_text(encoding="utf-8-sig")


def test_data_quality_list_opens_the_case(qtbot, world, answers) -> None:
    view = _view(qtbot, world.store, world.user)
    view.tabs.setCurrentWidget(view.quality)  # first shown: computes
    qtbot.waitUntil(lambda: view.quality.table is not None, timeout=20_000)
    workers.wait_all()
    with world.store.read_session() as s:
        expected = reports.data_quality(s)
    shown = view.quality.list
    assert [r.key for r in shown.rows] == [r.key for r in expected.rows] and expected.rows
    row = next(r for r in range(shown.rowCount()) if shown.rows[r].key == str(world.cases["J"]))
    assert "Geburtsdatum fehlt" in " ".join(shown.cell(row, c) for c in range(shown.columnCount()))
    opened = []
    answers.on(CaseFileDialog, lambda d: opened.append(d.case_id))
    shown.selectRow(row)
    view.quality.open_button.click()
    assert opened == [world.cases["J"]]
    workers.wait_all()


def test_a_site_sees_its_own_figures(qtbot, counsellor) -> None:
    store, user = counsellor
    fill_demo(store, user.username, 60, seed=3)
    today = date.today()
    view = _view(qtbot, store, user)
    assert not view.dashboard.site_picker.isEnabled() and view.dashboard.site_picker.sites() is None
    view.refresh()
    qtbot.waitUntil(lambda: view.dashboard.result is not None, timeout=20_000)
    workers.wait_all()
    with store.read_session() as s:
        overview = reports.indicators(s, date(today.year, 1, 1), date(today.year, 12, 31))[0]
    assert overview.value("households", "value") > 0
    for row in overview.rows:
        assert view.dashboard.tiles.tiles[row.key].value.text() == format_cell(overview.columns[1], row.cells[1])


def test_pseudonymous_records_of_the_sites_are_listed_but_not_openable(qtbot, world, answers) -> None:
    from tests.core.test_reports_pseudonymous import data, ps
    from whh_desktop.core.store.models import PseudonymEntry

    with world.store.session("import") as s:  # as the importer stores a record without consent for the Kreis
        s.add(PseudonymEntry(site="vlotho", pseudonym=ps(2), person_pseudonym="a2" * 32, data=data(
            "vlotho", None, [["raeumungsklage", "2024-11"], ["ehemals", "2025-05"]], closed="2025-05",
            outcome="wohnung_erhalten")))
    view = _dashboard_2025(qtbot, world.store, world.user)
    assert view.dashboard.tiles.tiles["prevented"].value.text() == "2"  # E and the record
    before = view.dashboard.drilldown.items
    view.dashboard.tiles.tiles["prevented"].click()
    items = _wait_items(qtbot, view, before)
    drill = view.dashboard.drilldown
    row = next(r for r, i in enumerate(items) if i.kind == "pseudonym")
    assert drill.list.cell(row, 0).startswith("Pseudonym ") and drill.list.cell(row, 1) == "Vlotho"
    drill.list.selectRow(row)
    assert not drill.open_button.isEnabled()
    answers.ok()
    drill.list.itemActivated.emit(drill.list.item(row, 0))  # double-click: says why, opens nothing
    assert "pseudonym" in answers.texts[-1]
    # the data quality list names the record (no municipality) and says who can fix it
    view.tabs.setCurrentWidget(view.quality)
    qtbot.waitUntil(lambda: view.quality.table is not None, timeout=20_000)
    workers.wait_all()
    shown = view.quality.list
    row = next(r for r in range(shown.rowCount()) if shown.rows[r].key.startswith("pseudonym:"))
    answers.ok()
    shown.selectRow(row)
    view.quality.open_button.click()
    assert "Standort" in answers.texts[-1] and not any(isinstance(d, CaseFileDialog) for d in answers.seen)


def test_sachbericht_prints(qtbot, world, tmp_path, monkeypatch) -> None:
    from PySide6.QtPrintSupport import QPrinter

    from whh_desktop.ui import printing

    target = tmp_path / "gedruckt.pdf"

    def printer(*_args):
        p = QPrinter()
        p.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        p.setOutputFileName(str(target))
        return p

    monkeypatch.setattr(printing, "ask_printer", printer)
    view = _view(qtbot, world.store, world.user)
    tab = view.sachbericht
    tab.period_picker.set_year(2025)
    tab.print_button.click()  # no preview yet: rendered in the background, then printed
    qtbot.waitUntil(lambda: target.exists() and target.stat().st_size > 0, timeout=30_000)
    workers.wait_all()
    assert tab.pdf is not None and pdf_pages(target.read_bytes()) == pdf_pages(tab.pdf)  # every page printed


def test_changed_period_asks_for_an_update(qtbot, world) -> None:
    view = _dashboard_2025(qtbot, world.store, world.user)
    assert "2025" in view.dashboard.shown.text()
    view.dashboard.period_picker.set_year(2024)
    assert "Aktualisieren" in view.dashboard.shown.text()
    view.dashboard.update_button.click()
    qtbot.waitUntil(lambda: view.dashboard.period is not None and view.dashboard.period.von.year == 2024,
                    timeout=20_000)
    workers.wait_all()
    with world.store.read_session() as s:
        overview = reports.indicators(s, date(2024, 1, 1), date(2024, 12, 31))[0]
    assert view.dashboard.tiles.tiles["households"].value.text() == str(overview.value("households", "value"))
