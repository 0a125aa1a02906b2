"""The parts »Kontakte«, »Fristen«, »Vermittlungen« and »Einwilligungen«: a list of the read model's part with a
detail pane that shows the selected item in full, and the forms that add to it and (Enter, double-click,
»Bearbeiten…«) correct it."""

from __future__ import annotations

import html

from whh_desktop.core.domain.enums import Baustein, ConsentRecipient, ContactKind, ReferralStatus, ReferralTarget
from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import casework, consent, fristen
from whh_desktop.core.services.case_file import CaseFile
from whh_desktop.core.services.case_file_views import ConsentView
from whh_desktop.core.services.consent import DATA_CATEGORIES
from whh_desktop.ui import messages, modal
from whh_desktop.ui.case_file.panel import (
    CasePanel,
    DetailPane,
    button,
    enum_label,
    fill_by_id,
    list_detail_tab,
    stretch,
    text_html,
)
from whh_desktop.ui.dialogs.case_forms import (
    ConsentDialog,
    ContactDialog,
    FollowUpDialog,
    OverrideDialog,
    ReferralDialog,
    ReferralStatusDialog,
    RevokeDialog,
    rule_html,
)
from whh_desktop.ui.widgets.tables import ReadOnlyTable


class ContactsPanel(CasePanel):
    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.contacts = ReadOnlyTable(["Datum", "Art", "Dauer", "Bausteine", "Notiz", "Nächster Schritt"],
                                      "Kontakte", "contacts")
        stretch(self.contacts, 4, 5)
        self.detail = DetailPane("Kontakt im Einzelnen")
        self.add_contact_button = button("Kontakt &erfassen…", self.add_contact)
        self.edit_contact_button = button("&Bearbeiten…", self.edit_contact)
        list_detail_tab(self, self.contacts, self.detail, self.add_contact_button, self.edit_contact_button,
                        on_open=self.edit_contact)

    def fill(self, cf: CaseFile) -> None:
        fill_by_id(self.contacts, [[fmt_date(x.on), ContactKind(x.kind).label, f"{x.minutes} Min.",
                                    ", ".join(enum_label(Baustein, b) for b in x.bausteine),
                                    first_line(cf.note_of(x)), first_line(x.next_step)] for x in cf.contacts],
                   [x.id for x in cf.contacts])

    def selected(self) -> casework.ContactView | None:
        row = self.contacts.selected_row()
        return self.data.contacts[row] if self.data and row is not None and row < len(self.data.contacts) else None

    def enable(self) -> None:
        editable = self.data is not None and self.data.editable
        self.add_contact_button.setEnabled(editable)
        item = self.selected()
        self.edit_contact_button.setEnabled(editable and item is not None and not item.confidential)

    def show_detail(self) -> None:
        x, cf = self.selected(), self.data
        if x is None or cf is None:
            self.detail.show_text("Einen Kontakt auswählen, um ihn hier vollständig zu sehen." if cf and cf.contacts
                                  else "Noch keine Kontakte erfasst.")
            return
        self.detail.show_fields([
            ("Datum", fmt_date(x.on)), ("Art", ContactKind(x.kind).label), ("Dauer", f"{x.minutes} Min."),
            ("Bausteine", ", ".join(enum_label(Baustein, b) for b in x.bausteine)),
            ("Erfasst von", cf.who(x.counsellor)), ("Notiz", cf.note_of(x)), ("Nächster Schritt", x.next_step)],
            "Gesundheits- und Suchtangaben sehen und ändern nur die fallführende Beratung und die Vertretungen."
            if x.confidential else "")

    def add_contact(self) -> None:
        modal.run_modal(ContactDialog(self.on_case(casework.add_contact), self))

    def edit_contact(self) -> None:
        item = self.selected()
        if item is None or not self.edit_contact_button.isEnabled():
            return
        modal.run_modal(ContactDialog(lambda data: casework.update_contact(self.store, self.user, item.id, data),
                                      self, existing=item))


def first_line(text: str, limit: int = 120) -> str:
    """A list cell: the first line of a text, cut at ``limit`` (the detail pane shows all of it)."""
    line = text.strip().split("\n", 1)[0]
    return line if len(line) <= limit and line == text.strip() else line[:limit].rstrip() + " …"


