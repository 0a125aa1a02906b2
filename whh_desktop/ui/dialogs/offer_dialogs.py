"""Flat offer dialogs: the offer form with every field of ``OfferData`` (district edits, a site reports a flat),
a status change, and the detail view of one offer with its KdU check for 1..n persons and its proposals."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain import kdu
from whh_desktop.core.domain.changes import Aggregate
from whh_desktop.core.domain.formatting import fmt_date, fmt_money, fmt_number
from whh_desktop.core.domain.housing import OfferStatus, ProposalStep
from whh_desktop.core.domain.municipalities import MUNICIPALITIES
from whh_desktop.core.errors import InvalidInput, WhhError
from whh_desktop.core.services import offers, registry_views
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.offers import OfferData
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import modal
from whh_desktop.ui.dialogs.case_forms import DateField, FormDialog, MoneyField, combo, text_box
from whh_desktop.ui.ops import listen, wants
from whh_desktop.ui.widgets.fields import line_edit
from whh_desktop.ui.widgets.kommune_fill import KommuneFill
from whh_desktop.ui.widgets.screen_fit import resize_within_screen
from whh_desktop.ui.widgets.tables import ReadOnlyTable


def parse_rooms(text: str) -> float:
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        raise InvalidInput("Bitte die Zahl der Zimmer angeben (z. B. 2 oder 2,5).", "rooms")
    try:
        return float(cleaned)
    except ValueError:
        raise InvalidInput(f"Zimmer: »{text.strip()}« ist keine Zahl (Beispiel: 2,5).", "rooms") from None


class OfferDialog(FormDialog):
    """All fields of an offer. ``value()`` is ``(OfferData, note)``; the note goes to the district when a site
    reports the flat (``propose``)."""

    TITLE = "Wohnungsangebot"

    def __init__(self, save: Callable[[tuple[OfferData, str]], object], landlords: list[tuple[uuid.UUID, str]],
                 data: OfferData | None = None, propose: bool = False, parent: QWidget | None = None,
                 title: str = "") -> None:
        self.data, self.landlords, self.propose = data, landlords, propose
        if propose:
            self.OK_TEXT = "&Melden"
        super().__init__(save, parent)
        self.setWindowTitle(title or ("Wohnung an den Kreis melden" if propose else
                                      "Wohnungsangebot bearbeiten" if data else "Neues Wohnungsangebot"))

    def build(self) -> None:
        d = self.data
        if self.propose:
            hint = QLabel("Die Wohnungsangebote pflegt der Kreis. Die Meldung geht mit dem nächsten Paket an den "
                          "Kreis und wird dort übernommen.")
            hint.setWordWrap(True)
            self.form.addRow(hint)
        self.street = self.row("Stra&ße", "street", line_edit("Straße und Hausnummer", text=d.street if d else ""))
        self.plz = self.row("&PLZ", "plz", line_edit("Postleitzahl", text=d.plz if d else ""))
        self.plz.setMaximumWidth(90)
        self.municipality = QComboBox()
        self.municipality.setAccessibleName("Gemeinde")
        self.municipality.setEditable(True)  # typed names are checked: only the nine of Kreis Herford
        self.municipality.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.municipality.addItems([""] + [m.name for m in MUNICIPALITIES])
        self.municipality.setCurrentText(d.municipality if d else "")
        self.row("&Gemeinde", "municipality", self.municipality)
        self.municipality_note = QLabel()
        self.form.addRow("", self.municipality_note)
        self.kommune = KommuneFill(self.plz, None, self.municipality, self.municipality_note)
        self.space = self.row("&Wohnfläche (m²)", "floor_space_m2",
                              line_edit("Wohnfläche in Quadratmetern",
                                        text=fmt_number(d.floor_space_m2) if d else "", placeholder="54,5"))
        self.space.setMaximumWidth(120)
        self.rooms = self.row("&Zimmer", "rooms", line_edit("Zimmer", text=fmt_number(d.rooms) if d else "",
                                                            placeholder="2,5"))
        self.rooms.setMaximumWidth(120)
        self.floor = QSpinBox()
        self.floor.setRange(-1, 30)
        self.floor.setSpecialValueText("Souterrain")
        self.floor.setAccessibleName("Etage (0 = Erdgeschoss)")
        self.floor.setValue(d.floor if d else 0)
        self.row("&Etage (0 = EG)", "floor", self.floor)
        features = QWidget()
        features.setAccessibleName("Ausstattung")
        row = QHBoxLayout(features)
        row.setContentsMargins(0, 0, 0, 0)
        self.lift = QCheckBox("&Aufzug")
        self.barrier_free = QCheckBox("ba&rrierefrei")
        self.wbs = QCheckBox("W&BS erforderlich")
        self.pets = QCheckBox("&Haustiere erlaubt")
        for box, value in ((self.lift, d.lift if d else False), (self.barrier_free, d.barrier_free if d else False),
                           (self.wbs, d.wbs_required if d else False), (self.pets, d.pets_allowed if d else False)):
            box.setChecked(value)
            row.addWidget(box)
        row.addStretch()
        self.row("Ausstattung", "features", features)
        self.cold_rent = self.row("&Kaltmiete", "cold_rent",
                                  MoneyField("Kaltmiete", "cold_rent", d.cold_rent if d else None))
        self.utilities = self.row("Kalte &Nebenkosten", "utilities",
                                  MoneyField("Kalte Nebenkosten", "utilities", d.utilities if d else None))
        self.heating = self.row("He&izkosten", "heating", MoneyField("Heizkosten", "heating", d.heating if d else None))
        self.deposit = self.row("Kau&tion", "deposit", MoneyField("Kaution", "deposit", d.deposit if d else None))
        self.gross = QLabel()
        self.gross.setAccessibleName("Bruttokaltmiete")
        self.form.addRow("Bruttokaltmiete", self.gross)
        for field in (self.cold_rent, self.utilities):
            field.textChanged.connect(self._show_gross)
        self._show_gross()
        self.available = self.row("&Frei ab", "available_from",
                                  DateField("Frei ab", "available_from", d.available_from if d else None))
        self.landlord = self.row("&Vermieter", "landlord_id", combo(
            "Vermieter", [("", "– ohne Vermieter –"), *((str(i), n) for i, n in self.landlords)],
            str(d.landlord_id) if d and d.landlord_id else ""))
        self.status = self.row("Stat&us", "status", combo("Status", OfferStatus.choices(),
                                                          d.status if d else OfferStatus.FREI.value))
        self.status.setEnabled(not self.propose)
        self.notes = self.row("N&otizen", "notes", text_box("Notizen", d.notes if d else "", 60))
        self.note = None
        if self.propose:
            self.note = self.row("Hinweis an &den Kreis", "note", text_box("Hinweis an den Kreis", "", 50))

    def _show_gross(self) -> None:
        try:
            cold, utilities = self.cold_rent.value(), self.utilities.value()
        except InvalidInput:
            self.gross.setText("–")
            return
        self.gross.setText(fmt_money((cold or 0) + (utilities or 0)) if cold is not None else "–")

    def value(self) -> tuple[OfferData, str]:
        typed: list[InvalidInput] = []  # number fields that are not numbers: said after the fields above them
        try:
            space_text = self.space.text().strip()
            if not space_text:
                raise InvalidInput("Bitte die Wohnfläche in m² angeben.", "floor_space_m2")
            space = kdu.parse_area(space_text, "floor_space_m2")
        except InvalidInput as exc:
            typed.append(exc)
            space = kdu.MIN_FLOOR_SPACE
        try:
            rooms = parse_rooms(self.rooms.text())
        except InvalidInput as exc:
            typed.append(exc)
            rooms = 1.0
        landlord = self.landlord.currentData()
        data = OfferData(
            street=self.street.text(), municipality=self.municipality.currentText().strip(),
            floor_space_m2=space, rooms=rooms, cold_rent=self.cold_rent.value(), utilities=self.utilities.value(),
            heating=self.heating.value() or 0, deposit=self.deposit.value() or 0, plz=self.plz.text(),
            floor=self.floor.value(), lift=self.lift.isChecked(), barrier_free=self.barrier_free.isChecked(),
            available_from=self.available.value(), wbs_required=self.wbs.isChecked(),
            pets_allowed=self.pets.isChecked(), notes=self.notes.toPlainText(),
            landlord_id=uuid.UUID(landlord) if landlord else None, status=self.status.currentData())
        if typed:
            offers.validate(data)  # street, municipality and rent speak first, in the order of the form
            raise typed[0]
        return data, self.note.toPlainText() if self.note is not None else ""


class StatusDialog(FormDialog):
    """Change an offer's status (district) or report it to the district (site). ``value()``: (status, note)."""

    TITLE = "Status des Angebots"

    def __init__(self, save: Callable[[tuple[OfferStatus, str]], object], current: str, district: bool,
                 parent: QWidget | None = None) -> None:
        self.current, self.district = current, district
        if not district:
            self.OK_TEXT = "An den Kreis &melden"
        super().__init__(save, parent)

    def build(self) -> None:
        statuses = list(OfferStatus) if self.district else [OfferStatus.FREI, OfferStatus.RESERVIERT,
                                                             OfferStatus.VERGEBEN]
        if not self.district:
            hint = QLabel("Der Kreis pflegt die Angebote. Ihre Meldung gilt hier sofort für die Suche und geht mit "
                          "dem nächsten Paket an den Kreis.")
            hint.setWordWrap(True)
            self.form.addRow(hint)
        self.status = self.row("Stat&us", "status", combo("Status", [(s.value, s.label) for s in statuses],
                                                          self.current))
        self.note = self.row("&Hinweis", "note", text_box("Hinweis", "", 60))

    def value(self) -> tuple[OfferStatus, str]:
        return OfferStatus(self.status.currentData()), self.note.toPlainText().strip()


