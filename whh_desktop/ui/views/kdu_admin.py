"""KdU-Tabelle (district): the table versions, the limits of one version, a new version with ``valid_from`` and
the end of a version. Gaps and overlaps are refused in German inside the form, with everything typed kept. Beside
them (``kdu_rules.py``): the warning about an old table, the Karenzzeit rules and the Amtsgerichte."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain import kdu
from whh_desktop.core.domain.changes import Aggregate
from whh_desktop.core.domain.formatting import fmt_date, fmt_money, fmt_number, plural
from whh_desktop.core.domain.validation import parse_money
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import kdu_tables, rules_views
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import modal
from whh_desktop.ui.dialogs.case_forms import DateField, FormDialog
from whh_desktop.ui.ops import listen, wants
from whh_desktop.ui.views.kdu_rules import CourtsBox, KarenzzeitRulesBox, TableAgeBox
from whh_desktop.ui.widgets.fields import line_edit
from whh_desktop.ui.widgets.tables import ReadOnlyTable


def limit_headers(table: kdu.KduTable) -> list[str]:
    sizes = max((len(a.limits) for a in table.areas), default=0)
    return (["Vergleichsraum", "Gemeinden"] + [plural(n, "Person", "Personen") for n in range(1, sizes + 1)]
            + ["je weitere Person"])


def limit_rows(table: kdu.KduTable) -> list[list[str]]:
    return [[a.name, ", ".join(a.municipalities), *(fmt_money(v) for v in a.limits),
             fmt_money(a.per_further_person)] for a in table.areas]


class KduVersionDialog(FormDialog):
    """A new table version: label, valid from (and until), and the limits, prefilled from the newest version."""

    TITLE = "Neue Version der KdU-Tabelle"

    def __init__(self, save: Callable[[kdu.KduTable], object], base: kdu.KduTable,
                 parent: QWidget | None = None) -> None:
        self.base = base
        super().__init__(save, parent)
        self.setMinimumWidth(900)

    def build(self) -> None:
        hint = QLabel("Die neue Version gilt ab dem gewählten Tag; die bisherige gilt bis zum Tag davor weiter und "
                      "bleibt für ältere Prüfungen erhalten. Beträge sind Bruttokaltmieten in Euro im Monat.")
        hint.setWordWrap(True)
        self.form.addRow(hint)
        self.label = self.row("&Bezeichnung", "label", line_edit("Bezeichnung",
                                                                 placeholder="z. B. Richtwerte ab 01.01.2026"))
        self.valid_from = self.row("Gültig &ab", "valid_from", DateField("Gültig ab", "valid_from", required=True))
        self.valid_until = self.row("Gültig b&is", "valid_until", DateField("Gültig bis", "valid_until"))
        self.source = self.row("&Quelle", "source", line_edit("Quelle", text=self.base.source,
                                                              placeholder="z. B. Konzept des Kreises"))
        headers = limit_headers(self.base)
        self.limits = QTableWidget(len(self.base.areas), len(headers))
        self.limits.setHorizontalHeaderLabels(headers)
        self.limits.setAccessibleName("Grenzwerte je Vergleichsraum und Haushaltsgröße")
        self.limits.verticalHeader().setVisible(False)
        self.limits.setTabKeyNavigation(True)  # Tab moves through the cells while editing
        self.limits.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        for r, area in enumerate(self.base.areas):
            for c, text in enumerate([area.name, ", ".join(area.municipalities),
                                      *(fmt_money(v, unit=False) for v in (*area.limits, area.per_further_person))]):
                item = QTableWidgetItem(text)
                self.limits.setItem(r, c, item)
        self.limits.resizeColumnsToContents()
        self.limits.setMinimumHeight(170)
        self.row("&Grenzwerte", "limits", self.limits)
        self.fields["areas"] = self.limits

    def cell(self, row: int, col: int) -> str:
        item = self.limits.item(row, col)
        return item.text().strip() if item else ""

    def value(self) -> kdu.KduTable:
        areas = []
        for r in range(self.limits.rowCount()):
            name = self.cell(r, 0)
            munis = tuple(m.strip() for m in self.cell(r, 1).split(",") if m.strip())
            values = []
            for c in range(2, self.limits.columnCount()):
                header = self.limits.horizontalHeaderItem(c).text()
                text = self.cell(r, c)
                if not text:
                    raise InvalidInput(f"Im Vergleichsraum »{name}« fehlt der Wert für {header}.", "limits")
                values.append(parse_money(text, "limits", f"{name}, {header}"))
            areas.append(kdu.Vergleichsraum(name, munis, tuple(values[:-1]), values[-1]))
        return dataclasses.replace(self.base, label=self.label.text().strip(), valid_from=self.valid_from.value(),
                                   valid_until=self.valid_until.value(), source=self.source.text().strip(),
                                   areas=tuple(areas))


class EndVersionDialog(FormDialog):
    """Set (or clear) the last day of a version."""

    TITLE = "Ende der Tabellenversion"

    def __init__(self, save: Callable[[date | None], object], version: kdu_tables.KduVersionRow,
                 parent: QWidget | None = None) -> None:
        self.version = version
        super().__init__(save, parent)

    def build(self) -> None:
        text = QLabel(f"»{self.version.label}«, gültig ab {fmt_date(self.version.valid_from)}. Leer lassen: gilt, "
                      "bis die nächste Version beginnt.")
        text.setWordWrap(True)
        self.form.addRow(text)
        self.until = self.row("Gültig &bis", "valid_until",
                              DateField("Gültig bis", "valid_until", self.version.valid_until))
        self.fields["valid_from"] = self.until  # a gap or overlap is about this date

    def value(self) -> date | None:
        return self.until.value()


class KduTab(QWidget):
    def __init__(self, store: Store, user: CurrentUser) -> None:
        super().__init__()
        self.store, self.user = store, user
        self.versions_table = ReadOnlyTable(["Bezeichnung", "Gültig ab", "Gültig bis", "Gilt heute"],
                                            "Versionen der KdU-Tabelle", "kdu_versions")
        self.versions_table.setMaximumHeight(170)
        self.versions_table.itemSelectionChanged.connect(self._show_limits)
        self.limits = ReadOnlyTable(["Vergleichsraum"], "Grenzwerte der gewählten Version", "kdu_limits")
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("Angaben zur Version")
        self.add_button = QPushButton("Neue Ver&sion…")
        self.add_button.clicked.connect(self.add_version)
        self.end_button = QPushButton("&Ende setzen…")
        self.end_button.clicked.connect(self.end_version)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("<b>Versionen</b> (alte Versionen bleiben für frühere Prüfungen erhalten)"))
        buttons.addStretch()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.end_button)
        tables = QWidget()
        layout = QVBoxLayout(tables)
        layout.addLayout(buttons)
        layout.addWidget(self.versions_table)
        layout.addWidget(self.detail)
        layout.addWidget(self.limits, 1)
        self.age = TableAgeBox(store, user)
        self.rules = KarenzzeitRulesBox(store, user)
        self.courts = CourtsBox(store, user)
        self.parts = QTabWidget()
        self.parts.setAccessibleName("Teile der KdU-Seite")
        self.parts.addTab(tables, "Richtwer&te")
        self.parts.addTab(self.rules, "Karen&zzeit-Regeln")
        self.parts.addTab(self.courts, "Amtsgeri&chte")
        outer = QVBoxLayout(self)
        outer.addWidget(self.age)
        outer.addWidget(self.parts, 1)
        listen(self, wants(Aggregate.KDU_TABLES), self._refresh_versions)
        self.refresh()

    def refresh(self) -> None:
        """Everything on the page (when the page is opened)."""
        self.age.refresh()
        self.rules.refresh()
        self.courts.refresh()
        self._refresh_versions()

    def _refresh_versions(self) -> None:
        found = rules_views.kdu_versions(self.store, self.user)
        self.versions, current = found.versions, found.current_from
        self.versions_table.fill([[v.label, fmt_date(v.valid_from), fmt_date(v.valid_until) if v.valid_until else
                                   "offen", "ja" if v.valid_from == current else ""] for v in self.versions])
        if self.versions_table.selected_row() is None:
            self._select_newest()
        self._show_limits()

    def _select_newest(self) -> None:
        if self.versions:
            self.versions_table.selectRow(len(self.versions) - 1)

    def selected(self) -> kdu_tables.KduVersionRow | None:
        row = self.versions_table.selected_row()
        return self.versions[row] if row is not None and row < len(self.versions) else None

    def _show_limits(self) -> None:
        version = self.selected()
        self.end_button.setEnabled(version is not None)
        if version is None:
            self.limits.setRowCount(0)
            self.detail.setText("")
            return
        table = version.table
        headers = limit_headers(table)
        self.limits.setColumnCount(len(headers))
        self.limits.setHorizontalHeaderLabels(headers)
        self.limits.fill(limit_rows(table))
        surcharges = ", ".join(f"{s.label} ({fmt_money(s.amount)} + {fmt_number(s.basis_points / 100)} %)"
                               for s in table.surcharges) or "keine"
        self.detail.setText(f"<b>{table.version}</b>; angemessene Wohnfläche {table.first_person_m2} m² + "
                            f"{table.per_further_person_m2} m² je weitere Person; Zuschläge: {surcharges}"
                            + (f"; Quelle: {table.source}" if table.source else ""))

    def add_version(self) -> None:
        base = self.versions[-1].table if self.versions else kdu_tables.seed_table()
        if modal.accepted(KduVersionDialog(lambda t: kdu_tables.add_version(self.store, self.user, t), base, self)):
            self.versions_table.clearSelection()  # the broadcast refilled the list (and the age warning)
            self._select_newest()

    def end_version(self) -> None:
        version = self.selected()
        if version is not None:
            modal.accepted(EndVersionDialog(
                lambda until: kdu_tables.end_version(self.store, self.user, version.id, until), version, self))
