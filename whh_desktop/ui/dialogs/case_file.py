"""The case file (Fallakte): tabs over everything recorded, plus contacts, closing and reopening."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain.enums import (
    Baustein,
    Category,
    ContactKind,
    IncomeKind,
    Outcome,
    ReferralStatus,
    ReferralTarget,
    Relation,
)
from whh_desktop.core.domain.validation import format_money
from whh_desktop.core.errors import WhhError
from whh_desktop.core.services import case_file, cases, casework
from whh_desktop.core.services.casework import ContactData
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store.engine import Store
from whh_desktop.ui import messages
from whh_desktop.ui.formatting import fmt_date
from whh_desktop.ui.modal import accepted
from whh_desktop.ui.widgets.tables import ReadOnlyTable


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _date_edit(value: date, name: str) -> QDateEdit:
    edit = QDateEdit(_qdate(value))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd.MM.yyyy")
    edit.setAccessibleName(name)
    return edit


def ok_cancel(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    """The German OK/Abbrechen row every small form dialog ends with."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Abbrechen")
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def _money(value: int | None) -> str:
    return format_money(value) if value is not None else "–"


class ContactDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Beratungskontakt erfassen")
        self.on = _date_edit(date.today(), "Datum")
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 1440)
        self.minutes.setValue(30)
        self.minutes.setSuffix(" Min.")
        self.minutes.setAccessibleName("Dauer")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Art")
        for k in ContactKind:
            self.kind.addItem(k.label, k.value)
        self.bausteine = {b.value: QCheckBox(b.label) for b in Baustein}
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Notiz")
        self.next_step = QPlainTextEdit()
        self.next_step.setAccessibleName("Nächster Schritt")
        self.next_step.setMaximumHeight(60)
        self.message = QLabel()
        self.message.setStyleSheet("color: #c62828;")
        self.message.setWordWrap(True)
        boxes = QVBoxLayout()
        for box in self.bausteine.values():
            boxes.addWidget(box)
        form = QFormLayout()
        form.addRow("&Datum", self.on)
        form.addRow("D&auer", self.minutes)
        form.addRow("A&rt", self.kind)
        form.addRow("Bausteine", boxes)
        form.addRow("&Notiz", self.note)
        form.addRow("Nächster &Schritt", self.next_step)
        buttons = ok_cancel(self, "&Speichern")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def value(self) -> ContactData:
        return ContactData(_pydate(self.on.date()), self.minutes.value(), self.kind.currentData(),
                           [k for k, box in self.bausteine.items() if box.isChecked()],
                           self.note.toPlainText().strip(), self.next_step.toPlainText().strip())


class CloseDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fall abschließen")
        self.outcome = QComboBox()
        self.outcome.setAccessibleName("Ergebnis")
        for o in Outcome:
            self.outcome.addItem(o.label, o.value)
        self.on = _date_edit(date.today(), "Abgeschlossen am")
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Abschlussnotiz")
        form = QFormLayout()
        form.addRow("&Ergebnis", self.outcome)
        form.addRow("Abgeschlossen &am", self.on)
        form.addRow("&Notiz", self.note)
        buttons = ok_cancel(self, "&Abschließen")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)


