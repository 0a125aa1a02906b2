"""Berichte (issue 06): the dashboard with the indicators of the Landesinitiative as figures, charts and tables
with a drill-down to the cases behind each figure; the Stichtag statistics (NRW 30.06., WoBerichtsG 31.01.); the
Sachbericht for the funding body as PDF; the data quality list. Every report runs in the background (a district
store of 100 000 cases takes about a second) and calls the reports service with a read session."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain.changes import CASE_FILE
from whh_desktop.core.domain.enums import Baustein
from whh_desktop.core.domain.formatting import fmt_date, plural
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.errors import WhhError
from whh_desktop.core.services import reports
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.reports import DrillItem, Period, ReportTable, Row
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import printing
from whh_desktop.ui.areas import Shell
from whh_desktop.ui.dialogs import case_file as case_page
from whh_desktop.ui.dialogs.letter import PdfPreview
from whh_desktop.ui.messages import inform, show_error
from whh_desktop.ui.ops import LongOp, listen, wants
from whh_desktop.ui.views.reports_widgets import (
    BarChart,
    PeriodPicker,
    SitePicker,
    TablesPanel,
    Tiles,
    site_label,
)
from whh_desktop.ui.widgets.applications import ArbeitskreisTab
from whh_desktop.ui.widgets.tables import ReadOnlyTable
from whh_desktop.ui.workers import Job

INDICATORS = {i.key: i for i in reports.INDICATORS}
PSEUDONYM_PREFIX = "Pseudonym "
PSEUDONYM_WHY = ("Dieser Fall liegt dem Kreis nur pseudonym vor: Die beratene Person hat der Weitergabe ihres Namens "
                 "nicht eingewilligt. Er zählt in den Kennzahlen mit, die Fallakte führt der Standort.")


def _is_pseudonymous(item: DrillItem) -> bool:
    """A pseudonymous record of a site (kind "pseudonym"), or a case the district holds without consent."""
    return item.kind == "pseudonym" or (item.kind == "case" and item.label.startswith(PSEUDONYM_PREFIX))


class _Background:
    """One report job per tab at a time; a refresh asked for by a change while one runs follows it."""

    job: Job | None = None
    _again = False

    def start_job(self: Any, text: str, fn: Callable[[], Any], on_done: Callable[[Any], None],
                  after: Callable[[], None] | None = None) -> Job:
        """``after`` (e.g. enable the button again) runs in the GUI thread once the result or the error is shown;
        it is part of the callbacks, so it can never miss a job that ends before anyone connected to it."""

        def succeeded(result: Any) -> None:
            try:
                on_done(result)
            finally:
                self._idle(after)

        def failed(exc: BaseException) -> None:
            try:
                show_error(self, exc)
            finally:
                self._idle(after)

        self.job = LongOp(self, text, lambda _progress, _cancelled: fn()).success(succeeded).failure(failed).run()
        return self.job

    def refresh_when_idle(self: Any) -> None:
        if self.busy:
            self._again = True
        else:
            self.refresh()

    def _idle(self: Any, after: Callable[[], None] | None) -> None:
        if after is not None:
            after()
        if self._again:
            self._again = False
            self.job.wait()  # the thread ends a moment after its last signal
            self.refresh()

    @property
    def busy(self) -> bool:
        return self.job is not None and self.job.isRunning()


def open_case(parent: QWidget, store: Store, user: CurrentUser, case_id: uuid.UUID) -> None:
    """The case; at the district, a site's case opens read-only (the workspace decides)."""
    case_page.open_case(parent, store, user, case_id)


