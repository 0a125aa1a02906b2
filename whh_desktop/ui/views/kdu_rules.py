"""District page parts beside the KdU table: the Karenzzeit rules (versions with source, edited by the district),
the Amtsgericht per municipality, and the age after which the KdU table in use is flagged. Bad input is refused in
German inside the forms with everything typed kept."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain import karenzzeit as kz
from whh_desktop.core.domain import kdu
from whh_desktop.core.domain.changes import Aggregate
from whh_desktop.core.domain.formatting import fmt_date, fmt_money, plural
from whh_desktop.core.services import courts, karenzzeit_rules, kdu_tables, rules_views
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import modal
from whh_desktop.ui.dialogs.case_forms import DateField, FormDialog, MoneyField, text_box
from whh_desktop.ui.ops import Op, listen, wants
from whh_desktop.ui.style import MessageLabel
from whh_desktop.ui.widgets.fields import line_edit, spin_box
from whh_desktop.ui.widgets.tables import ReadOnlyTable


def _months(name: str, value: int) -> QSpinBox:
    return spin_box(name, value, 0, kz.MAX_MONTHS, ("Monat", "Monate"))


def rule_row(rule: kz.KarenzzeitRule, today: date) -> list[str]:
    return [rule.label, fmt_date(rule.valid_from), fmt_date(rule.valid_until) if rule.valid_until else "offen",
            plural(rule.months, "Monat", "Monate"),
            f"{kz.format_factor(rule.cap_percent)} × Grenze" if rule.cap_percent is not None else "keine",
            ", ".join(kz.EXCEPTIONS[e].split(" (")[0] for e in rule.exceptions) or "–",
            fmt_money(rule.max_rent_per_m2) if rule.max_rent_per_m2 is not None else "–",
            "ja" if rule.covers(today) else ""]


class KarenzzeitRuleDialog(FormDialog):
    """A new version of the Karenzzeit rule or the values of an existing one; ``value()`` is the rule."""

    TITLE = "Karenzzeit-Regel"

    def __init__(self, save: Callable[[kz.KarenzzeitRule], object], base: kz.KarenzzeitRule | None = None,
                 parent: QWidget | None = None, title: str = "") -> None:
        self.base = base
        super().__init__(save, parent)
        self.setWindowTitle(title or ("Karenzzeit-Regel bearbeiten" if base else "Neue Karenzzeit-Regel"))

    def build(self) -> None:
        r = self.base or kz.KarenzzeitRule(label="", valid_from=date.today())
        hint = QLabel("Die Regel gilt ab dem gewählten Tag für jede KdU-Prüfung mit Leistungsbeginn. Zwei Regeln "
                      "dürfen sich nicht überschneiden. Die Quelle wird bei jeder Prüfung angezeigt.")
        hint.setWordWrap(True)
        self.form.addRow(hint)
        self.label = self.row("&Bezeichnung", "label", line_edit("Bezeichnung der Regel", text=r.label,
                                                            placeholder="z. B. Neue Grundsicherung"))
        self.valid_from = self.row("Gültig &ab", "valid_from",
                                   DateField("Gültig ab", "valid_from", r.valid_from if self.base else None, True))
        self.valid_until = self.row("Gültig b&is", "valid_until", DateField("Gültig bis", "valid_until",
                                                                           r.valid_until))
        self.months = self.row("&Karenzzeit", "months", _months("Länge der Karenzzeit in Monaten", r.months))
        self.cap = self.row("Ka&ppung (Faktor)", "cap_percent", line_edit(
            "Kappungsfaktor auf die Grenze", text=kz.format_factor(r.cap_percent) if r.cap_percent else "",
            placeholder="z. B. 1,5; leer = keine Kappung"))
        self.exceptions: dict[str, QCheckBox] = {}
        box = QVBoxLayout()
        for code, label in kz.EXCEPTIONS.items():
            check = QCheckBox(label)
            check.setAccessibleName(f"Ausnahme von der Kappung: {label}")
            check.setChecked(code in r.exceptions)
            self.exceptions[code] = check
            box.addWidget(check)
        holder = QWidget()
        holder.setLayout(box)
        self.row("Ausnah&men", "exceptions", holder)
        self.reduction = self.row("&Frist zur Kostensenkung", "cost_reduction_months", _months(
            "Frist zur Kostensenkung in Monaten", r.cost_reduction_months))
        self.max_rent = self.row("Örtliche &Höchstmiete je m²", "max_rent_per_m2", MoneyField(
            "Örtliche Höchstmiete je Quadratmeter", "max_rent_per_m2", r.max_rent_per_m2))
        self.max_rent.setPlaceholderText("leer = keine")
        self.source = self.row("&Quelle", "source", text_box("Quelle der Regel", r.source, 90))

    def value(self) -> kz.KarenzzeitRule:
        return kz.KarenzzeitRule(
            label=self.label.text().strip(), valid_from=self.valid_from.value(),  # type: ignore[arg-type]
            valid_until=self.valid_until.value(), months=self.months.value(),
            cap_percent=kz.parse_factor(self.cap.text()),
            exceptions=tuple(code for code, box in self.exceptions.items() if box.isChecked()),
            cost_reduction_months=self.reduction.value(), max_rent_per_m2=self.max_rent.value(),
            source=self.source.toPlainText().strip())


class CourtDialog(FormDialog):
    """The Amtsgericht of one municipality; ``value()`` is the court's name."""

    TITLE = "Amtsgericht zuordnen"

    def __init__(self, save: Callable[[str], object], row: courts.CourtRow, parent: QWidget | None = None) -> None:
        self.court_row = row
        super().__init__(save, parent)

    def build(self) -> None:
        text = QLabel(f"Räumungsklagen für Wohnungen in <b>{self.court_row.municipality}</b> gehen an:")
        self.form.addRow(text)
        self.court = self.row("&Amtsgericht", "court", line_edit("Amtsgericht", text=self.court_row.court,
                                                            placeholder="z. B. Amtsgericht Herford"))

    def value(self) -> str:
        return self.court.text()


