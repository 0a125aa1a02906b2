"""Landlord registry dialogs: the landlord form (district edits, a site proposes), a contact note, merging two
entries, and the detail view of one landlord with contact history, placements, offers and merged entries."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain import iban as iban_rules
from whh_desktop.core.domain.changes import Aggregate
from whh_desktop.core.domain.formatting import fmt_date, fmt_money, fmt_number
from whh_desktop.core.domain.housing import ContactWay, CooperationStatus, LandlordKind
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import landlords, registry_views
from whh_desktop.core.services.landlords import ContactPerson, LandlordData
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import messages, modal
from whh_desktop.ui.dialogs.case_forms import DateField, FormDialog, combo, text_box
from whh_desktop.ui.ops import Op, listen, wants
from whh_desktop.ui.widgets.fields import line_edit
from whh_desktop.ui.widgets.screen_fit import resize_within_screen
from whh_desktop.ui.widgets.tables import ReadOnlyTable

TRI_STATE = [("", "nicht gefragt"), ("ja", "ja"), ("nein", "nein")]


def tri_label(value: bool | None) -> str:
    return "–" if value is None else ("ja" if value else "nein")


def _tri_value(value: bool | None) -> str:
    return "" if value is None else ("ja" if value else "nein")


def _tri_parse(text: str) -> bool | None:
    return None if not text else text == "ja"


class ContactPersonsEditor(QWidget):
    """Contact persons as an editable table (Name, Funktion, Telefon, E-Mail) with add/remove buttons."""

    HEADERS = ("Name", "Funktion", "Telefon", "E-Mail")

    def __init__(self, persons: tuple[ContactPerson, ...] = ()) -> None:
        super().__init__()
        self.setAccessibleName("Ansprechpersonen")
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setHorizontalHeaderLabels(list(self.HEADERS))
        self.table.setAccessibleName("Ansprechpersonen")
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMaximumHeight(110)
        for person in persons:
            self.add(person)
        self.add_button = QPushButton("Ansprechperson &hinzufügen")
        self.add_button.clicked.connect(lambda: self.add())
        self.remove_button = QPushButton("Ansprechperson ent&fernen")
        self.remove_button.clicked.connect(self.remove)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def add(self, person: ContactPerson | None = None) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        values = (person.name, person.role, person.phone, person.email) if person else ("", "", "", "")
        for col, value in enumerate(values):
            self.table.setItem(row, col, QTableWidgetItem(value))
        if person is None:
            self.table.setCurrentCell(row, 0)
            self.table.setFocus()
            self.table.editItem(self.table.item(row, 0))

    def remove(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def value(self) -> tuple[ContactPerson, ...]:
        out = []
        for row in range(self.table.rowCount()):
            cells = [(self.table.item(row, c).text() if self.table.item(row, c) else "").strip()
                     for c in range(len(self.HEADERS))]
            if any(cells):
                out.append(ContactPerson(*cells))
        return tuple(out)


class LandlordDialog(FormDialog):
    """Create or edit a registry entry (district) or propose a new landlord (site, with a note to the district).
    ``value()`` is ``(LandlordData, note)``."""

    TITLE = "Vermieter"

    def __init__(self, save: Callable[[tuple[LandlordData, str]], object], data: LandlordData | None = None,
                 propose: bool = False, parent: QWidget | None = None, title: str = "") -> None:
        self.data, self.propose = data, propose
        if propose:
            self.OK_TEXT = "Vorsch&lagen"
        super().__init__(save, parent)
        self.setWindowTitle(title or ("Neuen Vermieter vorschlagen" if propose else
                                      "Vermieter bearbeiten" if data else "Neuer Vermieter"))

    def build(self) -> None:
        d = self.data or LandlordData(name="")
        if self.propose:
            hint = QLabel("Das Vermieterregister pflegt der Kreis. Ihr Vorschlag geht mit dem nächsten Paket an den "
                          "Kreis; dort wird er geprüft und übernommen.")
            hint.setWordWrap(True)
            self.form.addRow(hint)
        self.name = self.row("&Name", "name", line_edit("Name", text=d.name,
                                                        placeholder="z. B. Wohnbau Löhne eG oder Herr Meier"))
        self.kind = self.row("&Art", "kind", combo("Art", LandlordKind.choices(), d.kind))
        self.persons = self.row("Ansprechpersonen", "contact_persons", ContactPersonsEditor(d.contact_persons))
        self.street = self.row("Stra&ße", "street", line_edit("Straße und Hausnummer", text=d.street))
        self.plz = self.row("&PLZ", "plz", line_edit("Postleitzahl", text=d.plz))
        self.plz.setMaximumWidth(90)
        self.city = self.row("&Ort", "city", line_edit("Ort", text=d.city))
        self.phone = self.row("&Telefon", "phone", line_edit("Telefon", text=d.phone))
        self.email = self.row("&E-Mail", "email", line_edit("E-Mail", text=d.email))
        self.preferred = self.row("Bevorzugter &Kontaktweg", "preferred_contact", combo(
            "Bevorzugter Kontaktweg", [("", "–"), *ContactWay.choices()], d.preferred_contact or ""))
        self.status = self.row("Z&usammenarbeit", "cooperation_status", combo(
            "Stand der Zusammenarbeit", CooperationStatus.choices(), d.cooperation_status))
        self.direct = self.row("&Direktzahlung an Vermieter", "accepts_direct_payment", combo(
            "Akzeptiert Direktzahlung", TRI_STATE, _tri_value(d.accepts_direct_payment)))
        self.iban = self.row("&IBAN", "iban", line_edit(
            "IBAN des Vermieters", text=d.iban_grouped,
            placeholder="für die Direktzahlung, z. B. DE89 3704 0044 0532 0130 00"))
        self.iban.editingFinished.connect(self._group_iban)
        self.bic = self.row("&BIC", "bic", line_edit("BIC (freiwillig)", text=d.bic,
                                                     placeholder="freiwillig, z. B. WELADED1HFD"))
        self.account_holder = self.row("Kontoinhabe&r", "account_holder", line_edit(
            "Kontoinhaber", text=d.account_holder, placeholder="wenn abweichend vom Namen"))
        self.schufa = self.row("Mieter mit S&CHUFA-Eintrag", "accepts_schufa", combo(
            "Akzeptiert Mieter mit SCHUFA-Eintrag", TRI_STATE, _tri_value(d.accepts_schufa)))
        self.agreements = self.row("&Vereinbarungen", "agreements_note", text_box("Vereinbarungen",
                                                                                  d.agreements_note, 60))
        self.notes = self.row("Noti&zen", "notes", text_box("Notizen", d.notes, 60))
        self.won_on = self.row("&Gewonnen am", "won_on", DateField("Gewonnen am", "won_on", d.won_on))
        self.note = None
        if self.propose:
            self.note = self.row("Hin&weis an den Kreis", "note", text_box("Hinweis an den Kreis", "", 50))

    def value(self) -> tuple[LandlordData, str]:
        data = LandlordData(
            name=self.name.text(), kind=self.kind.currentData(), contact_persons=self.persons.value(),
            street=self.street.text(), plz=self.plz.text(), city=self.city.text(), phone=self.phone.text(),
            email=self.email.text(), preferred_contact=self.preferred.currentData() or None,
            cooperation_status=self.status.currentData(), accepts_direct_payment=_tri_parse(self.direct.currentData()),
            accepts_schufa=_tri_parse(self.schufa.currentData()), agreements_note=self.agreements.toPlainText(),
            notes=self.notes.toPlainText(), won_on=self.won_on.value(), iban=self.iban.text(), bic=self.bic.text(),
            account_holder=self.account_holder.text())
        return data, self.note.toPlainText() if self.note is not None else ""

    def _group_iban(self) -> None:
        """Show a typed IBAN in groups of four once it is complete and valid; a wrong one stays as typed."""
        with contextlib.suppress(InvalidInput):
            self.iban.setText(iban_rules.grouped(iban_rules.parse(self.iban.text())))


class ContactNoteDialog(FormDialog):
    """One entry in a landlord's contact history. ``value()`` is ``(on, way, note)``."""

    TITLE = "Kontakt mit Vermieter notieren"

    def build(self) -> None:
        self.on = self.row("&Datum", "on", DateField("Datum des Kontakts", "on", date.today(), required=True))
        self.way = self.row("&Kontaktweg", "way", combo("Kontaktweg", ContactWay.choices()))
        self.note = self.row("&Worum ging es?", "note", text_box("Worum ging es", "", 100))

    def value(self) -> tuple[date, str, str]:
        return self.on.value(), self.way.currentData(), self.note.toPlainText()  # type: ignore[return-value]