# ---- drill-down ------------------------------------------------------------------------------------------------
class DrillDown(QWidget):
    """The cases (or landlords) behind a clicked figure; a double-click opens the case file."""

    def __init__(self, store: Store, user: CurrentUser) -> None:
        super().__init__()
        self.store, self.user = store, user
        self.items: list[DrillItem] = []
        self.title = QLabel("Ein Klick auf eine Zahl, einen Balken oder eine Tabellenzelle zeigt die Fälle dahinter.")
        self.title.setWordWrap(True)
        self.title.setAccessibleName("Aufschlüsselung")
        self.list = ReadOnlyTable(["Fall", "Standort", "Hinweis"], "Fälle hinter der Zahl", "drilldown")
        self.list.itemActivated.connect(lambda _item: self.open_selected())
        self.list.itemSelectionChanged.connect(self._selected)
        self.open_button = QPushButton("Fall ö&ffnen")
        self.open_button.clicked.connect(self.open_selected)
        self.why = QLabel()
        self.why.setWordWrap(True)
        self.why.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.why)
        layout.addWidget(self.open_button)
        self._selected()

    def show_items(self, title: str, items: list[DrillItem]) -> None:
        self.items = items
        noun = "Vermieter" if items and items[0].kind == "landlord" else "Fälle"
        self.title.setText(f"<b>{title}</b>: {len(items)} {noun}")
        hints = []
        for item in items:
            if item.kind == "landlord":
                hints.append("Vermieterkartei")
            elif _is_pseudonymous(item):
                hints.append("pseudonym, nicht einsehbar")
            else:
                hints.append("")
        self.list.fill([[item.label, site_label(item.site), hint] for item, hint in zip(items, hints, strict=True)])
        pseudonymous = sum(_is_pseudonymous(i) for i in items)
        self.why.setText(f"{plural(pseudonymous, 'pseudonymer Fall', 'pseudonyme Fälle')}: "
                         "ohne Einwilligung sieht der Kreis keine Namen; sie "
                         "zählen mit, die Fallakte führt der Standort." if pseudonymous else "")
        self._selected()

    def selected_item(self) -> DrillItem | None:
        row = self.list.selected_row()
        return self.items[row] if row is not None and row < len(self.items) else None

    def _selected(self) -> None:
        item = self.selected_item()
        self.open_button.setEnabled(item is not None and item.kind == "case" and not _is_pseudonymous(item))
        self.open_button.setToolTip(PSEUDONYM_WHY if item is not None and _is_pseudonymous(item) else "")

    def open_selected(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        if item.kind == "landlord":
            inform(self, f"»{item.label}« ist ein Eintrag der Vermieterkartei (Bereich Vermieter), kein Fall.")
        elif _is_pseudonymous(item):
            inform(self, PSEUDONYM_WHY)
        else:
            open_case(self, self.store, self.user, item.id)


# ---- dashboard -------------------------------------------------------------------------------------------------
class DashboardTab(QWidget, _Background):
    def __init__(self, store: Store, user: CurrentUser) -> None:
        super().__init__()
        self.store, self.user = store, user
        self.period_picker = PeriodPicker()
        self.site_picker = SitePicker(store)
        self.update_button = QPushButton("Akt&ualisieren")
        self.update_button.clicked.connect(self.refresh)
        self.shown = QLabel()
        self.shown.setAccessibleName("Angezeigter Zeitraum")
        self.shown.setWordWrap(True)
        self.tiles = Tiles()
        self.tiles.clicked.connect(lambda key: self.drill(key, None))
        own = SiteCode(store.info.site_code)
        self.charts = {
            "by_month": BarChart("Haushalte und neue Fälle je Monat", "Monat", ("households", "new_cases")),
            "by_site": BarChart("Je Standort", "Standort", ("households", "new_cases", "prevented"),
                                only_rows=None if own.is_district else (own.value,)),
            "by_municipality": BarChart("Haushalte je Gemeinde", "Gemeinde", ("households",), horizontal=True),
            "by_category": BarChart("Haushalte je Wohnungsnotfall-Kategorie", "Kategorie", ("households",),
                                    horizontal=True),
        }
        chart_page = QWidget()
        grid = QGridLayout(chart_page)
        grid.setContentsMargins(0, 0, 0, 0)
        for n, chart in enumerate(self.charts.values()):
            chart.bar_clicked.connect(self._cell)
            grid.addWidget(chart, n // 2, n % 2)
        self.tables = TablesPanel("Kennzahlen", "Ein Klick auf eine Zahl zeigt die Fälle dahinter.")
        self.tables.cell_clicked.connect(self._cell)
        chart_scroll = QScrollArea()
        chart_scroll.setWidgetResizable(True)
        chart_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        chart_scroll.setWidget(chart_page)
        self.tables.add_fixed_page(chart_scroll, "Dia&gramme")
        self.drilldown = DrillDown(store, user)

        bar = QHBoxLayout()
        bar.addWidget(self.period_picker)
        bar.addWidget(QLabel("Stando&rt:"))
        bar.itemAt(bar.count() - 1).widget().setBuddy(self.site_picker)
        bar.addWidget(self.site_picker)
        bar.addWidget(self.update_button)
        bar.addWidget(self.shown, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tiles)
        left_layout.addWidget(self.tables, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.drilldown)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([760, 270])
        self.drilldown.setMinimumWidth(230)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        self.period_picker.changed.connect(self._inputs_changed)
        self.site_picker.currentIndexChanged.connect(self._inputs_changed)
        self.result: dict[str, ReportTable] | None = None
        self.period: Period | None = None
        self.sites: list[str] | None = None
        self.drill_job: Job | None = None

    def refresh(self) -> None:
        if self.busy:
            return
        try:
            period = self.period_picker.period()
        except WhhError as exc:
            show_error(self, exc)
            return
        sites = self.site_picker.sites()
        self.update_button.setEnabled(False)

        def compute() -> list[ReportTable]:
            return reports.indicators_for(self.store, self.user, period.von, period.bis, sites)

        self.start_job("Kennzahlen werden berechnet …", compute, lambda tables: self._show(period, sites, tables),
                       after=lambda: self.update_button.setEnabled(True))

    def _inputs_changed(self) -> None:
        if self.result is not None:
            self.shown.setText("Zeitraum oder Standort geändert: »Aktualisieren« zeigt die Zahlen dazu.")

    def _show(self, period: Period, sites: list[str] | None, tables: list[ReportTable]) -> None:
        self.period, self.sites = period, sites
        self.result = {t.key: t for t in tables}
        where = self.site_picker.currentText()
        self.shown.setText(f"{period.label} ({fmt_date(period.von)} bis {fmt_date(period.bis)}), {where}")
        self.tiles.show_overview(self.result["overview"])
        for key, chart in self.charts.items():
            chart.set_table(self.result.get(key))
        self.tables.set_tables(tables)

    def _cell(self, table: ReportTable, row: Row, column_key: str) -> None:
        if table.dimension == "indicator":
            self.drill(row.key, None)
        elif table.dimension == "baustein":
            if column_key in ("contacts", "cases"):
                self.drill("contacts", None if row is table.totals else ("baustein", row.key),
                           f"Beratungskontakte, {row.cells[0]}")
        elif column_key in INDICATORS:
            label = str(row.cells[0]) if row is not table.totals else "insgesamt"
            self.drill(column_key, None if row is table.totals else (table.dimension or "", row.key),
                       f"{INDICATORS[column_key].label}, {label}")

    def drill(self, key: str, cell: tuple[str, str] | None, title: str | None = None) -> None:
        if self.period is None or (self.drill_job is not None and self.drill_job.isRunning()):
            return
        period, sites = self.period, self.sites
        title = title or INDICATORS[key].label

        def find(_progress: object, _cancelled: object) -> list[DrillItem]:
            return reports.drilldown_for(self.store, self.user, key, period.von, period.bis, sites, cell)

        self.drill_job = LongOp(self, "Fälle werden gesucht …", find) \
            .success(lambda items: self.drilldown.show_items(title, items)).run()


# ---- Stichtag --------------------------------------------------------------------------------------------------
class StichtagTab(QWidget, _Background):
    def __init__(self, store: Store, user: CurrentUser, today: date | None = None) -> None:
        super().__init__()
        self.store, self.user = store, user
        today = today or date.today()
        self.art = QComboBox()
        self.art.setAccessibleName("Statistik")
        self.art.addItem("NRW-Wohnungsnotfallberichterstattung (Stichtag 30.06.)", "nrw")
        self.art.addItem("Wohnungslosenberichterstattung nach WoBerichtsG (Stichtag 31.01.)", "wobericht")
        self.year = QSpinBox()
        self.year.setAccessibleName("Jahr")
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year if today >= date(today.year, 6, 30) else today.year - 1)
        self.art.currentIndexChanged.connect(self._default_year)
        self.site_picker = SitePicker(store)
        self.run_button = QPushButton("Berech&nen")
        self.run_button.clicked.connect(self.refresh)
        self.shown = QLabel()
        self.shown.setAccessibleName("Stichtag")
        self.shown.setWordWrap(True)
        self.tables = TablesPanel("Stichtag")
        bar = QHBoxLayout()
        label = QLabel("Stat&istik:")
        label.setBuddy(self.art)
        for widget in (label, self.art, QLabel("Jahr:"), self.year, self.site_picker, self.run_button):
            bar.addWidget(widget)
        bar.addWidget(self.shown, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tables, 1)
        self.today = today
        self.result: list[ReportTable] | None = None

    def _default_year(self) -> None:
        day = date(self.today.year, 6, 30) if self.art.currentData() == "nrw" else date(self.today.year, 1, 31)
        self.year.setValue(self.today.year if self.today >= day else self.today.year - 1)

    def refresh(self) -> None:
        if self.busy:
            return
        art, year, sites = self.art.currentData(), self.year.value(), self.site_picker.sites()
        day = date(year, 6, 30) if art == "nrw" else date(year, 1, 31)
        self.run_button.setEnabled(False)

        def compute() -> list[ReportTable]:
            return reports.stichtag_for(self.store, self.user, art, year, sites)

        self.start_job("Stichtagsstatistik wird berechnet …", compute, lambda t: self._show(day, t),
                       after=lambda: self.run_button.setEnabled(True))

    def _show(self, day: date, tables: list[ReportTable]) -> None:
        self.result = tables
        self.shown.setText(f"Stichtag {fmt_date(day)}, {self.site_picker.currentText()}")
        self.tables.export_name = f"Stichtag_{day:%Y-%m-%d}"
        self.tables.set_tables(tables)


# ---- Sachbericht -----------------------------------------------------------------------------------------------
class SachberichtTab(QWidget, _Background):
    def __init__(self, store: Store, user: CurrentUser) -> None:
        super().__init__()
        self.store, self.user = store, user
        self.period_picker = PeriodPicker()
        self.period_picker.kind.setCurrentIndex(self.period_picker.kind.findData("quarter"))
        self.site_picker = SitePicker(store)
        self.texts: dict[str, QPlainTextEdit] = {}
        form = QFormLayout()
        for b in Baustein:
            edit = QPlainTextEdit()
            edit.setAccessibleName(f"Baustein {b.label}")
            edit.setPlaceholderText("Was im Zeitraum geschah, Erfolge, Schwierigkeiten …")
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(70)
            self.texts[b.value] = edit
            form.addRow(QLabel(f"<b>{b.label}</b>"))
            form.addRow(edit)
        holder = QWidget()
        holder.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        self.preview_button = QPushButton("&Vorschau")
        self.preview_button.clicked.connect(self.preview)
        self.save_button = QPushButton("Als &PDF speichern…")
        self.save_button.clicked.connect(self.save)
        self.print_button = QPushButton("Dr&ucken…")
        self.print_button.clicked.connect(self.print_)
        note = QLabel("Der Sachbericht geht an den Fördergeber: Anzahlen von 1 und 2 erscheinen darin als »< 3«. "
                      "Briefkopf aus den Einstellungen des Standorts.")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.state = QLabel()
        self.state.setAccessibleName("Stand der Vorschau")
        self.pdf_view = PdfPreview("Vorschau Sachbericht")
        top = QHBoxLayout()
        top.addWidget(self.period_picker)
        top.addWidget(self.site_picker)
        top.addStretch()
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.save_button, self.print_button):
            buttons.addWidget(button)
        buttons.addStretch()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(QLabel("Freitext je Baustein:"))
        left_layout.addWidget(scroll, 1)
        left_layout.addLayout(buttons)
        left_layout.addWidget(note)
        left_layout.addWidget(self.state)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.pdf_view)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.pdf: bytes | None = None
        self._pdf_for: tuple | None = None

    def refresh(self) -> None:
        """Nothing to load: the Sachbericht renders on request."""

    def _parameters(self) -> tuple[Period, list[str] | None, dict[str, str]]:
        texts = {key: edit.toPlainText().strip() for key, edit in self.texts.items()}
        return self.period_picker.period(), self.site_picker.sites(), texts

    @staticmethod
    def _signature(period: Period, sites: Sequence[str] | None, texts: dict[str, str]) -> tuple:
        return period.von, period.bis, tuple(sites or ()), tuple(sorted(texts.items()))

    def _with_pdf(self, then: Callable[[bytes], None] | None = None) -> None:
        """Render (in the background) unless the preview already shows these inputs, then ``then(pdf)``."""
        try:
            period, sites, texts = self._parameters()
        except WhhError as exc:
            show_error(self, exc)
            return
        signature = self._signature(period, sites, texts)
        if self.pdf is not None and self._pdf_for == signature:
            if then is not None:
                then(self.pdf)
            return
        if self.busy:
            return

        def render() -> bytes:
            return reports.sachbericht_pdf(self.store, self.user, period.von, period.bis, texts, sites)

        def rendered(pdf: bytes) -> None:
            self.pdf, self._pdf_for = pdf, signature
            self.pdf_view.show_pdf(pdf)
            self.state.setText(f"Vorschau: Sachbericht {period.label}, {self.pdf_view.page_count} Seite(n)")
            if then is not None:
                then(pdf)

        self.preview_button.setEnabled(False)
        self.start_job("Sachbericht wird erstellt …", render, rendered,
                       after=lambda: self.preview_button.setEnabled(True))

    def preview(self) -> None:
        self._with_pdf()

    def _name(self) -> str:
        period = self.period_picker.period()
        return f"Sachbericht_{period.von:%Y-%m-%d}_{period.bis:%Y-%m-%d}.pdf"

    def save(self) -> None:
        def write(pdf: bytes) -> None:
            path = printing.save_pdf(self, pdf, self._name())
            if path is not None:
                self.state.setText(f"Gespeichert: {path}")

        self._with_pdf(write)

    def print_(self) -> None:
        self._with_pdf(lambda pdf: printing.print_pdf(self, pdf, "Sachbericht"))


