"""Verwaltung → Datensicherung: back up now, to an external drive, list, restore (after a confirmation)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from whh_desktop.core.domain.changes import Aggregate
from whh_desktop.core.domain.formatting import fmt_datetime, fmt_size
from whh_desktop.core.services import backups
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import BackupInfo, Store
from whh_desktop.ui import files, messages
from whh_desktop.ui.areas import Shell
from whh_desktop.ui.ops import LongOp, listen, wants
from whh_desktop.ui.style import MessageLabel, muted
from whh_desktop.ui.widgets.tables import ReadOnlyTable
from whh_desktop.ui.workers import Job


class BackupController:
    def __init__(self, store: Store, user: CurrentUser) -> None:
        self.store, self.user = store, user

    def list(self) -> list[BackupInfo]:
        return backups.list_backups(self.store.paths)

    def backup_now(self) -> BackupInfo:
        return backups.backup_now(self.store, self.user.username, reason="manual")

    def backup_external(self, directory: Path) -> BackupInfo:
        return backups.backup_to_external(self.store, self.user.username, directory)


class BackupTab(QWidget):
    def __init__(self, controller: BackupController, shell: Shell | None) -> None:
        super().__init__()
        self.controller, self.shell = controller, shell
        self.setObjectName("backup_tab")
        self.items: list[BackupInfo] = []
        self.job: Job | None = None
        self.table = ReadOnlyTable(["Datum", "Anlass", "Größe"], "Sicherungen", "backups_table")
        self.backup_button = QPushButton("&Jetzt sichern")
        self.external_button = QPushButton("Auf e&xternes Laufwerk sichern…")
        self.restore_button = QPushButton("&Wiederherstellen…")
        self.backup_button.clicked.connect(self.backup_now)
        self.external_button.clicked.connect(self.backup_external)
        self.restore_button.clicked.connect(self.restore_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.message = MessageLabel()
        buttons = QHBoxLayout()
        for button in (self.backup_button, self.external_button, self.restore_button):
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(muted("Sicherungen sind verschlüsselt wie der Datenbestand. Automatisch gesichert wird beim "
                               "Beenden und vor jeder Aktualisierung. Für den Ernstfall gehört regelmäßig eine "
                               "Sicherung auf ein externes Laufwerk, das nicht beim Laptop liegt."))
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.table)
        listen(self, wants(Aggregate.AUDIT_LOG), self.refresh)  # every backup leaves its audit entry
        self.refresh()

    def refresh(self) -> None:
        self.items = self.controller.list()
        self.table.fill([[fmt_datetime(b.created_at, seconds=True), b.reason_label, fmt_size(b.size)]
                         for b in self.items], tooltips=[str(b.path) for b in self.items])
        self._update_buttons()

    @property
    def busy(self) -> bool:
        return self.job is not None and self.job.isRunning()

    def _update_buttons(self) -> None:
        self.backup_button.setEnabled(not self.busy)
        self.external_button.setEnabled(not self.busy)
        self.restore_button.setEnabled(not self.busy and self.table.selected_row() is not None)

    def _start(self, text: str, work, done_text) -> None:
        self.message.info(text)
        self.job = LongOp(self, text, lambda _p, _c: work()).success(lambda info: self._done(done_text(info))) \
            .failure(self._failed).run()
        self.job.done.connect(self._update_buttons)
        self._update_buttons()

    def _done(self, text: str) -> None:
        self.message.success(text)

    def _failed(self, exc: BaseException) -> None:
        self.message.error(messages.error_text(exc))
        messages.show_error(self, exc)

    def backup_now(self) -> None:
        self._start("Datensicherung läuft…", self.controller.backup_now,
                    lambda info: f"Gesichert am {fmt_datetime(info.created_at)} ({fmt_size(info.size)}).")

    def backup_external(self) -> None:
        directory = files.choose_directory(self, "Ordner auf dem externen Laufwerk wählen")
        if directory is None:
            return
        self._start("Sicherung auf das externe Laufwerk läuft…",
                    lambda: self.controller.backup_external(directory),
                    lambda info: f"Gesichert: {info.path} (mit Schlüsseldatei daneben). Das Laufwerk jetzt "
                                 "sicher entfernen und getrennt vom Laptop aufbewahren.")

    def restore_selected(self) -> None:
        row = self.table.selected_row()
        if row is None:
            self.message.error("Bitte zuerst eine Sicherung in der Liste auswählen.")
            return
        item = self.items[row]
        if not messages.confirm(
                self, f"Den Datenbestand durch die Sicherung vom {fmt_datetime(item.created_at)} "
                      f"({item.reason_label}) ersetzen?\n\nAlles, was danach eingegeben wurde, fehlt dann. Der "
                      "jetzige Stand wird vorher gesichert. Danach melden Sie sich neu an.",
                title="Sicherung wiederherstellen", yes="&Wiederherstellen"):
            return
        if self.shell is not None:
            self.shell.request_restore(item.path)
