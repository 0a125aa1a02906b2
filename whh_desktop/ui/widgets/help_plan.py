"""The case file's tabs »Hilfeplan« (goals, services, conferences, PDF) and »Suchthilfe« (health data)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.errors import WhhError
from whh_desktop.core.services import help_plans, suchthilfe
from whh_desktop.core.services.access import HIDDEN_NOTE
from whh_desktop.core.services.case_file import CaseFile
from whh_desktop.core.services.case_file_views import GoalView
from whh_desktop.core.services.help_plan_print import help_plan_pdf
from whh_desktop.core.services.help_plans import (
    ConferenceData,
    ConferenceKind,
    GoalData,
    GoalStatus,
    ServiceData,
    ServiceKind,
    ServiceView,
)
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.core.services.suchthilfe import Stage, StageData, StageStatus, StageView
from whh_desktop.ui import messages, modal, printing
from whh_desktop.ui.case_file.panel import CasePanel
from whh_desktop.ui.dialogs.case_forms import DateField, FormDialog, combo, text_box
from whh_desktop.ui.style import ERROR
from whh_desktop.ui.widgets.tables import ReadOnlyTable


def _line(name: str, text: str = "", placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(text)
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def _buttons(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch()
    return row


# ---- forms --------------------------------------------------------------------------------------------------
class GoalDialog(FormDialog):
    TITLE = "Ziel im Hilfeplan"

    def __init__(self, save, goal: GoalView | None = None, parent: QWidget | None = None) -> None:
        self.goal = goal
        super().__init__(save, parent)

    def build(self) -> None:
        g = self.goal
        self.what = self.row("&Ziel", "what", text_box("Ziel", g.what if g else "", 70))
        self.steps = self.row("Sc&hritte", "steps", text_box("Schritte", (g.steps or "") if g else "", 70))
        self.responsible = self.row("Zustän&dig", "responsible",
                                    _line("Zuständig", (g.responsible or "") if g else "", "z. B. Frau Neumann, SpDi"))
        self.due_on = self.row("&Bis wann", "due_on", DateField("Bis wann", "due_on", g.due_on if g else None))
        self.review_on = self.row("Überprüfung a&m", "review_on",
                                  DateField("Überprüfung am", "review_on", g.review_on if g else None))
        self.status = self.row("S&tand", "status", combo("Stand", [(s.value, s.label) for s in GoalStatus],
                                                          g.status if g else None))
        self.result_box = self.row("&Ergebnis", "result", text_box("Ergebnis", (g.result or "") if g else "", 60))

    def value(self) -> GoalData:
        return GoalData(self.what.toPlainText(), self.steps.toPlainText(), self.responsible.text(),
                        self.due_on.value(), self.review_on.value(), self.status.currentData(),
                        self.result_box.toPlainText())


class ServiceDialog(FormDialog):
    """A service joins the plan; the consent state for the chosen kind shows while choosing it."""

    TITLE = "Beteiligte Stelle hinzufügen"
    OK_TEXT = "&Hinzufügen"

    def __init__(self, save, gate, parent: QWidget | None = None) -> None:
        self.gate = gate
        super().__init__(save, parent)

    def build(self) -> None:
        self.kind = self.row("&Art", "kind", combo("Art der Stelle", [(k.value, k.label) for k in ServiceKind]))
        self.consent = QLabel()
        self.consent.setWordWrap(True)
        self.consent.setAccessibleName("Einwilligung")
        self.form.addRow("", self.consent)
        self.confirmed = QCheckBox("Schriftliche Einwilligung, die diese Stelle nennt, liegt vor")
        self.confirmed.setAccessibleName("Einwilligung bestätigt")
        self.fields["consent"] = self.confirmed
        self.form.addRow("", self.confirmed)
        self.name = self.row("&Stelle", "name", _line("Stelle", placeholder="z. B. SpDi Kreis Herford"))
        self.person = self.row("Ans&prechperson", "contact_person", _line("Ansprechperson"))
        self.phone = self.row("&Telefon", "phone", _line("Telefon"))
        self.email = self.row("&E-Mail", "email", _line("E-Mail"))
        self.task = self.row("Auf&gabe", "task", text_box("Aufgabe", height=60))
        self.kind.currentIndexChanged.connect(self._show_consent)
        self._show_consent()

    def _show_consent(self) -> None:
        gate = self.gate(ServiceKind(self.kind.currentData()))
        self.consent.setText(("✔ " if gate.allowed else "⚠ ") + gate.message)
        self.consent.setStyleSheet("" if gate.allowed else f"color: {ERROR};")
        self.confirmed.setVisible(gate.needs_confirmation)
        if not gate.needs_confirmation:
            self.confirmed.setChecked(False)

    def value(self) -> ServiceData:
        return ServiceData(self.kind.currentData(), self.name.text(), self.person.text(), self.phone.text(),
                           self.email.text(), self.task.toPlainText(), date.today(), self.confirmed.isChecked())


class ConferenceDialog(FormDialog):
    TITLE = "Planungskonferenz erfassen"

    def build(self) -> None:
        self.kind = self.row("&Art", "kind", combo("Art der Konferenz", [(k.value, k.label) for k in ConferenceKind]))
        self.held_on = self.row("&Datum", "held_on", DateField("Datum", "held_on", date.today(), required=True))
        self.participants = self.row("&Teilnehmende", "participants",
                                     text_box("Teilnehmende (eine Person oder Stelle je Zeile)", height=80))
        self.agreements = self.row("&Vereinbarungen", "agreements", text_box("Vereinbarungen", height=90))
        self.next_review = self.row("&Nächste Überprüfung", "next_review_on",
                                    DateField("Nächste Überprüfung", "next_review_on"))

    def value(self) -> ConferenceData:
        return ConferenceData(self.held_on.value(), self.kind.currentData(),
                              self.participants.toPlainText().splitlines(), self.agreements.toPlainText(),
                              self.next_review.value())


class StageDialog(FormDialog):
    TITLE = "Stufe im Suchthilfe-Verlauf"

    def __init__(self, save, stage: StageView | None = None, parent: QWidget | None = None) -> None:
        self.stage_row = stage
        super().__init__(save, parent)

    def build(self) -> None:
        r = self.stage_row
        self.stage = self.row("St&ufe", "stage", combo("Stufe", [(s.value, s.label) for s in Stage],
                                                        r.stage if r else None))
        self.status = self.row("S&tand", "status", combo("Stand", [(s.value, s.label) for s in StageStatus],
                                                          r.status if r else None))
        self.planned_on = self.row("&Geplant für", "planned_on",
                                   DateField("Geplant für", "planned_on", r.planned_on if r else None))
        self.started_on = self.row("&Beginn", "started_on", DateField("Beginn", "started_on",
                                                                     r.started_on if r else None))
        self.ended_on = self.row("&Ende", "ended_on", DateField("Ende", "ended_on", r.ended_on if r else None))
        self.facility = self.row("Einric&htung", "facility", _line("Einrichtung", r.facility if r else ""))
        self.flat_kept = QCheckBox("Wohnung bleibt während dieser Stufe erhalten")
        self.flat_kept.setChecked(bool(r and r.flat_kept))
        self.row("", "flat_kept", self.flat_kept)
        self.housing = self.row("&Wohnen", "housing", text_box(
            "Wohnen während dieser Stufe", r.housing if r else "", 80))
        self.note = self.row("&Notiz", "note", text_box("Notiz", r.note if r else "", 60))

    def value(self) -> StageData:
        return StageData(self.stage.currentData(), self.status.currentData(), self.planned_on.value(),
                         self.started_on.value(), self.ended_on.value(), self.facility.text(),
                         self.housing.toPlainText(), self.flat_kept.isChecked(), self.note.toPlainText())


# ---- panels -------------------------------------------------------------------------------------------------
class _Panel(CasePanel):
    """A help-plan tab: shows its part of the case file read model; only another site's case is read-only."""

    @property
    def read_only(self) -> bool:
        return self.data is None or self.data.read_only

    def _remove(self, question: str, action: Callable[..., object], *args: object) -> None:
        """Ask, then tombstone as an operation (the sync carries the removal; the broadcast refreshes the file)."""
        if messages.confirm(self, question, title="Entfernen", yes="&Entfernen"):
            self.run(lambda: action(self.store, self.user, *args))


