"""Brief schreiben: choose a letter and a recipient, complete the filled fields, see the PDF live, then print,
save or just file it in the case. The PDF lives in memory only (DESIGN.md §4).

Beside the preview the "Prüfung vor dem Versand" lists what the letter says against the case's legal state:
contradictions stop preview and output until corrected or sent anyway with a reason (»Trotzdem senden…«), which
goes into the audit log; warnings are shown."""

from __future__ import annotations

import itertools
import uuid

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain.formatting import plural
from whh_desktop.core.domain.letter_catalogue import RECIPIENT_KINDS
from whh_desktop.core.domain.letter_check import Finding
from whh_desktop.core.errors import InvalidInput, WhhError
from whh_desktop.core.services import address_book, applications, letter_views, letters
from whh_desktop.core.services.address_book import Recipient
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import messages, modal, printing
from whh_desktop.ui.dirty import FormWindow
from whh_desktop.ui.ops import Op
from whh_desktop.ui.style import MessageLabel
from whh_desktop.ui.widgets.combo_search import type_to_find
from whh_desktop.ui.widgets.fields import clear_mark, mark_invalid
from whh_desktop.ui.widgets.screen_fit import resize_within_screen

FILED = "Der Brief liegt jetzt in der Akte (Dokumente) und ist als Kontakt vermerkt."
PREVIEW_DELAY_MS = 350  # render after typing pauses, not on every key
FORM_MIN_WIDTH = 360  # the form pane never collapses: the fields stay usable
PREVIEW_SHARE = 0.6  # of the splitter's width until the user moves the handle: the page readable at its width
OTHER = "__other__"


def case_letter_types() -> list[letters.LetterType]:
    return [t for t in letters.letter_types() if t.needs_case]


