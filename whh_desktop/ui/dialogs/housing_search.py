"""Wohnungssuche: the housing search form of a case (forms/housing_search.ui), with the KdU limit shown live."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain.enums import Relation
from whh_desktop.core.domain.formatting import fmt_date, fmt_money, plural
from whh_desktop.core.domain.housing import ProposalStep, SearchStatus
from whh_desktop.core.domain.municipalities import MUNICIPALITIES
from whh_desktop.core.domain.validation import parse_date, parse_money
from whh_desktop.core.errors import InvalidInput, WhhError
from whh_desktop.core.services import case_file, housing_views
from whh_desktop.core.services.housing_search import SearchData, save_search
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui.dialogs.case_forms import FormDialog, date_edit, ok_cancel, pydate, text_box
from whh_desktop.ui.dirty import FormWindow
from whh_desktop.ui.forms import load_form
from whh_desktop.ui.modal import accepted
from whh_desktop.ui.ops import Op
from whh_desktop.ui.style import MessageLabel
from whh_desktop.ui.widgets.fields import ProblemList
from whh_desktop.ui.widgets.screen_fit import resize_within_screen

WIDGETS = ("household_size", "members", "wanted_municipalities", "max_rent", "kdu_hint", "min_rooms",
           "earliest_move", "barrier_free", "ground_floor", "pets", "has_wbs", "kdu_attributes", "special_needs",
           "status", "message")


def _checked(widget: QListWidget) -> list[str]:
    return [widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]


def _add_checkable(widget: QListWidget, value: str, label: str, checked: bool) -> None:
    item = QListWidgetItem(label, widget)
    item.setData(Qt.ItemDataRole.UserRole, value)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


class HousingSearchDialog(FormWindow):
    """Create or change the housing search of a case; ``search_id`` is set after saving."""

    def __init__(self, store: Store, user: CurrentUser, case_id: uuid.UUID, search_id: uuid.UUID | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.user, self.case_id, self.search_id = store, user, case_id, search_id
        cf = case_file.open_case(store, user, case_id)
        self.case_municipality = cf.case.municipality or cf.person.municipality or ""
        self.setWindowTitle(f"Wohnungssuche – {cf.title}")
        resize_within_screen(self, 640, 760)
        self.form = load_form("housing_search.ui")
        self.w: dict[str, QWidget] = {name: self.form.findChild(QWidget, name) for name in WIDGETS}
        self.w["message"].hide()
        self.message = MessageLabel()
        self.problems = ProblemList(self.message)
        form = housing_views.search_form(store, user, search_id)
        row, self.surcharges = form.saved, form.surcharges
        members: QListWidget = self.w["members"]
        chosen = {str(m) for m in row.member_ids} if row else {str(m.id) for m in cf.household}
        for m in cf.household:
            name = " ".join(x for x in (m.given_names, m.family_name) if x) or "ohne Namen"
            born = fmt_date(m.birth_date, empty="")
            _add_checkable(members, str(m.id), f"{Relation(m.relation).label}: {name} {born}", str(m.id) in chosen)
        members.setVisible(bool(cf.household))
        self.form.findChild(QLabel, "label_members").setVisible(bool(cf.household))
        wanted = set(row.wanted_municipalities) if row else (
            {self.case_municipality} if self.case_municipality else set())
        for muni in MUNICIPALITIES:
            _add_checkable(self.w["wanted_municipalities"], muni.name, muni.name, muni.name in wanted)
        attributes = set(row.kdu_attributes) if row else set()
        for surcharge in self.surcharges:
            _add_checkable(self.w["kdu_attributes"], surcharge.code, surcharge.label, surcharge.code in attributes)
        self.w["kdu_attributes"].setVisible(bool(self.surcharges))
        self.form.findChild(QLabel, "label_kdu_attributes").setVisible(bool(self.surcharges))
        status: QComboBox = self.w["status"]
        for s in SearchStatus:
            status.addItem(s.label, s.value)
        size: QSpinBox = self.w["household_size"]
        size.setValue(row.household_size if row else 1 + len(cf.household))
        if row:
            self.w["max_rent"].setText(fmt_money(row.max_rent, unit=False) if row.max_rent else "")
            self.w["min_rooms"].setValue(row.min_rooms or 0)
            self.w["earliest_move"].setText(fmt_date(row.earliest_move, empty=""))
            for name in ("barrier_free", "ground_floor", "pets", "has_wbs"):
                self.w[name].setChecked(bool(getattr(row, name)))
            self.w["special_needs"].setPlainText(row.special_needs)
            status.setCurrentIndex(max(status.findData(row.status), 0))
        size.valueChanged.connect(self.show_limit)
        self.w["wanted_municipalities"].itemChanged.connect(self.show_limit)
        self.w["kdu_attributes"].itemChanged.connect(self.show_limit)
        self.show_limit()

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the first field gets the focus on opening, not the frame
        scroll.setWidget(self.form)
        buttons = ok_cancel(self, "&Speichern")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("save")
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _kdu_places(self) -> list[str]:
        return _checked(self.w["wanted_municipalities"]) or ([self.case_municipality] if self.case_municipality
                                                              else [m.name for m in MUNICIPALITIES])

    def show_limit(self) -> None:
        """The KdU limits for the wanted places: the default maximum rent while the field is empty."""
        persons = self.w["household_size"].value()
        attributes = tuple(_checked(self.w["kdu_attributes"]))
        try:
            limits = housing_views.default_limits(self.store, self.user, self._kdu_places(), persons, attributes)
        except WhhError as exc:
            self.w["kdu_hint"].setText(str(exc))
            return
        low, high = min(limits.values()), max(limits.values())
        span = fmt_money(low) if low == high else f"{fmt_money(low)} bis {fmt_money(high)}"
        self.w["kdu_hint"].setText(f"KdU-Grenze für {plural(persons, 'Person', 'Personen')}: {span} brutto "
                                   "kalt (gilt, wenn keine Höchstmiete eingetragen ist).")

    def value(self) -> SearchData:
        rent_text = self.w["max_rent"].text().strip()
        move_text = self.w["earliest_move"].text().strip()
        rooms = self.w["min_rooms"].value()
        special: QPlainTextEdit = self.w["special_needs"]
        return SearchData(
            household_size=self.w["household_size"].value(),
            member_ids=tuple(uuid.UUID(m) for m in _checked(self.w["members"])),
            wanted_municipalities=tuple(_checked(self.w["wanted_municipalities"])),
            max_rent=parse_money(rent_text, "max_rent", "Höchstmiete") if rent_text else None,
            min_rooms=rooms or None,
            barrier_free=self.w["barrier_free"].isChecked(), ground_floor=self.w["ground_floor"].isChecked(),
            pets=self.w["pets"].isChecked(), has_wbs=self.w["has_wbs"].isChecked(),
            earliest_move=parse_date(move_text, "earliest_move", "Einzug frühestens") if move_text else None,
            special_needs=special.toPlainText(), kdu_attributes=tuple(_checked(self.w["kdu_attributes"])),
            status=self.w["status"].currentData())

    def accept(self) -> None:
        # every unreadable entry at once (value() stops at the first), each at its field and in the summary
        problems: list[tuple[QWidget | None, str]] = []
        for name, parse, label in (("max_rent", parse_money, "Höchstmiete"),
                                   ("earliest_move", parse_date, "Einzug frühestens")):
            text = self.w[name].text().strip()
            if text:
                try:
                    parse(text, name, label)
                except InvalidInput as exc:
                    problems.append((self.w[name], str(exc)))
        if problems:
            self.problems.show(problems)
            return
        self.problems.clear()
        op = Op(self, lambda: save_search(self.store, self.user, self.case_id, self.value(), self.search_id))
        if op.failure(self._refused).run():
            self.search_id = op.result
            super().accept()

    def _refused(self, exc: WhhError) -> None:
        widget = self.w.get(exc.field or "") if isinstance(exc, InvalidInput) else None
        self.problems.show([(widget, str(exc))])


class ProposeDialog(FormDialog):
    """Propose one flat to a household: the date and a note (e.g. how the landlord wants to be contacted)."""

    TITLE = "Wohnung vorschlagen"
    OK_TEXT = "&Vorschlagen"

    def __init__(self, save, what: str, parent: QWidget | None = None) -> None:
        self.what = what
        super().__init__(save, parent)

    def build(self) -> None:
        text = QLabel(self.what)
        text.setWordWrap(True)
        self.form.addRow(text)
        self.on = self.row("&Datum", "on", date_edit(date.today(), "Datum des Vorschlags"))
        self.note = self.row("&Notiz", "note", text_box("Notiz", height=80))

    def value(self) -> tuple[date, str]:
        return pydate(self.on.date()), self.note.toPlainText()


class ProposalLike(Protocol):
    """What the step dialog shows of a proposal (any read model of one)."""

    offer_address: str


class ProposalStepDialog(FormDialog):
    """The next step of a proposal: Besichtigung (may lie ahead), Zusage, Absage with reason, Mietvertrag."""

    def __init__(self, save, step: ProposalStep, proposal: ProposalLike, parent: QWidget | None = None) -> None:
        self.step, self.proposal = step, proposal
        self.TITLE = f"{step.label} – {proposal.offer_address}"
        self.OK_TEXT = "&Speichern"
        super().__init__(save, parent)

    def build(self) -> None:
        label = {ProposalStep.BESICHTIGUNG: "Besichtigung &am", ProposalStep.ZUSAGE: "Zusage &am",
                 ProposalStep.ABSAGE: "Absage &am", ProposalStep.MIETVERTRAG: "Mietvertrag unterschrieben &am"}
        self.on = self.row(label[self.step], "on", date_edit(date.today(), label[self.step].replace("&", "")))
        self.reason = self.row("&Grund der Absage", "reason", QLineEdit())
        self.reason.setAccessibleName("Grund der Absage")
        self.reason.setVisible(self.step is ProposalStep.ABSAGE)
        self.form.labelForField(self.reason).setVisible(self.step is ProposalStep.ABSAGE)
        self.note = self.row("&Notiz", "note", text_box("Notiz", height=70))
        if self.step is ProposalStep.MIETVERTRAG:
            hint = QLabel("Mit dem Mietvertrag wird die Wohnung vergeben, die Wohnsituation im Fall auf die neue "
                          "Wohnung gesetzt und die Suche als »Wohnung gefunden« abgeschlossen.")
            hint.setWordWrap(True)
            self.form.addRow(hint)

    def value(self) -> tuple[ProposalStep, date, str, str]:
        return self.step, pydate(self.on.date()), self.reason.text(), self.note.toPlainText()


def edit_search_of_case(store: Store, user: CurrentUser, case_id: uuid.UUID, parent: QWidget | None = None) -> bool:
    """From the case file: the case's newest search, or a new one. True when saved."""
    existing = housing_views.newest_search_of_case(store, user, case_id)
    return accepted(HousingSearchDialog(store, user, case_id, existing, parent))
