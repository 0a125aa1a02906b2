"""Briefe: serial letters (one template to many landlords), built in the background with progress and cancel;
one combined PDF to preview, print or save; one record per recipient once it is printed or saved (a preview
records nothing). Letters for one case are written from the case file (Dokumente → Brief schreiben)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain.municipalities import MUNICIPALITIES
from whh_desktop.core.services import address_book, letters
from whh_desktop.core.services.address_book import Recipient
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import messages, printing
from whh_desktop.ui.areas import Shell
from whh_desktop.ui.dialogs.letter import PdfPreview
from whh_desktop.ui.ops import LongOp, Op
from whh_desktop.ui.workers import Job


class LettersView(QWidget):
    def __init__(self, store: Store, user: CurrentUser, shell: Shell | None = None) -> None:
        super().__init__()
        self.store, self.user = store, user
        self.job: Job | None = None
        self.result: letters.SerialResult | None = None
        self.kind = QComboBox()
        self.kind.setAccessibleName("Serienbrief")
        for t in letters.letter_types():
            if t.serial:
                self.kind.addItem(t.title, t.code)
        self.municipality = QComboBox()
        self.municipality.setAccessibleName("Kommune der Vermieter")
        self.municipality.addItem("alle Kommunen", None)
        for m in MUNICIPALITIES:
            self.municipality.addItem(m.name, m.name)
        self.active_only = QCheckBox("nur Vermieter mit aktiver Zusammenarbeit")
        self.active_only.setChecked(True)
        self.recipients = QListWidget()
        self.recipients.setAccessibleName("Empfänger")
        self.count = QLabel()
        self.count.setAccessibleName("Anzahl der Empfänger")
        all_button = QPushButton("A&lle")
        all_button.clicked.connect(lambda: self._check_all(True))
        none_button = QPushButton("Kei&ne")
        none_button.clicked.connect(lambda: self._check_all(False))
        self.free_text = QPlainTextEdit()
        self.free_text.setAccessibleName("Zusätzlicher Text")
        self.free_text.setPlaceholderText("Zusätzlicher Text für alle Briefe (optional)")
        self.free_text.setMaximumHeight(90)
        self.free_text.setTabChangesFocus(True)
        self.create_button = QPushButton("Serienbrief &erstellen")
        self.create_button.clicked.connect(self.create)
        self.state = QLabel("Empfänger wählen, dann »Serienbrief erstellen«.")
        self.state.setWordWrap(True)
        self.state.setAccessibleName("Stand")
        self.preview = PdfPreview("Vorschau des Serienbriefs")
        self.print_button = QPushButton("Dr&ucken…")
        self.print_button.clicked.connect(self.print_result)
        self.save_button = QPushButton("Als &PDF speichern…")
        self.save_button.clicked.connect(self.save_result)
        for widget in (self.municipality, self.active_only):
            signal = widget.currentIndexChanged if isinstance(widget, QComboBox) else widget.toggled
            signal.connect(self.load_recipients)
        self.recipients.itemChanged.connect(self._count)

        form = QFormLayout()
        form.addRow("&Brief", self.kind)
        form.addRow("&Kommune", self.municipality)
        form.addRow("", self.active_only)
        picks = QHBoxLayout()
        picks.addWidget(self.count, 1)
        picks.addWidget(all_button)
        picks.addWidget(none_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(QLabel("<b style='font-size:13pt'>Serienbrief</b> – ein Brief an viele Vermieter; "
                                     "Briefe zu einem Fall entstehen in der Fallakte unter »Dokumente«."))
        left_layout.addLayout(form)
        left_layout.addLayout(picks)
        left_layout.addWidget(self.recipients, 1)
        left_layout.addWidget(self.free_text)
        left_layout.addWidget(self.create_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.state)
        right_layout.addWidget(self.preview, 1)
        out = QHBoxLayout()
        out.addStretch()
        out.addWidget(self.save_button)
        out.addWidget(self.print_button)
        right_layout.addLayout(out)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([420, 600])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._show_result(None)
        self.load_recipients()

    def refresh(self) -> None:
        if self.job is None or self.job.isFinished():
            self.load_recipients()

    def load_recipients(self) -> None:
        self.found = address_book.landlord_recipients(self.store, self.user, self.municipality.currentData(),
                                                      self.active_only.isChecked())
        self.recipients.blockSignals(True)
        self.recipients.clear()
        for index, who in enumerate(self.found):
            item = QListWidgetItem(who.label, self.recipients)
            item.setData(Qt.ItemDataRole.UserRole, index)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self.recipients.blockSignals(False)
        self._count()

    def _check_all(self, on: bool) -> None:
        self.recipients.blockSignals(True)
        for i in range(self.recipients.count()):
            self.recipients.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.recipients.blockSignals(False)
        self._count()

    def chosen(self) -> list[Recipient]:
        return [self.found[self.recipients.item(i).data(Qt.ItemDataRole.UserRole)]
                for i in range(self.recipients.count())
                if self.recipients.item(i).checkState() == Qt.CheckState.Checked]

    def _count(self) -> None:
        n = len(self.chosen())
        self.count.setText(f"{n} von {len(self.found)} Vermietern gewählt")
        self.create_button.setEnabled(n > 0 and self.kind.count() > 0)

    def create(self) -> None:
        recipients = self.chosen()
        if not recipients:
            return
        code, free = self.kind.currentData(), self.free_text.toPlainText()
        self.create_button.setEnabled(False)
        self._show_result(None)
        self.state.setText(f"Serienbrief an {len(recipients)} Vermieter wird erstellt …")
        self.job = LongOp(
            self, f"Serienbrief an {len(recipients)} Vermieter wird erstellt …",
            lambda progress, cancelled: letters.render_serial(self.store, self.user, code, recipients,
                                                              free_text=free, progress=progress,
                                                              cancelled=cancelled),
            cancellable=True).success(self._show_result).failure(self._failed).run()
        self.job.done.connect(self._count)

    def _failed(self, exc: BaseException) -> None:
        messages.show_error(self, exc)
        self.state.setText("Der Serienbrief wurde nicht erstellt.")

    def _show_result(self, result: letters.SerialResult | None) -> None:
        self.result = result if result is not None and not result.cancelled else None
        self.preview.show_pdf(self.result.pdf if self.result else None)
        self.print_button.setEnabled(self.result is not None)
        self.save_button.setEnabled(self.result is not None)
        if result is None:
            return
        if result.cancelled:
            self.state.setText("Abgebrochen – es wurde nichts erstellt und nichts vermerkt.")
            return
        self.state.setText(f"{len(result.recipients)} Briefe in der Vorschau – vermerkt wird bei den Vermietern "
                           "erst, was gedruckt oder gespeichert wird."
                           + "".join(f"<br>⚠ {w}" for w in result.warnings))

    def print_result(self) -> None:
        if self.result is not None and printing.print_pdf(self, self.result.pdf, "Serienbrief"):
            self._record()

    def save_result(self) -> None:
        if self.result is not None and printing.save_pdf(self, self.result.pdf,
                                                         f"Serienbrief-{self.kind.currentData()}.pdf"):
            self._record()

    def _record(self) -> None:
        """The letters have left the program: note them once per landlord (a second print adds nothing)."""
        assert self.result is not None
        op = Op(self, lambda: letters.record_serial(self.store, self.user, self.result))
        if not op.run() or op.result is None:
            return
        records = op.result
        self.state.setText(f"{len(records)} Briefe erstellt, bei jedem Vermieter als Kontakt vermerkt.")
