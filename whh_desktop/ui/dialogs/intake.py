"""Erstaufnahme: the form from forms/intake.ui, inline German validation, drafts, duplicate warning."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
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
from whh_desktop.core.domain.formatting import ask, fmt_date, fmt_money
from whh_desktop.core.domain.municipalities import MUNICIPALITIES
from whh_desktop.core.domain.validation import parse_date, parse_money
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import intake
from whh_desktop.core.services.intake import HouseholdData, IncomeData, IntakeData
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import messages, modal
from whh_desktop.ui.forms import load_form
from whh_desktop.ui.ops import Op
from whh_desktop.ui.widgets.fields import clear_mark, mark_invalid
from whh_desktop.ui.widgets.screen_fit import resize_within_screen

TEXT_FIELDS = ("family_name", "given_names", "nationality", "language", "phone", "email", "street", "plz", "city",
               "landlord_name", "landlord_address", "bg_number")
DATE_FIELDS = {"birth_date": "Geburtsdatum", "category_since": "Kategorie seit", "arrears_since": "Mietschulden seit",
               "income_since": "Einkommen seit"}
MONEY_FIELDS = {"cold_rent": "Kaltmiete", "utilities": "Nebenkosten", "heating": "Heizkosten",
                "arrears": "Mietschulden"}
WIDGETS = (*TEXT_FIELDS, *DATE_FIELDS, *MONEY_FIELDS, "sex", "municipality", "category", "income_kind", "came_via",
           "interpreter_needed", "moved_in", "housing_note", "first_needs")


class IntakeDialog(QDialog):
    """``case_id`` is set after saving."""

    def __init__(self, store: Store, user: CurrentUser, parent: QWidget | None = None,
                 case_id: uuid.UUID | None = None) -> None:
        super().__init__(parent)
        self.store, self.user = store, user
        self.case_id: uuid.UUID | None = case_id
        self.saved_draft = False
        self.setWindowTitle("Erstaufnahme" if case_id is None else "Erstaufnahme fortsetzen (Entwurf)")
        resize_within_screen(self, 760, 820)
        self.form = load_form("intake.ui")
        self.w = {name: self.form.findChild(QWidget, name) for name in WIDGETS}
        self.form.findChild(QLabel, "message").hide()  # shown beside the buttons instead, never scrolled away
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Meldung")
        self.message.setStyleSheet("color: #b71c1c;")
        self._fill_combo("sex", [(s.label, s.value) for s in Sex])
        self.w["sex"].setCurrentIndex(self.w["sex"].findData(Sex.OHNE_ANGABE.value))
        self._fill_combo("municipality", [("– bitte wählen –", "")] + [(m.name, m.name) for m in MUNICIPALITIES])
        self._fill_combo("category", [("– bitte wählen –", "")] + [(c.label, c.value) for c in Category])
        self._fill_combo("income_kind", [("– keine Angabe –", "")] + [(k.label, k.value) for k in IncomeKind])
        self._fill_combo("came_via", [("– keine Angabe –", "")] + [(c.label, c.value) for c in CameVia])
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
        buttons.addStretch()
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        if case_id is not None:
            self.fill(intake.load_intake(store, user, case_id))

    def _fill_combo(self, name: str, items: list[tuple[str, str]]) -> None:
        combo: QComboBox = self.w[name]
        for label, value in items:
            combo.addItem(label, value)

    def add_member(self) -> None:
        row = self.household.rowCount()
        self.household.insertRow(row)
        relation = QComboBox()
        for r in Relation:
            relation.addItem(r.label, r.value)
        self.household.setCellWidget(row, 0, relation)
        for col in (1, 2, 3):
            self.household.setItem(row, col, QTableWidgetItem(""))

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

    def collect(self) -> IntakeData:
        """Parse dates and amounts; a wrong one raises InvalidInput naming its field."""
        def opt_date(name: str) -> date | None:
            text = self._text(name).strip()
            return parse_date(text, name, DATE_FIELDS[name]) if text else None

        def opt_money(name: str) -> int | None:
            text = self._text(name).strip()
            return parse_money(text, name, MONEY_FIELDS[name]) if text else None

        data = IntakeData(**{name: self._text(name).strip() for name in TEXT_FIELDS if name != "bg_number"})
        data.nationality = data.nationality.upper()
        for name in ("birth_date", "category_since", "arrears_since"):
            setattr(data, name, opt_date(name))
        for name in MONEY_FIELDS:
            setattr(data, name, opt_money(name))
        data.sex = self.w["sex"].currentData()
        data.municipality = self.w["municipality"].currentData()
        data.category = self.w["category"].currentData()
        data.came_via = self.w["came_via"].currentData()
        data.interpreter_needed = self.w["interpreter_needed"].isChecked()
        data.moved_in = self.w["moved_in"].isChecked()
        data.housing_note = self._text("housing_note").strip()
        data.first_needs = self._text("first_needs").strip()
        if self.w["income_kind"].currentData():
            data.incomes = [IncomeData(self.w["income_kind"].currentData(), opt_date("income_since"),
                                       self._text("bg_number").strip())]
        for row in range(self.household.rowCount()):
            born = self.household.item(row, 3).text().strip()
            data.household.append(HouseholdData(
                self.household.cellWidget(row, 0).currentData(), self.household.item(row, 2).text().strip(),
                self.household.item(row, 1).text().strip(),
                parse_date(born, f"household.{row}.birth_date", "Geburtsdatum im Haushalt") if born else None))
        return data

    def _mark(self, field: str, message: str) -> None:
        widget = self.w.get(field)
        if widget is not None:
            mark_invalid(widget, message)

    def save(self, draft: bool) -> bool:
        for widget in self.w.values():
            clear_mark(widget)
        try:
            data = self.collect()
        except InvalidInput as exc:
            self._mark(exc.field or "", str(exc))
            self.message.setText(str(exc))
            return False
        issues = intake.validate(data, draft=draft)
        blocking = intake.blocking(issues)
        for issue in blocking:
            self._mark(issue.field, issue.message)
        if blocking:
            self.message.setText(ask("Bitte prüfen:", [i.message for i in blocking[:3]]))
            return False
        if self.case_id is None and not self._no_duplicate(data):
            return False
        op = Op(self, lambda: intake.save_intake(self.store, self.user, data, draft=draft, case_id=self.case_id))
        if not op.failure(lambda exc: self.message.setText(str(exc))).run():
            return False
        self.case_id, number = op.result
        self.saved_draft = draft
        warnings = [i.message for i in issues if not i.blocking]
        if warnings:
            messages.inform(self, f"Gespeichert als {number}. Hinweise:\n" + "\n".join(warnings))
        self.accept()
        return True

    def _no_duplicate(self, data: IntakeData) -> bool:
        similar = intake.possible_duplicates(self.store, self.user, data)
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


