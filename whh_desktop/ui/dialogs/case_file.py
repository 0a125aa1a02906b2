"""The case file (Fallakte): one screen per case with tabs over everything recorded, and every action on it."""

from __future__ import annotations

import mimetypes
import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMenu,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain import labels
from whh_desktop.core.domain.enums import (
    Baustein,
    Category,
    ConsentRecipient,
    ContactKind,
    IncomeKind,
    Outcome,
    ReferralStatus,
    ReferralTarget,
    Relation,
    TerminationKind,
)
from whh_desktop.core.domain.filenames import safe_file_name
from whh_desktop.core.domain.housing import SearchStatus
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.domain.validation import format_money
from whh_desktop.core.errors import InvalidInput, WhhError
from whh_desktop.core.services import (
    applications,
    case_file,
    cases,
    casework,
    consent,
    courts,
    fristen,
    housing_search,
    rights,
    sync,
)
from whh_desktop.core.services.data_report import data_report_pdf
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store.engine import Store
from whh_desktop.ui import files, messages, modal, printing
from whh_desktop.ui.dialogs.case_forms import (
    CloseDialog,
    ConsentDialog,
    ContactDialog,
    EvictionDialog,
    FollowUpDialog,
    FormDialog,
    HandoverDialog,
    OverrideDialog,
    ReferralDialog,
    ReferralStatusDialog,
    RentEntryDialog,
    RevokeDialog,
    referral_recipient,
    rule_html,
)
from whh_desktop.ui.dialogs.housing_search import edit_search_of_case
from whh_desktop.ui.dialogs.kdu_check import KduCheckDialog, case_rent
from whh_desktop.ui.dialogs.letter import LetterDialog
from whh_desktop.ui.formatting import fmt_date, fmt_size
from whh_desktop.ui.modal import accepted
from whh_desktop.ui.widgets.applications import ApplicationsTab
from whh_desktop.ui.widgets.help_plan import HelpPlanPanel, SuchthilfePanel
from whh_desktop.ui.widgets.legal_state import legal_state_html
from whh_desktop.ui.widgets.proposals import ProposalsPanel
from whh_desktop.ui.widgets.tables import ReadOnlyTable

__all__ = ["CaseFileDialog", "CloseDialog", "ContactDialog"]


def _money(value: int | None) -> str:
    return format_money(value) if value is not None else "–"


def _label(enum, value: str | None) -> str:
    try:
        return enum(value).label if value else ""
    except ValueError:
        return value or ""


