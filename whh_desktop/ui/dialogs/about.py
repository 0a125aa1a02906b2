"""Über WHH Desktop: version, store path, schema version and the rest of the system check."""

from __future__ import annotations

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from whh_desktop.core.services import about
from whh_desktop.core.store.engine import Store


class AboutDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Über WHH Desktop")
        self.setMinimumWidth(560)
        info = about.system_info(store)
        self.rows = [*info.rows(), ("Qt / PySide6", f"{qVersion()} / {PySide6.__version__}")]
        intro = QLabel("<b>WHH Desktop</b> – Fallverwaltung der Wohnungsnotfallhilfe im Kreis Herford "
                       "(Diakoniestiftung Herford und Kreis Herford).")
        intro.setWordWrap(True)
        form = QFormLayout()
        for label, value in self.rows:
            field = QLabel(value)
            field.setWordWrap(True)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            field.setAccessibleName(label)
            form.addRow(f"{label}:", field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Schließen")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def value(self, label: str) -> str:
        return dict(self.rows)[label]
