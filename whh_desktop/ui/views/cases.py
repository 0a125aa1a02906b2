"""Fälle: search as you type over all cases, filters, the lazy list, the case file on Enter/double-click."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain.changes import Aggregate
from whh_desktop.core.domain.enums import Category, Role
from whh_desktop.core.domain.formatting import fmt_count
from whh_desktop.core.domain.municipalities import MUNICIPALITIES
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.services import cases
from whh_desktop.core.services.cases import CaseFilter
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui.areas import Shell
from whh_desktop.ui.areas import case_workers as case_workers  # the role check now lives with the area list
from whh_desktop.ui.dialogs.case_file import open_case
from whh_desktop.ui.dialogs.intake import IntakeDialog
from whh_desktop.ui.models.case_list import KEY_BATCH, CaseListModel
from whh_desktop.ui.ops import listen, wants


def _combo(name: str, items: list[tuple[str, str | None]]) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    for label, value in items:
        box.addItem(label, value)
    return box


class CasesView(QWidget):
    def __init__(self, store: Store, user: CurrentUser, shell: Shell | None = None) -> None:
        super().__init__()
        self.store, self.user, self.shell = store, user, shell
        self.search = QLineEdit()
        self.search.setObjectName("case_search")
        self.search.setAccessibleName("Suche")
        self.search.setPlaceholderText("Name, Geburtsdatum (12.3.1970), Aktenzeichen oder Telefon – Müller findet "
                                       "auch Mueller und Muller")
        self.search.setClearButtonEnabled(True)
        self.status = _combo("Status", [("laufend (offen + Entwurf)", "active"), ("offen", "open"),
                                        ("Entwürfe", "draft"), ("abgeschlossen", "closed"), ("alle", "all")])
        self.category = _combo("Kategorie", [("alle Kategorien", None)] + [(c.label, c.value) for c in Category])
        self.municipality = _combo("Kommune", [("alle Kommunen", None)] + [(m.name, m.name) for m in MUNICIPALITIES])
        self.counsellor = _combo("Beratung", [("alle Beratenden", None)]
                                 + [(name, login) for login, name in cases.counsellor_names(store, user)])
        self.site = _combo("Standort", [("alle Standorte", None)] + [(s.label, s.value)
                                                                     for s in SiteCode.counselling_sites()])
        self.site.setVisible(store.info.mode == "district")  # the merged view of all sites
        self.model = CaseListModel(self._load_rows, self._more_keys)
        self.table = QTableView()
        self.table.setObjectName("case_table")
        self.table.setAccessibleName("Fälle")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((120, 150, 150, 100, 110, 330, 100)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(self.open_index)
        self.table.activated.connect(self.open_index)
        self.info = QLabel()
        self.info.setAccessibleName("Trefferzahl")
        self.open_button = QPushButton("Fallakte ö&ffnen")
        self.open_button.clicked.connect(self.open_selected)
        self.intake_button = QPushButton("&Neue Aufnahme…")
        self.intake_button.setObjectName("new_intake")
        self.intake_button.clicked.connect(self.new_intake)
        self.intake_button.setVisible(user.role is Role.BERATUNG)  # the district reads, sites take in
        filters = QHBoxLayout()
        for widget in (self.site, self.status, self.category, self.municipality, self.counsellor):
            filters.addWidget(widget)
            widget.currentIndexChanged.connect(self.refresh)
        filters.addStretch()
        bottom = QHBoxLayout()
        bottom.addWidget(self.info, 1)
        bottom.addWidget(self.intake_button)
        bottom.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.search.textChanged.connect(self.refresh)
        self.search.returnPressed.connect(self.open_single_hit)
        # what a row shows: the case, its person, its category (an intake, a closing, a change in the case file)
        listen(self, wants(Aggregate.CASES, Aggregate.PERSONS, Aggregate.CASE_CATEGORIES), self.refresh)
        self.refresh()

    def current_filter(self) -> CaseFilter:
        return CaseFilter(status=self.status.currentData(), category=self.category.currentData(),
                          municipality=self.municipality.currentData(), counsellor=self.counsellor.currentData(),
                          site=self.site.currentData())

    def refresh(self) -> None:
        result = cases.search_cases(self.store, self.user, self.search.text(), self.current_filter(),
                                    limit=KEY_BATCH + 1)
        more = len(result.exact) > KEY_BATCH
        self.model.set_keys(result.exact[:KEY_BATCH], result.phonetic[:KEY_BATCH], more)
        text = (f"mehr als {fmt_count(KEY_BATCH)} Treffer (beim Blättern wird nachgeladen; genauer suchen grenzt ein)"
                if more else f"{fmt_count(len(result.exact))} Treffer")
        if result.phonetic:  # asked like the exact ones: one more than shown tells whether there are more
            count = (f"mehr als {fmt_count(KEY_BATCH)}" if len(result.phonetic) > KEY_BATCH
                     else fmt_count(len(result.phonetic)))
            text += f", dazu kursiv {count} ähnlich klingende"
        self.info.setText(text)
        self.open_button.setEnabled(self.model.rowCount() > 0)

    def _more_keys(self, offset: int) -> list[str]:
        return cases.search_cases(self.store, self.user, self.search.text(), self.current_filter(), limit=KEY_BATCH,
                                  offset=offset).exact

    def _load_rows(self, keys: list[str]) -> list[cases.CaseRow]:
        return cases.case_rows(self.store, self.user, keys)

    def selected_case(self) -> uuid.UUID | None:
        index = self.table.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        return row.id if row else None

    def open_selected(self) -> None:
        case_id = self.selected_case() or (self.model.row_at(0).id if self.model.rowCount() else None)
        if case_id:
            self.open_case(case_id)

    # ---- keyboard (issue 18 point 3) ----------------------------------------------------------------------------
    def focus_search(self) -> bool:
        """Ctrl+F: into the search field, its text selected so typing replaces it."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
        return True

    def open_single_hit(self) -> None:
        """Enter in the search: exactly one case found opens it; otherwise into the list (first row chosen), where
        the arrows choose and Enter opens."""
        if self.model.exact_count == 1:  # similar-sounding names below it are suggestions, not matches
            self.open_index(self.model.index(0, 0))
        elif self.model.rowCount():
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.table.selectRow(0)

    def open_index(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row:
            self.open_case(row.id)

    def new_intake(self) -> None:
        case_id = IntakeDialog.ask(self, self.store, self.user)
        if case_id:
            self.open_case(case_id)

    def open_case(self, case_id: uuid.UUID) -> QDialog:
        """The case file; a draft opens in the intake form first, to be completed. What either changes reaches
        this list (and the badges) through the operations' broadcast."""
        return open_case(self, self.store, self.user, case_id)
