"""Übersicht, the admin's start page: where am I, who am I, how is the store, what comes next.

Counsellors start on "Mein Tag", the Kreis on its own start page (``views/my_day``)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QVBoxLayout, QWidget

from whh_desktop.core.domain.changes import Aggregate
from whh_desktop.core.domain.formatting import fmt_count, plural
from whh_desktop.core.services import about, site_settings
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui.areas import Shell
from whh_desktop.ui.ops import listen, wants
from whh_desktop.ui.style import heading, muted
from whh_desktop.ui.views.my_day import greeting


class OverviewView(QWidget):
    def __init__(self, store: Store, user: CurrentUser, shell: Shell | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.user = store, user
        self.setObjectName("overview")
        self.setAccessibleName("Übersicht")
        self.title = heading("")
        self.subtitle = muted()
        box = QFrame()
        box.setObjectName("overview_box")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        self.form = QFormLayout(box)
        self.form.setContentsMargins(18, 14, 18, 14)
        self.form.setHorizontalSpacing(24)
        self.form.setVerticalSpacing(8)
        self.values: dict[str, QLabel] = {}
        self.note = muted()
        self.note.setObjectName("overview_note")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addSpacing(8)
        layout.addWidget(box)
        layout.addSpacing(8)
        layout.addWidget(self.note)
        layout.addStretch()
        listen(self, wants(Aggregate.PERSONS, Aggregate.ACCOUNTS, Aggregate.SETTINGS), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        info = about.system_info(self.store)
        minutes = site_settings.current(self.store, self.user).autolock_minutes
        self.title.setText(f"{greeting()}, {self.user.display_name}")
        self.title.setAccessibleName(self.title.text())
        self.subtitle.setText(f"{info.site_label} · {info.mode_label} · angemeldet als {self.user.role.label}")
        rows = [("Standort", f"{info.site_label} ({info.mode_label})"),
                ("Personen im Datenbestand", fmt_count(info.persons)),
                ("Konten", str(info.accounts)),
                ("Letzte Datensicherung", info.last_backup or "noch keine"),
                ("Automatische Sperre", f"nach {plural(minutes, 'Minute', 'Minuten')} ohne Eingabe")]
        if self.user.is_admin:
            rows.append(("Protokoll", info.audit_chain))
        while self.form.rowCount():
            self.form.removeRow(0)
        self.values = {}
        for label, value in rows:
            value_label = QLabel(value)
            value_label.setAccessibleName(label)
            value_label.setAccessibleDescription(value)
            self.values[label] = value_label
            self.form.addRow(f"{label}:", value_label)
        lines = ["Die Daten liegen verschlüsselt auf diesem Gerät. Mit Strg+L sperren Sie das Fenster sofort, "
                 "wenn Sie den Platz verlassen."]
        if self.user.is_admin:
            lines.append("Unter »Verwaltung« legen Sie Konten an, pflegen den Briefkopf und die Datensicherung. "
                         "Fallinhalte sehen Admin-Konten nicht; für die Fallarbeit gibt es eigene Konten.")
        if not info.last_backup:
            lines.append("Es gibt noch keine Datensicherung. Beim Beenden wird automatisch gesichert.")
        self.note.setText("\n\n".join(lines))

    def value(self, label: str) -> str:
        return self.values[label].text()
