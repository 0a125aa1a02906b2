"""The small forms of the case file. Each saves itself on OK: a refused value marks its field with the German
reason and the dialog stays open with everything typed, so nothing is lost."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain.enums import (
    Baustein,
    ConsentRecipient,
    ContactKind,
    Outcome,
    ReferralStatus,
    ReferralTarget,
    TerminationKind,
)
from whh_desktop.core.domain.formatting import fmt_date, fmt_money
from whh_desktop.core.domain.legal_state import CureMethod
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.domain.validation import parse_date, parse_money
from whh_desktop.core.errors import InvalidInput, WhhError
from whh_desktop.core.services import fristen
from whh_desktop.core.services.case_file_views import ConsentView, ProceedingView
from whh_desktop.core.services.cases import ClosingCheck
from whh_desktop.core.services.casework import ContactData, ContactView, EvictionData, ReferralView
from whh_desktop.core.services.consent import DATA_CATEGORIES, ConsentData
from whh_desktop.core.services.intake import Tenancy
from whh_desktop.ui.dirty import FormWindow
from whh_desktop.ui.ops import Op
from whh_desktop.ui.style import ERROR, WARN, MessageLabel
from whh_desktop.ui.widgets.combo_search import TypeToFind
from whh_desktop.ui.widgets.fields import ProblemList, clear_mark, line_edit
from whh_desktop.ui.widgets.screen_fit import scrolling


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(value: date, name: str) -> QDateEdit:
    edit = QDateEdit(qdate(value))
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


class DateField(QLineEdit):
    """A date typed as TT.MM.JJJJ (also 1.3.26); empty is allowed unless ``required``."""

    def __init__(self, label: str, field: str, value: date | None = None, required: bool = False) -> None:
        super().__init__(fmt_date(value, empty=""))
        self.label, self.field, self.required = label, field, required
        self.setPlaceholderText("TT.MM.JJJJ")
        self.setAccessibleName(label)
        self.setMaximumWidth(140)

    def value(self) -> date | None:
        text = self.text().strip()
        if not text:
            if self.required:
                raise InvalidInput(f"{self.label}: bitte ein Datum eingeben.", self.field)
            return None
        return parse_date(text, self.field, self.label)


class MoneyField(QLineEdit):
    """An amount in euros (``1.234,50``), handed on in cents."""

    def __init__(self, label: str, field: str, cents: int | None = None) -> None:
        super().__init__(fmt_money(cents, unit=False))
        self.label, self.field = label, field
        self.setPlaceholderText("0,00")
        self.setAccessibleName(f"{label} in Euro")
        self.setMaximumWidth(140)

    def value(self) -> int | None:
        text = self.text().strip().removesuffix("€").strip()
        return parse_money(text, self.field, self.label) if text else None


def text_box(name: str, text: str = "", height: int | None = None) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setAccessibleName(name)
    box.setTabChangesFocus(True)
    if height:
        box.setMaximumHeight(height)
    return box


def combo(name: str, items: list[tuple[str, str]], current: str | None = None) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    for value, label in items:
        box.addItem(label, value)
    if current is not None and (index := box.findData(current)) >= 0:
        box.setCurrentIndex(index)
    TypeToFind(box)  # »räum« finds »bedroht: Räumungsklage«, not only a beginning
    return box


def check_grid(items: list[tuple[str, str]], checked: list[str] | None = None, columns: int = 2
               ) -> tuple[QGridLayout, dict[str, QCheckBox]]:
    grid, boxes = QGridLayout(), {}
    for i, (value, label) in enumerate(items):
        box = QCheckBox(label)
        box.setChecked(value in (checked or []))
        boxes[value] = box
        grid.addWidget(box, i // columns, i % columns)
    return grid, boxes


class FormDialog(FormWindow):
    """A form that hands its value to ``save`` on OK and only closes when that worked; asks before typed input is
    discarded, Ctrl+S / Ctrl+Enter save (``FormWindow``)."""

    TITLE = ""
    OK_TEXT = "&Speichern"

    def __init__(self, save: Callable[[Any], object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.TITLE)
        self.save = save
        self.saved: object = None
        self.fields: dict[str, QWidget] = {}
        self.form = QFormLayout()
        self.message = MessageLabel()
        self.message.setObjectName("form_message")
        self.problems = ProblemList(self.message)
        self.build()
        layout = QVBoxLayout(self)
        layout.addWidget(scrolling(self.form), 1)  # a long form scrolls on a small screen (1366×768 at 150 %)
        layout.addWidget(self.message)
        layout.addWidget(ok_cancel(self, self.OK_TEXT))
        self.setMinimumWidth(max(560, self.minimumSizeHint().width()))  # never narrower than its texts

    def build(self) -> None:
        raise NotImplementedError

    def value(self) -> Any:
        raise NotImplementedError

    def row(self, label: str, field: str, widget: QWidget) -> QWidget:
        self.fields[field] = widget
        self.form.addRow(label, widget)
        return widget

    def accept(self) -> None:
        self.problems.clear()
        clear_mark(*self.fields.values())
        self.message.setText("")
        typed = self.typing_problems()
        if typed:  # every date or amount that cannot be read, all at once, before the service is asked
            self.problems.show(typed)
            return
        op = Op(self, lambda: self.save(self.value())).failure(self._refused)
        if op.run():  # the operation broadcast what it changed; the views refresh themselves
            self.saved = op.result
            super().accept()

    def typing_problems(self) -> list[tuple[QWidget | None, str]]:
        """The fields whose text cannot be read (a date, an amount, a required date left empty)."""
        found: list[tuple[QWidget | None, str]] = []
        for widget in self.fields.values():
            if isinstance(widget, (DateField, MoneyField)) and widget.isEnabled():
                try:
                    widget.value()
                except InvalidInput as exc:
                    found.append((widget, str(exc)))
        return found

    def _refused(self, exc: WhhError) -> None:
        widget = self.fields.get(exc.field or "") if isinstance(exc, InvalidInput) else None
        if widget is not None:
            self.problems.show([(widget, str(exc))])
        else:
            self._say(str(exc))

    def _say(self, text: str) -> None:
        self.message.error(text)


class ContactDialog(FormDialog):
    """A new contact, or (``existing``) a recorded one to correct, prefilled."""

    TITLE = "Beratungskontakt erfassen"

    def __init__(self, save: Callable[[ContactData], object], parent: QWidget | None = None,
                 existing: ContactView | None = None) -> None:
        self.existing = existing
        super().__init__(save, parent)
        if existing is not None:
            self.setWindowTitle(f"Beratungskontakt vom {fmt_date(existing.on)} bearbeiten")

    def build(self) -> None:
        e = self.existing
        self.on = self.row("&Datum", "on", date_edit(e.on if e else date.today(), "Datum"))
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 1440)
        self.minutes.setValue(e.minutes if e else 30)
        self.minutes.setSuffix(" Min.")
        self.minutes.setAccessibleName("Dauer")
        self.row("D&auer", "minutes", self.minutes)
        self.kind = self.row("A&rt", "kind", combo("Art", [(k.value, k.label) for k in ContactKind],
                                                     e.kind if e else None))
        grid, self.bausteine = check_grid([(b.value, b.label) for b in Baustein], list(e.bausteine) if e else None)
        self.form.addRow("Bausteine", grid)
        self.note = self.row("&Notiz", "note", text_box("Notiz", e.note if e else ""))
        self.next_step = self.row("Nächster Sc&hritt", "next_step",
                                  text_box("Nächster Schritt", e.next_step if e else "", height=60))

    def value(self) -> ContactData:
        return ContactData(pydate(self.on.date()), self.minutes.value(), self.kind.currentData(),
                           [k for k, box in self.bausteine.items() if box.isChecked()],
                           self.note.toPlainText().strip(), self.next_step.toPlainText().strip())


class CloseDialog(FormDialog):
    """Closing asks for the outcome (none is preselected) and, when deadlines, referrals or applications are still
    open, lists them and lets the user choose to mark the deadlines and referrals done with the close or keep them."""

    TITLE = "Fall abschließen"
    OK_TEXT = "&Abschließen"

    def __init__(self, save: Callable[[Any], object], parent: QWidget | None = None,
                 check: ClosingCheck | None = None) -> None:
        self.check = check
        super().__init__(save, parent)

    def build(self) -> None:
        check = self.check
        self.open_items = QLabel(self)
        self.open_items.setObjectName("open_items")
        self.open_items.setWordWrap(True)
        self.open_items.setTextFormat(Qt.TextFormat.PlainText)
        self.open_items.setAccessibleName("Noch offen in diesem Fall")
        if check is not None and check.anything_open:  # the warning comes first, before anything is chosen
            self.open_items.setText(self._open_text(check))
            self.open_items.setStyleSheet(f"color: {WARN};")
            self.form.addRow(self.open_items)
        else:
            self.open_items.hide()
        self.outcome = self.row("&Ergebnis *", "outcome", combo(
            "Ergebnis (Pflichtfeld)", [("", "– bitte wählen –"), *((o.value, o.label) for o in Outcome)]))
        self.on = self.row("Abgeschlossen a&m", "closed_on", date_edit(date.today(), "Abgeschlossen am"))
        self.note = self.row("&Notiz", "note", text_box("Abschlussnotiz"))
        # parented by the form like the fields (so the focus starts on the outcome), or hidden in the dialog
        self.settle = QRadioButton("Offene Fristen und Vermittlungen als erle&digt markieren")
        self.keep = QRadioButton("Offene Fristen und Vermittlungen &offen lassen")
        self.settle_choice = QButtonGroup(self)
        choice = QVBoxLayout()
        for button in (self.settle, self.keep):
            self.settle_choice.addButton(button)
            choice.addWidget(button)
        if check is not None and check.settleable:  # applications alone offer no choice: they wait for a Bescheid
            self.fields["settle_open"] = self.settle
            self.form.addRow("Offene Punkte *", choice)
        else:
            for button in (self.settle, self.keep):
                button.setParent(self)
                button.hide()

    @staticmethod
    def _open_text(check: ClosingCheck) -> str:
        """Plain text: typed notes in the lines are shown as they are, never read as markup."""
        parts = ["In diesem Fall ist noch etwas offen."]
        for title, items in (("Fristen", check.deadlines), ("Vermittlungen", check.referrals),
                             ("Anträge ohne Bescheid", check.applications)):
            if items:
                parts.append("\n".join([f"{title}:", *(f"  • {i.text}" for i in items)]))
        notes = []
        if check.deadlines:
            notes.append("Offen gelassene Fristen stehen nicht unter »Fristen«, solange der Fall abgeschlossen ist.")
        if check.applications:
            notes.append("Anträge bleiben offen, bis der Bescheid eingetragen ist.")
        return "\n\n".join(parts + ([" ".join(notes)] if notes else []))

    def value(self) -> tuple[Outcome, date, str, bool]:
        if not self.outcome.currentData():
            raise InvalidInput("Bitte das Ergebnis wählen, mit dem der Fall abgeschlossen wird.", "outcome")
        asks = self.check is not None and self.check.settleable
        if asks and self.settle_choice.checkedButton() is None:
            raise InvalidInput("Bitte wählen, ob die offenen Fristen und Vermittlungen als erledigt markiert werden "
                               "oder offen bleiben.", "settle_open")
        return (Outcome(self.outcome.currentData()), pydate(self.on.date()), self.note.toPlainText().strip(),
                asks and self.settle.isChecked())


class EvictionDialog(FormDialog):
    """Kündigung, Räumungsklage, Termine and the court's notice to the Jobcenter (§ 22 Abs. 9 SGB II)."""

    TITLE = "Räumungsverfahren"

    def __init__(self, save: Callable[[EvictionData], object], existing: ProceedingView | None = None,
                 parent: QWidget | None = None, court_proposal: tuple[str | None, str | None] = (None, None),
                 tenancy: Tenancy | None = None) -> None:
        self.existing = existing
        self.court_proposal = court_proposal  # (flat's municipality, Amtsgericht of the district's table)
        self.tenancy = tenancy  # the flat and landlord the intake recorded: typed once, shown here
        super().__init__(save, parent)
        if tenancy is not None:
            self.setMinimumWidth(680)  # room for the flat's and the landlord's address in one row each

    def build(self) -> None:
        e = self.existing
        self.dates: dict[str, DateField] = {}

        def day(label: str, field: str) -> None:
            self.dates[field] = self.row(label, field, DateField(label.replace("&", ""), field,
                                                                 getattr(e, field) if e else None))

        # required: only a fristlose termination for arrears has a Schonfrist (the save refuses an empty kind);
        # first, so the form opens on the one choice it needs (a date alone says nothing about the Schonfrist)
        self.kind = self.row("Art der Kündigung *", "termination_kind", combo(
            "Art der Kündigung (Pflichtfeld)", [("", "– bitte wählen –"), *TerminationKind.choices()],
            e.termination_kind if e else ""))
        day("&Kündigung vom", "termination_on")
        day("Räumungsklage &eingereicht am", "suit_filed_on")
        day("Räumungsklage zugeste&llt am", "suit_served_on")
        day("&Verhandlungstermin", "hearing_on")
        day("Räumungs&termin", "eviction_on")
        self._show_tenancy()  # the flat decides the court: its rows stand just above
        self.court = self.row("&Gericht", "court", QLineEdit(self._court_text()))
        self.court.setAccessibleName("Gericht")
        self.court_hint = QLabel(self._court_hint())
        self.court_hint.setWordWrap(True)
        self.court_hint.setAccessibleName("Vorschlag für das Gericht")
        self.form.addRow("", self.court_hint)
        self.file_no = self.row("Akten&zeichen", "court_file_no", QLineEdit(e.court_file_no or "" if e else ""))
        self.file_no.setAccessibleName("Aktenzeichen des Gerichts")
        self.form.addRow(QLabel("<b>Schonfrist genutzt (§ 569 Abs. 3 Nr. 2 BGB)</b>"))
        day("Schon&frist genutzt am", "cure_used_on")
        self.cure_method = self.row("genutzt durch", "cure_method", combo(
            "Schonfrist genutzt durch", [("", "–"), *CureMethod.choices()], e.cure_method or "" if e else ""))
        day("Frühere Nutzung (nicht erfasstes Verfahren)", "previous_cure_on")
        self.form.addRow(QLabel("<b>Mitteilung des Gerichts an das Jobcenter (§ 22 Abs. 9 SGB II)</b>"))
        day("&Mitteilung eingegangen am", "notice_received_on")
        self.notice_rent = self.row("Miete laut Mitteilung", "notice_rent",
                                    MoneyField("Miete laut Mitteilung", "notice_rent", e.notice_rent if e else None))
        self.notice_arrears = self.row("Rückstand laut Mitteilung", "notice_arrears", MoneyField(
            "Rückstand laut Mitteilung", "notice_arrears", e.notice_arrears if e else None))
        self.note = self.row("&Notiz", "note", text_box("Notiz", e.note or "" if e else "", 80))
        hint = QLabel("Aus der Zustellung der Räumungsklage berechnet WHH Desktop die Schonfrist (§ 569 BGB); sie "
                      "erscheint unter Fristen.")
        hint.setWordWrap(True)
        self.form.addRow(hint)

    def _show_tenancy(self) -> None:
        """The flat and landlord the proceeding is about, prefilled from the intake; a correction here goes to the
        case (letters and the two-year bar of the Schonfrist read it from there)."""
        t = self.tenancy
        if t is None:
            return
        self.flat_street = line_edit("Straße der Wohnung", text=t.street, placeholder="Straße und Hausnummer")
        self.flat_plz = line_edit("PLZ der Wohnung", text=t.plz, placeholder="PLZ")
        self.flat_plz.setMaximumWidth(70)
        self.flat_city = line_edit("Ort der Wohnung", text=t.city, placeholder="Ort")
        self.landlord_name = line_edit("Vermieter", text=t.landlord_name, placeholder="Name")
        self.landlord_address = line_edit("Anschrift des Vermieters", text=t.landlord_address, placeholder="Anschrift")
        for label, widgets, stretch in (("&Wohnung", (self.flat_street, self.flat_plz, self.flat_city), (3, 0, 2)),
                                        ("Ver&mieter", (self.landlord_name, self.landlord_address), (1, 1))):
            holder = QWidget()
            holder.setAccessibleName(label.replace("&", ""))
            box = QHBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            for widget, factor in zip(widgets, stretch, strict=True):
                widget.setCursorPosition(0)  # the beginning of a long name stays in view
                box.addWidget(widget, factor)
            self.form.addRow(label, holder)
            self.form.labelForField(holder).setBuddy(widgets[0])
        self.fields |= {"tenancy_street": self.flat_street, "tenancy_plz": self.flat_plz,
                        "tenancy_city": self.flat_city, "landlord_name": self.landlord_name,
                        "landlord_address": self.landlord_address}

    def _tenancy_value(self) -> Tenancy | None:
        if self.tenancy is None:
            return None
        return replace(self.tenancy, street=self.flat_street.text().strip(), plz=self.flat_plz.text().strip(),
                       city=self.flat_city.text().strip(), landlord_name=self.landlord_name.text().strip(),
                       landlord_address=self.landlord_address.text().strip())

    def _court_text(self) -> str:
        """A recorded court stays; otherwise the court the district's table proposes for the flat."""
        if self.existing is not None and self.existing.court:
            return self.existing.court
        return self.court_proposal[1] or ""

    def _court_hint(self) -> str:
        municipality, court = self.court_proposal
        if court is None:
            where = f"für {municipality} " if municipality else ""
            return (f"Kein Gericht {where}in der Zuordnung des Kreises – bitte das zuständige Amtsgericht "
                    "eintragen.")
        if self.existing is not None and self.existing.court and self.existing.court != court:
            return f"Hinweis: Nach der Zuordnung des Kreises ist für {municipality} das {court} zuständig."
        return (f"Vorschlag nach der Gemeinde der Wohnung ({municipality}): {court}. Bitte mit der Klageschrift "
                "vergleichen und bestätigen oder ändern.")

    def value(self) -> EvictionData:
        dates = {field: widget.value() for field, widget in self.dates.items()}
        return EvictionData(**dates, termination_kind=self.kind.currentData() or None, court=self.court.text().strip(),
                            court_file_no=self.file_no.text().strip(), notice_rent=self.notice_rent.value(),
                            notice_arrears=self.notice_arrears.value(), note=self.note.toPlainText().strip(),
                            cure_method=self.cure_method.currentData() or None, tenancy=self._tenancy_value())