class MergeDialog(FormDialog):
    """Merge another entry of the same landlord into this one (reversible). ``value()`` is the other entry's id."""

    TITLE = "Einträge zusammenführen"
    OK_TEXT = "&Zusammenführen"

    def __init__(self, save: Callable[[uuid.UUID], object], keep_name: str,
                 candidates: list[tuple[uuid.UUID, str]], parent: QWidget | None = None) -> None:
        self.keep_name, self.candidates = keep_name, candidates
        super().__init__(save, parent)

    def build(self) -> None:
        text = QLabel(f"Bleibt: <b>{self.keep_name}</b>.<br>Der gewählte Eintrag wird in diesen überführt: seine "
                      "Kontakte, Wohnungen und Vermittlungen erscheinen hier. Die Zusammenführung lässt sich in der "
                      "Ansicht des Vermieters wieder aufheben.")
        text.setWordWrap(True)
        self.form.addRow(text)
        self.other = self.row("&Doppelter Eintrag", "merge_id", combo(
            "Doppelter Eintrag", [("", "– bitte wählen –"), *((str(i), n) for i, n in self.candidates)]))
        self.other.setEditable(True)  # type to find the entry in a long registry
        self.other.setInsertPolicy(self.other.InsertPolicy.NoInsert)

    def value(self) -> uuid.UUID:
        index = self.other.findText(self.other.currentText())
        data = self.other.itemData(index) if index >= 0 else ""
        if not data:
            raise InvalidInput("Bitte den doppelten Eintrag wählen, der in diesen überführt werden soll.", "merge_id")
        return uuid.UUID(data)


