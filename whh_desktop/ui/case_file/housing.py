"""The part »Wohnungssuche«: the case's housing search in one line, the free flats that match it best (score and
reasons, as the Wohnungssuche area shows them, with »Vorschlagen…«) and the proposals made to the household."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from whh_desktop.core.domain.changes import Aggregate
from whh_desktop.core.domain.formatting import fmt_date, fmt_money, fmt_number, plural
from whh_desktop.core.domain.housing import SearchStatus
from whh_desktop.core.errors import WhhError
from whh_desktop.core.services import flat_matching, housing_views, proposals
from whh_desktop.core.services.case_file import CaseFile
from whh_desktop.ui import messages
from whh_desktop.ui.case_file.panel import CasePanel, DetailPane, button, button_row, fill_by_id, open_on_enter, stretch
from whh_desktop.ui.dialogs.housing_search import ProposeDialog, edit_search_of_case
from whh_desktop.ui.modal import accepted
from whh_desktop.ui.ops import listen, wants
from whh_desktop.ui.widgets.proposals import ProposalsPanel
from whh_desktop.ui.widgets.tables import ReadOnlyTable

CLOSED_SEARCHES = (SearchStatus.VERSORGT.value, SearchStatus.BEENDET.value)  # nothing to match any more
MATCHES_IN_CASE = 10  # the best few; the Wohnungssuche area lists more
# Besides the case file's own re-read: the matches change with the district's offers and the KdU table.
MATCHING = (Aggregate.FLAT_OFFERS, Aggregate.PROPOSALS, Aggregate.REGISTRY_REQUESTS, Aggregate.REGISTRY_DECISIONS,
            Aggregate.LANDLORDS, Aggregate.KDU_TABLES)


def _number(value: float | None) -> str:
    return fmt_number(value) if value else ""


class HousingPanel(CasePanel):
    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.search_summary = QLabel()
        self.search_summary.setWordWrap(True)
        self.search_summary.setAccessibleName("Wohnungssuche")
        self.search_button = button("Wohnungs&suche…", self.edit_housing_search)
        self.matches = ReadOnlyTable(["Punkte", "Wohnung", "Zimmer", "m²", "Bruttokalt", "Grenze", "frei ab",
                                      "Vermieter", "Hinweis"], "Passende Wohnungen", "case_matches")
        stretch(self.matches, 1)
        self.reasons = DetailPane("Gründe")
        self.propose_button = button("&Vorschlagen…", self.propose)
        self.proposals = ProposalsPanel(self.store, self.user)
        self.found: list[flat_matching.OfferMatch] = []
        matching = QWidget()
        section = QVBoxLayout(matching)
        section.setContentsMargins(0, 0, 0, 0)
        head = button_row(self.propose_button)
        head.insertWidget(0, QLabel("<b>Passende freie Wohnungen</b> (beste zuerst)"))
        section.addLayout(head)
        inner = QSplitter(Qt.Orientation.Horizontal)
        inner.setChildrenCollapsible(False)
        inner.addWidget(self.matches)
        inner.addWidget(self.reasons)
        inner.setStretchFactor(0, 3)
        inner.setStretchFactor(1, 1)
        section.addWidget(inner, 1)
        offered = QWidget()
        below = QVBoxLayout(offered)
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(QLabel("<b>Wohnungsvorschläge</b>"))
        below.addWidget(self.proposals, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(matching)
        splitter.addWidget(offered)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(button_row(self.search_button))
        layout.addWidget(self.search_summary)
        layout.addWidget(splitter, 1)
        self.matches.itemSelectionChanged.connect(self._match_chosen)
        open_on_enter(self.matches, self.propose)
        listen(self, wants(*MATCHING), self.load_matches)

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
                + (f" · Einzug ab {fmt_date(x.earliest_move)}" if x.earliest_move else ""))
        self.proposals.show_rows(self.case_id, cf.proposals)
        self.load_matches()

    def load_matches(self) -> None:
        """The best free flats for the case's newest search (read anew: offers change outside the case)."""
        cf = self.data
        self.found, problem = [], ""
        search = cf.searches[0] if cf is not None and cf.searches else None
        if search is not None and search.status in CLOSED_SEARCHES:
            problem = (f"Die Suche ist abgeschlossen ({SearchStatus(search.status).label}); es werden keine "
                       "Wohnungen mehr gesucht.")
        elif cf is not None and cf.searches:
            try:
                self.found = housing_views.flats_for_search(self.store, self.user, cf.searches[0].id,
                                                            limit=MATCHES_IN_CASE)
            except WhhError as exc:
                problem = str(exc)
        fill_by_id(self.matches, [[str(m.score), m.offer.address, _number(m.offer.rooms),
                                   _number(m.offer.floor_space_m2), fmt_money(m.offer.gross_rent),
                                   fmt_money(m.ceiling),
                                   fmt_date(m.offer.available_from) if m.offer.available_from else "sofort",
                                   m.offer.landlord_name, "schon vorgeschlagen" if m.already_proposed else ""]
                                  for m in self.found], [m.offer.id for m in self.found])
        self._match_chosen(problem)

    def selected_match(self) -> flat_matching.OfferMatch | None:
        row = self.matches.selected_row()
        return self.found[row] if row is not None and row < len(self.found) else None

    def _match_chosen(self, problem: str = "") -> None:
        match = self.selected_match()
        self.enable()
        if match is not None:
            self.reasons.show_fields([("Wohnung", match.offer.address), ("Punkte", str(match.score)),
                                      ("Gründe", "\n".join(f"• {r}" for r in match.reasons))])
        elif problem:
            self.reasons.show_text(problem)
        elif self.data is None or not self.data.searches:
            self.reasons.show_text("Erst eine Wohnungssuche anlegen; dann stehen hier die passenden freien "
                                   "Wohnungen.")
        else:
            self.reasons.show_text("Eine Wohnung auswählen, um die Gründe zu sehen." if self.found else
                                   "Zurzeit passt keine freie Wohnung zu dieser Suche.")

    def enable(self) -> None:
        read_only = self.data is None or self.data.read_only
        self.search_button.setEnabled(not read_only)
        self.proposals.set_read_only(read_only)
        self.propose_button.setEnabled(not read_only and self.selected_match() is not None)

    def propose(self) -> None:
        match, cf = self.selected_match(), self.data
        if match is None or cf is None or not cf.searches or not self.propose_button.isEnabled():
            return
        search_id = cf.searches[0].id
        what = (f"{match.offer.address} ({_number(match.offer.rooms)} Zimmer, {fmt_money(match.offer.gross_rent)} "
                f"brutto kalt) an {cf.person.given_names} {cf.person.family_name} ({cf.case.case_number})")
        accepted(ProposeDialog(lambda v: proposals.propose(self.store, self.user, search_id, match.offer.id, *v),
                               what, self))

    def edit_housing_search(self) -> None:
        try:
            edit_search_of_case(self.store, self.user, self.case_id, self)
        except WhhError as exc:
            messages.show_error(self, exc)