class DeadlinesPanel(CasePanel):
    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.deadlines = ReadOnlyTable(["Fällig", "Art", "Zuständig", "Hinweis"], "Fristen", "deadlines")
        stretch(self.deadlines, 3)
        self.deadline_rule = DetailPane("Regel und Eingaben")
        self.follow_up_button = button("&Wiedervorlage anlegen…", self.add_follow_up)
        self.override_button = button("&Frist abweichend setzen…", self.override_deadline)
        self.done_button = button("&Erledigt", self.deadline_done)
        list_detail_tab(self, self.deadlines, self.deadline_rule, self.follow_up_button, self.override_button,
                        self.done_button, on_open=self.override_deadline)

    def fill(self, cf: CaseFile) -> None:
        fill_by_id(self.deadlines, [[fmt_date(d.due_on), d.kind.label, cf.who(d.assigned_to),
                                     f"abweichend: {d.override_reason}" if d.override_reason
                                     else first_line(d.note or "")] for d in cf.deadlines],
                   [d.id for d in cf.deadlines])

    def show_detail(self) -> None:
        self._show_rule()

    def enable(self) -> None:
        cf = self.data
        self.follow_up_button.setEnabled(cf is not None and cf.editable)
        for b in (self.override_button, self.done_button):
            b.setEnabled(cf is not None and cf.active and self.deadlines.selected_row() is not None)

    def _show_rule(self) -> None:
        item, cf = self.selected(), self.data
        if item is None or cf is None:
            self.deadline_rule.show_text("Eine Frist auswählen, um Regel und Eingaben zu sehen." if cf
                                         and cf.deadlines else "Keine offenen Fristen.")
            return
        head = (f"<p><b>Fällig:</b> {fmt_date(item.due_on)} · <b>Zuständig:</b> {html.escape(cf.who(item.assigned_to))}"
                + (f"<br><b>Notiz:</b> {text_html(item.note)}" if item.note else "") + "</p>")
        self.deadline_rule.setHtml(head + f"<p>{rule_html(item)}</p>")

    def selected(self) -> fristen.DueItem | None:
        row = self.deadlines.selected_row()
        return self.data.deadlines[row] if self.data and row is not None else None

    def add_follow_up(self) -> None:
        modal.run_modal(FollowUpDialog(lambda v: fristen.add_follow_up(self.store, self.user, self.case_id, *v),
                                       self))

    def override_deadline(self) -> None:
        if (item := self.selected()) and self.override_button.isEnabled():
            modal.run_modal(OverrideDialog(lambda v: fristen.override(self.store, self.user, item.id, *v), item,
                                           self))

    def deadline_done(self) -> None:
        if item := self.selected():
            self.run(lambda: fristen.mark_done(self.store, self.user, item.id))


class ReferralsPanel(CasePanel):
    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.referrals = ReadOnlyTable(["Datum", "An", "Stelle", "Stand", "Ergebnis"], "Vermittlungen", "referrals")
        stretch(self.referrals, 2, 4)
        self.detail = DetailPane("Vermittlung im Einzelnen")
        self.add_referral_button = button("Vermittlung a&nlegen…", self.add_referral)  # Alt+A is the menu bar's
        self.referral_status_button = button("&Bearbeiten…", self.update_referral)
        list_detail_tab(self, self.referrals, self.detail, self.add_referral_button, self.referral_status_button,
                        on_open=self.update_referral)

    def fill(self, cf: CaseFile) -> None:
        fill_by_id(self.referrals, [[fmt_date(x.on), ReferralTarget(x.target).label, x.target_name,
                                     ReferralStatus(x.status).label, first_line(x.outcome)] for x in cf.referrals],
                   [x.id for x in cf.referrals])

    def selected(self) -> casework.ReferralView | None:
        row = self.referrals.selected_row()
        return self.data.referrals[row] if self.data and row is not None and row < len(self.data.referrals) \
            else None

    def enable(self) -> None:
        editable = self.data is not None and self.data.editable
        self.add_referral_button.setEnabled(editable)
        self.referral_status_button.setEnabled(editable and self.selected() is not None)

    def show_detail(self) -> None:
        x, cf = self.selected(), self.data
        if x is None or cf is None:
            self.detail.show_text("Eine Vermittlung auswählen, um sie hier vollständig zu sehen."
                                  if cf and cf.referrals else "Noch keine Vermittlungen angelegt.")
            return
        self.detail.show_fields([
            ("Datum", fmt_date(x.on)), ("An", ReferralTarget(x.target).label), ("Stelle", x.target_name),
            ("Stand", ReferralStatus(x.status).label), ("Ergebnis", x.outcome), ("Notiz", x.note)],
            "Notiz und Ergebnis einer Vermittlung an SpDi oder Suchthilfe sehen nur die fallführende Beratung und "
            "die Vertretungen." if x.confidential else "")

    def consent_state(self, target: str) -> tuple[bool, str]:
        assert self.data is not None
        return self.data.referral_consent(target)

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

        modal.run_modal(ReferralDialog(save, self.consent_state, self))

    def update_referral(self) -> None:
        referral = self.selected()
        if referral is not None and self.referral_status_button.isEnabled():
            modal.run_modal(ReferralStatusDialog(
                lambda v: casework.update_referral(self.store, self.user, referral.id, *v), referral, self))