class RentEntryDialog(FormDialog):
    """One month of the rent account: what was due and what was paid (for § 543 BGB)."""

    TITLE = "Mietkonto: Monat erfassen"

    def build(self) -> None:
        first = date.today().replace(day=3)
        self.due_on = self.row("&Fällig am", "due_on", DateField("Fällig am", "due_on", first, required=True))
        self.amount_due = self.row("S&oll", "amount_due", MoneyField("Soll", "amount_due"))
        self.amount_paid = self.row("&Gezahlt", "amount_paid", MoneyField("Gezahlt", "amount_paid", 0))

    def value(self) -> tuple[date, int, int]:
        due = self.amount_due.value()
        if due is None:
            raise InvalidInput("Bitte die fällige Miete (Soll) eingeben.", "amount_due")
        return self.due_on.value(), due, self.amount_paid.value() or 0


class ReferralDialog(FormDialog):
    """A referral; the consent state for the chosen service is shown while choosing it."""

    TITLE = "Vermittlung anlegen"

    def __init__(self, save: Callable[[tuple], object], consent_state: Callable[[str], tuple[bool, str]],
                 parent: QWidget | None = None) -> None:
        self.consent_state = consent_state
        super().__init__(save, parent)

    def build(self) -> None:
        self.target = self.row("&An", "target", combo("An", [(t.value, t.label) for t in ReferralTarget]))
        self.consent = QLabel()
        self.consent.setWordWrap(True)
        self.consent.setAccessibleName("Einwilligung")
        self.form.addRow("", self.consent)
        self.on = self.row("&Datum", "on", date_edit(date.today(), "Datum"))
        self.name = self.row("S&telle", "target_name", QLineEdit())
        self.name.setAccessibleName("Stelle")
        self.name.setPlaceholderText("z. B. SpDi Kreis Herford, Frau Neumann")
        self.note = self.row("&Notiz", "note", text_box("Notiz", height=80))
        self.target.currentIndexChanged.connect(self._show_consent)
        self._show_consent()

    def _show_consent(self) -> None:
        ok, text = self.consent_state(self.target.currentData())
        self.consent.setText(("✔ " if ok else "⚠ ") + text)
        self.consent.setStyleSheet("" if ok else f"color: {ERROR};")

    def value(self) -> tuple[ReferralTarget, date, str, str]:
        return (ReferralTarget(self.target.currentData()), pydate(self.on.date()), self.name.text().strip(),
                self.note.toPlainText().strip())