class CaseFileDialog(QDialog):
    """Shows one case; reloads after every change made from here."""

    def __init__(self, store: Store, user: CurrentUser, case_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.user, self.case_id = store, user, case_id
        self.setMinimumSize(980, 640)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.tabs = QTabWidget()
        self.overview = QLabel()
        self.overview.setWordWrap(True)
        self.overview.setTextFormat(Qt.TextFormat.RichText)
        self.overview.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.contacts = ReadOnlyTable(["Datum", "Art", "Dauer", "Bausteine", "Notiz", "Nächster Schritt"],
                                      "Kontakte", "contacts")
        self.proceedings = ReadOnlyTable(["Kündigung", "Art", "Klage zugestellt", "Verhandlung", "Räumung",
                                          "Aktenzeichen Gericht"], "Räumungsverfahren")
        self.referrals = ReadOnlyTable(["Datum", "An", "Stelle", "Status", "Ergebnis"], "Vermittlungen")
        self.consents = ReadOnlyTable(["Unterschrieben", "Empfänger", "Zweck", "Gesundheitsdaten", "Gültig bis",
                                       "Widerrufen"], "Einwilligungen")
        self.documents = ReadOnlyTable(["Datum", "Titel", "Art", "Empfänger"], "Dokumente")
        self.log = QListWidget()
        self.log.setAccessibleName("Verlauf")
        contact_tab = QWidget()
        contact_layout = QVBoxLayout(contact_tab)
        self.add_contact_button = QPushButton("Kontakt &erfassen…")
        self.add_contact_button.clicked.connect(self.add_contact)
        contact_layout.addWidget(self.add_contact_button)
        contact_layout.addWidget(self.contacts)
        for widget, label in ((self.overview, "&Überblick"), (contact_tab, "&Kontakte"),
                              (self.proceedings, "&Räumungsverfahren"), (self.referrals, "&Vermittlungen"),
                              (self.consents, "&Einwilligungen"), (self.documents, "&Dokumente"),
                              (self.log, "Ver&lauf")):
            self.tabs.addTab(widget, label)
        self.close_button = QPushButton("Fall &abschließen…")
        self.close_button.clicked.connect(self.close_case)
        self.reopen_button = QPushButton("Wieder &öffnen")
        self.reopen_button.clicked.connect(self.reopen)
        done = QPushButton("Schließen")
        done.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.reopen_button)
        buttons.addStretch()
        buttons.addWidget(done)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.warning)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        cf = case_file.open_case(self.store, self.user, self.case_id)
        self.data = cf
        c = cf.case
        self.setWindowTitle(f"Fallakte {cf.title}")
        status = {"draft": "Entwurf", "open": "offen", "closed": "abgeschlossen"}[c.status]
        self.header.setText(f"<b style='font-size:14pt'>{cf.title}</b><br>Status: {status} · aufgenommen am "
                            f"{fmt_date(c.opened_on)} · fallführend: {c.counsellor}"
                            + (f" · abgeschlossen am {fmt_date(c.closed_on)} ({Outcome(c.outcome).label})"
                               if c.closed_on and c.outcome else ""))
        warnings = [cf.risk.explanation] if cf.risk and cf.risk.at_risk else []
        warnings += [f"{d.kind.label}: fällig am {fmt_date(d.due_on)}" for d in cf.deadlines
                     if (d.due_on - date.today()).days <= 7]
        self.warning.setText("\n".join(warnings))
        self.warning.setVisible(bool(warnings))
        self.close_button.setEnabled(c.status != "closed")
        self.reopen_button.setEnabled(c.status == "closed")
        self.overview.setText(self._overview_html(cf))
        self.contacts.fill([[fmt_date(x.on), ContactKind(x.kind).label, f"{x.minutes} Min.", ", ".join(x.bausteine),
                             cf.note_of(x)[:200], (x.next_step or "")[:120]] for x in cf.contacts])
        self.proceedings.fill([[fmt_date(x.termination_on), x.termination_kind or "", fmt_date(x.suit_served_on),
                                fmt_date(x.hearing_on), fmt_date(x.eviction_on), x.court_file_no or ""]
                               for x in cf.proceedings])
        self.referrals.fill([[fmt_date(x.on), ReferralTarget(x.target).label, x.target_name or "",
                              ReferralStatus(x.status).label, x.outcome or ""] for x in cf.referrals])
        self.consents.fill([[fmt_date(x.signed_on), ", ".join(x.recipients), x.purpose[:80],
                             "ja" if x.health_data else "nein", fmt_date(x.valid_until), fmt_date(x.revoked_on)]
                            for x in cf.consents])
        self.documents.fill([[fmt_date(x.created_at.date()), x.title, x.kind, x.recipient or ""]
                             for x in cf.documents])
        self.log.clear()
        for entry in cf.log:
            self.log.addItem(f"{fmt_date(entry.on)}  {entry.what}")

    @staticmethod
    def _overview_html(cf: case_file.CaseFile) -> str:
        c, p = cf.case, cf.person
        lines = [f"<b>Person:</b> {p.given_names} {p.family_name}, geboren {fmt_date(p.birth_date) or '–'}, "
                 f"{p.municipality or c.municipality or '–'}"]
        lines.append("<b>Kategorie-Verlauf:</b> " + "; ".join(
            f"{fmt_date(x.since)} {Category(x.category).label}" for x in cf.categories) or "–")
        lines.append("<b>Bausteine:</b> " + (", ".join(Baustein(b).label for b in cf.bausteine) or "–"))
        lines.append("<b>Offene Fristen:</b> " + ("; ".join(
            f"{d.kind.label} {fmt_date(d.due_on)}" for d in cf.deadlines) or "keine"))
        if cf.household:
            lines.append("<b>Haushalt:</b> " + "; ".join(
                f"{Relation(m.relation).label} {m.given_names or ''} {fmt_date(m.birth_date)}" for m in cf.household))
        if cf.incomes:
            lines.append("<b>Einkommen:</b> " + "; ".join(
                f"{IncomeKind(i.kind).label} seit {fmt_date(i.since) or '–'}" for i in cf.incomes))
        lines.append(f"<b>Miete:</b> kalt {_money(c.cold_rent)}, Nebenkosten {_money(c.utilities)}, Heizung "
                     f"{_money(c.heating)}; Mietschulden {_money(c.arrears)}"
                     + (f" seit {fmt_date(c.arrears_since)}" if c.arrears_since else ""))
        return "<br><br>".join(lines)

    def _act(self, action, *args) -> bool:
        try:
            action(self.store, self.user, self.case_id, *args)
        except WhhError as exc:
            messages.show_error(self, exc)
            return False
        self.reload()
        return True

    def add_contact(self) -> None:
        dialog = ContactDialog(self)
        if accepted(dialog):
            self._act(casework.add_contact, dialog.value())

    def close_case(self) -> None:
        dialog = CloseDialog(self)
        if accepted(dialog):
            self._act(cases.close_case, Outcome(dialog.outcome.currentData()), _pydate(dialog.on.date()),
                      dialog.note.toPlainText().strip())

    def reopen(self) -> None:
        if messages.confirm(self, "Den abgeschlossenen Fall wieder öffnen?", yes="Wieder öffnen"):
            self._act(cases.reopen_case)