class HelpPlanPanel(_Panel):
    def __init__(self, store: Store, user: CurrentUser, case_id: uuid.UUID) -> None:
        super().__init__(store, user, case_id)
        self.goals = ReadOnlyTable(["Ziel", "Schritte", "Zuständig", "Bis wann", "Überprüfung", "Stand", "Ergebnis"],
                                   "Ziele", "help_plan_goals")
        self.services = ReadOnlyTable(["Stelle", "Art", "Ansprechperson", "Erreichbar", "Einwilligung"],
                                      "Beteiligte Stellen", "help_plan_services")
        self.conferences = ReadOnlyTable(["Datum", "Art", "Teilnehmende", "Vereinbarungen", "Nächste Überprüfung"],
                                         "Planungskonferenzen", "help_plan_conferences")
        self.add_goal_button = QPushButton("&Ziel hinzufügen…")
        self.add_goal_button.clicked.connect(lambda: self.edit_goal(None))
        self.edit_goal_button = QPushButton("Ziel &bearbeiten…")
        self.edit_goal_button.clicked.connect(lambda: self.edit_goal(self.goals.selected_row()))
        self.add_service_button = QPushButton("S&telle hinzufügen…")
        self.add_service_button.clicked.connect(self.add_service)
        self.remove_service_button = QPushButton("Stelle &entfernen…")
        self.remove_service_button.clicked.connect(self.remove_service)
        self.goal_rows: tuple[GoalView, ...] = ()
        self.service_rows: tuple[ServiceView, ...] = ()
        self.add_conference_button = QPushButton("&Konferenz erfassen…")
        self.add_conference_button.clicked.connect(self.add_conference)
        self.print_button = QPushButton("Hilfeplan d&rucken…")
        self.print_button.clicked.connect(self.print_plan)
        self.save_button = QPushButton("Als &PDF speichern…")
        self.save_button.clicked.connect(self.save_plan)
        self.review = QLabel()
        self.review.setAccessibleName("Nächste Überprüfung")
        layout = QVBoxLayout(self)
        layout.addLayout(_buttons(self.print_button, self.save_button))
        layout.addWidget(self.review)
        layout.addWidget(QLabel("<b>Ziele</b>"))
        layout.addLayout(_buttons(self.add_goal_button, self.edit_goal_button))
        layout.addWidget(self.goals, 2)
        layout.addWidget(QLabel("<b>Beteiligte Stellen</b>"))
        layout.addLayout(_buttons(self.add_service_button, self.remove_service_button))
        layout.addWidget(self.services, 1)
        layout.addWidget(QLabel("<b>Planungskonferenzen</b>"))
        layout.addLayout(_buttons(self.add_conference_button))
        layout.addWidget(self.conferences, 1)
        self.goals.itemSelectionChanged.connect(self.enable)
        self.services.itemSelectionChanged.connect(self.enable)

    def fill(self, cf: CaseFile) -> None:
        plan = cf.help_plan
        assert plan is not None
        self.goal_rows, self.service_rows = plan.goals, plan.services
        self.goals.fill([[g.what, g.steps or "", g.responsible or "", fmt_date(g.due_on), fmt_date(g.review_on),
                          GoalStatus(g.status).label, g.result or ""] for g in self.goal_rows])
        self.services.fill([[x.name, ServiceKind(x.kind).label, x.contact_person,
                             " / ".join(v for v in (x.phone, x.email) if v),
                             x.consent_note or ("geprüft" if x.consent_id else "")] for x in plan.services])
        self.conferences.fill([[fmt_date(c.held_on), ConferenceKind(c.kind).label, ", ".join(c.participants),
                                c.agreements or "", fmt_date(c.next_review_on)] for c in plan.conferences])
        review = plan.next_review
        self.review.setText(f"Nächste Überprüfung des Hilfeplans: {fmt_date(review)}" if review
                            else "Noch keine Überprüfung vereinbart.")

    def enable(self) -> None:
        for button in (self.add_goal_button, self.add_service_button, self.add_conference_button):
            button.setEnabled(not self.read_only)
        self.edit_goal_button.setEnabled(not self.read_only and self.goals.selected_row() is not None)
        self.remove_service_button.setEnabled(not self.read_only and self.services.selected_row() is not None)

    def remove_service(self) -> None:
        if (row := self.services.selected_row()) is not None and row < len(self.service_rows):
            service = self.service_rows[row]
            self._remove(f"»{service.name}« aus dem Hilfeplan entfernen?", help_plans.remove_service, service.id)

    def edit_goal(self, row: int | None) -> None:
        goal = self.goal_rows[row] if row is not None else None
        modal.run_modal(GoalDialog(lambda data: help_plans.save_goal(self.store, self.user, self.case_id, data,
                                                                     goal.id if goal else None), goal, self))

    def gate(self, kind: ServiceKind) -> help_plans.ServiceConsent:
        """The consent gate for a kind of service, as read with the case file."""
        assert self.data is not None and self.data.help_plan is not None
        return self.data.help_plan.service_consent[kind.value]

    def add_service(self) -> None:
        modal.run_modal(ServiceDialog(lambda data: help_plans.add_service(self.store, self.user, self.case_id, data),
                                      self.gate, self))

    def add_conference(self) -> None:
        modal.run_modal(ConferenceDialog(
            lambda data: help_plans.add_conference(self.store, self.user, self.case_id, data), self))

    def pdf(self) -> bytes | None:
        try:
            return help_plan_pdf(self.store, self.user, self.case_id)
        except WhhError as exc:
            messages.show_error(self, exc)
            return None

    def print_plan(self) -> None:
        if (data := self.pdf()) is not None:
            printing.print_pdf(self, data, "Hilfeplan")

    def save_plan(self) -> None:
        if (data := self.pdf()) is not None:
            printing.save_pdf(self, data, "Hilfeplan.pdf")


