"""The case file's tab »Anträge« (issue 08): applications to the Jobcenter/Sozialamt with reminder, decision,
Widerspruch and the § 88 SGG hint. The case file inserts it with a few lines; the services do all the rules."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from whh_desktop.core.domain.deadlines import NotificationKind
from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.errors import WhhError
from whh_desktop.core.services import applications as apps
from whh_desktop.core.services import case_file
from whh_desktop.core.services.applications import (
    ApplicationData,
    ApplicationKind,
    Decision,
    DecisionData,
    ObjectionDecision,
    SubmittedVia,
)
from whh_desktop.core.services.case_file import CaseFile
from whh_desktop.core.services.case_file_views import ApplicationRecord, ApplicationRow
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import messages, modal
from whh_desktop.ui.case_file.panel import CasePanel
from whh_desktop.ui.dialogs.case_forms import DateField, FormDialog, MoneyField, combo, text_box
from whh_desktop.ui.ops import Op, listen
from whh_desktop.ui.widgets.tables import ReadOnlyTable

NO_LETTER = ""


def _d(value: date | None) -> str:
    return fmt_date(value) if value else "–"


class ApplicationDialog(FormDialog):
    TITLE = "Antrag erfassen"

    def __init__(self, save: Callable[[ApplicationData], object], letters: list[tuple[str, str]],
                 existing: ApplicationRecord | None = None, parent: QWidget | None = None) -> None:
        self.letters, self.existing = letters, existing
        super().__init__(save, parent)

    def build(self) -> None:
        e = self.existing
        self.kind = self.row("&Art", "kind", combo("Art des Antrags", ApplicationKind.choices(),
                                                   e.kind if e else None))
        self.authority = self.row("&Behörde", "authority", text_box("Behörde", e.authority or "" if e else "", 40))
        self.submitted_on = self.row("&Gestellt am", "submitted_on",
                                     DateField("Gestellt am", "submitted_on", e.submitted_on if e else date.today(),
                                               required=True))
        self.via = self.row("&Wie", "submitted_via", combo("Wie gestellt", SubmittedVia.choices(),
                                                          e.submitted_via if e else None))
        self.expected_on = self.row("Entscheidung &erwartet", "expected_on",
                                    DateField("Entscheidung erwartet", "expected_on", e.expected_on if e else None))
        self.amount = self.row("Be&trag", "amount_requested",
                               MoneyField("Beantragter Betrag", "amount_requested", e.amount_requested if e else None))
        self.letter = self.row("B&rief", "letter_id", combo("Brief, mit dem der Antrag gestellt wurde",
                                                            [(NO_LETTER, "– von Hand erfasst –"), *self.letters],
                                                            str(e.letter_id) if e and e.letter_id else None))
        self.file_no = self.row("Akten&zeichen", "file_no", text_box("Aktenzeichen", e.file_no or "" if e else "", 40))
        self.note = self.row("&Notiz", "note", text_box("Notiz", e.note or "" if e else "", 60))

    def value(self) -> ApplicationData:
        letter = self.letter.currentData()
        return ApplicationData(
            kind=self.kind.currentData(), submitted_on=self.submitted_on.value() or date.today(),
            submitted_via=self.via.currentData(), authority=self.authority.toPlainText().strip(),
            file_no=self.file_no.toPlainText().strip(), expected_on=self.expected_on.value(),
            amount_requested=self.amount.value(), letter_id=uuid.UUID(letter) if letter else None,
            note=self.note.toPlainText().strip())


class DecisionDialog(FormDialog):
    TITLE = "Entscheidung über den Antrag"

    def __init__(self, save: Callable[[DecisionData], object], existing: ApplicationRecord,
                 parent: QWidget | None = None) -> None:
        self.existing = existing
        super().__init__(save, parent)

    def build(self) -> None:
        e = self.existing
        self.decision = self.row("&Entscheidung", "decision", combo("Entscheidung", Decision.choices(), e.decision))
        self.decided_on = self.row("Bescheid &vom", "decided_on",
                                   DateField("Bescheid vom", "decided_on", e.decided_on or date.today(), True))
        self.posted_on = self.row("Zur &Post gegeben", "posted_on",
                                  DateField("Zur Post gegeben", "posted_on", e.posted_on))
        self.notification, self.served_on = _notification_rows(self, e.notification, e.served_on)
        self.without = QCheckBox("ohne Rechtsbehelfsbelehrung (Widerspruchsfrist ein Jahr)")
        self.without.setChecked(bool(e.without_instructions))
        self.row("", "without_instructions", self.without)
        self.granted = self.row("Bewilligter Be&trag", "amount_granted",
                                MoneyField("Bewilligter Betrag", "amount_granted", e.amount_granted))
        self.averted = QCheckBox("Räumung abgewendet / Wohnung erhalten (bei Mietschulden)")
        self.averted.setChecked(bool(e.eviction_averted))
        self.row("", "eviction_averted", self.averted)
        hint = QLabel("Bei teilweiser Bewilligung oder Ablehnung wird die Widerspruchsfrist automatisch in den "
                      "Fristen angelegt.")
        hint.setWordWrap(True)
        self.form.addRow(hint)

    def value(self) -> DecisionData:
        return DecisionData(self.decision.currentData(), self.decided_on.value() or date.today(),
                            self.posted_on.value(), self.without.isChecked(), self.granted.value(),
                            True if self.averted.isChecked() else None, self.notification.currentData(),
                            self.served_on.value())


class ObjectionDialog(FormDialog):
    TITLE = "Widerspruch erfassen"

    def __init__(self, save: Callable[[tuple], object], letters: list[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        self.letters = letters
        super().__init__(save, parent)

    def build(self) -> None:
        self.lodged_on = self.row("Eingelegt &am", "lodged_on", DateField("Eingelegt am", "lodged_on", date.today(),
                                                                       True))
        self.letter = self.row("&Brief", "letter_id", combo("Widerspruchsschreiben",
                                                            [(NO_LETTER, "– ohne Brief –"), *self.letters]))
        self.note = self.row("&Notiz", "note", text_box("Notiz", "", 60))

    def value(self) -> tuple[date, uuid.UUID | None, str]:
        letter = self.letter.currentData()
        return (self.lodged_on.value() or date.today(), uuid.UUID(letter) if letter else None,
                self.note.toPlainText().strip())


class ObjectionDecisionDialog(FormDialog):
    TITLE = "Entscheidung über den Widerspruch"

    def build(self) -> None:
        self.decision = self.row("&Entscheidung", "decision", combo("Entscheidung", ObjectionDecision.choices()))
        self.decided_on = self.row("Bescheid &vom", "decided_on", DateField("Bescheid vom", "decided_on",
                                                                          date.today(), True))
        self.posted_on = self.row("Zur &Post gegeben", "posted_on", DateField("Zur Post gegeben", "posted_on"))
        self.notification, self.served_on = _notification_rows(self, NotificationKind.POST.value, None)
        self.without = QCheckBox("ohne Rechtsbehelfsbelehrung (Klagefrist ein Jahr)")
        self.row("", "without_instructions", self.without)

    def value(self) -> tuple[str, date, date | None, bool, str, date | None]:
        return (self.decision.currentData(), self.decided_on.value() or date.today(), self.posted_on.value(),
                self.without.isChecked(), self.notification.currentData(), self.served_on.value())


def _notification_rows(form: FormDialog, current: str | None, served_on: date | None) -> tuple:
    """How the decision was notified ("Served, not posted"): formal service runs from the day of service."""
    notification = form.row("&Bekanntgabe", "notification", combo(
        "Bekanntgabe des Bescheids", NotificationKind.choices(), current or NotificationKind.POST.value))
    served = form.row("&Zugestellt am", "served_on", DateField("Zugestellt am (förmliche Zustellung)", "served_on",
                                                               served_on))
    return notification, served


class ApplicationsTab(CasePanel):
    """List and actions of the »Anträge« tab. In the case file it shows the read model's part; on its own (tests,
    ``standalone``) it reads the case file itself and re-reads on every broadcast about the case."""

    HEADERS = ["Gestellt", "Art", "Wie", "Stand", "Entschieden", "Frist bis", "Hinweis"]

    def __init__(self, store: Store, user: CurrentUser, case_id: uuid.UUID, today: date | None = None,
                 standalone: bool = True) -> None:
        super().__init__(store, user, case_id)
        self.today = today
        self.views: list[ApplicationRow] = []
        self.table = ReadOnlyTable(self.HEADERS, "Anträge", "applications")
        self.table.itemSelectionChanged.connect(self.enable)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setAccessibleName("Einzelheiten zum Antrag")
        self.buttons = {}
        for key, text, slot in (("add", "Antrag &erfassen…", self.add),
                                ("letter", "Antrag als B&rief…", self.letter_application),
                                ("edit", "&Bearbeiten…", self.edit),
                                ("decide", "E&ntscheidung…", self.decide),
                                ("remind", "&Sachstandsanfrage…", self.remind),
                                ("object_letter", "Widerspruchsbrie&f…", self.objection_letter),
                                ("object", "&Widerspruch erfassen…", self.add_objection),
                                ("object_decide", "Widers&pruchsbescheid…", self.decide_objection),
                                ("delete", "Antrag &löschen…", self.delete)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            self.buttons[key] = button
        layout = QVBoxLayout(self)
        # two rows (the application, its objection): one row of nine does not fit a case page at 1366×768
        for keys in (("add", "letter", "edit", "decide", "remind", "delete"),
                     ("object_letter", "object", "object_decide")):
            row = QHBoxLayout()
            for key in keys:
                row.addWidget(self.buttons[key])
            row.addStretch()
            layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        if standalone:
            listen(self, lambda changes: changes.touches_case(case_id), self.refresh)
            self.refresh()

    # ---- showing ---------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """On its own: read the case file (as of ``today``) and show this part."""
        self.show_file(case_file.open_case(self.store, self.user, self.case_id, self.today))

    def fill(self, cf: CaseFile) -> None:
        self.views = list(cf.applications)
        rows, tips = [], []
        for v in self.views:
            a = v.application
            hint = []
            if v.untaetigkeitsklage is not None:
                hint.append("Untätigkeitsklage möglich (§ 88 SGG)")
            if v.reminder_offered:
                hint.append("Sachstandsanfrage fällig")
            due = v.deadline.effective_due if v.deadline is not None and v.deadline.done_on is None else None
            rows.append([_d(a.submitted_on), v.kind_label, SubmittedVia(a.submitted_via).label, v.status,
                         _d(a.decided_on), _d(due), "; ".join(hint)])
            tips.append(v.untaetigkeitsklage.rule if v.untaetigkeitsklage else "")
        self.table.fill(rows, tips)

    @property
    def read_only(self) -> bool:
        """The district's merged view and handed-over stubs show the list only."""
        return self.data is not None and self.data.read_only

    def selected(self) -> ApplicationRow | None:
        row = self.table.selected_row()
        return self.views[row] if row is not None and row < len(self.views) else None

    def enable(self) -> None:
        v = self.selected()
        pending = v is not None and v.application.decision is None
        decided = v is not None and v.application.decision is not None
        for key in ("edit", "delete", "decide"):
            self.buttons[key].setEnabled(v is not None)
        self.buttons["remind"].setEnabled(pending)
        self.buttons["object"].setEnabled(decided)
        self.buttons["object_letter"].setEnabled(decided)
        self.buttons["object_decide"].setEnabled(v is not None and bool(v.pending_objections))
        if self.read_only:
            for button in self.buttons.values():
                button.setEnabled(False)
        else:
            self.buttons["add"].setEnabled(True)
            self.buttons["letter"].setEnabled(True)
        self.detail.setText(self._detail(v) if v else "")

    @staticmethod
    def _detail(v: ApplicationRow) -> str:
        a = v.application
        lines = [f"{v.kind_label}, gestellt am {_d(a.submitted_on)} ({SubmittedVia(a.submitted_via).label})"
                 + (f" bei {a.authority}" if a.authority else "")]
        if a.decision is None and v.reminder_due:
            lines.append(f"Sachstandsanfrage {'fällig seit' if v.reminder_offered else 'ab'} {_d(v.reminder_due)}"
                         f"; bisher {len(a.reminders or [])} gesendet.")
        if v.deadline is not None:
            lines.append(f"Widerspruchsfrist bis {_d(v.deadline.effective_due)}: {v.deadline.rule}")
        for o in v.objections:
            state = ObjectionDecision(o.objection.decision).label if o.objection.decision else "offen"
            lines.append(f"Widerspruch vom {_d(o.objection.lodged_on)}: {state}")
        flag = v.untaetigkeitsklage
        if flag is not None:
            lines.append(flag.rule)
        return "\n".join(lines)

    # ---- actions ---------------------------------------------------------------------------------------------
    def _letters(self, types: set[str] | None) -> list[tuple[str, str]]:
        return [(str(d.id), f"{_d(d.created_at.date())} – {d.title}")
                for d in (self.data.letters(types) if self.data else [])]

    def add(self) -> None:
        modal.run_modal(ApplicationDialog(
            lambda data: apps.add_application(self.store, self.user, self.case_id, data),
            self._letters(set(apps.LETTER_KINDS)), parent=self))

    def edit(self) -> None:
        if (v := self.selected()) is not None:
            app_id = v.application.id
            modal.run_modal(ApplicationDialog(
                lambda data: apps.update_application(self.store, self.user, app_id, data),
                self._letters(set(apps.LETTER_KINDS)), v.application, self))

    def decide(self) -> None:
        if (v := self.selected()) is not None:
            app_id = v.application.id
            modal.run_modal(DecisionDialog(lambda data: apps.record_decision(self.store, self.user, app_id, data),
                                           v.application, self))

    def _letter_then(self, code: str, values: dict[str, str] | None, record: Callable[[uuid.UUID], object],
                     failed: str = "") -> None:
        """The letter dialog on one letter type, pre-filled; once the letter is filed, ``record`` notes it here."""
        from whh_desktop.ui.dialogs.letter import LetterDialog

        dialog = LetterDialog(self.store, self.user, self.case_id, self)
        dialog.preset(code, values)
        modal.run_modal(dialog)
        if dialog.recorded is not None:
            Op(self, lambda: record(dialog.recorded)).failure(
                lambda exc: messages.show_error(self, f"{failed}{exc}")).run()

    def letter_application(self) -> None:
        """Write an application letter (§ 22 SGB II …); once filed it is entered here with the letter's date."""
        self._letter_then(next(iter(apps.LETTER_KINDS)), None,
                          lambda doc: apps.add_from_letter(self.store, self.user, doc),
                          "Der Brief liegt in der Akte, als Antrag wurde er nicht erfasst: ")

    def remind(self) -> None:
        """Write the Sachstandsanfrage about the selected application and note it as a reminder."""
        if (v := self.selected()) is not None:
            app_id = v.application.id
            self._letter_then(apps.SACHSTAND, apps.sachstand_values(v.application),
                              lambda doc: apps.record_reminder(self.store, self.user, app_id, date.today(), doc))

    def objection_letter(self) -> None:
        """Write the Widerspruch against the decision; once filed, the Widerspruch is recorded as lodged today."""
        if (v := self.selected()) is not None and v.application.decision is not None:
            app_id = v.application.id
            self._letter_then(apps.WIDERSPRUCH, apps.widerspruch_values(v.application),
                              lambda doc: apps.add_objection(self.store, self.user, app_id, date.today(), doc))

    def delete(self) -> None:
        """For a wrong entry: the application goes with its Widersprüche and their open deadlines."""
        if (v := self.selected()) is None or not messages.confirm(
                self, f"Den Antrag »{ApplicationKind(v.application.kind).label}« vom "
                f"{_d(v.application.submitted_on)} löschen? Seine Widersprüche und offenen Fristen gehen mit; "
                "Briefe bleiben in der Akte.", title="Antrag löschen", yes="&Löschen"):
            return
        app_id = v.application.id
        self.run(lambda: apps.delete_application(self.store, self.user, app_id))

    def add_objection(self) -> None:
        if (v := self.selected()) is not None:
            app_id = v.application.id
            modal.run_modal(ObjectionDialog(lambda value: apps.add_objection(self.store, self.user, app_id, *value),
                                            self._letters({apps.WIDERSPRUCH}), self))

    def decide_objection(self) -> None:
        v = self.selected()
        pending = v.pending_objections if v else ()
        if pending:
            obj_id = pending[0].id
            modal.run_modal(ObjectionDecisionDialog(
                lambda value: apps.decide_objection(self.store, self.user, obj_id, value[0], value[1], value[2],
                                                    value[3], notification=value[4], served_on=value[5]), self))