class ReferralStatusDialog(FormDialog):
    """Stand, Ergebnis and note of a referral; masked text is neither shown nor sent back."""

    TITLE = "Vermittlung bearbeiten"

    def __init__(self, save: Callable[[tuple], object], referral: ReferralView,
                 parent: QWidget | None = None) -> None:
        self.referral = referral
        super().__init__(save, parent)

    def build(self) -> None:
        r = self.referral
        self.form.addRow(QLabel(f"{ReferralTarget(r.target).label} {r.target_name or ''}, "
                                f"angelegt am {fmt_date(r.on)}"))
        self.status = self.row("S&tand", "status", combo("Stand", [(s.value, s.label) for s in ReferralStatus],
                                                          r.status))
        # a masked outcome is neither shown nor overwritten (the service keeps it when "" comes back)
        self.outcome = self.row("&Ergebnis", "outcome", text_box("Ergebnis", "" if r.confidential else r.outcome, 80))
        self.note = self.row("&Notiz", "note", text_box("Notiz", "" if r.confidential else r.note, 80))
        if r.confidential:
            for box in (self.outcome, self.note):
                box.setEnabled(False)
                box.setPlaceholderText("vertraulich – nur für die fallführende Beratung und Vertretungen")

    def value(self) -> tuple[ReferralStatus, str, str | None]:
        note = None if self.referral.confidential else self.note.toPlainText().strip()
        return ReferralStatus(self.status.currentData()), self.outcome.toPlainText().strip(), note


