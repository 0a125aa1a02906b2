"""Über WHH Desktop: version, store path, schema version and the rest of the system information.

"Systemcheck" opens the longer list a support call needs (``about.systemcheck``): versions, store, integrity
(quick check on opening, the full check as a button in the background), backups, export/import, key fingerprints,
with "Kopieren" for the report (no personal data).
"""

from __future__ import annotations

import dataclasses

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.services import about
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import modal, workers
from whh_desktop.ui.style import heading, muted
from whh_desktop.ui.widgets.screen_fit import resize_within_screen


def qt_versions() -> list[tuple[str, str]]:
    return [("Qt", qVersion()), ("PySide6", PySide6.__version__)]


class AboutDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setObjectName("about_dialog")
        self.setWindowTitle("Über WHH Desktop")
        self.setMinimumWidth(640)
        info = about.system_info(store)
        self.rows = [*info.rows(), ("Qt / PySide6", f"{qVersion()} / {PySide6.__version__}")]
        form = QFormLayout()
        form.setHorizontalSpacing(18)
        for label, value in self.rows:
            field = QLabel(value)
            field.setWordWrap(True)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
            field.setAccessibleName(label)
            field.setAccessibleDescription(value)
            form.addRow(f"{label}:", field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("&Schließen")
        copy = QPushButton("In die &Zwischenablage")
        copy.setToolTip("Kopiert diese Angaben, z. B. für eine Anfrage an den Support.")
        copy.clicked.connect(self.copy)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        self.check_button = QPushButton("S&ystemcheck…")
        self.check_button.setObjectName("about_systemcheck")
        self.check_button.setToolTip("Prüft Datenbestand, Sicherung, Austausch und Schlüssel – für den Support.")
        self.check_button.clicked.connect(self.open_systemcheck)
        buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("WHH Desktop", 4))
        layout.addWidget(muted("Fallverwaltung der Wohnungsnotfallhilfe im Kreis Herford – offline, verschlüsselt.",
                               wrap=False))
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def value(self, label: str) -> str:
        return dict(self.rows)[label]

    def text(self) -> str:
        return "\n".join(f"{label}: {value}" for label, value in self.rows)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())

    def open_systemcheck(self) -> None:
        modal.run_modal(SystemcheckDialog(self.store, self))

    @classmethod
    def show_for(cls, store: Store, parent: QWidget | None = None) -> None:
        modal.run_modal(cls(store, parent))


STATUS_COLOURS = {about.WARNING: "#8a5a00", about.ERROR: "#b00020"}
FULL_CHECK_LABEL = "Vollständige Prüfung"


class SystemcheckDialog(QDialog):
    """The support checklist, grouped by section; warnings and errors are marked in words, not by colour only."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.job: workers.Job | None = None
        self.setObjectName("systemcheck_dialog")
        self.setWindowTitle("Systemcheck – WHH Desktop")
        resize_within_screen(self, 720, 560)
        self.tree = QTreeWidget()
        self.tree.setObjectName("systemcheck_tree")
        self.tree.setAccessibleName("Ergebnisse des Systemchecks")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Prüfung", "Ergebnis", "Status"])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("systemcheck_summary")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Schl&ießen")
        self.full_button = QPushButton("&Vollständige Prüfung starten")
        self.full_button.setObjectName("systemcheck_full")
        self.full_button.setToolTip("PRAGMA integrity_check über den ganzen Datenbestand; läuft im Hintergrund und "
                                    "kann bei großen Beständen einige Minuten dauern.")
        self.full_button.clicked.connect(self.run_full_check)
        self.copy_button = QPushButton("&Kopieren")
        self.copy_button.setObjectName("systemcheck_copy")
        self.copy_button.setToolTip("Kopiert den Bericht (ohne personenbezogene Daten) in die Zwischenablage.")
        self.copy_button.clicked.connect(self.copy)
        buttons.addButton(self.full_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading("Systemcheck", 4))
        layout.addWidget(muted("Angaben für den Support. Der Bericht enthält keine Namen und keine Falldaten.",
                               wrap=True))
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.rows: list[about.CheckRow] = about.systemcheck(store, extra_versions=qt_versions())
        self._fill()

    # ---- content ----------------------------------------------------------------------------------------------
    def _fill(self) -> None:
        self.tree.clear()
        for section in about.SECTIONS:
            rows = [r for r in self.rows if r.section == section]
            if not rows:
                continue
            top = QTreeWidgetItem([section, "", ""])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            top.setFirstColumnSpanned(True)
            self.tree.addTopLevelItem(top)
            for row in rows:
                item = QTreeWidgetItem([row.label, row.value, about.STATUS_LABELS[row.status]])
                item.setToolTip(1, row.value)
                if row.status in STATUS_COLOURS:
                    item.setForeground(2, QBrush(QColor(STATUS_COLOURS[row.status])))
                top.addChild(item)
            top.setExpanded(True)
        problems = [r for r in self.rows if r.status in (about.WARNING, about.ERROR)]
        self.summary.setText("Alle Prüfungen ohne Befund." if not problems else
                             "Bitte prüfen: " + "; ".join(f"{r.label} ({about.STATUS_LABELS[r.status]})"
                                                         for r in problems))

    def value(self, label: str) -> str:
        return next(r.value for r in self.rows if r.label == label)

    def status(self, label: str) -> str:
        return next(r.status for r in self.rows if r.label == label)

    def text(self) -> str:
        return about.report_text(self.rows)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())

    # ---- full integrity check ---------------------------------------------------------------------------------
    def run_full_check(self) -> None:
        if self.job is not None and self.job.isRunning():
            return
        self.full_button.setEnabled(False)
        self._set_full("läuft …", about.INFO)
        store = self.store
        self.job = workers.run_in_background(self, "Vollständige Prüfung des Datenbestands läuft…",
                                             lambda _p, _c: about.full_integrity_check(store),
                                             on_done=self._full_done, on_error=self._full_failed)

    def _full_done(self, result: object) -> None:
        self._set_full(*about.integrity_label(str(result)))
        self.full_button.setEnabled(True)

    def _full_failed(self, exc: BaseException) -> None:
        self._set_full(f"nicht möglich: {type(exc).__name__}: {exc}", about.ERROR)
        self.full_button.setEnabled(True)

    def _set_full(self, value: str, status: str) -> None:
        self.rows = [dataclasses.replace(r, value=value, status=status) if r.label == FULL_CHECK_LABEL else r
                     for r in self.rows]
        self._fill()

    def done(self, result: int) -> None:  # closing waits for a running check: it holds a store connection
        if self.job is not None and self.job.isRunning():
            self.job.wait()
        super().done(result)
