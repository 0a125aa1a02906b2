"""The tab »Miete und Räumung«: eviction proceedings, the rent ledger and the § 543 BGB termination risk."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout

from whh_desktop.core.domain.enums import TerminationKind
from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.services import casework
from whh_desktop.core.services.case_file import CaseFile
from whh_desktop.ui import modal
from whh_desktop.ui.case_file.overview import money
from whh_desktop.ui.case_file.panel import CasePanel, button, button_row, enum_label
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
        self.add_eviction_button = button("Räumungsverfahren &erfassen…", lambda: self.edit_eviction(None))
        self.edit_eviction_button = button("&Bearbeiten…",
                                           lambda: self.edit_eviction(self.proceedings.selected_row()))
        self.kdu_button = button("KdU &prüfen…", self.check_kdu)
        self.add_rent_button = button("&Monat im Mietkonto erfassen…", self.add_rent_entry)
        layout = QVBoxLayout(self)
        layout.addLayout(button_row(self.add_eviction_button, self.edit_eviction_button, self.kdu_button))
        layout.addWidget(self.proceedings, 2)
        layout.addWidget(QLabel("<b>Mietkonto</b> (für das Kündigungsrisiko nach § 543 BGB)"))
        layout.addLayout(button_row(self.add_rent_button))
        layout.addWidget(self.rent, 2)
        layout.addWidget(self.risk)
        self.proceedings.itemSelectionChanged.connect(lambda: self.data and self.enable())

    def fill(self, cf: CaseFile) -> None:
        self.proceedings.fill([[fmt_date(x.termination_on), enum_label(TerminationKind, x.termination_kind),
                                fmt_date(x.suit_served_on), fmt_date(x.hearing_on), fmt_date(x.eviction_on),
                                x.court_file_no or ""] for x in cf.proceedings])
        self.rent.fill([[fmt_date(r.due_on), money(r.amount_due), money(r.amount_paid), money(r.arrears)]
                        for r in cf.rent_entries])
        self.risk.setText(cf.risk.explanation if cf.risk else NO_RISK_YET)

    def enable(self) -> None:
        editable = self.data is not None and self.data.editable
        self.add_eviction_button.setEnabled(editable)
        self.add_rent_button.setEnabled(editable)
        self.edit_eviction_button.setEnabled(editable and self.proceedings.selected_row() is not None)

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
