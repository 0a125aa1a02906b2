"""Verwaltung → Adressbuch: the offices letters go to (Jobcenter, Sozialamt, SpDi, Suchtberatung, Amtsgericht).

DESIGN.md §10: the district list (``owner_site == "kreis"``) is kept in the district store and distributed; a site
sees it read-only and keeps its own entries beside it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain.changes import Aggregate
from whh_desktop.core.domain.enums import Role
from whh_desktop.core.domain.formatting import plural
from whh_desktop.core.domain.letter_catalogue import RECIPIENT_KINDS
from whh_desktop.core.services import address_book
from whh_desktop.core.services.address_book import DISTRICT, OFFICE_KINDS, EntryData, EntryRow
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import messages, modal
from whh_desktop.ui.dialogs.case_forms import FormDialog, combo, text_box
from whh_desktop.ui.ops import Op, listen, wants
from whh_desktop.ui.style import MessageLabel, muted
from whh_desktop.ui.widgets.fields import line_edit
from whh_desktop.ui.widgets.tables import ReadOnlyTable

ALL_KINDS = ""
HEADERS = ["Liste", "Art", "Name", "Abteilung", "Anschrift", "Telefon", "E-Mail", "Zuständig für"]
MAX_COLUMN = 300  # px; longer names are elided, the full text is in the entry
DISTRICT_LIST, SITE_LIST = "Kreis", "Standort"
READ_ONLY_AT_SITE = ("Einträge der Liste des Kreises (Spalte »Liste«: Kreis) werden im Datenbestand des Kreises "
                     "gepflegt und an alle Standorte verteilt; hier sind sie nur lesbar, damit alle Standorte "
                     "dieselben Anschriften verwenden. Weicht eine Anschrift ab, bitte einen eigenen Eintrag des "
                     "Standorts anlegen und dem Kreis Bescheid geben.")
IN_DISTRICT = ("Dies ist der Datenbestand des Kreises: Die Einträge hier (Spalte »Liste«: Kreis) werden an alle "
               "Standorte verteilt und sind dort nur lesbar.")


class AddressBookController:
    def __init__(self, store: Store, user: CurrentUser) -> None:
        self.store, self.user = store, user

    @property
    def in_district(self) -> bool:
        return self.store.info.site_code == DISTRICT

    @property
    def may_edit(self) -> bool:
        return self.user.role in (Role.ADMIN, Role.KREIS)

    def editable(self, row: EntryRow) -> bool:
        """Whether this store and user may change the entry (the service checks again)."""
        return self.may_edit and row.district == self.in_district

    def rows(self, kind: str = ALL_KINDS, query: str = "") -> list[EntryRow]:
        return address_book.entries(self.store, self.user, kind or None, query)

    def save(self, data: EntryData, entry_id: uuid.UUID | None = None) -> uuid.UUID:
        return address_book.save_entry(self.store, self.user, data, entry_id)

    def delete(self, entry_id: uuid.UUID) -> None:
        address_book.delete_entry(self.store, self.user, entry_id)


def data_of(row: EntryRow, note: str = "") -> EntryData:
    return EntryData(row.kind, row.name, row.department, row.street, row.plz, row.city, row.phone, row.email,
                     row.municipalities, note)


def kind_items() -> list[tuple[str, str]]:
    return [(kind, RECIPIENT_KINDS.get(kind, kind)) for kind in OFFICE_KINDS]


class EntryDialog(FormDialog):
    """Every field of an address book entry; a refused value marks its field and the dialog stays open."""

    TITLE = "Adressbuch-Eintrag"

    def __init__(self, save: Callable[[EntryData], object], existing: EntryData | None = None,
                 read_only: bool = False, parent: QWidget | None = None) -> None:
        self.existing = existing or EntryData(kind="jobcenter", name="")
        self.read_only = read_only
        super().__init__(save, parent)
        if existing is None:
            self.setWindowTitle("Neuer Adressbuch-Eintrag")
        elif read_only:
            self.setWindowTitle("Adressbuch-Eintrag (Liste des Kreises, nur lesbar)")
        else:
            self.setWindowTitle("Adressbuch-Eintrag ändern")
        if read_only:
            for widget in self.fields.values():
                if isinstance(widget, QLineEdit | QPlainTextEdit):
                    widget.setReadOnly(True)
                else:
                    widget.setEnabled(False)
            box = self.findChild(QDialogButtonBox)
            box.button(QDialogButtonBox.StandardButton.Ok).hide()
            box.button(QDialogButtonBox.StandardButton.Cancel).setText("&Schließen")
            self.message.info(READ_ONLY_AT_SITE)

    def build(self) -> None:
        e = self.existing
        self.kind: QComboBox = self.row("&Art der Stelle", "kind", combo("Art der Stelle", kind_items(), e.kind))
        self.name = self.row("&Name", "name", line_edit("Name der Stelle", "entry_name", e.name))
        self.name.setPlaceholderText("z. B. Jobcenter Kreis Herford – Geschäftsstelle Löhne")
        self.department = self.row("A&bteilung", "department", line_edit("Abteilung", "entry_department",
                                                                         e.department))
        self.department.setPlaceholderText("zweite Zeile der Anschrift, z. B. Leistungsabteilung")
        self.street = self.row("S&traße", "street", line_edit("Straße und Hausnummer", "entry_street", e.street))
        self.plz = self.row("&PLZ", "plz", line_edit("Postleitzahl", "entry_plz", e.plz))
        self.plz.setMaxLength(5)
        self.plz.setMaximumWidth(90)
        self.city = self.row("&Ort", "city", line_edit("Ort", "entry_city", e.city))
        self.phone = self.row("Tele&fon", "phone", line_edit("Telefon", "entry_phone", e.phone))
        self.email = self.row("&E-Mail", "email", line_edit("E-Mail", "entry_email", e.email))
        self.municipalities = self.row("&Zuständig für", "municipalities",
                                       line_edit("Zuständig für Gemeinden, mit Komma getrennt",
                                                 "entry_municipalities", e.municipalities))
        self.municipalities.setPlaceholderText("Gemeinden, mit Komma getrennt, z. B. Löhne, Kirchlengern")
        self.municipalities.setToolTip("Stellen, die für die Gemeinde eines Falls zuständig sind, stehen bei der "
                                       "Auswahl des Empfängers oben.")
        self.note = self.row("Not&iz", "note", text_box("Notiz", e.note, height=80))

    def value(self) -> EntryData:
        return EntryData(kind=self.kind.currentData(), name=self.name.text().strip(),
                         department=self.department.text().strip(), street=self.street.text().strip(),
                         plz=self.plz.text().strip(), city=self.city.text().strip(), phone=self.phone.text().strip(),
                         email=self.email.text().strip(), municipalities=self.municipalities.text().strip(),
                         note=self.note.toPlainText().strip())


class AddressBookTab(QWidget):
    def __init__(self, controller: AddressBookController) -> None:
        super().__init__()
        self.controller = controller
        self.setObjectName("address_book_tab")
        self.rows: list[EntryRow] = []
        self.search = line_edit("Adressbuch durchsuchen (Name, Abteilung, Ort, Gemeinde)", "address_search")
        self.search.setPlaceholderText("Name, Abteilung, Ort oder Gemeinde")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self.refresh())
        search_label = QLabel("S&uche:")
        search_label.setBuddy(self.search)
        self.kind_filter = combo("Nach Art der Stelle filtern", [(ALL_KINDS, "alle Arten"), *kind_items()])
        self.kind_filter.setObjectName("address_kind_filter")
        self.kind_filter.currentIndexChanged.connect(lambda _index: self.refresh())
        kind_label = QLabel("Ar&t:")
        kind_label.setBuddy(self.kind_filter)
        self.count = muted(wrap=False)
        self.count.setAccessibleName("Zahl der Einträge")

        self.table = ReadOnlyTable(HEADERS, "Adressbuch", "address_table")
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.new_button = QPushButton("&Neuer Eintrag…")
        self.new_button.clicked.connect(self.new_entry)
        self.edit_button = QPushButton("Eintrag &ändern…")
        self.edit_button.clicked.connect(self.edit_entry)
        self.view_button = QPushButton("Eintrag an&zeigen…")
        self.view_button.clicked.connect(self.view_entry)
        self.delete_button = QPushButton("Eintrag &löschen…")
        self.delete_button.clicked.connect(self.delete_entry)
        self.message = MessageLabel("Meldung zum Adressbuch")
        self.message.setObjectName("address_message")

        explain = IN_DISTRICT if controller.in_district else READ_ONLY_AT_SITE
        if not controller.may_edit:
            explain = "Das Adressbuch pflegt die Administration; hier ist es nur lesbar."
        self.explain = muted(explain)
        self.explain.setObjectName("address_explain")
        self.explain.setAccessibleName("Hinweis zum Adressbuch")

        filters = QHBoxLayout()
        filters.addWidget(search_label)
        filters.addWidget(self.search, 2)
        filters.addWidget(kind_label)
        filters.addWidget(self.kind_filter, 1)
        filters.addStretch()
        filters.addWidget(self.count)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.view_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(muted("Stellen, an die Briefe gehen: Jobcenter, Sozialamt, Sozialpsychiatrischer Dienst, "
                               "Suchtberatung, Amtsgericht und andere. Vermieter stehen im Vermieterregister."))
        layout.addWidget(self.explain)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.setTabOrder(self.search, self.kind_filter)
        self.setTabOrder(self.kind_filter, self.new_button)
        self.setTabOrder(self.new_button, self.edit_button)
        self.setTabOrder(self.edit_button, self.view_button)
        self.setTabOrder(self.view_button, self.delete_button)
        self.setTabOrder(self.delete_button, self.table)
        self.new_button.setEnabled(controller.may_edit)
        listen(self, wants(Aggregate.ADDRESS_BOOK), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        selected = self.selected()
        try:
            self.rows = self.controller.rows(self.kind_filter.currentData() or ALL_KINDS, self.search.text())
        except Exception as exc:
            self.message.error(messages.error_text(exc))
            return
        self.table.clearSelection()
        self.table.fill([[DISTRICT_LIST if r.district else SITE_LIST, r.kind_label, r.name, r.department,
                          ", ".join(x for x in (r.street, f"{r.plz} {r.city}".strip()) if x), r.phone, r.email,
                          r.municipalities] for r in self.rows],
                        tooltips=[("Liste des Kreises – " + ("hier gepflegt" if self.controller.editable(r)
                                                             else "nur lesbar")) if r.district
                                  else "Eigener Eintrag des Standorts" for r in self.rows])
        self._fit_columns()
        self.table.clearSelection()
        if selected is not None:
            self.select(selected.id)
        self.count.setText(plural(len(self.rows), "Eintrag", "Einträge"))
        self._update_buttons()

    def _fit_columns(self) -> None:
        """Fit the columns to their text but never wider than ``MAX_COLUMN``, so »Liste« and »Art« stay in view."""
        header = self.table.horizontalHeader()
        last = self.table.columnCount() - 1
        for column in range(last):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.resizeColumnToContents(column)
            if self.table.columnWidth(column) > MAX_COLUMN:
                self.table.setColumnWidth(column, MAX_COLUMN)

    def selected(self) -> EntryRow | None:
        row = self.table.selected_row()
        return self.rows[row] if row is not None and row < len(self.rows) else None

    def select(self, entry_id: uuid.UUID) -> bool:
        for i, row in enumerate(self.rows):
            if row.id == entry_id:
                self.table.selectRow(i)
                return True
        return False

    def _update_buttons(self) -> None:
        row = self.selected()
        editable = row is not None and self.controller.editable(row)
        self.edit_button.setEnabled(editable)
        self.delete_button.setEnabled(editable)
        self.view_button.setEnabled(row is not None)
        why = ""
        if row is not None and not editable:
            why = ("Dieser Eintrag gehört zur Liste des Kreises und wird dort gepflegt." if row.district
                   and self.controller.may_edit else
                   "Dieser Eintrag gehört einem Standort und wird dort gepflegt." if self.controller.may_edit
                   else "Das Adressbuch pflegt die Administration.")
        for button in (self.edit_button, self.delete_button):
            button.setToolTip(why)

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            (self.edit_entry if self.controller.editable(row) else self.view_entry)()

    def new_entry(self) -> None:
        self.message.clear()
        dialog = EntryDialog(self.controller.save, parent=self)
        if modal.accepted(dialog):
            self._after_save(dialog, "angelegt")
        dialog.deleteLater()

    def edit_entry(self) -> None:
        row = self.selected()
        if row is None or not self.controller.editable(row):
            return
        self.message.clear()
        dialog = EntryDialog(lambda data: self.controller.save(data, row.id),
                             data_of(row, row.note), parent=self)
        if modal.accepted(dialog):
            self._after_save(dialog, "gespeichert")
        dialog.deleteLater()

    def view_entry(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = EntryDialog(lambda data: None, data_of(row, row.note), read_only=True,
                             parent=self)
        if not row.district:
            dialog.message.info("Dieser Eintrag gehört einem Standort und wird dort gepflegt."
                                if self.controller.may_edit else "Das Adressbuch pflegt die Administration.")
        modal.run_modal(dialog)
        dialog.deleteLater()

    def _after_save(self, dialog: EntryDialog, verb: str) -> None:
        name = dialog.name.text().strip()
        entry_id = dialog.saved if isinstance(dialog.saved, uuid.UUID) else None
        if entry_id is not None and not self.select(entry_id):
            # saved, but hidden by the search or the filter: show everything so it can be found
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.kind_filter.setCurrentIndex(0)
            self.refresh()
            self.select(entry_id)
        self.message.success(f"»{name}« {verb}.")

    def delete_entry(self) -> None:
        row = self.selected()
        if row is None or not self.controller.editable(row):
            return
        self.message.clear()
        if not messages.confirm(self, f"Den Eintrag »{row.name}« ({row.kind_label}, {row.city}) aus dem Adressbuch "
                                      "löschen?\n\nBriefe, die schon geschrieben wurden, bleiben unverändert.",
                                title="Adressbuch-Eintrag löschen", yes="&Löschen"):
            return
        def refused(exc: Exception) -> None:
            messages.show_error(self, exc, title="Adressbuch-Eintrag löschen")
            self.refresh()  # it may have gone meanwhile: show what is there now

        if not Op(self, lambda: self.controller.delete(row.id)).failure(refused).run():
            return
        self.message.success(f"»{row.name}« gelöscht.")
