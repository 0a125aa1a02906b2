"""Erstaufnahme: the form from forms/intake.ui, inline German validation, drafts, duplicate warning."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain.enums import CameVia, Category, IncomeKind, Relation, Sex
from whh_desktop.core.domain.formatting import fmt_date, fmt_money, fmt_time
from whh_desktop.core.domain.municipalities import MUNICIPALITIES
from whh_desktop.core.domain.validation import parse_date, parse_money
from whh_desktop.core.errors import InvalidInput, WhhError
from whh_desktop.core.services import intake
from whh_desktop.core.services.intake import HouseholdData, IncomeData, IntakeData, Issue
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import messages, modal
from whh_desktop.ui.dirty import FormWindow
from whh_desktop.ui.forms import load_form
from whh_desktop.ui.ops import Op
from whh_desktop.ui.style import muted
from whh_desktop.ui.widgets.combo_search import type_to_find
from whh_desktop.ui.widgets.fields import ProblemList, on_edit
from whh_desktop.ui.widgets.kommune_fill import KommuneFill
from whh_desktop.ui.widgets.screen_fit import resize_within_screen

TEXT_FIELDS = ("family_name", "given_names", "nationality", "language", "phone", "email", "street", "plz", "city",
               "landlord_name", "landlord_address", "bg_number")
DATE_FIELDS = {"birth_date": "Geburtsdatum", "category_since": "Kategorie seit", "arrears_since": "Mietschulden seit",
               "income_since": "Einkommen seit"}
MONEY_FIELDS = {"cold_rent": "Kaltmiete", "utilities": "Nebenkosten", "heating": "Heizkosten",
                "arrears": "Mietschulden"}
AUTO_DRAFT_MS = 3000  # a pause in typing this long saves the draft
WIDGETS = (*TEXT_FIELDS, *DATE_FIELDS, *MONEY_FIELDS, "sex", "municipality", "category", "income_kind", "came_via",
           "interpreter_needed", "moved_in", "housing_note", "first_needs")


class IntakeDialog(FormWindow):
    """``case_id`` is set after saving. Once the family name is there, a pause in typing, the auto-lock and the end
    of the session save a draft by themselves (always the same case), so a half-typed intake is never lost."""

    def __init__(self, store: Store, user: CurrentUser, parent: QWidget | None = None,
                 case_id: uuid.UUID | None = None) -> None:
        super().__init__(parent)
        self.store, self.user = store, user
        self.case_id: uuid.UUID | None = case_id
        self.case_number = ""
        self.saved_draft = False
        self.auto_saved_at: datetime | None = None
        self._finishing = False
        self.setWindowTitle("Erstaufnahme" if case_id is None else "Erstaufnahme fortsetzen (Entwurf)")
        resize_within_screen(self, 760, 820)
        self.form = load_form("intake.ui")
        self.w = {name: self.form.findChild(QWidget, name) for name in WIDGETS}
        self.form.findChild(QLabel, "message").hide()  # shown beside the buttons instead, never scrolled away
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Meldung")
        self.message.setStyleSheet("color: #b71c1c;")
        self.message.hide()
        self.problems = ProblemList(self.message)
        self.draft_state = muted(wrap=False)
        self.draft_state.setObjectName("draft_state")
        self.draft_state.setAccessibleName("Stand des Entwurfs")
        self._fill_combo("sex", [(s.label, s.value) for s in Sex])
        self.w["sex"].setCurrentIndex(self.w["sex"].findData(Sex.OHNE_ANGABE.value))
        self._fill_combo("municipality", [("– bitte wählen –", "")] + [(m.name, m.name) for m in MUNICIPALITIES])
        self._kommune_from_address()
        self._fill_combo("category", [("– bitte wählen –", "")] + [(c.label, c.value) for c in Category])
        self._fill_combo("income_kind", [("– keine Angabe –", "")] + [(k.label, k.value) for k in IncomeKind])
        self._fill_combo("came_via", [("– keine Angabe –", "")] + [(c.label, c.value) for c in CameVia])
        type_to_find(*(self.w[name] for name in ("sex", "municipality", "category", "income_kind", "came_via")))
        self.household = QTableWidget(0, 4)
        self.household.setHorizontalHeaderLabels(["Beziehung", "Vorname", "Familienname", "Geburtsdatum"])
        self.household.setAccessibleName("Haushaltsmitglieder")
        self.household.horizontalHeader().setStretchLastSection(True)
        self.household.setMaximumHeight(120)
        add_member = QPushButton("Haushalts&mitglied hinzufügen")
        add_member.clicked.connect(self.add_member)
        holder = QWidget()
        inner = QVBoxLayout(holder)
        inner.addWidget(self.form)
        inner.addWidget(QLabel("<b>Haushalt</b>"))
        inner.addWidget(self.household)
        inner.addWidget(add_member)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the first field gets the focus on opening, not the frame
        scroll.setWidget(holder)
        self.draft_button = QPushButton("Als &Entwurf speichern")
        self.save_button = QPushButton("&Aufnehmen")
        self.save_button.setDefault(True)
        cancel = QPushButton("Abbrechen")
        self.draft_button.clicked.connect(lambda: self.save(draft=True))
        self.save_button.clicked.connect(lambda: self.save(draft=False))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.draft_button)
        buttons.addWidget(self.draft_state)
        buttons.addStretch()
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.auto_draft = QTimer(self)
        self.auto_draft.setSingleShot(True)
        self.auto_draft.setInterval(AUTO_DRAFT_MS)
        self.auto_draft.timeout.connect(self.save_auto_draft)
        if case_id is not None:
            self.fill(intake.load_intake(store, user, case_id))
        else:  # the category usually starts with the visit: one date less to type, still changeable
            self.w["category_since"].setText(fmt_date(date.today()))
        for widget in self.w.values():
            on_edit(widget, self.auto_draft.start)
        self.household.itemChanged.connect(self.auto_draft.start)
        self.w["family_name"].setFocus()  # the first keystrokes land in the first field

    def _fill_combo(self, name: str, items: list[tuple[str, str]]) -> None:
        combo: QComboBox = self.w[name]
        for label, value in items:
            combo.addItem(label, value)

    def _kommune_from_address(self) -> None:
        """Typed once (issue 18): the Kommune follows PLZ and Ort; a note under it says when it is left to choose."""
        note = QLabel()
        form: QFormLayout = self.form.findChild(QFormLayout, "form_1")
        row, _role = form.getWidgetPosition(self.w["municipality"])
        form.insertRow(row + 1, "", note)
        self.kommune = KommuneFill(self.w["plz"], self.w["city"], self.w["municipality"], note)

    def add_member(self) -> None:
        row = self.household.rowCount()
        self.household.insertRow(row)
        relation = QComboBox()
        for r in Relation:
            relation.addItem(r.label, r.value)
        self.household.setCellWidget(row, 0, relation)
        for col in (1, 2, 3):
            self.household.setItem(row, col, QTableWidgetItem(""))
        relation.currentIndexChanged.connect(self.auto_draft.start)

    def fill(self, data: IntakeData) -> None:
        """Show a saved draft so it can be completed."""
        for name in TEXT_FIELDS:
            if name != "bg_number":
                self.w[name].setText(getattr(data, name))
        for name in ("birth_date", "category_since", "arrears_since"):
            self.w[name].setText(fmt_date(getattr(data, name), empty=""))
        for name in MONEY_FIELDS:
            value = getattr(data, name)
            self.w[name].setText(fmt_money(value, unit=False))
        for name in ("sex", "municipality", "category", "came_via"):
            combo: QComboBox = self.w[name]
            combo.setCurrentIndex(max(combo.findData(getattr(data, name)), 0))
        self.w["interpreter_needed"].setChecked(data.interpreter_needed)
        self.w["moved_in"].setChecked(data.moved_in)
        self.w["housing_note"].setPlainText(data.housing_note)
        self.w["first_needs"].setPlainText(data.first_needs)
        if data.incomes:
            first = data.incomes[0]
            self.w["income_kind"].setCurrentIndex(max(self.w["income_kind"].findData(first.kind), 0))
            self.w["income_since"].setText(fmt_date(first.since, empty=""))
            self.w["bg_number"].setText(first.bg_number)
        for member in data.household:
            self.add_member()
            row = self.household.rowCount() - 1
            relation: QComboBox = self.household.cellWidget(row, 0)
            relation.setCurrentIndex(max(relation.findData(member.relation), 0))
            self.household.item(row, 1).setText(member.given_names)
            self.household.item(row, 2).setText(member.family_name)
            self.household.item(row, 3).setText(fmt_date(member.birth_date, empty=""))

    # ---- reading the form ---------------------------------------------------------------------------------------
    def _text(self, name: str) -> str:
        widget = self.w[name]
        return widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()

    def read_form(self) -> tuple[IntakeData, list[Issue]]:
        """The form's values and every date or amount that cannot be read (all of them, not only the first)."""
        unreadable: list[Issue] = []

        def parsed(parse: Callable[[str, str, str], Any], text: str, name: str, label: str) -> Any:
            try:
                return parse(text, name, label) if text else None
            except InvalidInput as exc:
                unreadable.append(Issue(exc.field or name, str(exc)))
                return None

        data = IntakeData(**{name: self._text(name).strip() for name in TEXT_FIELDS if name != "bg_number"})
        data.nationality = data.nationality.upper()
        for name in ("birth_date", "category_since", "arrears_since"):
            setattr(data, name, parsed(parse_date, self._text(name).strip(), name, DATE_FIELDS[name]))
        for name in MONEY_FIELDS:
            setattr(data, name, parsed(parse_money, self._text(name).strip(), name, MONEY_FIELDS[name]))
        data.sex = self.w["sex"].currentData()
        data.municipality = self.w["municipality"].currentData()
        data.category = self.w["category"].currentData()
        data.came_via = self.w["came_via"].currentData()
        data.interpreter_needed = self.w["interpreter_needed"].isChecked()
        data.moved_in = self.w["moved_in"].isChecked()
        data.housing_note = self._text("housing_note").strip()
        data.first_needs = self._text("first_needs").strip()
        if self.w["income_kind"].currentData():
            since = parsed(parse_date, self._text("income_since").strip(), "income_since", DATE_FIELDS["income_since"])
            data.incomes = [IncomeData(self.w["income_kind"].currentData(), since, self._text("bg_number").strip())]
        for row in range(self.household.rowCount()):
            born = self.household.item(row, 3).text().strip()
            data.household.append(HouseholdData(
                self.household.cellWidget(row, 0).currentData(), self.household.item(row, 2).text().strip(),
                self.household.item(row, 1).text().strip(),
                parsed(parse_date, born, f"household.{row}.birth_date", f"Geburtsdatum im Haushalt (Zeile {row + 1})")))
        return data, unreadable

    def problems_of(self, data: IntakeData, unreadable: list[Issue], draft: bool) -> tuple[list[Issue], list[Issue]]:
        """(blocking problems, all issues): what cannot be read, then what the service's validation finds, without
        a second message for a field whose text could not be read."""
        issues = intake.validate(data, draft=draft)
        unread = {i.field for i in unreadable}
        blocking = unreadable + [i for i in intake.blocking(issues) if i.field not in unread]
        return blocking, issues

    def _widget_for(self, field: str) -> QWidget | None:
        if field.startswith("household."):
            return self.household
        if field.startswith("incomes."):
            return self.w["income_since"] if field.endswith(".since") else self.w["income_kind"]
        return self.w.get(field)

    def save(self, draft: bool) -> bool:
        self.auto_draft.stop()
        self.problems.clear()
        data, unreadable = self.read_form()
        blocking, issues = self.problems_of(data, unreadable, draft)
        if blocking:
            self.problems.show([(self._widget_for(i.field), i.message) for i in blocking])
            return False
        if not self._no_duplicate(data):
            return False
        if not self._store(data, draft, lambda exc: self.message.setText(str(exc))):
            return False
        self.saved_draft = draft
        warnings = [i.message for i in issues if not i.blocking]
        if warnings:
            messages.inform(self, f"Gespeichert als {self.case_number}. Hinweise:\n" + "\n".join(warnings))
        self.accept()
        return True

    def _store(self, data: IntakeData, draft: bool, failed: Callable[[WhhError], object]) -> bool:
        op = Op(self, lambda: intake.save_intake(self.store, self.user, data, draft=draft, case_id=self.case_id))
        if not op.failure(failed).run():
            return False
        self.case_id, self.case_number = op.result
        return True

    # ---- the draft that saves itself ----------------------------------------------------------------------------
    def save_auto_draft(self) -> bool:
        """Save what is typed as the draft of this case (the same case every time), quietly. Nothing happens while
        the form is unchanged or the minimum of a draft (the family name, readable dates) is missing; an intake
        that was already saved as a complete case is not turned back into a draft."""
        self.auto_draft.stop()
        if self._finishing or not self.is_dirty() or (self.case_id is not None and not self._is_draft_case()):
            return False
        data, unreadable = self.read_form()
        blocking, _issues = self.problems_of(data, unreadable, draft=True)
        if blocking:
            self.draft_state.setText("Entwurf wird gespeichert, sobald der Familienname da ist und alle Daten "
                                     "lesbar sind." if self.is_dirty() else "")
            return False
        if not self._store(data, True, lambda exc: self.draft_state.setText(
                f"Entwurf nicht gespeichert: {messages.error_text(exc)}")):
            return False
        self.auto_saved_at = datetime.now(UTC)
        self.setWindowTitle("Erstaufnahme fortsetzen (Entwurf)")
        self.draft_state.setText(f"Entwurf gespeichert {fmt_time(self.auto_saved_at)}")
        self.mark_clean()
        return True

    def _is_draft_case(self) -> bool:
        from whh_desktop.core.services import cases

        found = cases.case_rows(self.store, self.user, [self.case_id.hex]) if self.case_id else []
        return bool(found) and found[0].status == "draft"

    def hideEvent(self, event: QHideEvent) -> None:
        """The auto-lock hides every window: the draft is saved before the data disappears."""
        if not self._finishing:
            self.save_auto_draft()
        super().hideEvent(event)

    def done(self, result: int) -> None:
        self._finishing = True
        self.auto_draft.stop()
        super().done(result)

    def end_session(self) -> None:
        self.save_auto_draft()
        self.discard()

    def discard_hint(self) -> str:
        if self.auto_saved_at is None:
            return ""
        return (f"Der um {fmt_time(self.auto_saved_at)} gespeicherte Entwurf bleibt erhalten (Mein Tag → "
                "Entwürfe).")

    def _no_duplicate(self, data: IntakeData) -> bool:
        similar = [p for p in intake.possible_duplicates(self.store, self.user, data)
                   if self.case_id is None or p.case_id != self.case_id]  # never the draft of this very intake
        if not similar:
            return True
        listing = "\n".join(f"• {p.family_name}, {p.given_names}, geb. {fmt_date(p.birth_date) or '–'}"
                            f" ({p.case_number or 'ohne Fall'})" for p in similar[:5])
        return messages.confirm(self, "Diese Person ist vielleicht schon erfasst:\n\n" + listing +
                                "\n\nTrotzdem neu aufnehmen? (Sonst bitte den vorhandenen Fall öffnen.)",
                                title="Mögliche Doppelerfassung", yes="Trotzdem aufnehmen")

    @classmethod
    def ask(cls, parent: QWidget | None, store: Store, user: CurrentUser) -> uuid.UUID | None:
        dialog = cls(store, user, parent)
        modal.run_modal(dialog)
        return dialog.case_id if dialog.result() == QDialog.DialogCode.Accepted else None