DEFAULT_PURPOSE = "Sicherung der Wohnung und Vermeidung von Wohnungslosigkeit"


class ConsentDialog(FormDialog):
    """Einwilligung / Schweigepflichtentbindung: recipients, purpose, data categories, a separate health tick.
    With ``existing``: prefilled from a consent recorded wrongly, saved as its replacement."""

    TITLE = "Einwilligung erfassen"

    def __init__(self, save: Callable[[ConsentData], object], parent: QWidget | None = None,
                 existing: ConsentView | None = None) -> None:
        self.existing = existing
        super().__init__(save, parent)
        if existing is not None:
            self.setWindowTitle("Einwilligung korrigieren (neu erfassen)")

    def build(self) -> None:
        e = self.existing
        if e is not None:
            text = QLabel("Eine erfasste Einwilligung wird nicht überschrieben: Was unter ihr weitergegeben wurde, "
                          "bleibt belegt. Die korrigierte Einwilligung wird neu erfasst, die bisherige endet heute.")
            text.setWordWrap(True)
            self.form.addRow(text)
        grid, self.recipients = check_grid([(r.value, r.label) for r in ConsentRecipient],
                                           list(e.recipients) if e else None, columns=3)
        holder = QWidget()
        holder.setLayout(grid)
        holder.setAccessibleName("Empfangende Stellen")
        self.row("&Empfänger", "recipients", holder)
        self.recipient_note = self.row("Stelle genauer", "recipient_note",
                                       QLineEdit((e.recipient_note or "") if e else ""))
        self.recipient_note.setAccessibleName("Stelle genauer")
        self.recipient_note.setPlaceholderText("z. B. Jobcenter Herford, Team Löhne")
        self.purpose = self.row("&Zweck", "purpose", QLineEdit(e.purpose if e else DEFAULT_PURPOSE))
        self.purpose.setAccessibleName("Zweck")
        grid, self.categories = check_grid(list(DATA_CATEGORIES.items()), list(e.categories) if e else
                                           ["stammdaten", "wohnsituation"], 1)
        holder = QWidget()
        holder.setLayout(grid)
        holder.setAccessibleName("Datenarten")
        self.row("&Datenarten", "categories", holder)
        self.health = self.row("", "health_data", QCheckBox(
            "Ausdrücklich auch für Gesundheitsdaten (Art. 9 DSGVO) – eigenes Kreuz der Person auf dem Formular"))
        self.health.setChecked(bool(e and e.health_data))
        self.categories["gesundheit"].toggled.connect(lambda on: on and self.health.setChecked(True))
        self.signed_on = self.row("&Unterschrieben am", "signed_on",
                                  date_edit(e.signed_on if e else date.today(), "Unterschrieben am"))
        self.valid_from = self.row("Gültig &ab", "valid_from",
                                   date_edit(e.valid_from if e else date.today(), "Gültig ab"))
        self.valid_until = self.row("Gültig &bis", "valid_until",
                                    DateField("Gültig bis", "valid_until", e.valid_until if e else None))

    def value(self) -> ConsentData:
        return ConsentData(
            recipients=[k for k, b in self.recipients.items() if b.isChecked()], purpose=self.purpose.text(),
            categories=[k for k, b in self.categories.items() if b.isChecked()], health_data=self.health.isChecked(),
            signed_on=pydate(self.signed_on.date()), valid_from=pydate(self.valid_from.date()),
            valid_until=self.valid_until.value(), recipient_note=self.recipient_note.text().strip())


