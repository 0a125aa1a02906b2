"""Verwaltung → Protokoll: the latest audit entries and whether the hash chain is intact."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from whh_desktop.core.domain import labels
from whh_desktop.core.domain.formatting import fmt_datetime
from whh_desktop.core.services import audit_log
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui.style import ERROR, OK, MessageLabel
from whh_desktop.ui.widgets.tables import ReadOnlyTable


def actor_text(action: str, actor: str, name: str = "") -> str:
    """The person and the login that identifies them in the log: ``Birgit Schulz (b.schulz)``."""
    # A failed login is recorded before anyone is signed in, under a keyed hash of the typed name (never the name).
    if action == "login_failed":
        return "–"
    return f"{name} ({actor})" if name and name != actor else actor


def detail_text(action: str, detail: str | None, actor: str = "") -> str:
    if action == "login_failed":
        return f"Kennung {actor[:8]}" if actor else ""
    return labels.audit_detail(action, detail)


class AuditTab(QWidget):
    LIMIT = 500

    def __init__(self, store: Store, user: CurrentUser) -> None:
        super().__init__()
        self.store, self.user = store, user
        self.setObjectName("audit_tab")
        self.status = MessageLabel("Prüfung des Protokolls")
        self.table = ReadOnlyTable(["Zeit", "Benutzer", "Aktion", "Objekt", "Detail"], "Protokolleinträge",
                                   "audit_table")
        refresh = QPushButton("Akt&ualisieren")
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self.refresh()

    def refresh(self) -> None:
        shown = audit_log.latest(self.store, self.user, self.LIMIT)
        entries, check = shown.entries, shown.check
        self.status.setText(check.message + (f" Angezeigt: die letzten {len(entries)}." if entries else ""))
        self.status.setStyleSheet(f"color: {OK if check.ok else ERROR};" + ("" if check.ok else "font-weight: bold;"))
        self.table.fill([[fmt_datetime(e.at), actor_text(e.action, e.actor, e.actor_name),
                          labels.audit_action(e.action), labels.audit_object(e.object_type),
                          detail_text(e.action, e.detail, e.actor)] for e in entries])
