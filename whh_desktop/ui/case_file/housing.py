"""The tab »Wohnungssuche«: the case's housing search in one line and the proposals made to the household."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout

from whh_desktop.core.domain.formatting import fmt_date, fmt_money, plural
from whh_desktop.core.domain.housing import SearchStatus
from whh_desktop.core.errors import WhhError
from whh_desktop.core.services.case_file import CaseFile
from whh_desktop.ui import messages
from whh_desktop.ui.case_file.panel import CasePanel, button, button_row
from whh_desktop.ui.dialogs.housing_search import edit_search_of_case
from whh_desktop.ui.widgets.proposals import ProposalsPanel


class HousingPanel(CasePanel):
    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.search_summary = QLabel()
        self.search_summary.setWordWrap(True)
        self.search_summary.setAccessibleName("Wohnungssuche")
        self.search_button = button("Wohnungs&suche…", self.edit_housing_search)
        self.proposals = ProposalsPanel(self.store, self.user)
        layout = QVBoxLayout(self)
        layout.addLayout(button_row(self.search_button))
        layout.addWidget(self.search_summary)
        layout.addWidget(QLabel("<b>Wohnungsvorschläge</b>"))
        layout.addWidget(self.proposals, 1)

    def fill(self, cf: CaseFile) -> None:
        if not cf.searches:
            self.search_summary.setText("Für diesen Fall ist keine Wohnungssuche angelegt.")
            self.search_button.setText("Wohnungs&suche anlegen…")
        else:
            x = cf.searches[0]
            self.search_button.setText("Wohnungs&suche bearbeiten…")
            self.search_summary.setText(
                f"Stand: {SearchStatus(x.status).label} · {plural(x.household_size, 'Person', 'Personen')} · "
                f"Kommunen: {', '.join(x.wanted_municipalities or []) or 'alle'} · Höchstmiete: "
                f"{fmt_money(x.max_rent) if x.max_rent else 'KdU-Grenze'}"
                + (f" · Einzug ab {fmt_date(x.earliest_move)}" if x.earliest_move else "")
                + "<br>Passende Wohnungen und Vorschläge: Bereich »Wohnungssuche«.")
        self.proposals.show_rows(self.case_id, cf.proposals)

    def enable(self) -> None:
        read_only = self.data is None or self.data.read_only
        self.search_button.setEnabled(not read_only)
        self.proposals.set_read_only(read_only)

    def edit_housing_search(self) -> None:
        try:
            edit_search_of_case(self.store, self.user, self.case_id, self)
        except WhhError as exc:
            messages.show_error(self, exc)