class SuchthilfePanel(_Panel):
    """Only for the case's counsellor and named substitutes (the read model has no pathway for anyone else);
    everyone else sees a note, never the stages."""

    def __init__(self, store: Store, user: CurrentUser, case_id: uuid.UUID) -> None:
        super().__init__(store, user, case_id)
        self.allowed = False
        self.hidden = QLabel(HIDDEN_NOTE)
        self.hidden.setWordWrap(True)
        self.hidden.setAccessibleName("Suchthilfe vertraulich")
        self.stages = ReadOnlyTable(["Stufe", "Stand", "Geplant", "Beginn", "Ende", "Einrichtung", "Wohnen"],
                                    "Suchthilfe-Verlauf", "suchthilfe_stages")
        self.add_button = QPushButton("Stufe hinzu&fügen…")
        self.add_button.clicked.connect(lambda: self.edit_stage(None))
        self.edit_button = QPushButton("Stufe &bearbeiten…")
        self.edit_button.clicked.connect(lambda: self.edit_stage(self.stages.selected_row()))
        self.remove_button = QPushButton("Stufe &löschen…")
        self.remove_button.clicked.connect(self.remove_stage)
        self.stage_rows: list[StageView] = []
        self.stages.itemSelectionChanged.connect(self.enable)

    def fill(self, cf: CaseFile) -> None:
        if self.layout() is None:  # the first read decides what this user sees
            self.allowed = cf.suchthilfe is not None
            layout = QVBoxLayout(self)
            if not self.allowed:
                layout.addWidget(self.hidden)
                layout.addStretch()
            else:
                layout.addLayout(_buttons(self.add_button, self.edit_button, self.remove_button))
                layout.addWidget(self.stages, 1)
        if not self.allowed or cf.suchthilfe is None:
            return
        self.stage_rows = list(cf.suchthilfe)
        self.stages.fill([[Stage(r.stage).label, StageStatus(r.status).label, fmt_date(r.planned_on),
                           fmt_date(r.started_on), fmt_date(r.ended_on), r.facility,
                           ("Wohnung bleibt erhalten. " if r.flat_kept else "") + r.housing]
                          for r in self.stage_rows])

    def enable(self) -> None:
        self.add_button.setEnabled(not self.read_only)
        self.edit_button.setEnabled(not self.read_only and self.stages.selected_row() is not None)
        self.remove_button.setEnabled(not self.read_only and self.stages.selected_row() is not None)

    def remove_stage(self) -> None:
        if (row := self.stages.selected_row()) is not None and row < len(self.stage_rows):
            stage = self.stage_rows[row]
            self._remove(f"Die Stufe »{Stage(stage.stage).label}« löschen?", suchthilfe.remove_stage, stage.id)

    def edit_stage(self, row: int | None) -> None:
        stage = self.stage_rows[row] if row is not None else None
        modal.run_modal(StageDialog(lambda data: suchthilfe.save_stage(self.store, self.user, self.case_id, data,
                                                                       stage.id if stage else None), stage, self))
