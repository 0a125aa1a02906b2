"""KdU-Prüfung of a case's flat (or any rent): the same check as ``whh kdu check`` with the store's table, the
Karenzzeit rule that applies from the benefit start, and the warning about an old table. Prefilled from the case;
every field can be changed to try another situation. Nothing is saved."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain import karenzzeit as kz
from whh_desktop.core.domain import kdu
from whh_desktop.core.domain.municipalities import MUNICIPALITIES
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import rules_views
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui.dialogs.case_forms import DateField, MoneyField, combo
from whh_desktop.ui.style import ERROR, MessageLabel
from whh_desktop.ui.widgets.fields import clear_mark, show_refusal, spin_box


@dataclass(frozen=True)
class CaseRent:
    """What the case file knows of the current flat and the benefit (all optional)."""

    municipality: str | None = None
    persons: int = 1
    cold_rent: int | None = None
    utilities: int | None = None
    heating: int | None = None
    benefit_start: date | None = None
    exceptions: tuple[str, ...] = ()


def case_rent(store: Store, case_id: uuid.UUID, municipality: str | None, persons: int, cold_rent: int | None,
              utilities: int | None, heating: int | None, user: CurrentUser | None = None) -> CaseRent:
    """The dialog's start values from the case file (``user`` optional: the case file's callers predate it)."""
    facts = rules_views.case_benefit(store, user, case_id)
    return CaseRent(municipality, persons, cold_rent, utilities, heating, facts.start if facts else None,
                    facts.exceptions if facts else ())


class KduCheckDialog(QDialog):
    def __init__(self, store: Store, user: CurrentUser, values: CaseRent | None = None, title: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.user = store, user
        v = values or CaseRent()
        self.setWindowTitle(title or "KdU-Prüfung")
        self.setMinimumWidth(760)
        form = QFormLayout()
        self.municipality = combo("Gemeinde der Wohnung", [("", "– bitte wählen –")] +
                                  [(m.name, m.name) for m in MUNICIPALITIES], v.municipality or None)
        form.addRow("&Gemeinde", self.municipality)
        self.persons = spin_box("Personen im Haushalt", max(1, v.persons), 1, kdu.MAX_PERSONS)
        self.persons.setMaximumWidth(140)
        form.addRow("&Personen", self.persons)
        self.cold_rent = MoneyField("Kaltmiete", "cold_rent", v.cold_rent)
        form.addRow("&Kaltmiete", self.cold_rent)
        self.utilities = MoneyField("Kalte Nebenkosten", "utilities", v.utilities)
        form.addRow("Kalte &Nebenkosten", self.utilities)
        self.heating = MoneyField("Heizkosten", "heating", v.heating)
        form.addRow("&Heizkosten", self.heating)
        self.benefit_start = DateField("Leistungsbeginn", "benefit_start", v.benefit_start)
        form.addRow("&Leistungsbeginn", self.benefit_start)
        self.months_without = spin_box("Volle Monate ohne Leistungen in der Karenzzeit", 0, 0, kz.MAX_MONTHS)
        self.months_without.setMaximumWidth(140)
        form.addRow("Monate &ohne Leistungen", self.months_without)
        self.approval_from = DateField("Bewilligungszeitraum ab", "approval_from")
        form.addRow("&Bewilligungszeitraum ab", self.approval_from)
        self.exceptions: dict[str, QCheckBox] = {}
        row = QVBoxLayout()  # one below the other: side by side they are wider than a 150 % screen
        for code, label in kz.EXCEPTIONS.items():
            box = QCheckBox(label)
            box.setAccessibleName(f"Ausnahme von der Kappung: {label}")
            box.setChecked(code in v.exceptions)
            self.exceptions[code] = box
            row.addWidget(box)
        form.addRow("Ausnahmen", row)
        self.earlier_reduction = QCheckBox("Kosten schon nach früherem Kostensenkungsverfahren gesenkt")
        self.earlier_reduction.setAccessibleName(self.earlier_reduction.text())
        self.moved = QCheckBox("In der Karenzzeit ohne vorherige Zusicherung umgezogen")
        self.moved.setAccessibleName(self.moved.text())
        form.addRow("", self.earlier_reduction)
        form.addRow("", self.moved)
        self.fields = {"municipality": self.municipality, "persons": self.persons, "cold_rent": self.cold_rent,
                       "utilities": self.utilities, "heating": self.heating, "benefit_start": self.benefit_start,
                       "approval_from": self.approval_from, "months_without_benefits": self.months_without}
        self.check_button = QPushButton("P&rüfen")
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(self.run_check)
        close = QPushButton("Schließen")
        close.clicked.connect(self.accept)
        self.message = MessageLabel()
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setAccessibleName("Ergebnis der KdU-Prüfung")
        self.outcome.setObjectName("kdu_result")
        self.outcome.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.check_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.outcome, 1)
        layout.addLayout(buttons)
        self.check: kdu.KduCheck | None = None
        if v.municipality and v.cold_rent is not None:
            self.run_check()

    def run_check(self) -> kdu.KduCheck | None:
        clear_mark(*self.fields.values())
        self.message.setText("")
        try:
            self.check = self._compute()
        except InvalidInput as exc:
            show_refusal(self.fields, self.message, exc)
            self.outcome.setText("")
            self.check = None
            return None
        self.outcome.setText(result_html(self.check))
        return self.check

    def _compute(self) -> kdu.KduCheck:
        municipality = self.municipality.currentData()
        if not municipality:
            raise InvalidInput("Bitte die Gemeinde der Wohnung wählen.", "municipality")
        start = self.benefit_start.value()
        benefit = None
        if start is not None:
            benefit = kz.BenefitFacts(
                start, months_without_benefits=self.months_without.value(),
                exceptions=tuple(c for c, b in self.exceptions.items() if b.isChecked()),
                earlier_cost_reduction=self.earlier_reduction.isChecked(),
                moved_without_assurance=self.moved.isChecked(),
                approval_from=self.approval_from.value())
        return rules_views.kdu_check(self.store, self.user, municipality, self.persons.value(),
                                     cold_rent=self.cold_rent.value(), utilities=self.utilities.value(),
                                     heating=self.heating.value(), benefit=benefit)


def result_html(check: kdu.KduCheck) -> str:
    """The check's lines; the verdict bold, the rule applied highlighted, the table warning in red."""
    out = []
    for line in check.lines():
        text = escape(line)
        if line.startswith("Ergebnis:") or line.startswith("Regel:"):
            text = f"<b>{text}</b>"
        elif line.startswith("Warnung:"):
            text = f"<span style='color:{ERROR}; font-weight:bold'>{text}</span>"
        out.append(text)
    return "<br>".join(out)