class PdfPreview(QPdfView):
    """Shows PDF bytes; keeps document and buffer alive together (DESIGN.md §10)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.setPageMode(QPdfView.PageMode.MultiPage)
        self.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        # Always there: at »Seitenbreite« a page about as tall as the view switched the bar on (narrower, so the
        # page got shorter), then off again (wider, taller) – an endless layout loop seen hanging a test.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self._held: tuple[QPdfDocument, object] | None = None

    def show_pdf(self, data: bytes | None) -> None:
        old = self._held
        if data is None:
            self.setDocument(None)
            self._held = None
        else:
            document, buffer = printing.load_pdf(data)
            self.setDocument(document)
            self._held = (document, buffer)
        if old is not None:
            old[0].close()

    @property
    def page_count(self) -> int:
        return self._held[0].pageCount() if self._held else 0


class ForceDialog(FormWindow):
    """»Trotzdem senden…«: the contradictions once more and the reason, which goes into the audit log."""

    def __init__(self, findings: list[Finding], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Trotzdem senden")
        text = QLabel("Der Brief widerspricht dem Stand des Falls:<ul>"
                      + "".join(f"<li>{f.text}</li>" for f in findings if f.blocking)
                      + "</ul>Warum soll er trotzdem so hinausgehen? Der Grund wird im Protokoll vermerkt.")
        text.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Grund")
        self.reason.setPlaceholderText("z. B. mit dem Jobcenter telefonisch so abgesprochen")
        self.reason.setTabChangesFocus(True)
        self.message = MessageLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Trotzdem &senden")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Abbrechen")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.reason)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def submit(self) -> None:
        try:
            letters.force_reason(self.reason.toPlainText())
        except InvalidInput as exc:
            self.message.error(str(exc))
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, findings: list[Finding]) -> str | None:
        dialog = cls(findings, parent)
        return letters.force_reason(dialog.reason.toPlainText()) if modal.accepted(dialog) else None


class LetterDialog(FormWindow):
    """``recorded`` holds the document id once the letter is filed in the case."""

    def __init__(self, store: Store, user: CurrentUser, case_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.user, self.case_id = store, user, case_id
        self.setWindowTitle("Brief schreiben")
        resize_within_screen(self, 1240, 820)
        self.draft: letters.Draft | None = None
        self.pdf: bytes | None = None
        self.recorded: uuid.UUID | None = None
        self.inputs: dict[str, QLineEdit] = {}
        self.required: list[str] = []  # keys of the fields the letter needs, in the form's order
        # set by a caller that asks next whether an application letter goes into »Anträge«: that one question
        # also says the letter was filed, instead of a second message box before it
        self.then_asks_application = False
        self.findings: list[Finding] = []
        self.forced_reason: str | None = None  # given through »Trotzdem senden…« for this letter and recipient

        self.kind = QComboBox()
        self.kind.setAccessibleName("Brief")
        # The longest letter title would make the form pane (and the dialog) wider than a 150 % screen.
        self.kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kind.setMinimumContentsLength(28)
        for t in case_letter_types():
            self.kind.addItem(f"{t.group_label}: {t.title}", t.code)
        self.recipient = QComboBox()
        self.recipient.setAccessibleName("Empfänger")
        self.other = QPlainTextEdit()
        self.other.setAccessibleName("Andere Anschrift")
        self.other.setPlaceholderText("Anschrift, eine Zeile je Zeile")
        self.other.setMaximumHeight(80)
        self.other.setTabChangesFocus(True)
        self.other_kind = QComboBox()
        self.other_kind.setAccessibleName("Art des Empfängers")
        for combo in (self.kind, self.recipient, self.other_kind):  # a long title must not widen the form pane
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(20)
        self.fields_form = QFormLayout()
        self.fields_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow pane: label above field
        fields_holder = QWidget()
        fields_holder.setLayout(self.fields_form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(fields_holder)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes into the fields; the area follows the focus
        self.free_text = QPlainTextEdit()
        self.free_text.setAccessibleName("Zusätzlicher Text")
        self.free_text.setPlaceholderText("Zusätzlicher Text (wird vor dem Gruß eingefügt)")
        self.free_text.setMaximumHeight(110)
        self.free_text.setTabChangesFocus(True)
        self.consent = QLabel()
        self.consent.setWordWrap(True)
        self.consent.setAccessibleName("Einwilligung")
        self.message = MessageLabel()
        self.preview = PdfPreview("Vorschau")
        self.preview_state = QLabel()
        self.preview_state.setWordWrap(True)
        self.preview_state.setAccessibleName("Stand der Vorschau")
        self.check_list = QListWidget()
        self.check_list.setAccessibleName("Prüfung vor dem Versand")
        self.check_list.setWordWrap(True)
        self.check_list.setMaximumHeight(130)
        self.force_button = QPushButton("&Trotzdem senden…")
        self.force_button.setAccessibleName("Trotzdem senden")
        self.force_button.clicked.connect(self.force)
        self.force_button.setEnabled(False)

        self.print_button = QPushButton("&Drucken…")
        self.print_button.clicked.connect(self.print_letter)
        self.save_button = QPushButton("Als &PDF speichern…")
        self.save_button.clicked.connect(self.save_letter)
        self.file_button = QPushButton("Nur in der &Akte ablegen")
        self.file_button.clicked.connect(self.file_letter)
        self.file_button.setDefault(True)  # Enter once nothing is missing (see keyPressEvent): no chooser, no printer
        self.close_button = QPushButton("Schließen")
        self.close_button.clicked.connect(self.reject)

        top = QFormLayout()
        top.addRow("&Brief", self.kind)
        top.addRow("&Empfänger", self.recipient)
        top.addRow("", self.other_kind)
        top.addRow("", self.other)
        left = self.form_pane = QWidget()
        left.setMinimumWidth(FORM_MIN_WIDTH)
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(top)
        left_layout.addWidget(self.consent)
        left_layout.addWidget(QLabel("<b>Angaben im Brief</b> (aus dem Fall gefüllt; * = nötig)"))
        left_layout.addWidget(scroll, 1)
        left_layout.addWidget(self.free_text)
        left_layout.addWidget(self.message)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        check_row = QHBoxLayout()
        check_row.addWidget(QLabel("<b>Prüfung vor dem Versand</b>"))
        check_row.addStretch()
        check_row.addWidget(self.force_button)
        right_layout.addLayout(check_row)
        right_layout.addWidget(self.check_list)
        right_layout.addWidget(self.preview_state)
        right_layout.addWidget(self.preview, 1)
        splitter = self.splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        self._user_split = False  # once the user drags the handle, their split stays
        splitter.splitterMoved.connect(self._split_moved)
        buttons = QHBoxLayout()
        buttons.addWidget(self.file_button)
        buttons.addStretch()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_DELAY_MS)
        self.timer.timeout.connect(self.update_preview)
        self.kind.currentIndexChanged.connect(self.load_recipients)
        self.recipient.currentIndexChanged.connect(self.prepare)
        self.other.textChanged.connect(self._other_changed)
        self.other_kind.currentIndexChanged.connect(self._other_changed)
        self.free_text.textChanged.connect(self.timer.start)
        type_to_find(self.kind, self.recipient)  # »mietschulden« finds the Jobcenter application
        self.load_recipients()

    # ---- layout ----------------------------------------------------------------------------------------------
    def _split_moved(self, _pos: int, _index: int) -> None:
        self._user_split = True

    def _share_split(self) -> None:
        """The preview gets ``PREVIEW_SHARE`` of the width (its zoom is »Seitenbreite«: the page follows)."""
        if self._user_split:
            return
        total = self.splitter.width() - self.splitter.handleWidth()
        form = max(FORM_MIN_WIDTH, round(total * (1 - PREVIEW_SHARE)))
        self.splitter.blockSignals(True)
        self.splitter.setSizes([form, max(0, total - form)])
        self.splitter.blockSignals(False)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._share_split()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._share_split()

    def preset(self, code: str, values: dict[str, str] | None = None) -> None:
        """Open on one letter type with some fields already filled (as if typed: they survive a new recipient)."""
        if (index := self.kind.findData(code)) >= 0:
            self.kind.setCurrentIndex(index)
        for key, text in (values or {}).items():
            if (edit := self.inputs.get(key)) is not None and text:
                edit.setText(text)
                edit.setModified(True)
        self.update_preview()

    # ---- keyboard ------------------------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter goes to the next field the letter still needs (after choosing the letter, after typing one);
        once nothing is missing, Enter files the letter in the case (the default button)."""
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            missing = self.next_missing()
            if missing is not None:
                missing.setFocus(Qt.FocusReason.TabFocusReason)
                return
            self._ready()  # what was just typed is in the preview (and the buttons) before Enter files it
        super().keyPressEvent(event)

    def next_missing(self) -> QLineEdit | None:
        """The first empty field the letter needs after the one with the focus, else the first one before it."""
        empty = [self.inputs[key] for key in self.required
                 if key in self.inputs and not self.inputs[key].text().strip()]
        focus = self.focusWidget()
        order = list(self.inputs.values())
        after = [w for w in empty if focus in order and order.index(w) > order.index(focus)]
        return (after or empty or [None])[0]

    # ---- choosing --------------------------------------------------------------------------------------------
    @property
    def letter_type(self) -> letters.LetterType:
        return next(t for t in letters.letter_types() if t.code == self.kind.currentData())

    def load_recipients(self) -> None:
        kinds = self.letter_type.recipient_kinds
        self.recipients = letter_views.case_letter_recipients(self.store, self.user, self.letter_type, self.case_id)
        self.recipient.blockSignals(True)
        self.recipient.clear()
        for index, who in enumerate(self.recipients):
            self.recipient.addItem(f"{RECIPIENT_KINDS[who.kind]}: {who.label}", index)
        self.recipient.addItem("Andere Anschrift …", OTHER)
        self.recipient.blockSignals(False)
        self.other_kind.blockSignals(True)
        self.other_kind.clear()
        for kind in kinds:
            self.other_kind.addItem(RECIPIENT_KINDS[kind], kind)
        self.other_kind.blockSignals(False)
        self.prepare()

    def chosen_recipient(self) -> Recipient:
        data = self.recipient.currentData()
        if data == OTHER:
            return address_book.manual(self.other_kind.currentData(), self.other.toPlainText())
        return self.recipients[data]

    def _other_changed(self) -> None:
        if self.recipient.currentData() == OTHER:
            self.timer.start()
            self._prepare_later = True

    def prepare(self) -> None:
        """A new letter type or recipient: fill the fields from the case again."""
        manual = self.recipient.currentData() == OTHER
        self.other.setVisible(manual)
        self.other_kind.setVisible(manual)
        self._prepare_later = False
        self.forced_reason = None  # a reason given for another letter or recipient does not carry over
        try:
            self.draft = letters.prepare(self.store, self.user, self.case_id, self.letter_type,
                                         self.chosen_recipient())
        except InvalidInput as exc:
            self.draft = None
            self._show_fields([])
            self._blocked(str(exc))
            return
        except WhhError as exc:
            self.draft = None
            self._show_fields([])
            self._blocked(str(exc))
            return
        self._show_fields(self.draft.fields)
        warning = self.draft.consent_warning
        self.consent.setText(f"⚠ {warning}" if warning else "")
        self.consent.setStyleSheet("color: #b71c1c; font-weight: bold;" if warning else "")
        self.consent.setVisible(bool(warning))
        self.update_preview()

    def _show_fields(self, items: list[letters.DraftField]) -> None:
        old = {k: w.text() for k, w in self.inputs.items() if w.isModified()}  # what the counsellor typed stays
        while self.fields_form.rowCount():
            self.fields_form.removeRow(0)
        self.inputs = {}
        self.required = [item.key for item in items if item.required]
        for item in items:
            edit = QLineEdit(old.get(item.key, item.value))
            edit.setModified(item.key in old)
            edit.setAccessibleName(item.label)
            edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("x" * 24))  # else the label goes above it
            edit.textEdited.connect(self.timer.start)
            self.inputs[item.key] = edit
            self.fields_form.addRow(f"{item.label}{' *' if item.required else ''}", edit)
        self._tab_order()

    def _tab_order(self) -> None:
        """Tab follows the form: the fields are made anew for every letter, after the widgets below them."""
        chain = [self.kind, self.recipient, self.other_kind, self.other, *self.inputs.values(), self.free_text,
                 self.check_list, self.force_button, self.preview, self.file_button, self.save_button,
                 self.print_button, self.close_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # ---- preview ---------------------------------------------------------------------------------------------
    def overrides(self) -> dict[str, str]:
        return {k: w.text().strip() for k, w in self.inputs.items()}

    def update_preview(self) -> None:
        if getattr(self, "_prepare_later", False):
            self.prepare()
            return
        for widget in self.inputs.values():
            clear_mark(widget)
        self.message.setText("")
        if self.draft is None:
            return
        try:
            self._show_findings(letters.check(self.draft, self.overrides(), self.free_text.toPlainText()))
            rendered = letters.render_full(self.draft, self.overrides(), self.free_text.toPlainText(),
                                           force=self.forced_reason)
        except letters.LetterBlocked:
            self._blocked("Der Brief widerspricht dem Stand des Falls (siehe »Prüfung vor dem Versand«). Bitte "
                          "korrigieren oder mit »Trotzdem senden…« und einem Grund erstellen.")
            self.force_button.setEnabled(True)
            return
        except InvalidInput as exc:
            self.check_list.clear()
            self.check_list.addItem("Die Prüfung folgt, sobald die nötigen Angaben da sind.")
            for label in getattr(exc, "labels", []):
                widget = next((w for w in self.inputs.values() if w.accessibleName() == label), None)
                if widget is not None:
                    mark_invalid(widget, str(exc), focus=False)
            self._blocked(str(exc))
            return
        except WhhError as exc:
            self._blocked(str(exc))
            return
        self.pdf = rendered.pdf
        self.preview.show_pdf(self.pdf)
        pages = plural(rendered.pages, "Seite", "Seiten")
        self.preview_state.setText(pages + "".join(f"<br>⚠ {w}" for w in rendered.warnings))
        self.preview_state.setStyleSheet("")
        for button in (self.print_button, self.save_button, self.file_button):
            button.setEnabled(True)

    def _show_findings(self, findings: list[Finding]) -> None:
        self.findings = findings
        self.check_list.clear()
        for finding in findings:  # "Widerspruch: …" in red, "Hinweis: …" plain (the words say it, not only colour)
            item = QListWidgetItem(finding.label)
            if finding.blocking:
                item.setForeground(QColor("#b71c1c"))
            self.check_list.addItem(item)
        if not findings:
            self.check_list.addItem("Keine Widersprüche zum Stand des Falls.")
        if self.forced_reason and any(f.blocking for f in findings):
            self.check_list.addItem(f"Trotzdem senden – Grund: {self.forced_reason}")
        self.force_button.setEnabled(False)

    def force(self) -> None:
        """Send the letter despite its contradictions: ask for the reason (audited with the letter)."""
        reason = ForceDialog.ask(self, self.findings)
        if reason:
            self.forced_reason = reason
            self.update_preview()

    def _blocked(self, text: str) -> None:
        """No PDF while something is missing: say what, instead of producing a broken letter."""
        self.pdf = None
        self.preview.show_pdf(None)
        self.preview_state.setText(text)
        self.preview_state.setStyleSheet("color: #b71c1c; font-weight: bold;")
        for button in (self.print_button, self.save_button, self.file_button, self.force_button):
            button.setEnabled(False)

    # ---- output ----------------------------------------------------------------------------------------------
    def save_by_key(self) -> None:
        """Ctrl+S / Ctrl+Enter file the letter in the case (no file chooser, no printer)."""
        if self.file_button.isEnabled():
            self.file_button.click()

    def _ready(self) -> bool:
        if self.timer.isActive():
            self.timer.stop()
            self.update_preview()
        return self.pdf is not None and self.draft is not None

    def _record(self) -> bool:
        forced = self.forced_reason if any(f.blocking for f in self.findings) else None
        op = Op(self, lambda: letters.record(self.store, self.user, self.case_id, self.draft, self.pdf, forced=forced,
                                            findings=self.findings))
        if not op.run():  # a refusal is shown; a filed letter is broadcast (the case file shows it)
            return False
        self.recorded = op.result
        return True

    def print_letter(self) -> None:
        if self._ready() and printing.print_pdf(self, self.pdf, self.letter_type.title) and self._record():
            self.accept()

    def save_letter(self) -> None:
        if not self._ready():
            return
        name = f"{self.letter_type.code}-{self.draft.values.get('aktenzeichen', 'brief')}.pdf"
        if printing.save_pdf(self, self.pdf, name) is not None and self._record():
            self.accept()

    def file_letter(self) -> None:
        if self._ready() and self._record():
            if not (self.then_asks_application and applications.kind_for_letter(self.letter_type.code)):
                messages.inform(self, FILED)
            self.accept()