class ConsentsPanel(CasePanel):
    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.consents = ReadOnlyTable(["Unterschrieben", "Empfänger", "Zweck", "Gesundheitsdaten", "Gültig bis",
                                       "Widerrufen", "Gültig heute"], "Einwilligungen", "consents")
        stretch(self.consents, 2)
        self.detail = DetailPane("Einwilligung im Einzelnen")
        self.add_consent_button = button("Einwilligung &erfassen…", self.add_consent)
        self.correct_button = button("&Korrigieren…", self.correct_consent)
        self.revoke_button = button("&Widerrufen…", self.revoke_consent)
        list_detail_tab(self, self.consents, self.detail, self.add_consent_button, self.correct_button,
                        self.revoke_button, on_open=self.correct_consent)

    def fill(self, cf: CaseFile) -> None:
        fill_by_id(self.consents, [[fmt_date(x.signed_on), recipients(x), first_line(x.purpose, 80),
                                    "ja" if x.health_data else "nein", fmt_date(x.valid_until),
                                    fmt_date(x.revoked_on), "ja" if x.valid_today else "nein"] for x in cf.consents],
                   [x.id for x in cf.consents])

    def selected(self) -> ConsentView | None:
        row = self.consents.selected_row()
        return self.data.consents[row] if self.data and row is not None and row < len(self.data.consents) else None

    def enable(self) -> None:
        editable = self.data is not None and self.data.editable
        self.add_consent_button.setEnabled(editable)
        item = self.selected()
        self.correct_button.setEnabled(editable and item is not None)
        self.revoke_button.setEnabled(editable and item is not None and item.revoked_on is None)

    def show_detail(self) -> None:
        x, cf = self.selected(), self.data
        if x is None or cf is None:
            self.detail.show_text("Eine Einwilligung auswählen, um sie hier vollständig zu sehen."
                                  if cf and cf.consents else "Noch keine Einwilligung erfasst.")
            return
        self.detail.show_fields([
            ("Empfänger", recipients(x)), ("Stelle genauer", x.recipient_note or ""), ("Zweck", x.purpose),
            ("Datenarten", ", ".join(DATA_CATEGORIES.get(c, c) for c in x.categories)),
            ("Gesundheitsdaten (Art. 9 DSGVO)", "ja" if x.health_data else "nein"),
            ("Unterschrieben am", fmt_date(x.signed_on)), ("Gültig ab", fmt_date(x.valid_from)),
            ("Gültig bis", fmt_date(x.valid_until) if x.valid_until else "unbefristet"),
            ("Widerrufen am", fmt_date(x.revoked_on)),
            ("Heute gültig", "ja" if x.valid_today else "nein")],
            "Falsch erfasst? »Korrigieren…« erfasst sie neu (vorausgefüllt) und beendet die bisherige; was unter "
            "ihr weitergegeben wurde, bleibt belegt.")

    def add_consent(self) -> None:
        modal.run_modal(ConsentDialog(self.on_case(consent.record), self))

    def correct_consent(self) -> None:
        item = self.selected()
        if item is not None and self.correct_button.isEnabled():
            modal.run_modal(ConsentDialog(lambda data: consent.replace(self.store, self.user, item.id, data), self,
                                          existing=item))

    def revoke_consent(self) -> None:
        item = self.selected()
        if item is not None and self.revoke_button.isEnabled():
            modal.run_modal(RevokeDialog(lambda on: consent.revoke(self.store, self.user, item.id, on), self))


def recipients(x: ConsentView) -> str:
    return ", ".join(enum_label(ConsentRecipient, r) for r in x.recipients)