class CaseFileDialog(QDialog):
    """Shows one case; every change made from here goes through a service and reloads the file."""

    def __init__(self, store: Store, user: CurrentUser, case_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.user, self.case_id = store, user, case_id
        self.setMinimumSize(1040, 680)
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
                                          "Aktenzeichen Gericht"], "Räumungsverfahren", "proceedings")
        self.rent = ReadOnlyTable(["Fällig am", "Soll", "Gezahlt", "Rückstand"], "Mietkonto", "rent")
        self.risk = QLabel()
        self.risk.setWordWrap(True)
        self.risk.setAccessibleName("Kündigungsrisiko")
        self.deadlines = ReadOnlyTable(["Fällig", "Art", "Zuständig", "Hinweis"], "Fristen", "deadlines")
        self.deadline_rule = QLabel()
        self.deadline_rule.setWordWrap(True)
        self.deadline_rule.setAccessibleName("Regel und Eingaben")
        self.deadlines.itemSelectionChanged.connect(self._show_rule)
        self.referrals = ReadOnlyTable(["Datum", "An", "Stelle", "Stand", "Ergebnis"], "Vermittlungen", "referrals")
        self.consents = ReadOnlyTable(["Unterschrieben", "Empfänger", "Zweck", "Gesundheitsdaten", "Gültig bis",
                                       "Widerrufen", "Gültig heute"], "Einwilligungen", "consents")
        self.documents = ReadOnlyTable(["Datum", "Titel", "Art", "Empfänger", "Größe"], "Dokumente", "documents")
        self.log = QListWidget()
        self.log.setAccessibleName("Verlauf")
        self.search_summary = QLabel()
        self.search_summary.setWordWrap(True)
        self.search_summary.setAccessibleName("Wohnungssuche")
        self.search_button = QPushButton("Wohnungs&suche…")
        self.search_button.clicked.connect(self.edit_housing_search)
        self.proposals = ProposalsPanel(store, user)
        self.proposals.changed.connect(self.reload)
        self.applications_tab = ApplicationsTab(store, user, case_id, on_change=self.reload)
        self.help_plan = HelpPlanPanel(store, user, case_id)
        self.suchthilfe_panel = SuchthilfePanel(store, user, case_id)
        self.help_plan.changed.connect(self.reload)

        self.add_contact_button = QPushButton("Kontakt &erfassen…")
        self.add_contact_button.clicked.connect(self.add_contact)
        self.add_eviction_button = QPushButton("Räumungsverfahren &erfassen…")
        self.add_eviction_button.clicked.connect(lambda: self.edit_eviction(None))
        self.edit_eviction_button = QPushButton("&Bearbeiten…")
        self.edit_eviction_button.clicked.connect(lambda: self.edit_eviction(self.proceedings.selected_row()))
        self.add_rent_button = QPushButton("&Monat im Mietkonto erfassen…")
        self.add_rent_button.clicked.connect(self.add_rent_entry)
        self.follow_up_button = QPushButton("&Wiedervorlage anlegen…")
        self.follow_up_button.clicked.connect(self.add_follow_up)
        self.override_button = QPushButton("Frist &abweichend setzen…")
        self.override_button.clicked.connect(self.override_deadline)
        self.done_button = QPushButton("&Erledigt")
        self.done_button.clicked.connect(self.deadline_done)
        self.add_referral_button = QPushButton("Vermittlung &anlegen…")
        self.add_referral_button.clicked.connect(self.add_referral)
        self.referral_status_button = QPushButton("&Stand ändern…")
        self.referral_status_button.clicked.connect(self.update_referral)
        self.add_consent_button = QPushButton("Einwilligung &erfassen…")
        self.add_consent_button.clicked.connect(self.add_consent)
        self.revoke_button = QPushButton("&Widerrufen…")
        self.revoke_button.clicked.connect(self.revoke_consent)
        self.add_document_button = QPushButton("Datei &hinzufügen…")
        self.add_document_button.clicked.connect(self.add_document)
        self.save_document_button = QPushButton("&Speichern unter…")
        self.save_document_button.clicked.connect(self.save_document)
        self.letter_button = QPushButton("&Brief schreiben…")
        self.letter_button.clicked.connect(self.write_letter)
        self.kdu_button = QPushButton("KdU &prüfen…")
        self.kdu_button.clicked.connect(self.check_kdu)

        eviction_tab = QWidget()
        eviction_layout = QVBoxLayout(eviction_tab)
        eviction_layout.addLayout(_button_row(self.add_eviction_button, self.edit_eviction_button, self.kdu_button))
        eviction_layout.addWidget(self.proceedings, 2)
        eviction_layout.addWidget(QLabel("<b>Mietkonto</b> (für das Kündigungsrisiko nach § 543 BGB)"))
        eviction_layout.addLayout(_button_row(self.add_rent_button))
        eviction_layout.addWidget(self.rent, 2)
        eviction_layout.addWidget(self.risk)
        for widget, label in (
                (self.overview, "&Überblick"), (_tab(self.contacts, self.add_contact_button), "&Kontakte"),
                (eviction_tab, "&Miete und Räumung"),
                (_tab(self.deadlines, self.follow_up_button, self.override_button, self.done_button,
                      below=self.deadline_rule), "&Fristen"), (self.applications_tab, "An&träge"),
                (_tab(self.referrals, self.add_referral_button, self.referral_status_button), "&Vermittlungen"),
                (_tab(self.consents, self.add_consent_button, self.revoke_button), "E&inwilligungen"),
                (_tab(self.documents, self.letter_button, self.add_document_button, self.save_document_button),
                 "&Dokumente"),
                (self._housing_tab(), "&Wohnungssuche"),
                (self.help_plan, "&Hilfeplan"), (self.suchthilfe_panel, "S&uchthilfe"),
                (self.log, "Ver&lauf")):
            self.tabs.addTab(widget, label)
        for table in (self.proceedings, self.deadlines, self.referrals, self.consents, self.documents):
            table.itemSelectionChanged.connect(self._enable)

        self.privacy_button = QPushButton("&Datenschutz")
        menu = QMenu(self.privacy_button)
        self.report_print_action = menu.addAction("Auskunft nach Art. 15 &drucken…", self.print_data_report)
        self.report_save_action = menu.addAction("Auskunft nach Art. 15 als &PDF speichern…", self.save_data_report)
        menu.addSeparator()
        self.restrict_action = menu.addAction("Verarbeitung &einschränken (Art. 18)", self.toggle_restricted)
        self.erase_action = menu.addAction("Auf Wunsch &löschen…", self.erase_on_request)
        menu.addSeparator()
        self.handover_action = menu.addAction("An anderen &Standort übergeben…", self.hand_over)
        self.handover_action.setVisible(store.info.mode == "site")
        self.privacy_button.setMenu(menu)
        self.close_button = QPushButton("Fall &abschließen…")
        self.close_button.clicked.connect(self.close_case)
        self.reopen_button = QPushButton("Wieder &öffnen")
        self.reopen_button.clicked.connect(self.reopen)
        done = QPushButton("Schließen")
        done.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.privacy_button)
        buttons.addStretch()
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.reopen_button)
        buttons.addWidget(done)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.warning)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.reload()

    # ---- showing ---------------------------------------------------------------------------------------------
    def reload(self) -> None:
        cf = case_file.open_case(self.store, self.user, self.case_id)
        self.data = cf
        c = cf.case
        self.read_only = c.owner_site != self.store.info.site_code  # the district's merged view, a handed-over stub
        self.proposals.read_only = self.read_only
        self.applications_tab.set_read_only(self.read_only)
        self.help_plan.set_read_only(self.read_only)
        self.suchthilfe_panel.set_read_only(self.read_only)
        self.setWindowTitle(f"Fallakte {cf.title}")
        status = labels.case_status(c.status)
        self.header.setText(f"<b style='font-size:14pt'>{cf.title}</b><br>Status: {status} · aufgenommen am "
                            f"{fmt_date(c.opened_on)} · fallführend: {cf.who(c.counsellor)}"
                            + (f" · abgeschlossen am {fmt_date(c.closed_on)} ({Outcome(c.outcome).label})"
                               if c.closed_on and c.outcome else "")
                            + (" · <b>Verarbeitung eingeschränkt (Art. 18)</b>" if c.restricted else "")
                            + (f"<br><b>Nur lesen:</b> Fall des Standorts {_site_label(c.owner_site)} – Änderungen "
                               "macht nur der Standort." if self.read_only else ""))
        today = date.today()
        warnings = [cf.risk.explanation] if cf.risk and cf.risk.at_risk else []
        if cf.legal is not None and cf.legal.schonfrist.barred:
            warnings.append(cf.legal.schonfrist.not_applicable_reason or "")
        warnings += [f"{d.kind.label}: fällig am {fmt_date(d.due_on)}" for d in cf.deadlines
                     if (d.due_on - today).days <= 7]
        self.warning.setText("\n".join(warnings))
        self.warning.setVisible(bool(warnings))
        self.overview.setText(self._overview_html(cf))
        self.contacts.fill([[fmt_date(x.on), ContactKind(x.kind).label, f"{x.minutes} Min.",
                             ", ".join(_label(Baustein, b) for b in x.bausteine), cf.note_of(x)[:200],
                             x.next_step[:120]] for x in cf.contacts])
        self.proceedings.fill([[fmt_date(x.termination_on), _label(TerminationKind, x.termination_kind),
                                fmt_date(x.suit_served_on), fmt_date(x.hearing_on), fmt_date(x.eviction_on),
                                x.court_file_no or ""] for x in cf.proceedings])
        self.rent.fill([[fmt_date(r.due_on), _money(r.amount_due), _money(r.amount_paid),
                         _money(max(r.amount_due - r.amount_paid, 0))] for r in cf.rent_entries])
        self.risk.setText(cf.risk.explanation if cf.risk else "Noch keine Monate im Mietkonto erfasst (und eine "
                          "Miete im Fall nötig), um das Kündigungsrisiko zu berechnen.")
        self.deadlines.fill([[fmt_date(d.due_on), d.kind.label, cf.who(d.assigned_to),
                              f"abweichend: {d.override_reason}" if d.override_reason else (d.note or "")]
                             for d in cf.deadlines])
        self._show_rule()
        self.referrals.fill([[fmt_date(x.on), ReferralTarget(x.target).label, x.target_name,
                              ReferralStatus(x.status).label, x.outcome] for x in cf.referrals])
        self.consents.fill([[fmt_date(x.signed_on), ", ".join(_label(ConsentRecipient, r) for r in x.recipients),
                             x.purpose[:80], "ja" if x.health_data else "nein", fmt_date(x.valid_until),
                             fmt_date(x.revoked_on), "ja" if consent.is_valid(x, today) else "nein"]
                            for x in cf.consents])
        self.documents.fill([[fmt_date(x.created_at.date()), x.title, labels.document_kind(x.kind), x.recipient or "",
                              fmt_size(x.size)]
                             for x in cf.documents])
        self._show_housing()
        self.log.clear()
        for entry in cf.log:
            self.log.addItem(f"{fmt_date(entry.on)}  {entry.what}")
        self._enable()

    def _housing_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(_button_row(self.search_button))
        layout.addWidget(self.search_summary)
        layout.addWidget(QLabel("<b>Wohnungsvorschläge</b>"))
        layout.addWidget(self.proposals, 1)
        return tab

    def _show_housing(self) -> None:
        with self.store.read_session() as s:
            searches = housing_search.searches_of_case(s, self.case_id)
        if not searches:
            self.search_summary.setText("Für diesen Fall ist keine Wohnungssuche angelegt.")
            self.search_button.setText("Wohnungs&suche anlegen…")
        else:
            x = searches[0]
            self.search_button.setText("Wohnungs&suche bearbeiten…")
            self.search_summary.setText(
                f"Stand: {SearchStatus(x.status).label} · {x.household_size} Person(en) · Kommunen: "
                f"{', '.join(x.wanted_municipalities or []) or 'alle'} · Höchstmiete: "
                f"{format_money(x.max_rent) if x.max_rent else 'KdU-Grenze'}"
                + (f" · Einzug ab {fmt_date(x.earliest_move)}" if x.earliest_move else "")
                + "<br>Passende Wohnungen und Vorschläge: Bereich »Wohnungssuche«.")
        self.proposals.show_case(self.case_id)

    def edit_housing_search(self) -> None:
        try:
            saved = edit_search_of_case(self.store, self.user, self.case_id, self)
        except WhhError as exc:
            messages.show_error(self, exc)
            return
        if saved:
            self.reload()

    def _enable(self) -> None:
        c = self.data.case
        active = c.status != "closed" and not c.restricted
        for button in (self.add_contact_button, self.add_eviction_button, self.add_rent_button,
                       self.follow_up_button, self.add_referral_button, self.add_consent_button,
                       self.add_document_button):
            button.setEnabled(not c.restricted)
        self.letter_button.setEnabled(not c.restricted)
        self.edit_eviction_button.setEnabled(not c.restricted and self.proceedings.selected_row() is not None)
        self.override_button.setEnabled(active and self.deadlines.selected_row() is not None)
        self.done_button.setEnabled(active and self.deadlines.selected_row() is not None)
        self.referral_status_button.setEnabled(not c.restricted and self.referrals.selected_row() is not None)
        row = self.consents.selected_row()
        self.revoke_button.setEnabled(not c.restricted and row is not None
                                      and self.data.consents[row].revoked_on is None)
        self.save_document_button.setEnabled(self.documents.selected_row() is not None)
        self.close_button.setEnabled(active)
        self.reopen_button.setEnabled(c.status == "closed" and not c.restricted)
        self.restrict_action.setText("Einschränkung &aufheben" if c.restricted
                                     else "Verarbeitung &einschränken (Art. 18)")
        if self.read_only:
            for widget in (self.add_contact_button, self.add_eviction_button, self.edit_eviction_button,
                           self.add_rent_button, self.follow_up_button, self.override_button, self.done_button,
                           self.add_referral_button, self.referral_status_button, self.add_consent_button,
                           self.revoke_button, self.add_document_button, self.letter_button, self.search_button,
                           self.close_button, self.reopen_button, self.privacy_button):
                widget.setEnabled(False)
            for button in self.proposals.buttons.values():
                button.setEnabled(False)

    def _show_rule(self) -> None:
        item = self._selected_deadline()
        self.deadline_rule.setText(rule_html(item) if item else
                                   "Eine Frist auswählen, um Regel und Eingaben zu sehen." if self.data.deadlines
                                   else "Keine offenen Fristen.")

    @staticmethod
    def _overview_html(cf: case_file.CaseFile) -> str:
        c, p = cf.case, cf.person
        lines = [f"<b>Person:</b> {p.given_names} {p.family_name}, geboren {fmt_date(p.birth_date) or '–'}, "
                 f"{p.municipality or c.municipality or '–'}"]
        lines.append("<b>Kategorie-Verlauf:</b> " + ("; ".join(
            f"{fmt_date(x.since)} {Category(x.category).label}" for x in cf.categories) or "–"))
        lines.append("<b>Bausteine:</b> " + (", ".join(Baustein(b).label for b in cf.bausteine) or "–"))
        lines.append("<b>Offene Fristen:</b> " + ("; ".join(
            f"{d.kind.label} {fmt_date(d.due_on)}" for d in cf.deadlines) or "keine"))
        if cf.household:
            lines.append("<b>Haushalt:</b> " + "; ".join(
                f"{Relation(m.relation).label} {m.given_names or ''} {fmt_date(m.birth_date)}" for m in cf.household))
        if cf.incomes:
            lines.append("<b>Einkommen:</b> " + "; ".join(
                f"{IncomeKind(i.kind).label} seit {fmt_date(i.since) or '–'}" for i in cf.incomes))
        address = ", ".join(x for x in (c.tenancy_street, " ".join(y for y in (c.tenancy_plz, c.tenancy_city) if y))
                            if x)
        if address or c.landlord_name:
            lines.append(f"<b>Wohnung:</b> {address or '–'}" + (f"; Vermieter: {c.landlord_name}" if c.landlord_name
                                                                else ""))
        lines.append(f"<b>Miete:</b> kalt {_money(c.cold_rent)}, Nebenkosten {_money(c.utilities)}, Heizung "
                     f"{_money(c.heating)}; Mietschulden {_money(c.arrears)}"
                     + (f" seit {fmt_date(c.arrears_since)}" if c.arrears_since else ""))
        if cf.legal is not None:
            lines.append(legal_state_html(cf.legal))
        return "<br><br>".join(lines)

    # ---- acting ----------------------------------------------------------------------------------------------
    def _act(self, action: Callable, *args) -> bool:
        try:
            action(*args)
        except WhhError as exc:
            messages.show_error(self, exc)
            return False
        self.reload()
        return True

    def _form(self, dialog: FormDialog) -> bool:
        """Run a form that saves itself; reload when it did."""
        if accepted(dialog):
            self.reload()
            return True
        return False

    def _case_call(self, service: Callable) -> Callable:
        return lambda *args: service(self.store, self.user, self.case_id, *args)

    def add_contact(self) -> None:
        self._form(ContactDialog(self._case_call(casework.add_contact), self))

    def edit_eviction(self, row: int | None) -> None:
        existing = self.data.proceedings[row] if row is not None else None

        def save(data: casework.EvictionData) -> object:
            return casework.save_eviction(self.store, self.user, self.case_id, data, existing.id if existing else None)

        with self.store.read_session() as s:
            proposal = courts.propose_court_for_case(s, self.case_id)
        self._form(EvictionDialog(save, existing, self, court_proposal=proposal))

    def check_kdu(self) -> None:
        """The KdU check of the current flat with the Karenzzeit rule from the recorded benefit start."""
        c = self.data.case
        values = case_rent(self.store, self.case_id, c.municipality, 1 + len(self.data.household), c.cold_rent,
                           c.utilities, c.heating)
        modal.run_modal(KduCheckDialog(self.store, self.user, values, f"KdU-Prüfung – {self.data.title}", self))

    def add_rent_entry(self) -> None:
        self._form(RentEntryDialog(lambda v: casework.add_rent_entry(self.store, self.user, self.case_id, *v), self))

    def add_follow_up(self) -> None:
        self._form(FollowUpDialog(lambda v: fristen.add_follow_up(self.store, self.user, self.case_id, *v), self))

    def _selected_deadline(self) -> fristen.DueItem | None:
        row = self.deadlines.selected_row()
        return self.data.deadlines[row] if row is not None else None

    def override_deadline(self) -> None:
        if item := self._selected_deadline():
            self._form(OverrideDialog(lambda v: fristen.override(self.store, self.user, item.id, *v), item, self))

    def deadline_done(self) -> None:
        if item := self._selected_deadline():
            self._act(fristen.mark_done, self.store, self.user, item.id)

    def consent_state(self, target: str) -> tuple[bool, str]:
        recipient = referral_recipient(target)
        if recipient is None:
            return True, "Für diese Stelle wird keine Einwilligung geprüft; Daten nur mit Einverständnis weitergeben."
        with self.store.read_session() as s:
            check = consent.check_sharing(s, self.case_id, recipient,
                                          health=recipient in (ConsentRecipient.SPDI, ConsentRecipient.SUCHTHILFE))
        return check.allowed, check.message

    def add_referral(self) -> None:
        def save(value: tuple) -> object:
            target, on, name, note = value
            allowed, text = self.consent_state(target.value)
            if not allowed and not messages.confirm(
                    self, f"{text}\n\nOhne gültige Einwilligung dürfen keine Daten an {target.label} weitergegeben "
                          "werden. Die Vermittlung nur vermerken (die Person nimmt selbst Kontakt auf)?",
                    title="Keine gültige Einwilligung", yes="Nur &vermerken"):
                raise InvalidInput("Bitte zuerst eine Einwilligung erfassen oder die Vermittlung nur vermerken.",
                                   "target")
            return casework.add_referral(self.store, self.user, self.case_id, target, on, name,
                                         (note + ("" if allowed else "\n(ohne Datenweitergabe vermerkt)")).strip())

        self._form(ReferralDialog(save, self.consent_state, self))

    def update_referral(self) -> None:
        row = self.referrals.selected_row()
        if row is not None:
            referral = self.data.referrals[row]
            self._form(ReferralStatusDialog(
                lambda v: casework.update_referral(self.store, self.user, referral.id, *v), referral, self))

    def add_consent(self) -> None:
        self._form(ConsentDialog(self._case_call(consent.record), self))

    def revoke_consent(self) -> None:
        row = self.consents.selected_row()
        if row is not None:
            item = self.data.consents[row]
            self._form(RevokeDialog(lambda on: consent.revoke(self.store, self.user, item.id, on), self))

    def add_document(self) -> None:
        path = files.choose_open_path(self, "Dokument zum Fall hinzufügen",
                                      "Dokumente (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.odt *.docx *.txt);;"
                                      "Alle Dateien (*)")
        if path is None:
            return
        try:
            data = path.read_bytes()
        except OSError as exc:
            messages.show_error(self, f"Die Datei konnte nicht gelesen werden: {exc.strerror or exc}")
            return
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self._act(casework.add_document, self.store, self.user, self.case_id, path.stem, mime, data)

    def write_letter(self) -> None:
        dialog = LetterDialog(self.store, self.user, self.case_id, self)
        modal.run_modal(dialog)
        if dialog.recorded is None:
            return
        kind = applications.kind_for_letter(dialog.letter_type.code)
        if kind is not None and messages.confirm(
                self, f"Dieser Brief ist ein Antrag ({kind.label}). In die Anträge übernehmen, um Entscheidung "
                "und Fristen zu verfolgen?", title="Antrag erfassen", yes="In die &Anträge übernehmen") \
                and self._act(applications.add_from_letter, self.store, self.user, dialog.recorded):  # reloads
            self.applications_tab.refresh()
        else:
            self.reload()

    def save_document(self) -> None:
        row = self.documents.selected_row()
        if row is None:
            return
        doc = self.data.documents[row]
        try:
            with self.store.read_session() as s:
                data = casework.document_bytes(s, doc.id)
        except WhhError as exc:
            messages.show_error(self, exc)
            return
        suffix = mimetypes.guess_extension(doc.mime or "") or ""
        path = files.choose_save_path(self, "Dokument speichern", f"{safe_file_name(doc.title)}{suffix}",
                                      "Alle Dateien (*)")
        if path is not None:
            try:
                path.write_bytes(data)
            except OSError as exc:
                messages.show_error(self, f"Die Datei konnte nicht gespeichert werden: {exc.strerror or exc}")

    # ---- data protection -------------------------------------------------------------------------------------
    def _data_report(self) -> bytes | None:
        try:
            return data_report_pdf(self.store, self.user, self.data.person.id)
        except WhhError as exc:
            messages.show_error(self, exc)
            return None

    def print_data_report(self) -> None:
        if (pdf := self._data_report()) is not None:
            printing.print_pdf(self, pdf, "Auskunft nach Art. 15 DSGVO")

    def save_data_report(self) -> None:
        if (pdf := self._data_report()) is not None:
            printing.save_pdf(self, pdf, f"Auskunft-{self.data.case.case_number}.pdf")

    def toggle_restricted(self) -> None:
        restrict = not self.data.case.restricted
        text = ("Die Verarbeitung einschränken? Der Fall bleibt gespeichert, kann aber nicht mehr geändert werden, "
                "bis die Einschränkung aufgehoben wird (Art. 18 DSGVO)." if restrict
                else "Die Einschränkung aufheben? Der Fall kann danach wieder bearbeitet werden.")
        if messages.confirm(self, text, yes="Einschränken" if restrict else "Aufheben"):
            self._act(rights.set_restricted, self.store, self.user, self.case_id, restrict)

    def erase_on_request(self) -> None:
        if not messages.confirm(
                self, f"Alle personenbezogenen Daten des Falls {self.data.case.case_number} endgültig löschen "
                      "(Art. 17 DSGVO)? Es bleiben nur anonyme Angaben für die Statistik. Das kann nicht rückgängig "
                      "gemacht werden; eine Sicherung enthält die Daten bis zu ihrem Ablauf.",
                title="Endgültig löschen", yes="Endgültig löschen"):
            return
        try:
            rights.erase_case(self.store, self.user, self.case_id, "request")
        except WhhError as exc:
            messages.show_error(self, exc)
            return
        messages.inform(self, "Die personenbezogenen Daten des Falls wurden gelöscht.")
        self.accept()

    def hand_over(self) -> None:
        """The person moves: with consent, via the Kreis; this site keeps a read-only copy afterwards."""
        if accepted(HandoverDialog(lambda v: sync.handover_case(self.store, self.user, self.case_id, *v),
                                   self.store.info.site_code, self)):
            messages.inform(self, "Die Übergabe ist eingetragen. Sie geht mit dem nächsten Export an den Kreis; "
                                  "danach kann der Fall hier nur noch gelesen werden.")
            self.reload()

    # ---- closing ---------------------------------------------------------------------------------------------
    def close_case(self) -> None:
        self._form(CloseDialog(lambda v: cases.close_case(self.store, self.user, self.case_id, *v), self))

    def reopen(self) -> None:
        if messages.confirm(self, "Den abgeschlossenen Fall wieder öffnen?", yes="Wieder öffnen"):
            self._act(cases.reopen_case, self.store, self.user, self.case_id)


def _site_label(code: str) -> str:
    try:
        return SiteCode(code).label
    except ValueError:
        return code


def _button_row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch()
    return row


def _tab(table: ReadOnlyTable, *buttons: QPushButton, below: QWidget | None = None) -> QWidget:
    tab = QWidget()
    layout = QVBoxLayout(tab)
    layout.addLayout(_button_row(*buttons))
    layout.addWidget(table, 1)
    if below is not None:
        layout.addWidget(below)
    return tab