class RevokeDialog(FormDialog):
    TITLE = "Einwilligung widerrufen"
    OK_TEXT = "&Widerrufen"

    def build(self) -> None:
        text = QLabel("Ab dem Widerrufsdatum dürfen keine Daten mehr an die genannten Stellen gehen. Bereits "
                      "weitergegebene Daten bleiben rechtmäßig übermittelt.")
        text.setWordWrap(True)
        self.form.addRow(text)
        self.on = self.row("Widerrufen &am", "revoked_on", date_edit(date.today(), "Widerrufen am"))

    def value(self) -> date:
        return pydate(self.on.date())


class FollowUpDialog(FormDialog):
    """A Wiedervorlage: a date to come back to the case, with what it is about."""

    TITLE = "Wiedervorlage anlegen"

    def build(self) -> None:
        self.on = self.row("&Am", "due_on", DateField("Wiedervorlage am", "due_on", required=True))
        self.note = self.row("&Worum geht es?", "note", QLineEdit())
        self.note.setAccessibleName("Worum geht es")

    def value(self) -> tuple[date, str]:
        return self.on.value(), self.note.text()


def rule_html(item: fristen.DueItem) -> str:
    """A deadline's rule, inputs and warnings, so a counsellor can check how it was computed."""
    inputs = ", ".join(f"{k}: {v}" for k, v in item.inputs.items())
    text = f"<b>{item.kind.label}</b> – {item.rule or ''}<br>Eingaben: {inputs or '–'}"
    if item.override_reason:
        text += f"<br>Berechnet: {fmt_date(item.computed_on)}; abweichend gesetzt: {item.override_reason}"
    if item.target_on and item.target_on != item.computed_on:
        text += f"<br>Zieldatum (unverschoben): {fmt_date(item.target_on)}"
    return text + "".join(f"<br>⚠ {w}" for w in item.warnings)


