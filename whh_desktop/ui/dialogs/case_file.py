"""The case file (Fallakte): one screen per case with a tab per part of the case file read model.

The dialog only assembles the panels (``ui/case_file``), reads the read model once and again after every
operation whose broadcast touches this case, and hands it to every panel. Nothing here reloads by hand.
"""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from whh_desktop.core.domain import labels
from whh_desktop.core.domain.changes import Changes
from whh_desktop.core.domain.enums import Outcome
from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.services import case_file, cases
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import modal
from whh_desktop.ui.case_file.actions import CaseActions
from whh_desktop.ui.case_file.documents import DocumentsPanel
from whh_desktop.ui.case_file.housing import HousingPanel
from whh_desktop.ui.case_file.overview import HistoryPanel, OverviewPanel
from whh_desktop.ui.case_file.panel import CasePanel
from whh_desktop.ui.case_file.records import ConsentsPanel, ContactsPanel, DeadlinesPanel, ReferralsPanel
from whh_desktop.ui.case_file.tenancy import TenancyPanel
from whh_desktop.ui.dialogs.case_forms import CloseDialog, ContactDialog
from whh_desktop.ui.dialogs.intake import IntakeDialog
from whh_desktop.ui.ops import hub
from whh_desktop.ui.widgets.applications import ApplicationsTab
from whh_desktop.ui.widgets.help_plan import HelpPlanPanel, SuchthilfePanel
from whh_desktop.ui.widgets.tabs import select_tab

__all__ = ["CaseFileDialog", "CloseDialog", "ContactDialog", "open_case"]


class CaseFileDialog(CaseActions, QDialog):
    """Shows one case; every change made from here is an operation, and its broadcast re-reads the file."""

    def __init__(self, store: Store, user: CurrentUser, case_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.user, self.case_id = store, user, case_id
        self.erased = False
        self.setMinimumSize(1040, 680)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.tabs = QTabWidget()
        args = (store, user, case_id)
        self.overview_panel, self.contacts_panel = OverviewPanel(*args), ContactsPanel(*args)
        self.tenancy_panel, self.deadlines_panel = TenancyPanel(*args), DeadlinesPanel(*args)
        self.applications_tab = ApplicationsTab(store, user, case_id, standalone=False)
        self.referrals_panel, self.consents_panel = ReferralsPanel(*args), ConsentsPanel(*args)
        self.documents_panel, self.housing_panel = DocumentsPanel(*args), HousingPanel(*args)
        self.help_plan, self.suchthilfe_panel = HelpPlanPanel(*args), SuchthilfePanel(*args)
        self.history_panel = HistoryPanel(*args)
        self.panels: tuple[CasePanel, ...] = (
            self.overview_panel, self.contacts_panel, self.tenancy_panel, self.deadlines_panel,
            self.applications_tab, self.referrals_panel, self.consents_panel, self.documents_panel,
            self.housing_panel, self.help_plan, self.suchthilfe_panel, self.history_panel)
        titles = ("&Überblick", "&Kontakte", "&Miete und Räumung", "&Fristen", "An&träge", "&Vermittlungen",
                  "E&inwilligungen", "&Dokumente", "&Wohnungssuche", "&Hilfeplan", "S&uchthilfe", "Ver&lauf")
        for panel, title in zip(self.panels, titles, strict=True):
            self.tabs.addTab(panel, title)

        self.build_actions()
        done = QPushButton("Schließen")
        done.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.privacy_button)
        buttons.addStretch()
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.reopen_button)
        buttons.addWidget(done)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.warning)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        hub().changed.connect(self._on_changes)  # a dialog lives only while open: re-read at once, shown or not
        self.reload()

    def _on_changes(self, changes: Changes) -> None:
        if not self.erased and changes.touches_case(self.case_id):
            self.reload()

    # ---- showing ---------------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the case file once and show it in every tab."""
        cf = self.data = case_file.open_case(self.store, self.user, self.case_id)
        self.read_only = cf.read_only
        c = cf.case
        self.setWindowTitle(f"Fallakte {cf.title}")
        self.header.setText(f"<b style='font-size:14pt'>{cf.title}</b><br>Status: {labels.case_status(c.status)} · "
                            f"aufgenommen am {fmt_date(c.opened_on)} · fallführend: {cf.who(c.counsellor)}"
                            + (f" · abgeschlossen am {fmt_date(c.closed_on)} ({Outcome(c.outcome).label})"
                               if c.closed_on and c.outcome else "")
                            + (" · <b>Verarbeitung eingeschränkt (Art. 18)</b>" if c.restricted else "")
                            + (f"<br><b>Nur lesen:</b> Fall des Standorts {_site_label(c.owner_site)} – Änderungen "
                               "macht nur der Standort." if cf.read_only else ""))
        warnings = cf.warnings() + [f"{d.kind.label}: fällig am {fmt_date(d.due_on)}" for d in cf.urgent]
        self.warning.setText("\n".join(warnings))
        self.warning.setVisible(bool(warnings))
        for panel in self.panels:
            panel.show_file(cf)
        self.enable_actions()


def open_case(parent: QWidget, store: Store, user: CurrentUser, case_id: uuid.UUID, tab: str = "") -> QDialog:
    """The case file (on the tab titled ``tab``); a draft opens in the intake form first, to be completed. What
    either changes reaches the lists and badges through the operations' broadcast."""
    found = cases.case_rows(store, user, [case_id.hex])
    if found and found[0].status == "draft":
        form = IntakeDialog(store, user, parent, case_id=case_id)
        modal.run_modal(form)
        if form.result() != QDialog.DialogCode.Accepted or form.saved_draft:
            return form
    dialog = CaseFileDialog(store, user, case_id, parent)
    select_tab(dialog, tab)
    modal.run_modal(dialog)
    return dialog


def _site_label(code: str) -> str:
    try:
        return SiteCode(code).label
    except ValueError:
        return code
