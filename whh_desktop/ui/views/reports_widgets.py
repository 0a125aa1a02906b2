"""Building blocks of the Berichte area: period and site pickers, report tables with Excel/CSV export, charts,
figure tiles and the drill-down list (issue 06). Widgets never build SQL; the tabs in ``reports.py`` call the
reports service."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QMargins, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain import labels
from whh_desktop.core.domain.formatting import MONTHS, fmt_date, plural
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.errors import WhhError
from whh_desktop.core.services import reports
from whh_desktop.core.services.reports import Period, ReportTable, Row, format_cell
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import files
from whh_desktop.ui.messages import show_error
from whh_desktop.ui.widgets.tables import ReadOnlyTable

EXPORT_NOTE = ("Excel, CSV und Sachbericht sind zur Weitergabe bestimmt: Anzahlen von 1 und 2 erscheinen dort als "
               "»< 3« (und Zellen, aus denen man sie zurückrechnen könnte, als »x«). Die Anzeige hier ist genau.")

# Short tab titles (labels.py); anything else shows the table's own title.
TAB_TITLES = labels.REPORT_TABS

PALETTE = ("#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a", "#c62828", "#00838f")


def _combo(name: str, items: Sequence[tuple[str, object]]) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    for label, value in items:
        box.addItem(label, value)
    return box


# ---- period and sites ------------------------------------------------------------------------------------------
class PeriodPicker(QWidget):
    """Monat / Quartal / Jahr / frei von–bis; ``period()`` gives the service's ``Period``."""

    changed = Signal()

    def __init__(self, today: date | None = None) -> None:
        super().__init__()
        today = today or date.today()
        self.kind = _combo("Zeitraum", [("Jahr", "year"), ("Quartal", "quarter"), ("Monat", "month"),
                                        ("frei von–bis", "free")])
        self.year = QSpinBox()
        self.year.setAccessibleName("Jahr")
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.quarter = _combo("Quartal", [(f"{q}. Quartal", q) for q in (1, 2, 3, 4)])
        self.quarter.setCurrentIndex((today.month - 1) // 3)
        self.month = _combo("Monat", [(name, n) for n, name in enumerate(MONTHS, 1)])
        self.month.setCurrentIndex(today.month - 1)
        self.von = QDateEdit(QDate(today.year, 1, 1))
        self.bis = QDateEdit(QDate(today.year, today.month, today.day))
        for edit, name in ((self.von, "von"), (self.bis, "bis")):
            edit.setAccessibleName(name)
            edit.setDisplayFormat("dd.MM.yyyy")
            edit.setCalendarPopup(True)
        self.dash = QLabel("bis")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel("&Zeitraum:")
        label.setBuddy(self.kind)
        for widget in (label, self.kind, self.month, self.quarter, self.year, self.von, self.dash, self.bis):
            layout.addWidget(widget)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for signal in (self.year.valueChanged, self.quarter.currentIndexChanged, self.month.currentIndexChanged,
                       self.von.dateChanged, self.bis.dateChanged):
            signal.connect(lambda *_: self.changed.emit())
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.year.setVisible(kind != "free")
        self.quarter.setVisible(kind == "quarter")
        self.month.setVisible(kind == "month")
        for widget in (self.von, self.dash, self.bis):
            widget.setVisible(kind == "free")
        self.changed.emit()

    def set_year(self, year: int) -> None:
        self.kind.setCurrentIndex(self.kind.findData("year"))
        self.year.setValue(year)

    def period(self) -> Period:
        kind = self.kind.currentData()
        if kind == "month":
            return reports.month(self.year.value(), self.month.currentData())
        if kind == "quarter":
            return reports.quarter(self.year.value(), self.quarter.currentData())
        if kind == "year":
            return reports.year(self.year.value())
        von, bis = self.von.date().toPython(), self.bis.date().toPython()
        if bis < von:
            raise WhhError("Der Zeitraum endet vor seinem Beginn.")
        return Period(von, bis, f"{fmt_date(von)} bis {fmt_date(bis)}")


class SitePicker(QComboBox):
    """District: every site or all of them; a site store: its own (the store holds nothing else)."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.setAccessibleName("Standort")
        own = SiteCode(store.info.site_code)
        if own.is_district:
            self.addItem("alle Standorte", None)
            for site in SiteCode.counselling_sites():
                self.addItem(site.label, site.value)
        else:
            self.addItem(own.label, None)
            self.setEnabled(False)
            self.setToolTip("Ein Standort sieht seine eigenen Zahlen; alle Standorte sieht der Kreis.")

    def sites(self) -> list[str] | None:
        value = self.currentData()
        return None if value is None else [value]


def site_label(code: str | None) -> str:
    try:
        return SiteCode(code).label if code else ""
    except ValueError:
        return code or ""


# ---- tables ----------------------------------------------------------------------------------------------------
class ReportTableView(ReadOnlyTable):
    """One ReportTable; numbers right-aligned, the totals row bold. ``rows[i]`` is the Row of table row ``i``."""

    def __init__(self, table: ReportTable) -> None:
        super().__init__([c.header for c in table.columns], table.title, f"table_{table.key}")
        self.report = table
        self.rows = table.all_rows()
        self.setRowCount(len(self.rows))
        bold = self.font()
        bold.setBold(True)
        for r, row in enumerate(self.rows):
            for c, column in enumerate(table.columns):
                item = QTableWidgetItem(format_cell(column, row.cells[c]))
                if column.numeric:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if row is table.totals:
                    item.setFont(bold)
                self.setItem(r, c, item)
        for c, column in enumerate(table.columns):
            self.horizontalHeaderItem(c).setToolTip(column.header)
        if table.columns and table.columns[-1].numeric:  # numbers stay next to their labels
            self.horizontalHeader().setStretchLastSection(False)


class TablesPanel(QWidget):
    """The tables of one tab, one sub-tab each, with "Excel…" (one sheet per table) and "CSV…" (a folder)."""

    cell_clicked = Signal(object, object, str)    # ReportTable, Row, column key
    row_activated = Signal(object, object)        # ReportTable, Row (double-click)

    def __init__(self, export_name: str, clickable_hint: str = "") -> None:
        super().__init__()
        self.export_name = export_name
        self.tables: list[ReportTable] = []
        self.views: dict[str, ReportTableView] = {}
        self.fixed_pages = 0  # leading pages (the dashboard's charts) that stay when the tables change
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Tabellen")
        self.tabs.setDocumentMode(True)
        self.tabs.setElideMode(Qt.TextElideMode.ElideNone)
        self.excel_button = QPushButton("E&xcel…")
        self.excel_button.setToolTip("Alle Tabellen in eine Excel-Datei, eine Tabelle je Blatt")
        self.excel_button.clicked.connect(self.export_excel)
        self.csv_button = QPushButton("C&SV…")
        self.csv_button.setToolTip("Jede Tabelle als CSV-Datei (Semikolon, UTF-8) in einen Ordner")
        self.csv_button.clicked.connect(self.export_csv)
        self.note = QLabel(EXPORT_NOTE)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        self.status = QLabel()
        self.status.setAccessibleName("Exportiert")
        self.status.setWordWrap(True)
        self.hint = QLabel(clickable_hint)
        self.hint.setStyleSheet("color: #555;")
        self.hint.setVisible(bool(clickable_hint))
        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        if not clickable_hint:
            buttons.addStretch(1)
        buttons.addWidget(self.excel_button)
        buttons.addWidget(self.csv_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        layout.addWidget(self.status)
        self._enable()

    def add_fixed_page(self, page: QWidget, title: str) -> None:
        self.tabs.insertTab(self.fixed_pages, page, title)
        self.fixed_pages += 1

    def _enable(self) -> None:
        self.excel_button.setEnabled(bool(self.tables))
        self.csv_button.setEnabled(bool(self.tables))

    def set_tables(self, tables: Sequence[ReportTable]) -> None:
        current = self.tabs.currentIndex()
        self.tables = list(tables)
        self.views = {}
        while self.tabs.count() > self.fixed_pages:
            page = self.tabs.widget(self.fixed_pages)
            self.tabs.removeTab(self.fixed_pages)
            page.deleteLater()
        for table in self.tables:
            view = ReportTableView(table)
            view.cellClicked.connect(lambda r, c, v=view: self._clicked(v, r, c))
            view.cellDoubleClicked.connect(lambda r, _c, v=view: self.row_activated.emit(v.report, v.rows[r]))
            self.views[table.key] = view
            page = QWidget()
            page_layout = QVBoxLayout(page)
            page_layout.setContentsMargins(0, 4, 0, 0)
            title = QLabel(f"<b>{table.title}</b>")
            title.setWordWrap(True)
            page_layout.addWidget(title)
            page_layout.addWidget(view, 1)
            if table.footnotes:
                notes = QLabel("<br>".join(table.footnotes))
                notes.setWordWrap(True)
                notes.setStyleSheet("color: #555;")
                page_layout.addWidget(notes)
            self.tabs.addTab(page, TAB_TITLES.get(table.key, table.title))
        bar = self.tabs.tabBar()  # every tab whole: the page scrolls at 150 % rather than hide one
        self.tabs.setMinimumWidth(sum(bar.tabSizeHint(i).width() for i in range(bar.count())) + 4)
        if 0 <= current < self.tabs.count():
            self.tabs.setCurrentIndex(current)
        self.status.clear()
        self._enable()

    def _clicked(self, view: ReportTableView, r: int, c: int) -> None:
        if 0 <= r < len(view.rows):
            self.cell_clicked.emit(view.report, view.rows[r], view.report.columns[c].key)

    def export_excel(self) -> Path | None:
        path = files.choose_save_path(self, "Als Excel speichern", f"{self.export_name}.xlsx",
                                      "Excel-Dateien (*.xlsx)")
        if path is None:
            return None
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        try:
            reports.export_xlsx(reports.suppress_for_export(self.tables), path)
        except (OSError, WhhError) as exc:
            show_error(self, f"Die Datei konnte nicht gespeichert werden: {exc}")
            return None
        self.status.setText(f"Gespeichert (kleine Zahlen als »< 3«): {path}")
        return path

    def export_csv(self) -> list[Path]:
        folder = files.choose_directory(self, "Ordner für die CSV-Dateien")
        if folder is None:
            return []
        written = []
        try:
            for table in reports.suppress_for_export(self.tables):
                written.append(reports.export_csv(table, folder / f"{self.export_name}_{table.key}.csv"))
        except (OSError, WhhError) as exc:
            show_error(self, f"Die Dateien konnten nicht gespeichert werden: {exc}")
            return written
        self.status.setText(f"{plural(len(written), 'CSV-Datei', 'CSV-Dateien')} "
                            f"gespeichert (kleine Zahlen als »< 3«) in {folder}")
        return written


# ---- figures and charts ------------------------------------------------------------------------------------------
class Tile(QPushButton):
    """A large clickable figure: the number over its label."""

    def __init__(self, key: str, label: str) -> None:
        super().__init__()
        self.key = key
        self.setObjectName(f"tile_{key}")
        self.setAccessibleName(label)
        self.setToolTip(f"{label}: die Fälle dahinter anzeigen")
        self.setMinimumHeight(78)
        self.value = QLabel("–")
        self.value.setStyleSheet("font-size: 18pt; font-weight: bold; color: #1565c0;")
        self.caption = QLabel(label)
        self.caption.setWordWrap(True)
        # A button does not take its minimum from the labels inside: at least the longest word must fit.
        longest = max(self.caption.fontMetrics().horizontalAdvance(word) for word in label.split())
        self.setMinimumWidth(longest + 16 + 2 * self.caption.margin() + 4)
        for label_widget in (self.value, self.caption):
            label_widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            label_widget.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(0)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def set_value(self, text: str) -> None:
        self.value.setText(text)
        self.setAccessibleDescription(text)


class Tiles(QWidget):
    clicked = Signal(str)  # indicator key

    def __init__(self, columns: int = 5) -> None:
        super().__init__()
        self.tiles: dict[str, Tile] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        for n, indicator in enumerate(reports.INDICATORS):
            tile = Tile(indicator.key, indicator.label)
            tile.clicked.connect(lambda _=False, k=indicator.key: self.clicked.emit(k))
            grid.addWidget(tile, n // columns, n % columns)
            self.tiles[indicator.key] = tile

    def show_overview(self, overview: ReportTable) -> None:
        column = overview.columns[overview.column_index("value")]
        for row in overview.rows:
            if row.key in self.tiles:
                self.tiles[row.key].set_value(format_cell(column, row.cells[1]))


class BarChart(QChartView):
    """Bars of some indicator columns of a breakdown table (totals left out); a click on a bar emits the
    table, row and indicator for the drill-down."""

    bar_clicked = Signal(object, object, str)  # ReportTable, Row, indicator key

    def __init__(self, title: str, axis_title: str, indicator_keys: Sequence[str], horizontal: bool = False,
                 only_rows: Sequence[str] | None = None) -> None:
        super().__init__()
        self.only_rows = only_rows  # row keys to show (a site store's own site), None for all
        self.title, self.axis_title = title, axis_title
        self.keys = tuple(indicator_keys)
        self.horizontal = horizontal
        self.table: ReportTable | None = None
        self.setAccessibleName(f"Diagramm {title}")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self.set_table(None)

    def set_table(self, table: ReportTable | None) -> None:
        self.table = table
        chart = QChart()
        chart.setTitle(self.title)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        if table is None or not table.rows:
            self.setChart(chart)
            return
        series = QHorizontalBarSeries() if self.horizontal else QBarSeries()
        keys = [k for k in self.keys if any(c.key == k for c in table.columns)]
        rows = [r for r in table.rows if self.only_rows is None or r.key in self.only_rows]
        if self.horizontal:
            rows.reverse()  # first row on top
            # room for every label: Qt hides the labels of bars that are closer than a line (the page scrolls)
            self.setMinimumHeight(max(220, 17 * len(rows) + 90))
        highest = 0
        for n, key in enumerate(keys):
            index = table.column_index(key)
            column = table.columns[index]
            bars = QBarSet(column.short_header)
            bars.setColor(QColor(PALETTE[n % len(PALETTE)]))
            for row in rows:
                value = row.cells[index]
                number = value if isinstance(value, int) else 0
                highest = max(highest, number)
                bars.append(number)
            bars.clicked.connect(lambda i, k=key, rs=rows: self._clicked(rs, i, k))
            series.append(bars)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        years = len({row.key[:4] for row in rows}) > 1
        categories.append([_axis_label(table, row, years) for row in rows])
        categories.setTruncateLabels(False)  # Qt elides even short labels to "…" otherwise
        axis_font = categories.labelsFont()
        axis_font.setPointSizeF(max(6.5, axis_font.pointSizeF() - 2))
        categories.setLabelsFont(axis_font)  # small enough that Qt shows every label (it hides overlapping ones)
        small = chart.legend().font()
        small.setPointSizeF(max(6.5, small.pointSizeF() - 1))
        if not self.horizontal:
            categories.setTitleText(self.axis_title)
        values = QValueAxis()
        values.setTitleText("Anzahl")
        values.setLabelFormat("%d")
        values.setRange(0, max(1, highest))
        values.applyNiceNumbers()
        if highest < 5:
            values.setTickCount(max(2, highest + 1))
        if self.horizontal:
            chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
            chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        else:
            chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
            chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(values)
        chart.legend().setVisible(len(keys) > 1)
        chart.legend().setFont(small)
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()

    def _clicked(self, rows: list[Row], index: int, key: str) -> None:
        if self.table is not None and 0 <= index < len(rows):
            self.bar_clicked.emit(self.table, rows[index], key)


SHORT_MONTHS = ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez")
CATEGORY_AXIS = labels.CATEGORY_AXIS  # short enough for a chart axis; the tables show the full labels


def _axis_label(table: ReportTable, row: Row, years: bool = False) -> str:
    if table.dimension == "month" and len(row.key) == 7:  # "2025-03" → "Mär" (or "Mär 25" over several years)
        name = SHORT_MONTHS[int(row.key[5:]) - 1]
        return f"{name} {row.key[2:4]}" if years else name
    if table.dimension == "municipality" and row.key != "-":
        return row.key  # the name without the AGS
    if table.dimension == "category" and row.key in CATEGORY_AXIS:
        return CATEGORY_AXIS[row.key]
    text = str(row.cells[0]) if row.cells and row.cells[0] is not None else row.key
    return text if len(text) <= 22 else text[:21] + "…"
