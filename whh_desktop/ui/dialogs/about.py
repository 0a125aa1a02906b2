"""Über WHH Desktop: version, store path, schema version and the rest of the system information."""

from __future__ import annotations

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from whh_desktop.core.services import about
from whh_desktop.core.store.engine import Store
from whh_desktop.ui import modal
from whh_desktop.ui.style import heading, muted


class AboutDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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

    @classmethod
    def show_for(cls, store: Store, parent: QWidget | None = None) -> None:
        modal.run_modal(cls(store, parent))