# ---- data quality ----------------------------------------------------------------------------------------------
class QualityTab(QWidget, _Background):
    def __init__(self, store: Store, user: CurrentUser) -> None:
        super().__init__()
        self.store, self.user = store, user
        self.site_picker = SitePicker(store)
        self.site_picker.currentIndexChanged.connect(self.refresh)
        self.count = QLabel()
        self.count.setAccessibleName("Anzahl")
        self.open_button = QPushButton("Fall ö&ffnen")
        self.open_button.clicked.connect(self.open_selected)
        hint = "Doppelklick oder »Fall öffnen«: die fehlende Angabe nachtragen."
        if SiteCode(store.info.site_code).is_district:
            hint = ("Doppelklick oder »Fall öffnen«: der Fall zum Lesen; nachtragen kann nur der Standort, der ihn "
                    "führt.")
        self.tables = TablesPanel("Datenqualitaet", hint)
        self.tables.row_activated.connect(lambda _t, row: self._open(row))
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Fälle, denen Angaben für die Berichte fehlen (Altersgruppe, Gemeinde, Stichtag):"))
        bar.addWidget(self.site_picker)
        bar.addWidget(self.count, 1)
        bar.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tables, 1)
        self.table: ReportTable | None = None
        listen(self, wants(CASE_FILE), self.refresh_when_idle)  # a missing detail filled in a case file

    @property
    def list(self) -> ReadOnlyTable | None:
        return self.tables.views.get(self.table.key) if self.table is not None else None

    def refresh(self) -> None:
        if self.busy:
            return
        sites = self.site_picker.sites()

        def compute() -> ReportTable:
            return reports.data_quality_for(self.store, self.user, sites)

        self.start_job("Datenqualität wird geprüft …", compute, self._show)

    def _show(self, table: ReportTable) -> None:
        self.table = table
        self.count.setText(f"{plural(len(table.rows), 'Fall', 'Fälle')} mit fehlenden Angaben" if table.rows
                           else "Keine fehlenden Angaben.")
        self.tables.set_tables([table])

    def open_selected(self) -> None:
        view = self.list
        row = view.selected_row() if view is not None else None
        if view is not None and row is not None and row < len(view.rows):
            self._open(view.rows[row])

    def _open(self, row: Row) -> None:
        try:
            case_id = uuid.UUID(row.key)
        except ValueError:  # "pseudonym:<site>:<pseudonym>": the district holds no case file for it
            inform(self, "Dieser Datensatz liegt dem Kreis nur pseudonym vor (ohne Einwilligung der beratenen "
                         "Person). Die fehlende Angabe ergänzt der Standort in seiner Fallakte.")
            return
        open_case(self, self.store, self.user, case_id)  # what was filled in there refreshes the list (listen)


# ---- the area --------------------------------------------------------------------------------------------------
class ReportsView(QWidget):
    def __init__(self, store: Store, user: CurrentUser, shell: Shell | None = None) -> None:
        super().__init__()
        self.dashboard = DashboardTab(store, user)
        self.stichtag = StichtagTab(store, user)
        self.sachbericht = SachberichtTab(store, user)
        self.quality = QualityTab(store, user)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.dashboard, "&Kennzahlen")
        self.tabs.addTab(self.stichtag, "S&tichtag")
        self.tabs.addTab(self.sachbericht, "Sach&bericht")
        self.tabs.addTab(self.quality, "Daten&qualität")
        self.tabs.addTab(ArbeitskreisTab(store, user), "Arb&eitskreis")  # issue 08: Anträge, Widersprüche
        self.tabs.currentChanged.connect(lambda _i: self._first_show())
        self.loaded: set[int] = set()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def _first_show(self) -> None:
        """Each tab computes when first shown; later only on "Aktualisieren"/"Berechnen"."""
        index = self.tabs.currentIndex()
        if index not in self.loaded:
            self.loaded.add(index)
            self.tabs.currentWidget().refresh()

    def refresh(self) -> None:
        self._first_show()
