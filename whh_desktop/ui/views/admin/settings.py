"""Verwaltung → Einstellungen: auto-lock, backup retention, retention period of closed cases, letterhead."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QPushButton, QSpinBox, QVBoxLayout, QWidget

from whh_desktop.core.errors import InvalidInput, WhhError
from whh_desktop.core.services import site_settings, site_settings_views
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.site_settings import Settings
from whh_desktop.core.services.site_settings_views import AdminSettings
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui.areas import Shell
from whh_desktop.ui.ops import Op
from whh_desktop.ui.style import MessageLabel, muted
from whh_desktop.ui.widgets.fields import clear_mark, count_suffix, mark_invalid
from whh_desktop.ui.widgets.letterhead import LetterheadFields


class SettingsController:
    def __init__(self, store: Store, user: CurrentUser) -> None:
        self.store, self.user = store, user

    def load(self) -> AdminSettings:
        return site_settings_views.admin_settings(self.store, self.user)

    def save(self, value: AdminSettings) -> None:
        site_settings_views.save_admin_settings(self.store, self.user, value)


def _spin(accessible_name: str, low: int, high: int, one: str, many: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    count_suffix(spin, one, many)
    spin.setAccessibleName(accessible_name)
    spin.setMinimumWidth(140)
    return spin


class SettingsTab(QWidget):
    def __init__(self, controller: SettingsController, shell: Shell | None) -> None:
        super().__init__()
        self.controller, self.shell = controller, shell
        self.setObjectName("settings_tab")
        self.autolock = _spin("Automatische Sperre nach Minuten", 1, 120, "Minute", "Minuten")
        self.autolock.setObjectName("autolock_minutes")
        self.keep_last = _spin("Anzahl letzter Sicherungen, die bleiben", 1, 100, "Sicherung", "Sicherungen")
        self.keep_last.setObjectName("backup_keep_last")
        self.keep_monthly = _spin("Monate mit je einer aufbewahrten Sicherung", 0, 60, "Monat", "Monate")
        self.keep_monthly.setObjectName("backup_keep_monthly")
        self.retention = _spin("Aufbewahrungsfrist abgeschlossener Fälle in Jahren", site_settings.MIN_RETENTION_YEARS,
                               site_settings.MAX_RETENTION_YEARS, "Jahr", "Jahre")
        self.retention.setObjectName("retention_years")
        self.reminder = _spin("Sachstandsanfrage anbieten nach Wochen", 1, 52, "Woche", "Wochen")
        self.reminder.setObjectName("reminder_weeks")
        self.letterhead = LetterheadFields()
        self.message = MessageLabel()
        self.save_button = QPushButton("Einstellungen spe&ichern")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("&Verwerfen")
        self.revert_button.setToolTip("Zeigt wieder die gespeicherten Werte.")
        self.revert_button.clicked.connect(self.refresh)

        security = QGroupBox("Sperre und Datensicherung")
        form = QFormLayout(security)
        form.addRow("A&utomatische Sperre nach", self.autolock)
        form.addRow("&Letzte Sicherungen behalten", self.keep_last)
        form.addRow("&Je Monat eine Sicherung für", self.keep_monthly)
        privacy = QGroupBox("Datenschutz")
        privacy_form = QFormLayout(privacy)
        privacy_form.addRow("Aufbe&wahrungsfrist", self.retention)
        privacy_form.addRow(muted("Abgeschlossene Fälle werden so viele Jahre nach Ende des Abschlussjahres zur "
                                  "Löschung angezeigt (Datenschutz → Löschfristen); die Auskunft nach Art. 15 "
                                  "nennt diese Frist."))
        procedures = QGroupBox("Anträge")
        procedures_form = QFormLayout(procedures)
        procedures_form.addRow("Sachstandsanfra&ge anbieten nach", self.reminder)
        procedures_form.addRow(muted("So lange nach dem Antrag ohne Entscheidung wird in der Fallakte eine "
                                     "Sachstandsanfrage angeboten."))
        letter = QGroupBox("Briefkopf")
        letter_layout = QVBoxLayout(letter)
        letter_layout.addWidget(muted("Erscheint auf Briefen und auf dem Notfallschlüssel."))
        letter_layout.addWidget(self.letterhead)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(security)
        layout.addWidget(privacy)
        layout.addWidget(procedures)
        layout.addWidget(letter)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addStretch()
        self.refresh()

    def refresh(self) -> None:
        loaded = self.controller.load()
        current = loaded.settings
        self.autolock.setValue(current.autolock_minutes)
        self.keep_last.setValue(current.backup_keep_last)
        self.keep_monthly.setValue(current.backup_keep_monthly)
        self.retention.setValue(current.retention_years)
        self.reminder.setValue(loaded.reminder_weeks)
        self.letterhead.set_value(current.letterhead)
        clear_mark(self.autolock, self.keep_last, self.keep_monthly, self.retention, self.reminder,
                   *self.letterhead.fields.values())
        self.message.clear()

    def settings(self) -> Settings:
        return Settings(letterhead=self.letterhead.value(), autolock_minutes=self.autolock.value(),
                        backup_keep_last=self.keep_last.value(), backup_keep_monthly=self.keep_monthly.value(),
                        retention_years=self.retention.value())

    def save(self) -> bool:
        spins = {"autolock_minutes": self.autolock, "backup_keep_last": self.keep_last,
                 "backup_keep_monthly": self.keep_monthly, "retention_years": self.retention, "weeks": self.reminder}
        clear_mark(*spins.values(), *self.letterhead.fields.values())
        settings = self.settings()

        def refused(exc: WhhError) -> None:
            if isinstance(exc, InvalidInput) and not self.letterhead.mark(exc) and exc.field in spins:
                mark_invalid(spins[exc.field], str(exc))
            self.message.error(str(exc))

        value = AdminSettings(settings, self.reminder.value())
        if not Op(self, lambda: self.controller.save(value)).failure(refused).run():
            return False
        if self.shell is not None:
            self.shell.set_autolock_minutes(settings.autolock_minutes)
        self.message.success("Gespeichert.")
        return True
