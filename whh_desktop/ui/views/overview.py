"""Übersicht: where am I, who am I, how is the store."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from whh_desktop.core.services import about
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store.engine import Store


class OverviewView(QWidget):
    def __init__(self, store: Store, user: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.user = store, user
        self.title = QLabel()
        font = QFont(self.title.font())
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        self.title.setFont(font)
        self.form = QFormLayout()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #444;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(self.title)
        layout.addSpacing(12)
        layout.addLayout(self.form)
        layout.addSpacing(16)
        layout.addWidget(self.note)
        layout.addStretch()
        self.refresh()

    def refresh(self) -> None:
        info = about.system_info(self.store)
        self.title.setText(f"Guten Tag, {self.user.display_name}")
        while self.form.rowCount():
            self.form.removeRow(0)
        for label, value in (("Standort", info.site_label + f" ({info.mode_label})"),
                             ("Ihre Rolle", self.user.role.label), ("Personen", str(info.persons)),
                             ("Konten", str(info.accounts)), ("Letzte Sicherung", info.last_backup or "noch keine"),
                             ("Protokoll", info.audit_chain)):
            value_label = QLabel(value)
            value_label.setAccessibleName(label)
            self.form.addRow(f"{label}:", value_label)
        if self.user.is_admin:
            self.note.setText("Als Admin verwalten Sie unter »Verwaltung« Konten, Einstellungen und "
                              "Datensicherungen. Fallinhalte sind Beratungskonten vorbehalten.")
        else:
            self.note.setText("Die Daten liegen verschlüsselt auf diesem Gerät. Bei Abwesenheit sperrt sich das "
                              "Fenster automatisch (Strg+L sperrt sofort).")
