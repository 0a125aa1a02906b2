"""The proposals of one case (Wohnungsvorschläge) with their steps; shown in the case file and in Wohnungssuche."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from whh_desktop.core.domain.formatting import fmt_date, fmt_money
from whh_desktop.core.domain.housing import ProposalStep
from whh_desktop.core.services import case_file, proposals
from whh_desktop.core.services.case_file_views import ProposalView
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui.dialogs.housing_search import ProposalStepDialog
from whh_desktop.ui.modal import accepted
from whh_desktop.ui.ops import listen
from whh_desktop.ui.widgets.tables import ReadOnlyTable

STEP_BUTTONS = ((ProposalStep.BESICHTIGUNG, "&Besichtigung…"), (ProposalStep.ZUSAGE, "&Zusage…"),
                (ProposalStep.ABSAGE, "Absa&ge…"), (ProposalStep.MIETVERTRAG, "&Mietvertrag unterschrieben…"))


def _state(p: ProposalView) -> str:
    step = ProposalStep(p.step)
    if step is ProposalStep.ABSAGE:
        return f"Absage {fmt_date(p.declined_on)}: {p.decline_reason or ''}"
    if step is ProposalStep.MIETVERTRAG:
        return f"Mietvertrag {fmt_date(p.lease_signed_on)}"
    if step is ProposalStep.ZUSAGE:
        return f"Zusage {fmt_date(p.accepted_on)}"
    if step is ProposalStep.BESICHTIGUNG:
        return f"Besichtigung {fmt_date(p.viewing_on)}"
    return "vorgeschlagen"


class ProposalsPanel(QWidget):
    """The case file hands it the read model's proposals (``show_rows``); the Wohnungssuche lets it read them
    (``show_case``). A step is an operation (its broadcast refreshes the case file); ``changed`` tells the
    Wohnungssuche view, which still reloads by hand."""

    changed = Signal()

    def __init__(self, store: Store, user: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.user = store, user
        self.case_id: uuid.UUID | None = None
        self.items: list[ProposalView] = []
        self.read_only = False  # another site's case: shown, never changed
        self.table = ReadOnlyTable(["Vorgeschlagen", "Wohnung", "Vermieter", "Bruttokalt", "Stand"],
                                   "Wohnungsvorschläge", "proposals")
        self.table.itemSelectionChanged.connect(self._enable)
        self.buttons: dict[ProposalStep, QPushButton] = {}
        row = QHBoxLayout()
        for step, text in STEP_BUTTONS:
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, s=step: self.record(s))
            self.buttons[step] = button
            row.addWidget(button)
        row.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.table)
        self.reads_itself = False  # set by show_case: then a broadcast about the case re-reads the rows
        listen(self, lambda ch: self.reads_itself and self.case_id is not None and ch.touches_case(self.case_id),
               lambda: self.show_case(self.case_id))
        self._enable()

    def show_case(self, case_id: uuid.UUID | None) -> None:
        self.show_rows(case_id, case_file.case_proposals(self.store, self.user, case_id) if case_id else [])
        self.reads_itself = True

    def show_rows(self, case_id: uuid.UUID | None, rows: list[ProposalView]) -> None:
        self.case_id, self.items, self.reads_itself = case_id, list(rows), False
        self.table.fill([[fmt_date(p.proposed_on), p.offer_address, p.landlord_name, fmt_money(p.gross_rent),
                          _state(p)] for p in self.items], tooltips=[p.note or "" for p in self.items])
        self._enable()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self._enable()

    def selected(self) -> ProposalView | None:
        row = self.table.selected_row()
        return self.items[row] if row is not None and row < len(self.items) else None

    def _enable(self) -> None:
        p = self.selected()
        final = p is None or p.final or self.read_only
        for step, button in self.buttons.items():
            button.setEnabled(not final and (step is ProposalStep.ABSAGE or step.value != p.step))

    def record(self, step: ProposalStep) -> None:
        p = self.selected()
        if p is None:
            return

        def save(value: tuple) -> None:
            chosen, on, reason, note = value
            proposals.advance(self.store, self.user, p.id, chosen, on, reason=reason, note=note)

        if accepted(ProposalStepDialog(save, step, p, self)):
            self.changed.emit()