class OverrideDialog(FormDialog):
    TITLE = "Frist abweichend setzen"

    def __init__(self, save: Callable[[tuple], object], item: fristen.DueItem, parent: QWidget | None = None) -> None:
        self.item = item
        super().__init__(save, parent)

    def build(self) -> None:
        rule = QLabel(f"Berechnet: {fmt_date(self.item.computed_on)}\n{self.item.rule or ''}")
        rule.setWordWrap(True)
        self.form.addRow(rule)
        self.on = self.row("&Fristende", "due_on", date_edit(self.item.due_on, "Neues Fristende"))
        self.reason = self.row("&Begründung", "reason", QLineEdit(self.item.override_reason or ""))
        self.reason.setAccessibleName("Begründung")

    def value(self) -> tuple[date, str]:
        return pydate(self.on.date()), self.reason.text()


class HandoverDialog(FormDialog):
    """Hand a case to another site (the person moved), via the Kreis; needs a consent for the Kreis."""

    TITLE = "Fall an einen anderen Standort übergeben"
    OK_TEXT = "Ü&bergabe eintragen"

    def __init__(self, save: Callable[[tuple], object], own_site: str, parent: QWidget | None = None) -> None:
        self.own_site = own_site
        super().__init__(save, parent)

    def build(self) -> None:
        text = QLabel("Der ganze Fall mit seinen Dokumenten geht mit dem nächsten Export an den Kreis und von dort an "
                      "den neuen Standort. Dafür muss eine gültige Einwilligung für den Kreis vorliegen.")
        text.setWordWrap(True)
        self.form.addRow(text)
        self.site = self.row("&An", "to_site", combo("Neuer Standort", [(s.value, s.label)
                                                                     for s in SiteCode.counselling_sites()
                                                                     if s.value != self.own_site]))
        self.note = self.row("&Notiz", "note", QLineEdit())
        self.note.setAccessibleName("Notiz zur Übergabe")

    def value(self) -> tuple[str, str]:
        return self.site.currentData(), self.note.text().strip()
