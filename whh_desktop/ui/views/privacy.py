"""Datenschutz: closed cases past their retention period, to be erased (tombstones and statistics stay)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from whh_desktop.core.domain.changes import Aggregate
from whh_desktop.core.domain.formatting import fmt_date, plural
from whh_desktop.core.errors import WhhError
from whh_desktop.core.services import rights
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import messages
from whh_desktop.ui.areas import Shell
from whh_desktop.ui.ops import LongOp, listen, wants
from whh_desktop.ui.widgets.tables import ReadOnlyTable

EXPLANATION = (
    "Abgeschlossene Fälle werden {years} nach Ende des Jahres gelöscht, in dem sie abgeschlossen wurden "
    "(DSG-EKD, Konzept der Stelle; die Frist steht unter Verwaltung → Einstellungen). Beim Löschen werden alle "
    "personenbezogenen Angaben entfernt; es bleiben nur "
    "anonyme Angaben für die Statistik (Kategorie-Verlauf, Daten, Ergebnis, Kommune, Zahl der Kontakte). Eine "
    "Auskunft (Art. 15), die Einschränkung (Art. 18) und die Löschung auf Wunsch stehen in der Fallakte unter "
    "»Datenschutz«.")


class PrivacyView(QWidget):
    def __init__(self, store: Store, user: CurrentUser, shell: Shell | None = None) -> None:
        super().__init__()
        self.store, self.user = store, user
        self.intro = intro = QLabel()
        intro.setWordWrap(True)
        intro.setAccessibleName("Erläuterung")
        self.count = QLabel()
        self.count.setAccessibleName("Anzahl")
        self.table = ReadOnlyTable(["Aktenzeichen", "Abgeschlossen am", "Löschbar ab"],
                                   "Zu löschende Fälle", "retention_table")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.itemSelectionChanged.connect(self._enable)
        self.erase_selected_button = QPushButton("Ausge&wählte löschen…")
        self.erase_selected_button.clicked.connect(lambda: self.erase(selected_only=True))
        self.erase_all_button = QPushButton("A&lle löschen…")
        self.erase_all_button.clicked.connect(lambda: self.erase(selected_only=False))
        buttons = QHBoxLayout()
        buttons.addWidget(self.count)
        buttons.addStretch()
        buttons.addWidget(self.erase_selected_button)
        buttons.addWidget(self.erase_all_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b style='font-size:13pt'>Löschfristen</b>"))
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        # closed, erased or reopened cases; the retention period in the settings
        listen(self, wants(Aggregate.CASES, Aggregate.SETTINGS), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        due = rights.deletion_list(self.store, self.user, date.today())
        years, self.items = due.years, list(due.items)
        self.intro.setText(EXPLANATION.format(years=rights.years_text(years)))
        self.table.fill([[i.case_number, fmt_date(i.closed_on), fmt_date(i.deletable_from)] for i in self.items])
        self.count.setText((f"{plural(len(self.items), 'Fall ist', 'Fälle sind')} zu löschen.") if self.items
                           else "Keine Fälle über der Aufbewahrungsfrist.")
        self._enable()

    def _enable(self) -> None:
        self.erase_selected_button.setEnabled(bool(self.table.selectionModel().selectedRows()))
        self.erase_all_button.setEnabled(bool(self.items))

    def erase(self, selected_only: bool) -> None:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows()) if selected_only \
            else range(len(self.items))
        ids = [self.items[r].case_id for r in rows]
        if not ids or not messages.confirm(
                self, f"{plural(len(ids), 'Fall', 'Fälle')} endgültig löschen? "
                      "Die personenbezogenen Daten werden entfernt; das kann "
                      "nicht rückgängig gemacht werden.", title="Endgültig löschen", yes="Endgültig löschen"):
            return
        try:
            erased = LongOp(self, "Fälle werden gelöscht…", lambda progress, cancelled: rights.erase_due(
                self.store, self.user, ids, progress, cancelled), cancellable=True).run_blocking()
        except WhhError as exc:
            messages.show_error(self, exc)
            self.refresh()  # the cases erased before the refusal are gone: show what is left
            return
        messages.inform(self, f"{erased} von {plural(len(ids), 'Fall', 'Fällen')} gelöscht.")