class KarenzzeitRulesBox(QWidget):
    """The rule versions with their source; district staff add and edit them."""

    def __init__(self, store: Store, user: CurrentUser) -> None:
        super().__init__()
        self.store, self.user = store, user
        self.table = ReadOnlyTable(["Bezeichnung", "Gültig ab", "Gültig bis", "Karenzzeit", "Kappung", "Ausnahmen",
                                    "Höchstmiete je m²", "Gilt heute"], "Karenzzeit-Regeln", "karenzzeit_rules")
        self.table.itemSelectionChanged.connect(self._show_detail)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("Regel im Wortlaut mit Quelle")
        self.add_button = QPushButton("Neue &Regel…")
        self.add_button.clicked.connect(self.add_rule)
        self.edit_button = QPushButton("Regel &bearbeiten…")
        self.edit_button.clicked.connect(self.edit_rule)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("<b>Karenzzeit</b> (§ 22 Abs. 1 SGB II): welche Regel ab wann gilt"))
        buttons.addStretch()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        layout.addWidget(self.detail)
        layout.addStretch()
        listen(self, wants(Aggregate.KARENZZEIT_RULES), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.rows = rules_views.karenzzeit_versions(self.store, self.user)
        self.table.fill([rule_row(r.rule, date.today()) for r in self.rows])
        if self.table.selected_row() is None:
            self._select_current()
        self._show_detail()

    def _select_current(self) -> None:
        """The rule that applies today (else the newest)."""
        today = date.today()
        if self.rows:
            current = next((i for i, r in enumerate(self.rows) if r.rule.covers(today)), len(self.rows) - 1)
            self.table.selectRow(current)

    def selected(self) -> karenzzeit_rules.RuleRow | None:
        row = self.table.selected_row()
        return self.rows[row] if row is not None and row < len(self.rows) else None

    def _show_detail(self) -> None:
        row = self.selected()
        self.edit_button.setEnabled(row is not None)
        self.detail.setText(row.rule.describe() if row else "")

    def add_rule(self) -> None:
        base = self.rows[-1].rule if self.rows else None
        template = dataclasses.replace(base, label="", valid_until=None) if base else None
        dialog = KarenzzeitRuleDialog(lambda r: karenzzeit_rules.add_rule(self.store, self.user, r), template, self,
                                      "Neue Karenzzeit-Regel")
        if modal.accepted(dialog):  # the list already shows the new rule (broadcast); select today's
            self.table.clearSelection()
            self._select_current()

    def edit_rule(self) -> None:
        row = self.selected()
        if row is None:
            return
        modal.accepted(KarenzzeitRuleDialog(
            lambda r: karenzzeit_rules.change_rule(self.store, self.user, row.id, r), row.rule, self))


class CourtsBox(QWidget):
    """Amtsgericht per municipality; the eviction form proposes it, the counsellor confirms."""

    def __init__(self, store: Store, user: CurrentUser) -> None:
        super().__init__()
        self.store, self.user = store, user
        self.table = ReadOnlyTable(["Gemeinde", "Amtsgericht"], "Amtsgerichte nach Gemeinde", "local_courts")
        self.table.itemSelectionChanged.connect(self._enable)
        self.change_button = QPushButton("Gericht ä&ndern…")
        self.change_button.clicked.connect(self.change_court)
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.source.setAccessibleName("Quelle der Zuordnung")
        head = QHBoxLayout()
        head.addWidget(QLabel("<b>Amtsgerichte</b> für Räumungsklagen, nach der Gemeinde der Wohnung"))
        head.addStretch()
        head.addWidget(self.change_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.table)
        layout.addWidget(self.source)
        listen(self, wants(Aggregate.LOCAL_COURTS), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.rows = rules_views.court_list(self.store, self.user)
        self.table.fill([[r.municipality, r.court or "– nicht zugeordnet –"] for r in self.rows])
        sources = sorted({r.source for r in self.rows if r.source})
        self.source.setText("Quelle: " + " · ".join(sources) if sources else "")
        self._enable()

    def _enable(self) -> None:
        self.change_button.setEnabled(self.table.selected_row() is not None)

    def change_court(self) -> None:
        index = self.table.selected_row()
        if index is None:
            return
        row = self.rows[index]
        if modal.accepted(CourtDialog(lambda court: courts.set_court(self.store, self.user, row.municipality, court),
                                      row, self)):
            self.table.selectRow(index)  # the list is refilled by the broadcast; keep the municipality chosen


class TableAgeBox(QWidget):
    """The warning about the KdU table in use, and the age (months) from which it warns."""

    def __init__(self, store: Store, user: CurrentUser) -> None:
        super().__init__()
        self.store, self.user = store, user
        self.warning = MessageLabel("Warnung zum Alter der KdU-Tabelle")
        self.warning.setObjectName("kdu_table_warning")
        self.max_age = spin_box("Warnen, wenn die KdU-Tabelle älter ist als (Monate)",
                                kdu.DEFAULT_MAX_TABLE_AGE_MONTHS, 1, 120, ("Monat", "Monate"))
        self.apply_button = QPushButton("Ü&bernehmen")
        self.apply_button.clicked.connect(self.apply)
        self.message = MessageLabel()
        row = QHBoxLayout()
        row.addWidget(QLabel("Warnen, wenn die KdU-Tabelle älter ist als"))
        row.addWidget(self.max_age)
        row.addWidget(self.apply_button)
        row.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.warning)
        layout.addLayout(row)
        layout.addWidget(self.message)
        listen(self, wants(Aggregate.KDU_TABLES, Aggregate.SETTINGS), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        age = rules_views.table_age(self.store, self.user)
        self.max_age.setValue(age.max_months)
        if age.warning:
            self.warning.error(age.warning)
        else:
            self.warning.setText("")

    def apply(self) -> None:
        months = self.max_age.value()
        Op(self, lambda: kdu_tables.set_max_table_age(self.store, self.user, months)).failure(
            lambda exc: self.message.error(str(exc))).success(
            lambda _: self.message.success(f"Gespeichert: Warnung ab {plural(months, 'Monat', 'Monaten')}.")).run()
