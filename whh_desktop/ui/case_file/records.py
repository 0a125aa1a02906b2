"""The tabs »Kontakte«, »Fristen«, »Vermittlungen« and »Einwilligungen«: a table of the read model's part and the
forms that add to it."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from whh_desktop.core.domain.enums import Baustein, ConsentRecipient, ContactKind, ReferralStatus, ReferralTarget
from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import casework, consent, fristen
from whh_desktop.core.services.case_file import CaseFile
from whh_desktop.ui import messages, modal
from whh_desktop.ui.case_file.panel import CasePanel, button, enum_label, table_tab
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
        self.add_contact_button = button("Kontakt &erfassen…", self.add_contact)
        table_tab(self, self.contacts, self.add_contact_button)

    def fill(self, cf: CaseFile) -> None:
        self.contacts.fill([[fmt_date(x.on), ContactKind(x.kind).label, f"{x.minutes} Min.",
                             ", ".join(enum_label(Baustein, b) for b in x.bausteine), cf.note_of(x)[:200],
                             x.next_step[:120]] for x in cf.contacts])

    def enable(self) -> None:
        self.add_contact_button.setEnabled(self.data is not None and self.data.editable)

    def add_contact(self) -> None:
        modal.run_modal(ContactDialog(self.on_case(casework.add_contact), self))


class DeadlinesPanel(CasePanel):
    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.deadlines = ReadOnlyTable(["Fällig", "Art", "Zuständig", "Hinweis"], "Fristen", "deadlines")
        self.deadline_rule = QLabel()
        self.deadline_rule.setWordWrap(True)
        self.deadline_rule.setAccessibleName("Regel und Eingaben")
        self.follow_up_button = button("&Wiedervorlage anlegen…", self.add_follow_up)
        self.override_button = button("Frist &abweichend setzen…", self.override_deadline)
        self.done_button = button("&Erledigt", self.deadline_done)
        table_tab(self, self.deadlines, self.follow_up_button, self.override_button, self.done_button,
                  below=self.deadline_rule)
        self.deadlines.itemSelectionChanged.connect(self._show_rule)

    def fill(self, cf: CaseFile) -> None:
        self.deadlines.fill([[fmt_date(d.due_on), d.kind.label, cf.who(d.assigned_to),
                              f"abweichend: {d.override_reason}" if d.override_reason else (d.note or "")]
                             for d in cf.deadlines])
        self._show_rule()

    def enable(self) -> None:
        cf = self.data
        self.follow_up_button.setEnabled(cf is not None and cf.editable)
        for b in (self.override_button, self.done_button):
            b.setEnabled(cf is not None and cf.active and self.deadlines.selected_row() is not None)

    def _show_rule(self) -> None:
        item = self.selected()
        self.deadline_rule.setText(rule_html(item) if item else
                                   "Eine Frist auswählen, um Regel und Eingaben zu sehen." if self.data
                                   and self.data.deadlines else "Keine offenen Fristen.")

    def selected(self) -> fristen.DueItem | None:
        row = self.deadlines.selected_row()
        return self.data.deadlines[row] if self.data and row is not None else None

    def add_follow_up(self) -> None:
        modal.run_modal(FollowUpDialog(lambda v: fristen.add_follow_up(self.store, self.user, self.case_id, *v),
                                       self))

    def override_deadline(self) -> None:
        if item := self.selected():
            modal.run_modal(OverrideDialog(lambda v: fristen.override(self.store, self.user, item.id, *v), item,
                                           self))

    def deadline_done(self) -> None:
        if item := self.selected():
            self.run(lambda: fristen.mark_done(self.store, self.user, item.id))


class ReferralsPanel(CasePanel):
    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.referrals = ReadOnlyTable(["Datum", "An", "Stelle", "Stand", "Ergebnis"], "Vermittlungen", "referrals")
        self.add_referral_button = button("Vermittlung a&nlegen…", self.add_referral)  # Alt+A closes the case
        self.referral_status_button = button("&Stand ändern…", self.update_referral)
        table_tab(self, self.referrals, self.add_referral_button, self.referral_status_button)

    def fill(self, cf: CaseFile) -> None:
        self.referrals.fill([[fmt_date(x.on), ReferralTarget(x.target).label, x.target_name,
                              ReferralStatus(x.status).label, x.outcome] for x in cf.referrals])

    def enable(self) -> None:
        editable = self.data is not None and self.data.editable
        self.add_referral_button.setEnabled(editable)
        self.referral_status_button.setEnabled(editable and self.referrals.selected_row() is not None)

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
        row = self.referrals.selected_row()
        if row is not None and self.data is not None:
            referral = self.data.referrals[row]
            modal.run_modal(ReferralStatusDialog(
                lambda v: casework.update_referral(self.store, self.user, referral.id, *v), referral, self))


class ConsentsPanel(CasePanel):
    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.consents = ReadOnlyTable(["Unterschrieben", "Empfänger", "Zweck", "Gesundheitsdaten", "Gültig bis",
                                       "Widerrufen", "Gültig heute"], "Einwilligungen", "consents")
        self.add_consent_button = button("Einwilligung &erfassen…", self.add_consent)
        self.revoke_button = button("&Widerrufen…", self.revoke_consent)
        table_tab(self, self.consents, self.add_consent_button, self.revoke_button)

    def fill(self, cf: CaseFile) -> None:
        self.consents.fill([[fmt_date(x.signed_on), ", ".join(enum_label(ConsentRecipient, r) for r in x.recipients),
                             x.purpose[:80], "ja" if x.health_data else "nein", fmt_date(x.valid_until),
                             fmt_date(x.revoked_on), "ja" if x.valid_today else "nein"] for x in cf.consents])

    def enable(self) -> None:
        editable = self.data is not None and self.data.editable
        self.add_consent_button.setEnabled(editable)
        row = self.consents.selected_row()
        self.revoke_button.setEnabled(editable and row is not None and self.data.consents[row].revoked_on is None)

    def add_consent(self) -> None:
        modal.run_modal(ConsentDialog(self.on_case(consent.record), self))

    def revoke_consent(self) -> None:
        row = self.consents.selected_row()
        if row is not None and self.data is not None:
            item = self.data.consents[row]
            modal.run_modal(RevokeDialog(lambda on: consent.revoke(self.store, self.user, item.id, on), self))
