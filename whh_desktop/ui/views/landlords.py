"""Vermieter und Wohnungen: the landlord registry, the flat offers, the market overview and, for district staff,
the KdU table and the inbox of the sites' proposals (DESIGN.md §10: the district owns the registry, sites propose).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain.changes import Aggregate
from whh_desktop.core.domain.formatting import fmt_count, fmt_date, fmt_money, plural
from whh_desktop.core.domain.housing import CooperationStatus, LandlordKind, OfferStatus, RequestKind
from whh_desktop.core.domain.municipalities import MUNICIPALITIES
from whh_desktop.core.domain.validation import parse_money
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import landlords, offers, registry, registry_views
from whh_desktop.core.services.landlords import LandlordData, LandlordFilter
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.offers import OfferData, OfferFilter
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import messages, modal
from whh_desktop.ui.areas import Shell
from whh_desktop.ui.dialogs.landlord_dialogs import (
    LandlordDetailDialog,
    LandlordDialog,
    MergeDialog,
    RejectDialog,
    tri_label,
)
from whh_desktop.ui.dialogs.offer_dialogs import OfferDetailDialog, OfferDialog, fmt_number
from whh_desktop.ui.ops import Op, listen, wants
from whh_desktop.ui.views.kdu_admin import KduTab
from whh_desktop.ui.widgets.tables import ReadOnlyTable

SHOWN = 500  # rows a list shows; more is "mehr als 500", narrow the search
TYPING_DELAY_MS = 250


def filter_combo(name: str, items: list[tuple[str, str | None]]) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    for label, value in items:
        box.addItem(label, value)
    return box


def search_field(name: str, placeholder: str, on_change: Callable[[], None], parent: QWidget) -> QLineEdit:
    """A search box that refreshes shortly after typing stops (search as you type without a query per key)."""
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(TYPING_DELAY_MS)
    timer.timeout.connect(on_change)
    edit.textChanged.connect(lambda _text: timer.start())
    edit.returnPressed.connect(on_change)
    edit.timer = timer  # type: ignore[attr-defined]
    return edit


def count_text(shown: int, total: int | None, what: str) -> str:
    if total is None:  # capped without an exact count
        return (f"mehr als {fmt_count(shown)} {what} – es werden die ersten {fmt_count(shown)} gezeigt; "
                "bitte die Suche eingrenzen")
    if total > shown:
        return f"{fmt_count(total)} {what}, die ersten {fmt_count(shown)} werden gezeigt – bitte die Suche eingrenzen"
    return f"{fmt_count(total)} {what}"


# ---- Vermieter -----------------------------------------------------------------------------------------------
class LandlordsTab(QWidget):
    def __init__(self, store: Store, user: CurrentUser, open_offer: Callable[[uuid.UUID], None]) -> None:
        super().__init__()
        self.store, self.user, self.open_offer = store, user, open_offer
        self.district = registry_views.may_edit_registry(store, user)
        self.search = search_field("Vermieter suchen", "Name, Ort, Straße, Ansprechperson oder E-Mail – Müller "
                                   "findet auch Mueller", self.refresh, self)
        self.search.setObjectName("landlord_search")
        self.kind = filter_combo("Art", [("alle Arten", None), *((k.label, k.value) for k in LandlordKind)])
        self.status = filter_combo("Zusammenarbeit", [("jede Zusammenarbeit", None),
                                                      *((s.label, s.value) for s in CooperationStatus)])
        for box in (self.kind, self.status):
            box.currentIndexChanged.connect(self.refresh)
        self.table = ReadOnlyTable(["Name", "Art", "Ort", "Telefon", "Zusammenarbeit", "Direktzahlung", "SCHUFA",
                                    "Freie Wohnungen", "Vermittlungen"], "Vermieter", "landlord_table")
        self.table.itemActivated.connect(lambda _item: self.open_selected())
        self.count = QLabel()
        self.count.setAccessibleName("Anzahl Vermieter")
        self.open_button = QPushButton("Ö&ffnen…")
        self.open_button.clicked.connect(self.open_selected)
        self.new_button = QPushButton("&Neuer Vermieter…" if self.district else "Neuen Vermieter vorsch&lagen…")
        self.new_button.clicked.connect(self.new_landlord)
        self.merge_button = QPushButton("Zusammenf&ühren…")
        self.merge_button.clicked.connect(self.merge)
        self.merge_button.setVisible(self.district)
        filters = QHBoxLayout()
        search_label = QLabel("&Suche:")
        search_label.setBuddy(self.search)
        filters.addWidget(search_label)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.kind)
        filters.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count)
        buttons.addStretch()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.merge_button)
        buttons.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        listen(self, wants(Aggregate.LANDLORDS, Aggregate.FLAT_OFFERS, Aggregate.PROPOSALS), self.refresh)
        self.refresh()

    def current_filter(self) -> LandlordFilter:
        return LandlordFilter(text=self.search.text(), kind=self.kind.currentData(),
                              cooperation_status=self.status.currentData())

    def refresh(self) -> None:
        rows = registry_views.landlord_list(self.store, self.user, self.current_filter())
        self.rows = rows[:SHOWN]
        self.table.fill([[r.name, r.kind_label, r.city, r.phone, r.status_label, tri_label(r.accepts_direct_payment),
                          tri_label(r.accepts_schufa), str(r.free_offers), str(r.placements)] for r in self.rows])
        self.count.setText(count_text(len(self.rows), len(rows), "Vermieter"))

    def selected(self) -> landlords.LandlordRow | None:
        row = self.table.selected_row()
        return self.rows[row] if row is not None and row < len(self.rows) else None

    def open_selected(self) -> None:
        row = self.selected()
        if row is None:
            messages.inform(self, "Bitte zuerst einen Vermieter in der Liste wählen.")
            return
        self.open_landlord(row.id)

    def open_landlord(self, landlord_id: uuid.UUID) -> None:
        modal.run_modal(LandlordDetailDialog(self.store, self.user, landlord_id, self, open_offer=self.open_offer))

    def new_landlord(self) -> None:
        if self.district:
            dialog = LandlordDialog(lambda v: landlords.save_landlord(self.store, self.user, v[0]), parent=self)
        else:
            dialog = LandlordDialog(lambda v: landlords.propose_landlord(self.store, self.user, *v), propose=True,
                                    parent=self)
        if modal.accepted(dialog) and not self.district:
            messages.inform(self, "Der Vorschlag ist gespeichert und geht mit dem nächsten Paket an den Kreis.")

    def merge(self) -> None:
        keep = self.selected()
        if keep is None:
            messages.inform(self, "Bitte zuerst den Eintrag wählen, der bleiben soll.")
            return
        candidates = registry_views.landlord_choices(self.store, self.user, leave_out=keep.id)
        modal.accepted(MergeDialog(lambda other: landlords.merge(self.store, self.user, keep.id, other), keep.name,
                                   candidates, self))


# ---- Wohnungsangebote ----------------------------------------------------------------------------------------
class OffersTab(QWidget):
    def __init__(self, store: Store, user: CurrentUser) -> None:
        super().__init__()
        self.store, self.user = store, user
        self.district = registry_views.may_edit_registry(store, user)
        self.search = search_field("Straße suchen", "Straße", self.refresh, self)
        self.search.setObjectName("offer_search")
        self.status = filter_combo("Status", [*((s.label, s.value) for s in OfferStatus), ("alle", None)])
        self.municipality = filter_combo("Gemeinde", [("alle Gemeinden", None),
                                                      *((m.name, m.name) for m in MUNICIPALITIES)])
        self.max_rent = search_field("Höchstens Bruttokaltmiete in Euro", "max. Bruttokalt €", self.refresh, self)
        self.max_rent.setMaximumWidth(150)
        self.min_rooms = filter_combo("Mindestens Zimmer", [("Zimmer: alle", None), *(
            (f"ab {fmt_number(n)} Zimmer", str(n)) for n in (1, 1.5, 2, 2.5, 3, 4, 5))])
        self.barrier_free = QCheckBox("nur &barrierefrei")
        for box in (self.status, self.municipality, self.min_rooms):
            box.currentIndexChanged.connect(self.refresh)
        self.barrier_free.toggled.connect(self.refresh)
        self.table = ReadOnlyTable(["Adresse", "Gemeinde", "m²", "Zimmer", "Etage", "Kaltmiete", "Bruttokalt",
                                    "Heizung", "Frei ab", "Status", "Vermieter"], "Wohnungsangebote", "offer_table")
        self.table.itemActivated.connect(lambda _item: self.open_selected())
        self.count = QLabel()
        self.count.setAccessibleName("Anzahl Wohnungsangebote")
        self.open_button = QPushButton("Ö&ffnen…")
        self.open_button.clicked.connect(self.open_selected)
        self.new_button = QPushButton("&Neues Angebot…" if self.district else "Wohnung an den Kreis &melden…")
        self.new_button.clicked.connect(self.new_offer)
        filters = QHBoxLayout()
        search_label = QLabel("&Suche:")
        search_label.setBuddy(self.search)
        filters.addWidget(search_label)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.status)
        filters.addWidget(self.municipality)
        filters.addWidget(self.max_rent)
        filters.addWidget(self.min_rooms)
        filters.addWidget(self.barrier_free)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count, 1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        listen(self, wants(Aggregate.FLAT_OFFERS, Aggregate.LANDLORDS, Aggregate.REGISTRY_REQUESTS,
                           Aggregate.REGISTRY_DECISIONS), self.refresh)
        self.refresh()

    def current_filter(self) -> OfferFilter:
        text = self.max_rent.text().strip()
        max_rent = parse_money(text, "max_gross_rent", "Höchstmiete") if text else None
        rooms = self.min_rooms.currentData()
        return OfferFilter(status=self.status.currentData(), municipality=self.municipality.currentData(),
                           max_gross_rent=max_rent, min_rooms=float(rooms) if rooms else None,
                           barrier_free=self.barrier_free.isChecked(), text=self.search.text())

    def refresh(self) -> None:
        try:
            flt = self.current_filter()
        except InvalidInput as exc:
            self.max_rent.setToolTip(str(exc))
            self.count.setText(str(exc))
            return
        self.max_rent.setToolTip("")
        found = registry_views.offer_list(self.store, self.user, flt, SHOWN)
        self.rows, total, pending = found.rows, found.total, found.reported
        self.table.fill([[r.street, r.municipality, fmt_number(r.floor_space_m2), fmt_number(r.rooms),
                          "EG" if r.floor == 0 else str(r.floor), fmt_money(r.cold_rent),
                          fmt_money(r.gross_rent), fmt_money(r.heating), fmt_date(r.available_from),
                          _status(r, pending), r.landlord_name] for r in self.rows])
        self.count.setText(count_text(len(self.rows), total, "Angebote"))

    def selected(self) -> offers.OfferRow | None:
        row = self.table.selected_row()
        return self.rows[row] if row is not None and row < len(self.rows) else None

    def open_selected(self) -> None:
        row = self.selected()
        if row is None:
            messages.inform(self, "Bitte zuerst ein Wohnungsangebot in der Liste wählen.")
            return
        self.open_offer(row.id)

    def open_offer(self, offer_id: uuid.UUID) -> None:
        modal.run_modal(OfferDetailDialog(self.store, self.user, offer_id, self))

    def new_offer(self) -> None:
        choices = registry_views.landlord_choices(self.store, self.user)
        if self.district:
            dialog = OfferDialog(lambda v: offers.save_offer(self.store, self.user, v[0]), choices, parent=self)
        else:
            dialog = OfferDialog(lambda v: offers.propose_offer(self.store, self.user, *v), choices, propose=True,
                                 parent=self)
        if modal.accepted(dialog) and not self.district:
            messages.inform(self, "Die Meldung ist gespeichert und geht mit dem nächsten Paket an den Kreis.")


def _status(row: offers.OfferRow, pending: dict[uuid.UUID, str]) -> str:
    reported = pending.get(row.id)
    if reported and reported != row.status:
        return f"{row.status_label} (gemeldet: {OfferStatus(reported).label})"
    return row.status_label


# ---- Wohnungsmarkt -------------------------------------------------------------------------------------------
class MarketTab(QWidget):
    def __init__(self, store: Store, user: CurrentUser) -> None:
        super().__init__()
        self.store, self.user = store, user
        intro = QLabel("Freie Wohnungsangebote je Gemeinde und Mietspanne (Bruttokaltmiete: Kaltmiete + kalte "
                       "Nebenkosten).")
        intro.setWordWrap(True)
        self.table = ReadOnlyTable(["Gemeinde"], "Wohnungsmarkt: freie Angebote je Gemeinde und Mietspanne",
                                   "market_table")
        self.refresh_button = QPushButton("Akt&ualisieren")
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(intro, 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        listen(self, wants(Aggregate.FLAT_OFFERS), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.overview = registry_views.market_overview(self.store, self.user)
        o = self.overview
        headers = ["Gemeinde", *o.bands, "Summe"]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        rows = [[m, *(str(n) for n in o.counts.get(m, [0] * len(o.bands))), str(o.total(m))]
                for m in o.municipalities]
        rows.append(["Summe", *(str(n) for n in o.band_totals), str(o.grand_total)])
        self.table.fill(rows)
        font = self.table.font()
        font.setBold(True)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for r in range(len(rows)):
            for c in range(1, len(headers)):
                self.table.item(r, c).setTextAlignment(right)
        for c in range(len(headers)):
            self.table.item(len(rows) - 1, c).setFont(font)


# ---- Vorschläge der Standorte (district) ---------------------------------------------------------------------
class RequestsTab(QWidget):
    """``counted(n)`` after each reload, so the area can show the number of open requests on the tab."""

    counted = Signal(int)

    def __init__(self, store: Store, user: CurrentUser) -> None:
        super().__init__()
        self.store, self.user = store, user
        intro = QLabel("Vorschläge und Meldungen der Beratungsstellen. Übernehmen trägt sie ins Register ein "
                       "(Angaben lassen sich vorher prüfen und berichtigen); eine Ablehnung braucht einen Grund, "
                       "den die Beratungsstelle sieht.")
        intro.setWordWrap(True)
        self.table = ReadOnlyTable(["Eingang", "Standort", "Art", "Inhalt", "Hinweis"], "Offene Vorschläge",
                                   "request_table")
        self.table.itemActivated.connect(lambda _item: self.accept_selected())
        self.count = QLabel()
        self.count.setAccessibleName("Anzahl offener Vorschläge")
        self.accept_button = QPushButton("Ü&bernehmen…")
        self.accept_button.clicked.connect(self.accept_selected)
        self.reject_button = QPushButton("Ab&lehnen…")
        self.reject_button.clicked.connect(self.reject_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count)
        buttons.addStretch()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        listen(self, wants(Aggregate.REGISTRY_REQUESTS, Aggregate.REGISTRY_DECISIONS, Aggregate.FLAT_OFFERS),
               self.refresh)
        self.refresh()

    def refresh(self) -> None:
        found = registry_views.pending_requests(self.store, self.user)
        self.rows = [p.request for p in found]
        self.table.fill([[fmt_date(p.request.requested_on), p.request.site, p.request.kind_label, p.content,
                          p.request.note] for p in found])
        self.count.setText(plural(len(self.rows), "offener Vorschlag", "offene Vorschläge") if self.rows
                           else "Keine offenen Vorschläge.")
        self.counted.emit(len(self.rows))

    def selected(self) -> registry.RequestRow | None:
        row = self.table.selected_row()
        if row is None or row >= len(self.rows):
            messages.inform(self, "Bitte zuerst einen Vorschlag in der Liste wählen.")
            return None
        return self.rows[row]

    def accept_selected(self) -> None:
        request = self.selected()
        if request is None:
            return
        kind = RequestKind(request.kind)
        if kind is RequestKind.LANDLORD_NEW:
            dialog = LandlordDialog(lambda v: registry.accept(self.store, self.user, request.id, landlord=v[0]),
                                    LandlordData.from_payload(request.payload), parent=self,
                                    title=f"Vorschlag von {request.site} übernehmen")
            modal.accepted(dialog)
        elif kind is RequestKind.OFFER_NEW:
            dialog = OfferDialog(lambda v: registry.accept(self.store, self.user, request.id, offer=v[0]),
                                 registry_views.landlord_choices(self.store, self.user),
                                 OfferData.from_payload(request.payload), parent=self,
                                 title=f"Meldung von {request.site} übernehmen")
            modal.accepted(dialog)
        elif messages.confirm(self, f"{request.kind_label}: die Meldung von {request.site} übernehmen?",
                              yes="Ü&bernehmen"):
            Op(self, lambda: registry.accept(self.store, self.user, request.id)).run()

    def reject_selected(self) -> None:
        request = self.selected()
        if request is None:
            return
        modal.accepted(RejectDialog(lambda reason: registry.reject(self.store, self.user, request.id, reason),
                                    f"{request.kind_label}: {request.summary}", self))


# ---- the area ------------------------------------------------------------------------------------------------
class LandlordsView(QWidget):
    """Tabs: Vermieter, Wohnungsangebote, Wohnungsmarkt; for district staff also KdU-Tabelle and Vorschläge."""

    def __init__(self, store: Store, user: CurrentUser, shell: Shell | None = None) -> None:
        super().__init__()
        self.store, self.user, self.shell = store, user, shell
        self.district = registry_views.may_edit_registry(store, user)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Vermieter und Wohnungen")
        self.tabs.setObjectName("landlord_tabs")
        self.offers_tab = OffersTab(store, user)
        self.landlords_tab = LandlordsTab(store, user, self.offers_tab.open_offer)
        self.market_tab = MarketTab(store, user)
        self.tabs.addTab(self.landlords_tab, "&Vermieter")
        self.tabs.addTab(self.offers_tab, "&Wohnungsangebote")
        self.tabs.addTab(self.market_tab, "Wohnun&gsmarkt")
        self.kdu_tab: KduTab | None = None
        self.requests_tab: RequestsTab | None = None
        if self.district:
            self.kdu_tab = KduTab(store, user)
            self.requests_tab = RequestsTab(store, user)
            self.requests_tab.counted.connect(lambda _n: self._label_requests())
            self.tabs.addTab(self.kdu_tab, "&KdU-Tabelle")
            self.tabs.addTab(self.requests_tab, "V&orschläge der Standorte")
            self._label_requests()
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def focus_search(self) -> bool:
        """Ctrl+F: the search field of the shown tab (Vermieter, Wohnungsangebote), if it has one."""
        search = getattr(self.tabs.currentWidget(), "search", None)
        if not isinstance(search, QLineEdit):
            return False
        search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        search.selectAll()
        return True

    def _tab_changed(self, _index: int) -> None:
        widget = self.tabs.currentWidget()
        refresh = getattr(widget, "refresh", None)
        if refresh is not None:
            refresh()
        self._label_requests()

    def _label_requests(self) -> None:
        if self.requests_tab is not None:
            n = len(self.requests_tab.rows)
            self.tabs.setTabText(self.tabs.indexOf(self.requests_tab),
                                 f"V&orschläge der Standorte ({n})" if n else "V&orschläge der Standorte")
