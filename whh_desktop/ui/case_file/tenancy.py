"""The part »Miete und Räumung«: eviction proceedings (a list with a detail pane; Enter or a double-click opens
the selected one for editing), the rent ledger and the § 543 BGB termination risk."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from whh_desktop.core.domain.enums import TerminationKind
from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.domain.legal_state import CureMethod
from whh_desktop.core.services import casework
from whh_desktop.core.services.case_file import CaseFile
from whh_desktop.core.services.case_file_views import ProceedingView
from whh_desktop.ui import modal
from whh_desktop.ui.case_file.overview import money
from whh_desktop.ui.case_file.panel import (
    CasePanel,
    DetailPane,
    button,
    button_row,
    enum_label,
    fill_by_id,
    open_on_enter,
    stretch,
)
from whh_desktop.ui.dialogs.case_forms import EvictionDialog, RentEntryDialog
from whh_desktop.ui.dialogs.kdu_check import KduCheckDialog, case_rent
from whh_desktop.ui.widgets.tables import ReadOnlyTable

NO_RISK_YET = ("Noch keine Monate im Mietkonto erfasst (und eine Miete im Fall nötig), um das Kündigungsrisiko zu "
               "berechnen.")


class TenancyPanel(CasePanel):
    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.proceedings = ReadOnlyTable(["Kündigung", "Art", "Klage zugestellt", "Verhandlung", "Räumung",
                                          "Aktenzeichen Gericht"], "Räumungsverfahren", "proceedings")
        self.rent = ReadOnlyTable(["Fällig am", "Soll", "Gezahlt", "Rückstand"], "Mietkonto", "rent")
        self.risk = QLabel()
        self.risk.setWordWrap(True)
        self.risk.setAccessibleName("Kündigungsrisiko")
        self.detail = DetailPane("Räumungsverfahren im Einzelnen")
        self.add_eviction_button = button("Räumungsverfahren &erfassen…", lambda: self.edit_eviction(None))
        self.edit_eviction_button = button("&Bearbeiten…",
                                           lambda: self.edit_eviction(self.proceedings.selected_row()))
        self.kdu_button = button("KdU &prüfen…", self.check_kdu)
        self.add_rent_button = button("&Monat im Mietkonto erfassen…", self.add_rent_entry)
        ledger = QWidget()
        below = QVBoxLayout(ledger)
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(QLabel("<b>Mietkonto</b> (für das Kündigungsrisiko nach § 543 BGB)"))
        below.addLayout(button_row(self.add_rent_button))
        below.addWidget(self.rent, 1)
        below.addWidget(self.risk)
        stretch(self.proceedings, 5)
        beside = QSplitter(Qt.Orientation.Horizontal)  # the proceeding in full beside the rent ledger
        beside.setChildrenCollapsible(False)
        beside.addWidget(self.detail)
        beside.addWidget(ledger)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.proceedings)
        splitter.addWidget(beside)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(button_row(self.add_eviction_button, self.edit_eviction_button, self.kdu_button))
        layout.addWidget(splitter, 1)
        self.proceedings.itemSelectionChanged.connect(self._selection_changed)
        open_on_enter(self.proceedings, self.open_selected)

    def fill(self, cf: CaseFile) -> None:
        fill_by_id(self.proceedings, [[fmt_date(x.termination_on), enum_label(TerminationKind, x.termination_kind),
                                       fmt_date(x.suit_served_on), fmt_date(x.hearing_on), fmt_date(x.eviction_on),
                                       x.court_file_no or ""] for x in cf.proceedings],
                   [x.id for x in cf.proceedings])
        self.rent.fill([[fmt_date(r.due_on), money(r.amount_due), money(r.amount_paid), money(r.arrears)]
                        for r in cf.rent_entries])
        self.risk.setText(cf.risk.explanation if cf.risk else NO_RISK_YET)

    def enable(self) -> None:
        editable = self.data is not None and self.data.editable
        self.add_eviction_button.setEnabled(editable)
        self.add_rent_button.setEnabled(editable)
        self.edit_eviction_button.setEnabled(editable and self.selected() is not None)

    def _selection_changed(self) -> None:
        if self.data is not None:
            self.enable()
            self.show_detail()

    def selected(self) -> ProceedingView | None:
        row = self.proceedings.selected_row()
        return self.data.proceedings[row] if self.data and row is not None and row < len(self.data.proceedings) \
            else None

    def show_detail(self) -> None:
        x = self.selected()
        if x is None:
            self.detail.show_text("Ein Räumungsverfahren auswählen, um es hier vollständig zu sehen."
                                  if self.data and self.data.proceedings else "Kein Räumungsverfahren erfasst.")
            return
        self.detail.show_fields([
            ("Kündigung", " – ".join(v for v in (fmt_date(x.termination_on),
                                                 enum_label(TerminationKind, x.termination_kind)) if v)),
            ("Klage eingereicht", fmt_date(x.suit_filed_on)), ("Klage zugestellt", fmt_date(x.suit_served_on)),
            ("Verhandlung", fmt_date(x.hearing_on)), ("Räumungstermin", fmt_date(x.eviction_on)),
            ("Gericht", x.court or ""), ("Aktenzeichen", x.court_file_no or ""),
            ("Frühere Schonfrist genutzt am", fmt_date(x.previous_cure_on)),
            ("Schonfrist genutzt", " – ".join(v for v in (fmt_date(x.cure_used_on),
                                                          enum_label(CureMethod, x.cure_method)) if v)),
            ("Mitteilung des Gerichts erhalten", fmt_date(x.notice_received_on)),
            ("Miete laut Mitteilung", money(x.notice_rent) if x.notice_rent is not None else ""),
            ("Rückstand laut Mitteilung", money(x.notice_arrears) if x.notice_arrears is not None else ""),
            ("Notiz", x.note or "")])

    def open_selected(self) -> None:
        if self.edit_eviction_button.isEnabled():
            self.edit_eviction(self.proceedings.selected_row())

    def edit_eviction(self, row: int | None) -> None:
        assert self.data is not None
        existing = self.data.proceedings[row] if row is not None else None

        def save(data: casework.EvictionData) -> object:
            return casework.save_eviction(self.store, self.user, self.case_id, data, existing.id if existing else None)

        modal.run_modal(EvictionDialog(save, existing, self, court_proposal=self.data.court_proposal,
                                       tenancy=self.data.tenancy))

    def check_kdu(self) -> None:
        """The KdU check of the current flat with the Karenzzeit rule from the recorded benefit start."""
        assert self.data is not None
        c = self.data.case
        values = case_rent(self.store, self.case_id, c.municipality, 1 + len(self.data.household), c.cold_rent,
                           c.utilities, c.heating)
        modal.run_modal(KduCheckDialog(self.store, self.user, values, f"KdU-Prüfung – {self.data.title}", self))

    def add_rent_entry(self) -> None:
        modal.run_modal(RentEntryDialog(lambda v: casework.add_rent_entry(self.store, self.user, self.case_id, *v),
                                        self))