class LandlordDetailDialog(QDialog):
    """One landlord: master data and agreements, contact history (add a note), placements, offers, merged entries;
    district staff edit, merge and undo merges here."""

    def __init__(self, store: Store, user: CurrentUser, landlord_id: uuid.UUID, parent: QWidget | None = None,
                 open_offer: Callable[[uuid.UUID], None] | None = None) -> None:
        super().__init__(parent)
        self.store, self.user, self.landlord_id = store, user, landlord_id
        self.open_offer = open_offer
        self.district = registry_views.may_edit_registry(store, user)
        self.setWindowTitle("Vermieter")
        resize_within_screen(self, 820, 560)
        self.heading = QLabel()
        self.heading.setAccessibleName("Vermieter")
        self.merge_hint = QLabel()
        self.merge_hint.setWordWrap(True)
        self.merge_hint.setAccessibleName("Zusammenführung")
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Bereiche des Vermieters")
        self.master = QLabel()
        self.master.setWordWrap(True)
        self.master.setAccessibleName("Stammdaten und Vereinbarungen")
        self.master.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse |
                                            Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.notes = ReadOnlyTable(["Datum", "Weg", "Notiz", "Von", "Standort"], "Kontakte", "landlord_notes")
        self.placements = ReadOnlyTable(["Mietvertrag am", "Wohnung", "Standort"], "Vermittlungen",
                                        "landlord_placements")
        self.offers = ReadOnlyTable(["Adresse", "m²", "Zimmer", "Bruttokalt", "Status"], "Wohnungen",
                                    "landlord_offers")
        self.offers.itemActivated.connect(lambda _item: self._open_offer())
        self.merged = ReadOnlyTable(["Name", "Ort"], "Zusammengeführte Einträge", "landlord_merged")
        master_page = QWidget()
        QVBoxLayout(master_page).addWidget(self.master)
        master_page.layout().addStretch()
        self.tabs.addTab(master_page, "&Stammdaten")
        notes_page = QWidget()
        notes_layout = QVBoxLayout(notes_page)
        notes_layout.addWidget(self.notes)
        self.note_button = QPushButton("Kontakt &notieren…")
        self.note_button.clicked.connect(self.add_note)
        notes_layout.addWidget(self.note_button)
        self.tabs.addTab(notes_page, "&Kontakte")
        self.tabs.addTab(self.placements, "&Vermittlungen")
        self.tabs.addTab(self.offers, "&Wohnungen")
        merged_page = QWidget()
        merged_layout = QVBoxLayout(merged_page)
        merged_layout.addWidget(self.merged)
        self.unmerge_button = QPushButton("Zusammenführung &aufheben")
        self.unmerge_button.clicked.connect(self.undo_selected_merge)
        merged_layout.addWidget(self.unmerge_button)
        self.tabs.addTab(merged_page, "&Zusammengeführt")
        self.edit_button = QPushButton("&Bearbeiten…")
        self.edit_button.clicked.connect(self.edit)
        self.undo_own_button = QPushButton("Zusammenführung a&ufheben")
        self.undo_own_button.clicked.connect(self.undo_own_merge)
        self.delete_button = QPushButton("&Löschen…")
        self.delete_button.clicked.connect(self.delete)
        close = QPushButton("Schl&ießen")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.undo_own_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch()
        buttons.addWidget(close)
        self.edit_button.setVisible(self.district)
        self.delete_button.setVisible(self.district)
        self.unmerge_button.setVisible(self.district)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.merge_hint)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        listen(self, wants(Aggregate.LANDLORDS, Aggregate.LANDLORD_NOTES, Aggregate.FLAT_OFFERS,
                           Aggregate.PROPOSALS), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        detail = registry_views.landlord_detail(self.store, self.user, self.landlord_id)
        self.data, target = detail.data, detail.merged_into_name
        history, placed, self.offer_rows = detail.history, detail.placements, detail.offers
        self.merged_view = [(m.id, m.name, m.city) for m in detail.merged]
        d = self.data
        self.setWindowTitle(f"Vermieter: {d.name}")
        self.heading.setText(f"<b style='font-size:14pt'>{d.name}</b> – {LandlordKind(d.kind).label}, "
                             f"Zusammenarbeit: {CooperationStatus(d.cooperation_status).label}")
        self.merge_hint.setText(f"Dieser Eintrag ist mit »{target}« zusammengeführt." if target else "")
        self.merge_hint.setVisible(bool(target))
        self.undo_own_button.setVisible(self.district and bool(target))
        self.master.setText(master_html(d))
        self.notes.fill([[fmt_date(n.on), n.way_label, n.note, n.author_name, n.site] for n in history])
        self.placements.fill([[fmt_date(p.lease_signed_on), p.offer_address, p.site] for p in placed])
        self.offers.fill([[o.address, fmt_number(o.floor_space_m2), fmt_number(o.rooms),
                           fmt_money(o.gross_rent), o.status_label] for o in self.offer_rows])
        self.merged.fill([[name, city] for _i, name, city in self.merged_view])
        self.tabs.setTabText(1, f"&Kontakte ({len(history)})")
        self.tabs.setTabText(2, f"&Vermittlungen ({len(placed)})")
        self.tabs.setTabText(3, f"&Wohnungen ({len(self.offer_rows)})")
        self.tabs.setTabText(4, f"&Zusammengeführt ({len(self.merged_view)})")

    def add_note(self) -> None:
        modal.accepted(ContactNoteDialog(
            lambda v: landlords.add_contact_note(self.store, self.user, self.landlord_id, *v), self))

    def edit(self) -> None:
        modal.accepted(LandlordDialog(
            lambda v: landlords.save_landlord(self.store, self.user, v[0], self.landlord_id), self.data, parent=self))

    def delete(self) -> None:
        """Only an entry nothing refers to; otherwise the service says what still points at it."""
        if not messages.confirm(self, f"Den Vermieter »{self.data.name}« aus dem Register löschen?",
                                title="Vermieter löschen", yes="&Löschen"):
            return
        Op(self, lambda: landlords.delete_landlord(self.store, self.user, self.landlord_id)).success(
            lambda _: self.accept()).run()

    def undo_selected_merge(self) -> None:
        row = self.merged.selected_row()
        if row is None:
            messages.inform(self, "Bitte zuerst den zusammengeführten Eintrag wählen.")
            return
        self._undo(self.merged_view[row][0], self.merged_view[row][1])

    def undo_own_merge(self) -> None:
        self._undo(self.landlord_id, self.data.name)

    def _undo(self, merged_id: uuid.UUID, name: str) -> None:
        if not messages.confirm(self, f"Die Zusammenführung von »{name}« aufheben? Beide Einträge stehen danach "
                                      "wieder einzeln im Register.", yes="&Aufheben"):
            return
        Op(self, lambda: landlords.undo_merge(self.store, self.user, merged_id)).run()

    def _open_offer(self) -> None:
        row = self.offers.selected_row()
        if row is not None and self.open_offer is not None:
            self.open_offer(self.offer_rows[row].id)


def master_html(d: LandlordData) -> str:
    def esc(text: str) -> str:
        return (text or "–").replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br>")

    address = ", ".join(p for p in (d.street, f"{d.plz} {d.city}".strip()) if p)
    people = "<br>".join(esc(" · ".join(x for x in (p.name, p.role, p.phone, p.email) if x))
                         for p in d.contact_persons) or "–"
    rows = [("Art", LandlordKind(d.kind).label), ("Anschrift", address), ("Telefon", d.phone), ("E-Mail", d.email),
            ("Bevorzugter Kontaktweg", ContactWay(d.preferred_contact).label if d.preferred_contact else ""),
            ("Zusammenarbeit", CooperationStatus(d.cooperation_status).label),
            ("Gewonnen am", fmt_date(d.won_on) if d.won_on else ""),
            ("Direktzahlung", tri_label(d.accepts_direct_payment)),
            ("Bankverbindung", " · ".join(x for x in (d.iban_grouped, d.bic, d.account_holder) if x)),
            ("Mieter mit SCHUFA-Eintrag", tri_label(d.accepts_schufa)), ("Vereinbarungen", d.agreements_note),
            ("Notizen", d.notes)]
    body = "".join(f"<tr><td><b>{k}</b></td><td>{esc(v)}</td></tr>" for k, v in rows)
    body += f"<tr><td><b>Ansprechpersonen</b></td><td>{people}</td></tr>"
    return f"<table cellspacing='4'>{body}</table>"


class RejectDialog(FormDialog):
    """Reject a site's request with a reason the site will see."""

    TITLE = "Vorschlag ablehnen"
    OK_TEXT = "&Ablehnen"

    def __init__(self, save: Callable[[str], object], summary: str, parent: QWidget | None = None) -> None:
        self.summary = summary
        super().__init__(save, parent)

    def build(self) -> None:
        text = QLabel(f"Vorschlag: {self.summary}")
        text.setWordWrap(True)
        self.form.addRow(text)
        self.reason = self.row("&Grund", "reason", text_box("Grund der Ablehnung", "", 80))

    def value(self) -> str:
        return self.reason.toPlainText()