class OfferDetailDialog(QDialog):
    """One offer: its facts, the KdU check for 1..n persons, the proposals made for it (read-only); edit and
    status change as the user may."""

    def __init__(self, store: Store, user: CurrentUser, offer_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.user, self.offer_id = store, user, offer_id
        self.district = registry_views.may_edit_registry(store, user)
        resize_within_screen(self, 820, 560)
        self.heading = QLabel()
        self.heading.setAccessibleName("Wohnung")
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Bereiche des Angebots")
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setAccessibleName("Angaben zur Wohnung")
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse |
                                           Qt.TextInteractionFlag.TextSelectableByKeyboard)
        facts_page = QWidget()
        QVBoxLayout(facts_page).addWidget(self.facts)
        facts_page.layout().addStretch()
        self.tabs.addTab(facts_page, "&Angaben")
        self.kdu_table = ReadOnlyTable(["Personen", "Grenze", "Bruttokaltmiete", "Ergebnis", "Wohnfläche bis"],
                                       "KdU-Prüfung nach Haushaltsgröße", "offer_kdu")
        self.persons = QSpinBox()
        self.persons.setRange(1, kdu.MAX_PERSONS)
        self.persons.setAccessibleName("Haushaltsgröße für die Prüfung")
        self.persons.valueChanged.connect(self._show_check)
        persons_label = QLabel("&Haushaltsgröße:")
        persons_label.setBuddy(self.persons)
        self.check_text = QLabel()
        self.check_text.setWordWrap(True)
        self.check_text.setAccessibleName("KdU-Prüfung im Einzelnen")
        self.check_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse |
                                                Qt.TextInteractionFlag.TextSelectableByKeyboard)
        kdu_page = QWidget()
        kdu_layout = QVBoxLayout(kdu_page)
        kdu_layout.addWidget(self.kdu_table)
        persons_row = QHBoxLayout()
        persons_row.addWidget(persons_label)
        persons_row.addWidget(self.persons)
        persons_row.addStretch()
        kdu_layout.addLayout(persons_row)
        kdu_layout.addWidget(self.check_text)
        self.tabs.addTab(kdu_page, "&KdU-Prüfung")
        self.proposals = ReadOnlyTable(["Vorgeschlagen am", "Stand", "Besichtigung", "Mietvertrag", "Standort",
                                        "Beratung"], "Vorschläge", "offer_proposals")
        self.tabs.addTab(self.proposals, "&Vorschläge")
        self.edit_button = QPushButton("&Bearbeiten…")
        self.edit_button.clicked.connect(self.edit)
        self.edit_button.setVisible(self.district)
        self.status_button = QPushButton("Status ä&ndern…" if self.district else "Status an den Kreis &melden…")
        self.status_button.clicked.connect(self.change_status)
        close = QPushButton("Schl&ießen")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.status_button)
        buttons.addStretch()
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        listen(self, wants(Aggregate.FLAT_OFFERS, Aggregate.LANDLORDS, Aggregate.PROPOSALS,
                           Aggregate.REGISTRY_REQUESTS, Aggregate.REGISTRY_DECISIONS, Aggregate.KDU_TABLES),
               self.refresh)
        self.refresh()

    def refresh(self) -> None:
        detail = registry_views.offer_detail(self.store, self.user, self.offer_id)
        self.data, self.landlord_name, pending = detail.data, detail.landlord_name, detail.reported_status
        self.checks, self.proposal_rows = detail.checks, detail.proposals
        d = self.data
        status = OfferStatus(d.status).label
        if pending and pending != d.status:
            status += f" (gemeldet: {OfferStatus(pending).label})"
        address = f"{d.street}, {d.plz + ' ' if d.plz else ''}{d.municipality}"
        self.setWindowTitle(f"Wohnung: {address}")
        self.heading.setText(f"<b style='font-size:14pt'>{address}</b> – {status}")
        features = [name for name, on in (("Aufzug", d.lift), ("barrierefrei", d.barrier_free),
                                           ("WBS erforderlich", d.wbs_required), ("Haustiere erlaubt", d.pets_allowed))
                    if on]
        facts = [("Vermieter", self.landlord_name), ("Wohnfläche", kdu.format_area(d.floor_space_m2)),
                 ("Zimmer", fmt_number(d.rooms)),
                 ("Etage", "Souterrain" if d.floor < 0 else "Erdgeschoss" if d.floor == 0 else f"{d.floor}. OG"),
                 ("Ausstattung", ", ".join(features) or "–"), ("Kaltmiete", fmt_money(d.cold_rent or 0)),
                 ("Kalte Nebenkosten", fmt_money(d.utilities or 0)),
                 ("Bruttokaltmiete", fmt_money(d.gross_rent)), ("Heizkosten", fmt_money(d.heating)),
                 ("Kaution", fmt_money(d.deposit)), ("Frei ab", fmt_date(d.available_from)), ("Status", status),
                 ("Notizen", (d.notes or "–").replace("<", "&lt;").replace("\n", "<br>"))]
        self.facts.setText("<table cellspacing='4'>" + "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>"
                                                               for k, v in facts) + "</table>")
        self.kdu_table.fill([[str(p), fmt_money(c.limit), fmt_money(c.gross_rent), _verdict(c),
                              f"{c.reasonable_floor_space_m2} m²"] if isinstance(c, kdu.KduCheck) else
                             [str(p), "–", "–", c, "–"] for p, c in enumerate(self.checks, start=1)])
        self._show_check()
        self.proposals.fill([[fmt_date(p.proposed_on), ProposalStep(p.step).label, fmt_date(p.viewing_on),
                              fmt_date(p.lease_signed_on), p.owner_site, p.counsellor_name]
                             for p in self.proposal_rows])
        self.tabs.setTabText(2, f"&Vorschläge ({len(self.proposal_rows)})")

    def _show_check(self) -> None:
        try:
            check = registry_views.offer_check(self.store, self.user, self.offer_id, self.persons.value())
        except WhhError as exc:
            self.check_text.setText(str(exc))
            return
        self.check_text.setText("<br>".join(check.lines()))

    def edit(self) -> None:
        modal.accepted(OfferDialog(lambda v: offers.save_offer(self.store, self.user, v[0], self.offer_id),
                                   registry_views.landlord_choices(self.store, self.user), self.data, parent=self))

    def change_status(self) -> None:
        modal.accepted(StatusDialog(lambda v: offers.set_status(self.store, self.user, self.offer_id, *v),
                                    self.data.status, self.district, self))


def _verdict(check: kdu.KduCheck) -> str:
    if check.appropriate:
        return kdu.APPROPRIATE
    return f"{kdu.NOT_APPROPRIATE} (+{fmt_money(check.difference)})"