class ArbeitskreisTab(QWidget):
    """Berichte › Arbeitskreis: the figures for the Arbeitskreis with the Jobcenter (period, site, tables, export
    with suppression through the shared ``TablesPanel``)."""

    def __init__(self, store: Store, user: CurrentUser) -> None:
        from whh_desktop.ui.views.reports_widgets import PeriodPicker, SitePicker, TablesPanel

        super().__init__()
        self.store, self.user = store, user
        self.period_picker = PeriodPicker()
        self.site_picker = SitePicker(store)
        self.run_button = QPushButton("Berech&nen")
        self.run_button.clicked.connect(self.refresh)
        self.shown = QLabel()
        self.shown.setAccessibleName("Angezeigter Zeitraum")
        self.tables = TablesPanel("Arbeitskreis")
        bar = QHBoxLayout()
        for widget in (self.period_picker, self.site_picker, self.run_button):
            bar.addWidget(widget)
        bar.addWidget(self.shown, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tables, 1)
        self.result: list = []

    def refresh(self) -> None:
        from whh_desktop.core.services import reports

        try:
            period = self.period_picker.period()
        except WhhError as exc:
            messages.show_error(self, exc)
            return
        self.result = reports.arbeitskreis_for(self.store, self.user, period.von, period.bis,
                                               self.site_picker.sites())
        self.shown.setText(f"{period.label}, {self.site_picker.currentText()}")
        self.tables.export_name = f"Arbeitskreis_{period.von:%Y-%m-%d}"
        self.tables.set_tables(self.result)
