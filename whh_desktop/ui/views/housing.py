"""Wohnungssuche: searching households with their best-matching free flats, and free flats with the households
they suit; proposals and their steps up to the signed lease (Soziale Wohnraumvermittlung)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain.changes import Aggregate
from whh_desktop.core.domain.formatting import fmt_date, fmt_money, fmt_number
from whh_desktop.core.domain.housing import SearchStatus
from whh_desktop.core.domain.municipalities import MUNICIPALITIES
from whh_desktop.core.errors import WhhError
from whh_desktop.core.services import flat_matching, housing_search, housing_views, offers, proposals
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui.areas import Shell
from whh_desktop.ui.dialogs.case_file import open_case
from whh_desktop.ui.dialogs.housing_search import HousingSearchDialog, ProposeDialog
from whh_desktop.ui.modal import accepted
from whh_desktop.ui.ops import listen, wants
from whh_desktop.ui.widgets.proposals import ProposalsPanel
from whh_desktop.ui.widgets.tables import ReadOnlyTable

MATCHES_SHOWN = 50
OFFERS_SHOWN = 500
# What the matches depend on: searches and their cases, offers and their status reports, proposals, the KdU table.
MATCHING = (Aggregate.HOUSING_SEARCHES, Aggregate.FLAT_OFFERS, Aggregate.PROPOSALS, Aggregate.REGISTRY_REQUESTS,
            Aggregate.REGISTRY_DECISIONS, Aggregate.LANDLORDS, Aggregate.CASES, Aggregate.PERSONS,
            Aggregate.HOUSEHOLD_MEMBERS, Aggregate.KDU_TABLES)


def _rooms(value: float | None) -> str:
    return "" if not value else fmt_number(value)


_m2 = _rooms  # German decimal comma for floor space too


def _combo(name: str, items: list[tuple[str, object]]) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    for label, value in items:
        box.addItem(label, value)
    return box


def _section(title: str, *widgets: QWidget, buttons: tuple[QPushButton, ...] = ()) -> QWidget:
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 4, 0, 0)
    head = QHBoxLayout()
    head.addWidget(QLabel(f"<b>{title}</b>"))
    head.addStretch()
    for button in buttons:
        head.addWidget(button)
    layout.addLayout(head)
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, ReadOnlyTable | ProposalsPanel) else 0)
    return holder


class SearchesTab(QWidget):
    """Searching households → the free flats that suit them → proposals."""

    def __init__(self, store: Store, user: CurrentUser) -> None:
        super().__init__()
        self.store, self.user = store, user
        self.status = _combo("Stand der Suche", [(s.label, s.value) for s in SearchStatus] + [("alle", None)])
        self.municipality = _combo("Kommune", [("alle Kommunen", None)] + [(m.name, m.name) for m in MUNICIPALITIES])
        self.status.currentIndexChanged.connect(self.refresh)
        self.municipality.currentIndexChanged.connect(self.refresh)
        self.count = QLabel()
        self.searches = ReadOnlyTable(["Aktenzeichen", "Name", "Personen", "Kommunen", "Höchstmiete", "Zimmer ab",
                                       "Einzug ab", "Stand"], "Suchende Haushalte", "searches")
        self.searches.itemSelectionChanged.connect(self._search_chosen)
        self.searches.itemActivated.connect(lambda _item: self.edit_search())
        self.edit_button = QPushButton("Suche bearbei&ten…")
        self.edit_button.clicked.connect(self.edit_search)
        self.case_button = QPushButton("Fallakte &öffnen")
        self.case_button.clicked.connect(self.open_case)
        self.matches = ReadOnlyTable(["Punkte", "Wohnung", "Zimmer", "m²", "Bruttokalt", "Grenze", "frei ab",
                                      "Vermieter", "Hinweis"], "Passende Wohnungen", "matches")
        self.matches.itemSelectionChanged.connect(self._match_chosen)
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        self.reasons.setAccessibleName("Gründe")
        self.propose_button = QPushButton("&Vorschlagen…")
        self.propose_button.clicked.connect(self.propose)
        self.proposals = ProposalsPanel(store, user)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Sta&nd:"))
        filters.itemAt(0).widget().setBuddy(self.status)
        filters.addWidget(self.status)
        filters.addWidget(self.municipality)
        filters.addWidget(self.count, 1)
        filters.addWidget(self.edit_button)
        filters.addWidget(self.case_button)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(filters)
        top_layout.addWidget(self.searches)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(_section("Passende freie Wohnungen (beste zuerst)", self.matches, self.reasons,
                                    buttons=(self.propose_button,)))
        splitter.addWidget(_section("Vorschläge an diesen Haushalt", self.proposals))
        for index, stretch in enumerate((2, 3, 1)):
            splitter.setStretchFactor(index, stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.rows: list[housing_search.SearchRow] = []
        self.found: list[flat_matching.OfferMatch] = []
        listen(self, wants(*MATCHING), self.refresh)

    def refresh(self) -> None:
        current = self.selected_search()
        self.rows = housing_views.searching_households(self.store, self.user, self.status.currentData(),
                                                       self.municipality.currentData())
        self.searches.fill([[r.case_number, f"{r.family_name}, {r.given_names}".strip(", "), str(r.household_size),
                             ", ".join(r.wanted_municipalities) or "alle",
                             fmt_money(r.max_rent) if r.max_rent else "KdU-Grenze", _rooms(r.min_rooms),
                             fmt_date(r.earliest_move) if r.earliest_move else "", r.status_label]
                            for r in self.rows])
        self.count.setText(f"{len(self.rows)} Suchen")
        ids = [r.id for r in self.rows]
        if current is not None and current.id in ids:
            self.searches.selectRow(ids.index(current.id))
        self._search_chosen()

    def selected_search(self) -> housing_search.SearchRow | None:
        row = self.searches.selected_row()
        return self.rows[row] if row is not None and row < len(self.rows) else None

    def _search_chosen(self) -> None:
        search = self.selected_search()
        self.edit_button.setEnabled(search is not None)
        self.case_button.setEnabled(search is not None)
        self.found = []
        if search is not None:
            try:
                self.found = housing_views.flats_for_search(self.store, self.user, search.id, limit=MATCHES_SHOWN)
            except WhhError as exc:
                self.reasons.setText(str(exc))
        self.matches.fill([[str(m.score), m.offer.address, _rooms(m.offer.rooms), _m2(m.offer.floor_space_m2),
                            fmt_money(m.offer.gross_rent), fmt_money(m.ceiling),
                            fmt_date(m.offer.available_from) if m.offer.available_from else "sofort",
                            m.offer.landlord_name, "schon vorgeschlagen" if m.already_proposed else ""]
                           for m in self.found])
        self.proposals.show_case(search.case_id if search else None)
        self._match_chosen()

    def selected_match(self) -> flat_matching.OfferMatch | None:
        row = self.matches.selected_row()
        return self.found[row] if row is not None and row < len(self.found) else None

    def _match_chosen(self) -> None:
        match = self.selected_match()
        self.propose_button.setEnabled(match is not None)
        if match is not None:
            self.reasons.setText("• " + "<br>• ".join(match.reasons))
        elif self.selected_search() is None:
            self.reasons.setText("Einen suchenden Haushalt auswählen.")
        else:
            self.reasons.setText("Keine freie Wohnung passt zu dieser Suche." if not self.found else
                                 "Eine Wohnung auswählen, um die Gründe zu sehen.")

    def edit_search(self) -> None:
        search = self.selected_search()
        if search is not None:
            accepted(HousingSearchDialog(self.store, self.user, search.case_id, search.id, self))

    def open_case(self) -> None:
        search = self.selected_search()
        if search is not None:
            open_case(self, self.store, self.user, search.case_id, "Wohnungssuche")

    def propose(self) -> None:
        search, match = self.selected_search(), self.selected_match()
        if search is None or match is None:
            return
        what = (f"{match.offer.address} ({_rooms(match.offer.rooms)} Zimmer, {fmt_money(match.offer.gross_rent)} "
                f"brutto kalt) an {search.given_names} {search.family_name} ({search.case_number})")
        accepted(ProposeDialog(lambda v: proposals.propose(self.store, self.user, search.id, match.offer.id, *v),
                               what, self))


class OffersTab(QWidget):
    """Free flats → the searching households they suit, best first."""

    def __init__(self, store: Store, user: CurrentUser) -> None:
        super().__init__()
        self.store, self.user = store, user
        self.text = QLineEdit()
        self.text.setPlaceholderText("Straße suchen …")
        self.text.setAccessibleName("Straße suchen")
        self.text.textChanged.connect(self.refresh)
        self.municipality = _combo("Kommune", [("alle Kommunen", None)] + [(m.name, m.name) for m in MUNICIPALITIES])
        self.municipality.currentIndexChanged.connect(self.refresh)
        self.count = QLabel()
        self.offers = ReadOnlyTable(["Wohnung", "Zimmer", "m²", "Etage", "Bruttokalt", "frei ab", "Vermieter"],
                                    "Freie Wohnungen", "free_offers")
        self.offers.itemSelectionChanged.connect(self._offer_chosen)
        self.households = ReadOnlyTable(["Punkte", "Aktenzeichen", "Name", "Personen", "Grenze", "Hinweis"],
                                        "Passende Haushalte", "households")
        self.households.itemSelectionChanged.connect(self._household_chosen)
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        self.reasons.setAccessibleName("Gründe")
        self.propose_button = QPushButton("&Vorschlagen…")
        self.propose_button.clicked.connect(self.propose)
        filters = QHBoxLayout()
        filters.addWidget(self.text, 1)
        filters.addWidget(self.municipality)
        filters.addWidget(self.count)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(filters)
        top_layout.addWidget(self.offers)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(_section("Haushalte, zu denen die Wohnung passt (beste zuerst)", self.households,
                                    self.reasons, buttons=(self.propose_button,)))
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.rows: list[offers.OfferRow] = []
        self.found: list[flat_matching.HouseholdMatch] = []
        listen(self, wants(*MATCHING), self.refresh)

    def refresh(self) -> None:
        current = self.selected_offer()
        flt = offers.OfferFilter(municipality=self.municipality.currentData(), text=self.text.text())
        self.rows = housing_views.free_flats(self.store, self.user, flt, limit=OFFERS_SHOWN + 1)
        more = len(self.rows) > OFFERS_SHOWN
        self.rows = self.rows[:OFFERS_SHOWN]
        self.offers.fill([[r.address, _rooms(r.rooms), _m2(r.floor_space_m2), str(r.floor),
                           fmt_money(r.gross_rent), fmt_date(r.available_from) if r.available_from else "sofort",
                           r.landlord_name] for r in self.rows])
        self.count.setText(f"mehr als {OFFERS_SHOWN} – bitte eingrenzen" if more else f"{len(self.rows)} frei")
        ids = [r.id for r in self.rows]
        if current is not None and current.id in ids:  # a proposal made here keeps the flat chosen
            self.offers.selectRow(ids.index(current.id))
        self._offer_chosen()

    def selected_offer(self) -> offers.OfferRow | None:
        row = self.offers.selected_row()
        return self.rows[row] if row is not None and row < len(self.rows) else None

    def _offer_chosen(self) -> None:
        offer = self.selected_offer()
        self.found = []
        if offer is not None:
            self.found = housing_views.households_for_flat(self.store, self.user, offer.id, limit=MATCHES_SHOWN)
        self.households.fill([[str(m.score), m.case_number, f"{m.family_name}, {m.given_names}".strip(", "),
                               str(m.household_size), fmt_money(m.ceiling),
                               "schon vorgeschlagen" if m.already_proposed else ""] for m in self.found])
        self._household_chosen()

    def selected_household(self) -> flat_matching.HouseholdMatch | None:
        row = self.households.selected_row()
        return self.found[row] if row is not None and row < len(self.found) else None

    def _household_chosen(self) -> None:
        match = self.selected_household()
        self.propose_button.setEnabled(match is not None)
        if match is not None:
            self.reasons.setText("• " + "<br>• ".join(match.reasons))
        else:
            self.reasons.setText("" if self.selected_offer() is None else
                                 "Kein suchender Haushalt passt zu dieser Wohnung." if not self.found else
                                 "Einen Haushalt auswählen, um die Gründe zu sehen.")

    def propose(self) -> None:
        offer, match = self.selected_offer(), self.selected_household()
        if offer is None or match is None:
            return
        what = f"{offer.address} an {match.given_names} {match.family_name} ({match.case_number})"
        accepted(ProposeDialog(lambda v: proposals.propose(self.store, self.user, match.search_id, offer.id, *v),
                               what, self))


class HousingView(QWidget):
    def __init__(self, store: Store, user: CurrentUser, shell: Shell | None = None) -> None:
        super().__init__()
        self.searches = SearchesTab(store, user)
        self.offers = OffersTab(store, user)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.searches, "&Suchende Haushalte")
        self.tabs.addTab(self.offers, "&Freie Wohnungen")
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def refresh(self) -> None:
        self.tabs.currentWidget().refresh()

    def focus_search(self) -> bool:
        """Ctrl+F: the street search of »Freie Wohnungen«; the households' tab has no text search."""
        if self.tabs.currentWidget() is not self.offers:
            return False
        self.offers.text.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.offers.text.selectAll()
        return True
